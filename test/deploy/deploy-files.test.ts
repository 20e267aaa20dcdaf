import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";

// The deployment files set only variables Parley reads. A misspelt or retired name would be ignored
// silently (src/config.ts reads the names it knows), so the deployment would run on a default.
// The tools' own checks (docker-compose, caddy, systemd-analyze, a production `parley doctor` with
// compose.yaml's environment) are in scripts/check-deploy.sh.

const PARLEY_NAME = /\b(PARLEY_[A-Z0-9_]*[A-Z0-9]|DATABASE_(?:APP_)?URL(?:_FILE)?|REDIS_URL(?:_FILE)?)\b/g;

async function deploymentFiles(): Promise<Record<string, string>> {
  const paths = ["Dockerfile", "compose.yaml", "deploy/docker/entrypoint.sh", "deploy/compose/Caddyfile", "docs/production.md"];
  for (const file of await readdir("deploy/systemd")) paths.push(`deploy/systemd/${file}`);
  return Object.fromEntries(await Promise.all(paths.map(async (path) => [path, await readFile(path, "utf8")] as const)));
}

/** The variables src/config.ts reads: the keys of its environment schema. */
async function configVariables(): Promise<string[]> {
  const source = await readFile("src/config.ts", "utf8");
  const start = source.indexOf("const environmentSchema = z.object({");
  const end = source.indexOf("\n});", start);
  return [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
}

describe("deployment files", () => {
  it("name only variables src/config.ts reads, or their <NAME>_FILE forms the entry point reads", async () => {
    const read = await configVariables();
    const entrypoint = await readFile("deploy/docker/entrypoint.sh", "utf8");
    const fromFiles = /for name in ([A-Z_ ]+); do/.exec(entrypoint)![1]!.trim().split(/\s+/);
    expect(fromFiles.filter((name) => !read.includes(name))).toEqual([]);
    const unknown: string[] = [];
    for (const [path, text] of Object.entries(await deploymentFiles())) {
      for (const [name] of text.matchAll(PARLEY_NAME)) {
        const base = name.endsWith("_FILE") && fromFiles.includes(name.slice(0, -5)) ? name.slice(0, -5) : name;
        // PARLEY_KEY_FILE is a variable of its own (the local key file's path).
        if (!read.includes(base)) unknown.push(`${path}: ${name}`);
      }
    }
    expect([...new Set(unknown)]).toEqual([]);
  });

  it("give the systemd units a configuration production accepts", async () => {
    const example = await readFile("deploy/systemd/parley.env.example", "utf8");
    const unit = await readFile("deploy/systemd/parley-web.service", "utf8");
    const fromUnit = /^Environment=(.+)$/m.exec(unit)![1]!.split(/\s+/);
    const env: Record<string, string> = {};
    for (const line of [...example.split("\n"), ...fromUnit]) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (match) env[match[1]!] = match[2]!.replace(/<[^>]+>/g, (placeholder) => (placeholder.includes("base64") ? Buffer.alloc(32, 1).toString("base64") : "placeholder"));
    }
    const config = loadConfig(env);
    expect(config.isProduction).toBe(true);
    expect(config.database.engine).toBe("postgres");
    expect(config.keys.kind).toBe("env");
    expect(config.http.trustProxy).toEqual(["127.0.0.1"]);
  });

  it("keep V8's JIT working under systemd", async () => {
    for (const file of await readdir("deploy/systemd")) {
      if (!file.endsWith(".service")) continue;
      const unit = await readFile(`deploy/systemd/${file}`, "utf8");
      expect(unit, file).not.toMatch(/^MemoryDenyWriteExecute=(yes|true|1)/m);
      expect(unit, file).toMatch(/^NoNewPrivileges=yes$/m);
      expect(unit, file).toMatch(/^User=parley$/m);
    }
  });
});
