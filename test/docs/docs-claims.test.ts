import { access, readdir, readFile } from "node:fs/promises";
import type { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { program } from "../../src/cli/program.ts";

// README.md and ARCHITECTURE.md promise only what exists: every configuration variable they name is
// read by src/config.ts (and every variable it reads is in the README's table), every `parley`
// command and option in the README's table exists in the CLI (and every command is in the table),
// every `npm run` script exists, every file path and migration they cite is in the repository, and
// features that are planned, not built, appear only under the README's Roadmap.

let readme: string;
let architecture: string;
let configSource: string;

beforeAll(async () => {
  readme = await readFile("README.md", "utf8");
  architecture = await readFile("ARCHITECTURE.md", "utf8");
  configSource = await readFile("src/config.ts", "utf8");
});

/** The rows of the first Markdown table after `heading`, as cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(heading);
  if (start === -1) throw new Error(`no heading ${heading}`);
  const lines = markdown.slice(start).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

/** Inline code spans (fenced blocks left out). */
function backticked(text: string): string[] {
  return [...text.replace(/```[\s\S]*?```/g, "").matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}

/** The variables src/config.ts reads: the keys of its one environment schema. */
function configVariables(): string[] {
  const start = configSource.indexOf("const environmentSchema = z.object({");
  const end = configSource.indexOf("\n});", start);
  if (start === -1 || end === -1) throw new Error("src/config.ts: environmentSchema not found");
  return [...configSource.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
}

const ENV_NAME = /^(PARLEY_[A-Z0-9_]+|DATABASE_[A-Z_]+|REDIS_URL)$/;

function leafCommands(command: Command, prefix: string[] = []): Array<{ path: string; options: string[] }> {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    if (child.commands.length > 0) return leafCommands(child, path);
    return [{ path: path.join(" "), options: child.options.map((option) => option.long ?? "") }];
  });
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe("README.md and ARCHITECTURE.md", () => {
  it("name exactly the configuration variables src/config.ts reads", () => {
    const inTable = tableAfter(readme, "## Configuration").flatMap((row) => backticked(row[0]!)).filter((name) => ENV_NAME.test(name));
    const read = configVariables();
    expect(read.length).toBeGreaterThan(10);
    expect([...new Set(inTable)].sort()).toEqual([...read].sort());
    // Anywhere else in either document: no variable the code does not read.
    const mentioned = new Set([...`${readme}\n${architecture}`.matchAll(/\b(PARLEY_[A-Z0-9_]*[A-Z0-9]|DATABASE_(?:APP_)?URL|REDIS_URL)\b/g)].map((match) => match[1]!));
    expect([...mentioned].filter((name) => !read.includes(name))).toEqual([]);
  });

  it("list every `parley` command, with options the CLI has", () => {
    const commands = leafCommands(program);
    const rows = tableAfter(readme, "## The `parley` command").map((row) => backticked(row[0]!)[0]!);
    const documented = rows.map((cell) => {
      const words = cell.split(/\s+/);
      const firstOption = words.findIndex((word) => word.startsWith("[") || word.startsWith("--"));
      const path = (firstOption === -1 ? words : words.slice(0, firstOption)).join(" ");
      const options = [...cell.matchAll(/(--[a-z-]+)/g)].map((match) => match[1]!);
      return { path, options };
    });
    for (const { path, options } of documented) {
      const command = commands.find((candidate) => candidate.path === path);
      expect(command, `README documents \`parley ${path}\`, which does not exist`).toBeDefined();
      for (const option of options) expect(command!.options, `parley ${path} has no ${option}`).toContain(option);
    }
    expect(commands.map((command) => command.path).filter((path) => !documented.some((row) => row.path === path))).toEqual([]);
  });

  it("name only npm scripts that exist", async () => {
    const scripts = Object.keys((JSON.parse(await readFile("package.json", "utf8")) as { scripts: Record<string, string> }).scripts);
    const named = [...`${readme}\n${architecture}`.matchAll(/npm (?:run ([a-z:-]+)|(start|test)\b)/g)].map((match) => match[1] ?? match[2]!);
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it("cite only files and migrations that exist", async () => {
    const text = `${readme}\n${architecture}`;
    const paths = new Set<string>();
    for (const token of [...backticked(text), ...[...text.matchAll(/\]\(([^)#]+)\)/g)].map((match) => match[1]!)]) {
      if (/^(src|test|web|sim|bench|docs|scripts|bin)\/[\w./-]+\.(ts|tsx|mjs|md|json|sql)$/.test(token) || /^[A-Z]+\.md$/.test(token)) paths.add(token);
    }
    expect(paths.size).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const path of paths) if (!(await exists(path))) missing.push(path);
    expect(missing).toEqual([]);

    const migrations = await readdir("src/db/migrations");
    const cited = [...text.matchAll(/migrations? ((?:\d{4}(?:, | and |\)|,)?)+)/g)].flatMap((match) => [...match[1]!.matchAll(/\d{4}/g)].map((number) => number[0]));
    expect(cited.length).toBeGreaterThan(3);
    expect(cited.filter((number) => !migrations.some((file) => file.startsWith(`${number}_`)))).toEqual([]);
  });

  it("mention planned features only under the README's Roadmap", async () => {
    const planned = [/chatflow/i, /AI assistant/i, /published (container )?image/i, /team routing/i];
    const roadmapAt = readme.indexOf("## Roadmap");
    expect(roadmapAt).toBeGreaterThan(0);
    const promised = readme.slice(0, roadmapAt) + readme.slice(readme.indexOf("\n## ", roadmapAt + 1) === -1 ? readme.length : readme.indexOf("\n## ", roadmapAt + 1));
    const roadmap = readme.slice(roadmapAt);
    const files = (await readdir("web/src", { recursive: true })).filter((file) => file.endsWith(".tsx"));
    expect(files.length, "the dashboard's screens are found in its feature folders").toBeGreaterThan(20);
    const screens = await Promise.all(files.map((file) => readFile(`web/src/${file}`, "utf8")));
    for (const feature of planned) {
      expect(roadmap, `${feature} belongs on the Roadmap`).toMatch(feature);
      expect(promised, `README promises ${feature} outside the Roadmap`).not.toMatch(feature);
      expect(architecture, `ARCHITECTURE.md describes ${feature}, which is not built`).not.toMatch(feature);
      for (const screen of screens) expect(screen, `the dashboard promises ${feature}`).not.toMatch(feature);
    }
  });
});
