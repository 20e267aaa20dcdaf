import { describe, expect, it } from "vitest";
import { createProgressBar, renderProgressLine } from "./progress.ts";

function collect(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (chunk: string) => chunks.push(chunk) } };
}

describe("progress bar", () => {
  it("renders label, bar, counts and percentage", () => {
    expect(renderProgressLine("Rewrapping", 42, 100, 10)).toBe("Rewrapping [####------] 42/100 42%");
    expect(renderProgressLine("Rewrapping", 0, 0, 4)).toBe("Rewrapping [####] 0/0 100%");
    expect(renderProgressLine("Rewrapping", 7, 5, 4)).toBe("Rewrapping [####] 7/5 100%");
  });

  it("redraws one line on a terminal", () => {
    const { chunks, stream } = collect(true);
    const bar = createProgressBar({ label: "Work", stream, width: 10, redrawMs: 0 });
    for (let done = 0; done <= 100; done += 25) bar.update(done, 100);
    bar.finish();
    expect(chunks.every((chunk) => chunk.startsWith("\r"))).toBe(true);
    expect(chunks.slice(0, -1).some((chunk) => chunk.includes("\n"))).toBe(false);
    expect(chunks.at(-1)).toBe("\rWork [##########] 100/100 100%\u001b[K\n");
  });

  it("throttles terminal redraws but always draws the end", () => {
    const { chunks, stream } = collect(true);
    const bar = createProgressBar({ label: "Work", stream, redrawMs: 1_000, now: () => 0 });
    for (let done = 0; done <= 1_000; done += 1) bar.update(done, 1_000);
    bar.finish();
    expect(chunks.length).toBe(3);
    expect(chunks.at(-1)).toContain("1000/1000 100%");
  });

  it("writes a line about every 10% when not a terminal", () => {
    const { chunks, stream } = collect(false);
    const bar = createProgressBar({ label: "Work", stream, width: 10 });
    for (let done = 0; done <= 1_000; done += 1) bar.update(done, 1_000);
    bar.finish();
    expect(chunks).toHaveLength(11);
    expect(chunks[0]).toBe("Work [----------] 0/1000 0%\n");
    expect(chunks[5]).toBe("Work [#####-----] 500/1000 50%\n");
    expect(chunks.at(-1)).toBe("Work [##########] 1000/1000 100%\n");
    expect(chunks.join("")).not.toContain("\r");
  });

  it("prints the final state once when the last update did not cross a step", () => {
    const { chunks, stream } = collect(false);
    const bar = createProgressBar({ label: "Work", stream, width: 10 });
    bar.update(0, 3);
    bar.update(1, 3);
    bar.finish();
    bar.finish();
    expect(chunks).toEqual(["Work [----------] 0/3 0%\n", "Work [###-------] 1/3 33%\n"]);
  });
});
