import { readFile } from "node:fs/promises";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";

// The code's format is Prettier's (.prettierrc.json), and `npm run lint` enforces it: ESLint first,
// then `prettier --check .` over everything .prettierignore does not leave out (generated artifacts,
// prose and deployment files).

describe("formatting", () => {
  it("is checked by npm run lint", async () => {
    const { scripts } = JSON.parse(await readFile("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(scripts.lint).toMatch(/\bprettier --check \.$/);
  });

  it("reports a file that is not in Prettier's format, and accepts it once formatted", async () => {
    const options = { ...(await prettier.resolveConfig("src/app.ts")), filepath: "src/probe.ts" };
    const untidy = "export const probe = {a:1,\n  b : [1,2,3]}\n";
    expect(await prettier.check(untidy, options)).toBe(false);
    expect(await prettier.check(await prettier.format(untidy, options), options)).toBe(true);
  });

  it("leaves the generated artifacts to their generators", async () => {
    const ignored = await readFile(".prettierignore", "utf8");
    for (const path of ["docs/", "src/db/generated/", "web/src/lib/api-types.ts"]) expect(ignored.split("\n")).toContain(path);
  });
});
