import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { initialAssets, measureBundle } from "./dashboard-bundle.ts";

// The dashboard benchmark's bundle accounting: what index.html loads up front counts toward the
// initial budget, every other chunk is lazy.

const INDEX = `<!doctype html>
<html lang="en">
  <head>
    <script type="module" crossorigin src="/assets/index-AbC123.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/vendor-XyZ789.js">
    <link rel="stylesheet" crossorigin href="/assets/index-Def456.css">
  </head>
  <body><div id="root"></div></body>
</html>`;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the dashboard's bundle accounting", () => {
  it("takes the entry script, its modulepreloads and linked style sheets from index.html", () => {
    expect(initialAssets(INDEX)).toEqual({
      scripts: ["assets/index-AbC123.js", "assets/vendor-XyZ789.js"],
      styles: ["assets/index-Def456.css"],
    });
  });

  it("ignores classic scripts and other links", () => {
    const html =
      '<script src="/legacy.js"></script><link rel="icon" href="/favicon.ico"><script type="module" src="/assets/a.js"></script>';
    expect(initialAssets(html)).toEqual({ scripts: ["assets/a.js"], styles: [] });
  });

  it("sizes initial and lazy files apart, raw and gzip", async () => {
    dir = await mkdtemp(join(tmpdir(), "parley-bundle-test-"));
    await mkdir(join(dir, "assets"));
    await writeFile(join(dir, "index.html"), INDEX);
    await writeFile(join(dir, "assets", "index-AbC123.js"), "export const a = 1;\n".repeat(100));
    await writeFile(join(dir, "assets", "vendor-XyZ789.js"), "export const b = 2;\n");
    await writeFile(join(dir, "assets", "settings-Lazy01.js"), "export const c = 3;\n");
    await writeFile(join(dir, "assets", "index-Def456.css"), "body { color: black; }\n");
    const size = await measureBundle(dir);
    expect(size.initialJs.files.map((file) => file.file)).toEqual(["assets/index-AbC123.js", "assets/vendor-XyZ789.js"]);
    expect(size.initialJs.bytes).toBe(2_000 + 20);
    expect(size.initialJs.gzipBytes).toBeLessThan(size.initialJs.bytes);
    expect(size.lazyJs.files.map((file) => file.file)).toEqual(["assets/settings-Lazy01.js"]);
    expect(size.initialCss.bytes).toBe(23);
    expect(size.lazyCss.files).toEqual([]);
  });

  it("refuses an index.html that names a file the build did not write", async () => {
    dir = await mkdtemp(join(tmpdir(), "parley-bundle-test-"));
    await mkdir(join(dir, "assets"));
    await writeFile(join(dir, "index.html"), INDEX);
    await writeFile(join(dir, "assets", "index-AbC123.js"), "");
    await expect(measureBundle(dir)).rejects.toThrow(/vendor-XyZ789\.js/);
  });
});
