// Simulated time. The real clock follows Date.now() plus an offset that tests can push forward
// (URL expiry, the 24-hour window); the manual clock only moves when told, which makes rate-limit
// and ordering tests deterministic on a busy machine.

export type Clock = {
  now(): number;
  advance(ms: number): void;
  readonly isManual: boolean;
};

export function createClock(mode: "real" | { manualStartMs: number }): Clock {
  let offset = 0;
  if (mode === "real") {
    return {
      isManual: false,
      now: () => Date.now() + offset,
      advance: (ms) => {
        offset += ms;
      },
    };
  }
  return {
    isManual: true,
    now: () => mode.manualStartMs + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}

type Task = { id: number; dueAt: number; run: () => void };

export type Scheduler = {
  schedule(delayMs: number, run: () => void): number;
  cancelAll(): void;
  // Runs every task that is due now (in due order), including tasks that due tasks schedule.
  runDue(): void;
  pendingCount(): number;
  nextDueAt(): number | undefined;
};

export function createScheduler(clock: Clock): Scheduler {
  let tasks: Task[] = [];
  let nextId = 1;
  let timer: NodeJS.Timeout | undefined;

  function arm(): void {
    if (clock.isManual) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    const first = tasks[0];
    if (!first) return;
    timer = setTimeout(runDue, Math.max(0, first.dueAt - clock.now()));
    timer.unref();
  }

  function runDue(): void {
    for (;;) {
      const first = tasks[0];
      if (!first || first.dueAt > clock.now()) break;
      tasks.shift();
      first.run();
    }
    arm();
  }

  return {
    schedule(delayMs, run) {
      const task = { id: nextId++, dueAt: clock.now() + Math.max(0, delayMs), run };
      const index = tasks.findIndex((t) => t.dueAt > task.dueAt);
      if (index === -1) tasks.push(task);
      else tasks.splice(index, 0, task);
      arm();
      return task.id;
    },
    cancelAll() {
      tasks = [];
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    runDue,
    pendingCount: () => tasks.length,
    nextDueAt: () => tasks[0]?.dueAt,
  };
}
