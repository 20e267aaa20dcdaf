// Summarises a V8 CPU profile (`node --cpu-prof`): self time per function and per part of the
// stack (our code by folder, each dependency, Node's internals, the garbage collector), as shares
// of the time the thread was busy (idle time excluded).

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileLine = { name: string; selfMs: number; share: number };
export type ProfileSummary = { busyMs: number; idleMs: number; functions: ProfileLine[]; parts: ProfileLine[] };

const DEPENDENCIES: Array<[RegExp, string]> = [
  [/\/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-[a-z]+)\//, "pg (PostgreSQL driver)"],
  [/\/node_modules\/(pino|sonic-boom|fast-redact|pino-std-serializers|thread-stream|@pinojs\/[a-z-]+)\//, "pino (logging)"],
  [/\/node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify\/[a-z-]+)\//, "fastify"],
  [/\/node_modules\/kysely\//, "kysely"],
  [/\/node_modules\/zod\//, "zod"],
  [/\/node_modules\/ioredis\//, "ioredis"],
  [/\/node_modules\/(tsx|esbuild|get-tsconfig)\//, "tsx (loader)"],
];

/** Which part of the stack a frame belongs to. */
export function classifyFrame(functionName: string, url: string): string {
  if (url === "") {
    if (functionName === "(garbage collector)") return "garbage collector";
    if (functionName === "(idle)") return "idle";
    if (functionName === "(program)" || functionName === "(root)") return "V8/Node native (unattributed)";
    return "native builtins";
  }
  for (const [pattern, part] of DEPENDENCIES) if (pattern.test(url)) return part;
  if (url.includes("/node_modules/")) return "other dependencies";
  if (url.startsWith("node:")) {
    if (/^node:(internal\/)?crypto/.test(url)) return "node: crypto";
    if (/^node:(_http|http|internal\/http|net|internal\/stream_base|internal\/net)/.test(url)) return "node: http and sockets";
    if (/^node:(internal\/)?streams?/.test(url)) return "node: streams";
    return "node: other";
  }
  const source = /\/src\/([a-z-]+)\//.exec(url);
  if (source) return `parley src/${source[1]}/`;
  return "other";
}

function relativeUrl(url: string): string {
  const inRepo = /\/(src|bin|node_modules)\/.*$/.exec(url);
  return inRepo ? inRepo[0].slice(1) : url.replace(/^file:\/\//, "");
}

/**
 * `window`: only the samples taken within it, in microseconds of CLOCK_MONOTONIC (the clock of V8's
 * profile timestamps and of process.hrtime), e.g. the load phase without the process's start.
 */
export function summariseProfile(
  profile: CpuProfile,
  options: { top?: number; window?: { fromUs: number; toUs: number } } = {},
): ProfileSummary {
  const top = options.top ?? 15;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functionTimes = new Map<string, number>();
  const partTimes = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (options.window && (at < options.window.fromUs || at > options.window.toUs)) return;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const part = classifyFrame(functionName, url);
    if (part === "idle") {
      idleUs += delta;
      return;
    }
    busyUs += delta;
    // Line numbers of TypeScript files are those of tsx's output, not of the source: only the file is named for them.
    const where = url.endsWith(".ts") ? relativeUrl(url) : `${relativeUrl(url)}:${lineNumber + 1}`;
    const name = url === "" ? functionName || "(anonymous)" : `${functionName || "(anonymous)"} (${where})`;
    functionTimes.set(name, (functionTimes.get(name) ?? 0) + delta);
    partTimes.set(part, (partTimes.get(part) ?? 0) + delta);
  });
  const lines = (times: Map<string, number>, limit: number): ProfileLine[] =>
    [...times.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    functions: lines(functionTimes, top),
    parts: lines(partTimes, Number.POSITIVE_INFINITY),
  };
}
