/** Training progress on stderr: a redrawn bar on a terminal, plain lines (or nothing) when stderr is a pipe or file. */
import type { ProgressEvent } from "@backprop/layers";

/** Where progress goes: anything with write(), and isTTY/columns when it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Reports fit's progress events for one labelled run at a time.
 * On a TTY it redraws one line (at most every 50 ms); otherwise it writes a line every `plainEvery` iterations
 * when `plainLines` is on (the --json mode, whose stdout carries no progress), and nothing when off.
 * @example
 * const progress = new Progress(process.stderr, { plainLines: true });
 * fit(net, X, Y, { iterations: 10000, learningRate: 1.2, onProgress: progress.reporter("n_h = 4") });
 * progress.done();
 */
export class Progress {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: { plainLines: boolean; plainEvery?: number },
  ) {}

  /** Whether the bar is drawn (stderr is a terminal). */
  get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  /** An onProgress callback for fit that labels its output. */
  reporter(label: string): (event: ProgressEvent) => void {
    return (event) => this.update(label, event);
  }

  /** Shows one event. */
  update(label: string, event: ProgressEvent): void {
    const { iteration, total, cost, elapsedMs } = event;
    const done = iteration + 1;
    if (this.interactive) {
      const now = Date.now();
      if (done < total && now - this.lastDraw < 50) return;
      this.lastDraw = now;
      const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - label.length - 50));
      const filled = Math.round((done / total) * width);
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      const line = `${label} ${bar} ${done}/${total}  cost ${cost.toFixed(6)}  ${(elapsedMs / 1000).toFixed(1)} s`;
      this.stream.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else if (this.options.plainLines) {
      const every = this.options.plainEvery ?? 1000;
      if (iteration % every === 0 || done === total) {
        this.stream.write(
          `${label}: iteration ${iteration}/${total}, cost ${cost.toFixed(6)}, ${(elapsedMs / 1000).toFixed(1)} s\n`,
        );
      }
    }
  }

  /** Clears the bar (call before printing to stdout on the same terminal, and at the end). */
  clear(): void {
    if (this.drawn) {
      this.stream.write("\r\x1b[2K");
      this.drawn = false;
    }
  }

  /** Writes a plain message line (clearing the bar first). */
  note(message: string): void {
    this.clear();
    if (this.interactive || this.options.plainLines) this.stream.write(`${message}\n`);
  }
}
