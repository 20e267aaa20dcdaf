import { readdirSync, readFileSync } from "node:fs";

// CPU time of processes, read from Linux's /proc: what the server, PostgreSQL's backends and the
// load generator each spent during a round, and how busy the whole machine was (other work on a
// shared machine shows up there). Times are in clock ticks (USER_HZ, 100 per second on Linux).

export const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc/<pid>/stat line (fields 14 and 15; the name in brackets may hold spaces). */
export function parseStatTicks(stat: string): number {
  const close = stat.lastIndexOf(")");
  if (close < 0) throw new Error("not a /proc/<pid>/stat line");
  const fields = stat
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error("malformed /proc/<pid>/stat line");
  return utime + stime;
}

/** Busy and total ticks of all cores, from the "cpu" line of /proc/stat. */
export function parseMachineTicks(stat: string): { busy: number; total: number } {
  const line = stat.split("\n").find((text) => text.startsWith("cpu "));
  if (!line) throw new Error("no cpu line in /proc/stat");
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest times are already in user/nice).
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = values[3]! + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export function readProcessTicks(pid: number): number | undefined {
  try {
    return parseStatTicks(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** PostgreSQL's processes by their title ("postgres: 15/main: parley_app <database> 127.0.0.1(…) idle"). */
export function listPostgresProcesses(): Array<{ pid: number; title: string }> {
  const found: Array<{ pid: number; title: string }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let title: string;
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    } catch {
      continue;
    }
    if (title.startsWith("postgres:") || title.includes("/bin/postgres ")) found.push({ pid: Number(entry), title });
  }
  return found;
}

/** A backend serves the database when its title names it as a word (titles end in the client and state). */
export function isBackendOf(title: string, database: string): boolean {
  return title.split(/\s+/).includes(database);
}

export type CpuSnapshot = {
  atMs: number;
  machine: { busy: number; total: number };
  server: number | undefined;
  postgres: Map<number, { title: string; ticks: number }>;
};

export function snapshotCpu(serverPid: number, withPostgres: boolean): CpuSnapshot {
  const postgres = new Map<number, { title: string; ticks: number }>();
  if (withPostgres) {
    for (const { pid, title } of listPostgresProcesses()) {
      const ticks = readProcessTicks(pid);
      if (ticks !== undefined) postgres.set(pid, { title, ticks });
    }
  }
  return {
    atMs: performance.now(),
    machine: parseMachineTicks(readFileSync("/proc/stat", "utf8")),
    server: readProcessTicks(serverPid),
    postgres,
  };
}

export type CpuUse = {
  wallMs: number;
  /** CPU milliseconds of the server process. */
  serverMs: number;
  /** CPU milliseconds of the backends serving the benchmark's database. */
  databaseBackendsMs: number;
  /** CPU milliseconds of PostgreSQL's other processes (WAL writer, checkpointer, other databases' backends: shared with other work). */
  postgresOtherMs: number;
  /** CPU milliseconds the whole machine was busy (all cores, all processes). */
  machineBusyMs: number;
  machineCores: number;
};

/** What each part used between two snapshots; a backend that started in between counts from zero. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, database: string | undefined): CpuUse {
  const toMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  let backends = 0;
  let other = 0;
  for (const [pid, now] of after.postgres) {
    const delta = now.ticks - (before.postgres.get(pid)?.ticks ?? 0);
    if (database !== undefined && isBackendOf(now.title, database)) backends += delta;
    else if (before.postgres.has(pid)) other += delta;
  }
  const wallMs = after.atMs - before.atMs;
  const machineTotal = after.machine.total - before.machine.total;
  return {
    wallMs,
    serverMs: toMs((after.server ?? 0) - (before.server ?? 0)),
    databaseBackendsMs: toMs(backends),
    postgresOtherMs: toMs(other),
    machineBusyMs: toMs(after.machine.busy - before.machine.busy),
    machineCores: machineTotal > 0 ? Math.round((machineTotal * 1000) / TICKS_PER_SECOND / wallMs) : 0,
  };
}
