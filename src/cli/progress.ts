// A progress bar for long CLI work (key rotation, re-encryption, backups). On a terminal it redraws
// one line; in a log or a pipe it writes a line roughly every 10% so the output stays readable.

export type OutputStream = { write(chunk: string): unknown; isTTY?: boolean };

export type ProgressBar = {
  update(done: number, total: number): void;
  /** Ends the bar: the final state is printed once, followed by a newline. */
  finish(): void;
};

export type ProgressOptions = {
  label: string;
  stream: OutputStream;
  /** Defaults to the stream's own isTTY. */
  isTTY?: boolean;
  /** Characters inside the brackets. */
  width?: number;
  /** Minimum time between two redraws on a terminal (the last state is always drawn by finish). */
  redrawMs?: number;
  now?: () => number;
};

/** `label [#####-----] 42/100 42%` */
export function renderProgressLine(label: string, done: number, total: number, width = 30): string {
  const ratio = total <= 0 ? 1 : Math.min(Math.max(done / total, 0), 1);
  const filled = Math.round(ratio * width);
  return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}%`;
}

export function createProgressBar(options: ProgressOptions): ProgressBar {
  const { label, stream } = options;
  const isTTY = options.isTTY ?? stream.isTTY === true;
  const width = options.width ?? 30;
  const redrawMs = options.redrawMs ?? 50;
  const now = options.now ?? Date.now;
  let state: { done: number; total: number } | undefined;
  let lastDrawAt = Number.NEGATIVE_INFINITY;
  let lastDecile = -1;
  let lastPrinted = "";
  let finished = false;

  const line = () => renderProgressLine(label, state!.done, state!.total, width);
  const decile = () => (state!.total <= 0 ? 10 : Math.floor(Math.min(state!.done / state!.total, 1) * 10));

  return {
    update(done, total) {
      if (finished) return;
      state = { done, total };
      if (isTTY) {
        if (now() - lastDrawAt < redrawMs && done < total) return;
        lastDrawAt = now();
        stream.write(`\r${line()}\u001b[K`);
        return;
      }
      const current = decile();
      if (current > lastDecile) {
        lastDecile = current;
        lastPrinted = line();
        stream.write(`${lastPrinted}\n`);
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      if (!state) return;
      if (isTTY) stream.write(`\r${line()}\u001b[K\n`);
      else if (line() !== lastPrinted) stream.write(`${line()}\n`);
    },
  };
}
