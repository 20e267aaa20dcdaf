import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";

// Shared measuring tools for every benchmark in bench/. A benchmark reports ratios against a
// baseline measured in the same run, because absolute numbers on a shared 2-core machine say
// little; ratios survive a busy neighbour far better. Cases are measured in interleaved rounds
// (A B C, A B C, …) so a burst of load hits every case alike, and the median round is reported.

export type Measurement = {
  /** Median of the rounds' operations per second. */
  opsPerSecond: number;
  /** Median time per operation, in microseconds. */
  microsecondsPerOp: number;
  /** Every round's operations per second, in the order measured. */
  rounds: number[];
  operations: number;
};

export type MeasureOptions = {
  /** Minimum duration of one round. */
  minTimeMs?: number;
  rounds?: number;
  /** Time each case runs before measuring (JIT, caches). */
  warmupMs?: number;
};

export type BenchmarkOutput = {
  /** Named measurements (or any JSON values the benchmark wants to keep). */
  results: Record<string, Measurement | Record<string, unknown>>;
  /** Dimensionless comparisons, e.g. baseline ops/s ÷ our ops/s. */
  ratios: Record<string, number>;
  /** Markdown for the docs section; keep it short and say what the ratios mean. */
  markdown: string;
};

export type Benchmark = {
  name: string;
  title: string;
  run(): Promise<BenchmarkOutput>;
};

export type BenchmarkRecord = {
  name: string;
  date: string;
  node: string;
  machine: { cores: number; cpu: string; platform: string; arch: string; memoryGb: number };
  results: BenchmarkOutput["results"];
  ratios: BenchmarkOutput["ratios"];
};

const DEFAULTS = { minTimeMs: 400, rounds: 5, warmupMs: 200 } satisfies Required<MeasureOptions>;

/** Measures one synchronous function. */
export function measure(fn: () => unknown, options: MeasureOptions = {}): Measurement {
  return compare({ only: fn }, options).only;
}

/** Measures several synchronous functions in interleaved rounds. */
export function compare<K extends string>(cases: Record<K, () => unknown>, options: MeasureOptions = {}): Record<K, Measurement> {
  const settings = { ...DEFAULTS, ...options };
  const names = Object.keys(cases) as K[];
  const batch = new Map<K, number>();
  for (const name of names) batch.set(name, calibrate(cases[name], settings.warmupMs));
  const rounds = new Map<K, { ops: number[]; operations: number }>(names.map((name) => [name, { ops: [], operations: 0 }]));
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const name of names) {
      const fn = cases[name];
      const size = batch.get(name)!;
      let operations = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < settings.minTimeMs) {
        for (let i = 0; i < size; i += 1) fn();
        operations += size;
        elapsed = performance.now() - start;
      }
      const entry = rounds.get(name)!;
      entry.ops.push((operations / elapsed) * 1000);
      entry.operations += operations;
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const { ops, operations } = rounds.get(name)!;
      const opsPerSecond = median(ops);
      return [name, { opsPerSecond, microsecondsPerOp: 1e6 / opsPerSecond, rounds: ops, operations }];
    }),
  ) as Record<K, Measurement>;
}

/** Measures an async function: one awaited call per operation. */
export async function measureAsync(fn: () => Promise<unknown>, options: MeasureOptions = {}): Promise<Measurement> {
  const settings = { ...DEFAULTS, ...options };
  const warmupEnd = performance.now() + settings.warmupMs;
  while (performance.now() < warmupEnd) await fn();
  const ops: number[] = [];
  let total = 0;
  for (let round = 0; round < settings.rounds; round += 1) {
    let operations = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < settings.minTimeMs) {
      await fn();
      operations += 1;
      elapsed = performance.now() - start;
    }
    ops.push((operations / elapsed) * 1000);
    total += operations;
  }
  const opsPerSecond = median(ops);
  return { opsPerSecond, microsecondsPerOp: 1e6 / opsPerSecond, rounds: ops, operations: total };
}

/** Collects durations (ms) of each call, for latency percentiles. */
export async function sampleLatencies(fn: () => Promise<unknown>, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/**
 * numerator ÷ denominator in ops/s, as the median of per-round ratios: rounds of both cases ran
 * back to back, so each pair saw about the same machine load, and the ratio cancels most of it.
 */
export function pairedRatio(numerator: Measurement, denominator: Measurement): number {
  const pairs = Math.min(numerator.rounds.length, denominator.rounds.length);
  if (pairs === 0) throw new Error("no rounds to compare");
  return median(Array.from({ length: pairs }, (_, i) => numerator.rounds[i]! / denominator.rounds[i]!));
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Linear-interpolated percentile (p in 0..100) of unsorted values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of no values");
  if (p < 0 || p > 100) throw new Error("p must be within 0..100");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function machineInfo(): BenchmarkRecord["machine"] {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? "unknown",
    platform: process.platform,
    arch: process.arch,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  };
}

/** 1234567 → "1,234,567"; small values keep a few significant digits. */
export function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}

/** Markdown table of measurements: case, median ops/s, spread across rounds, µs/op. */
export function measurementTable(rows: Array<[label: string, measurement: Measurement]>): string {
  const lines = ["| Case | ops/s (median) | rounds min–max | µs/op |", "|---|---:|---:|---:|"];
  for (const [label, m] of rows) {
    lines.push(
      `| ${label} | ${formatNumber(m.opsPerSecond)} | ${formatNumber(Math.min(...m.rounds))}–${formatNumber(Math.max(...m.rounds))} | ${formatNumber(m.microsecondsPerOp)} |`,
    );
  }
  return lines.join("\n");
}

/** Runs a function repeatedly until it has taken about `ms`, in batches that take ~1 ms each. */
function calibrate(fn: () => unknown, warmupMs: number): number {
  let size = 1;
  const end = performance.now() + warmupMs;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < size; i += 1) fn();
    const took = performance.now() - start;
    if (took < 1 && size < 1e7) size *= 2;
    if (performance.now() >= end) return size;
  }
}
