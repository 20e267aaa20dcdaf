import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The dependency directions of ARCHITECTURE.md ("Layers") are enforced by `npm run lint`. This
// proves the rule can fail — a file in the channel adapter importing the product is reported — and
// that the real tree keeps to it.

const root = path.resolve(import.meta.dirname, "../..");
const RULE = "no-restricted-imports";

async function lintProbe(relativeDir: string, source: string): Promise<ESLint.LintResult["messages"]> {
  const file = path.join(root, relativeDir, `lint-probe-${randomUUID()}.ts`);
  await writeFile(file, source);
  try {
    const [result] = await new ESLint({ cwd: root }).lintFiles([file]);
    return result?.messages.filter((message) => message.ruleId === RULE) ?? [];
  } finally {
    await rm(file, { force: true });
  }
}

describe("import directions", () => {
  it("reports a channel adapter file that imports the product", async () => {
    const messages = await lintProbe(
      "src/whatsapp/inbound",
      'import { inboundPort } from "../../features/messages/inbound.ts";\nexport const probe = inboundPort;\n',
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toMatch(/must not import the product/);
  }, 60_000);

  it("reports a cross-cutting layer that imports the product or the channel, even for types", async () => {
    const messages = await lintProbe(
      "src/http",
      'import type { InboundPort } from "../whatsapp/inbound/port.ts";\nimport { sendRoutes } from "../features/messages/routes.ts";\nexport const probe: [InboundPort | undefined, unknown] = [undefined, sendRoutes];\n',
    );
    expect(messages).toHaveLength(2);
  }, 60_000);

  it("lets the product use the channel", async () => {
    const messages = await lintProbe(
      "src/features/messages",
      'import { createGraphClient } from "../../whatsapp/graph-client.ts";\nexport const probe = createGraphClient;\n',
    );
    expect(messages).toEqual([]);
  }, 60_000);

  it("finds no import against the directions in the tree", async () => {
    const results = await new ESLint({ cwd: root, ignorePatterns: ["**/lint-probe-*"] }).lintFiles(["src"]);
    const violations = results.flatMap((result) =>
      result.messages
        .filter((message) => message.ruleId === RULE)
        .map((message) => `${path.relative(root, result.filePath)}:${message.line} ${message.message}`),
    );
    expect(violations).toEqual([]);
  }, 240_000);
});
