import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isValidWebhookSignature } from "../src/whatsapp/webhook/signature.ts";
import { classifyFrame, summariseProfile, type CpuProfile } from "./support/cpu-profile.ts";
import { nearestRank, parseResponseHead, runPaced } from "./support/paced-load.ts";
import { cpuBetween, isBackendOf, parseMachineTicks, parseStatTicks, type CpuSnapshot } from "./support/proc-cpu.ts";
import { parseBodyLine, writeBodyFiles } from "./support/webhook-bodies.ts";
import { parseWrkOutput, WRK_SCRIPT } from "./support/wrk.ts";

// The webhook-ingest benchmark's own logic, without load: bodies, parsers, CPU accounting, profile summary.

const target = {
  appSecret: "bench-secret",
  phoneNumberId: "106540352242922",
  wabaId: "102290129340398",
  displayPhoneNumber: "15550783881",
};

describe("webhook-ingest benchmark support", () => {
  it("writes distinct bodies, dealt across files, each signed as Meta signs it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "parley-bench-test-"));
    try {
      const paths = await writeBodyFiles(join(dir, "bodies"), target, "run-", 7, 2);
      expect(paths).toEqual([join(dir, "bodies.0"), join(dir, "bodies.1")]);
      const lines = (await Promise.all(paths.map((path) => readFile(path, "utf8")))).flatMap((text) => text.split("\n").filter(Boolean));
      expect(lines).toHaveLength(7);
      const ids = new Set<string>();
      for (const line of lines) {
        const { signature, body } = parseBodyLine(line);
        expect(isValidWebhookSignature(target.appSecret, Buffer.from(body), signature)).toBe(true);
        const envelope = JSON.parse(body) as {
          entry: Array<{
            changes: Array<{ field: string; value: { metadata: { phone_number_id: string }; messages: Array<{ id: string }> } }>;
          }>;
        };
        const change = envelope.entry[0]!.changes[0]!;
        expect(change.field).toBe("messages");
        expect(change.value.metadata.phone_number_id).toBe(target.phoneNumberId);
        ids.add(change.value.messages[0]!.id);
      }
      expect(ids.size).toBe(7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("parses HTTP answers only once they are complete", () => {
    const answer = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 17\r\n\r\n{"received":true}');
    expect(parseResponseHead(answer.subarray(0, 40))).toBeUndefined();
    expect(parseResponseHead(answer.subarray(0, answer.length - 1))).toBeUndefined();
    expect(parseResponseHead(answer)).toEqual({ status: 200, length: answer.length });
    expect(parseResponseHead(Buffer.concat([answer, Buffer.from("HTTP/1.1 403")]))).toEqual({ status: 200, length: answer.length });
    const timeout = Buffer.from("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
    expect(parseResponseHead(timeout)).toEqual({ status: 408, length: timeout.length });
    expect(() => parseResponseHead(Buffer.from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))).toThrow();
  });

  it("paces requests at a fixed rate over kept connections, round after round, and counts refusals", async () => {
    const dir = await mkdtemp(join(tmpdir(), "parley-bench-test-"));
    let served = 0;
    const server = http.createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        served += 1;
        // Every tenth request is refused, as a server under test may refuse some.
        const status = served % 10 === 0 ? 403 : 200;
        response.writeHead(status, { "content-type": "application/json", "content-length": "2" });
        response.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const [bodies] = await writeBodyFiles(join(dir, "bodies"), target, "paced-", 40, 1);
      const { port } = server.address() as AddressInfo;
      const command = { port, path: "/webhooks/whatsapp/key", bodiesFile: bodies!, ratePerSecond: 100, durationMs: 200, connections: 4 };
      const first = await runPaced(command);
      // The second round reuses the first one's connections.
      const second = await runPaced(command);
      for (const round of [first, second]) {
        expect(round.scheduled).toBe(20);
        expect(round.ok + round.failed).toBe(20);
        expect(round.elapsedMs).toBeGreaterThanOrEqual(190);
        expect(round.latencyMs.p50).toBeGreaterThan(0);
        expect(round.latencyMs.max).toBeGreaterThanOrEqual(round.latencyMs.p99);
      }
      expect(first.failed + second.failed).toBe(4);
      expect(served).toBe(40);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("takes nearest-rank percentiles", () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(sorted, 50)).toBe(50);
    expect(nearestRank(sorted, 99)).toBe(99);
    expect(nearestRank(sorted, 100)).toBe(100);
    expect(nearestRank(new Float64Array(0), 99)).toBe(0);
  });

  it("reads CPU ticks from /proc lines and splits PostgreSQL's by database", () => {
    expect(parseStatTicks("4242 (node my server) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 11")).toBe(175);
    expect(parseMachineTicks("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3\n")).toEqual({ busy: 150, total: 1000 });
    expect(isBackendOf("postgres: 15/main: parley_app parley_bench_ab12 127.0.0.1(5555) idle", "parley_bench_ab12")).toBe(true);
    expect(isBackendOf("postgres: 15/main: parley_app parley_bench_ab123 127.0.0.1(5555) idle", "parley_bench_ab12")).toBe(false);
    const snapshot = (atMs: number, server: number, busy: number, processes: Array<[number, string, number]>): CpuSnapshot => ({
      atMs,
      server,
      machine: { busy, total: busy * 2 },
      postgres: new Map(processes.map(([pid, title, ticks]) => [pid, { title, ticks }])),
    });
    const before = snapshot(0, 100, 1000, [
      [1, "postgres: 15/main: walwriter", 10],
      [2, "postgres: 15/main: parley_app bench_db 127.0.0.1(1) idle", 5],
    ]);
    const after = snapshot(1000, 180, 1200, [
      [1, "postgres: 15/main: walwriter", 13],
      [2, "postgres: 15/main: parley_app bench_db 127.0.0.1(1) idle", 25],
      [3, "postgres: 15/main: parley_app bench_db 127.0.0.1(2) idle", 4],
      [4, "postgres: 15/main: other other_db 127.0.0.1(3) idle", 99],
    ]);
    const use = cpuBetween(before, after, "bench_db");
    expect(use).toMatchObject({ wallMs: 1000, serverMs: 800, databaseBackendsMs: 240, postgresOtherMs: 30, machineBusyMs: 2000 });
  });

  it("reads wrk's summary and its own CPU time from the script's output", () => {
    expect(WRK_SCRIPT).toContain("function request()");
    const output = [
      "Running 2s test @ http://127.0.0.1:1/webhooks/whatsapp/x",
      'WRK_JSON {"requests":1000,"durationUs":2000000,"connectErrors":0,"readErrors":1,"writeErrors":0,"statusErrors":10,"timeoutErrors":0,"latencyUs":{"p50":1500,"p90":3000,"p99":9000,"max":20000},"wraps":0}',
      "WRK_STAT 77 (wrk) S 1 1 1 0 -1 0 0 0 0 0 120 30 0 0 20 0 3",
    ].join("\n");
    expect(parseWrkOutput(output)).toEqual({
      requests: 1000,
      ok: 990,
      errors: 11,
      durationMs: 2000,
      requestsPerSecond: 495,
      latencyMs: { p50: 1.5, p90: 3, p99: 9, max: 20 },
      wraps: 0,
      wrkCpuMs: 1500,
    });
    expect(() => parseWrkOutput("Running 2s test")).toThrow(/no summary/);
  });

  it("summarises a CPU profile by function and part, idle time apart, within a window", () => {
    const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: 9 } });
    const profile: CpuProfile = {
      nodes: [
        frame(1, "(idle)", ""),
        frame(2, "write", "file:///app/node_modules/pino/lib/proto.js"),
        frame(3, "serve", "file:///app/src/http/lean-lane.ts"),
        frame(4, "(garbage collector)", ""),
      ],
      startTime: 1_000,
      samples: [1, 2, 3, 3, 4, 2],
      timeDeltas: [100, 100, 100, 100, 100, 100_000],
    };
    const summary = summariseProfile(profile, { window: { fromUs: 1_000, toUs: 2_000 } });
    expect(summary.functions.map((line) => line.name)).toContain("write (node_modules/pino/lib/proto.js:10)");
    expect(summary.idleMs).toBeCloseTo(0.1);
    expect(summary.busyMs).toBeCloseTo(0.4);
    expect(summary.functions[0]).toMatchObject({ name: "serve (src/http/lean-lane.ts)", share: 0.5 });
    expect(summary.parts.map((part) => part.name)).toEqual(["parley src/http/", "pino (logging)", "garbage collector"]);
    expect(classifyFrame("readUInt32BE", "node:internal/buffer")).toBe("node: other");
    expect(classifyFrame("parseMessage", "file:///x/node_modules/pg-protocol/dist/parser.js")).toBe("pg (PostgreSQL driver)");
  });
});
