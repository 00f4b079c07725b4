/** Timing harness: interleaved rounds of competing implementations, medians, per-round ratios and result checks. */

/** One competing implementation of a workload: `run` does the whole timed job and returns a value to cross-check. */
export interface Contender {
  /** Label in the table, e.g. "backprop (core ops)". */
  readonly name: string;
  /** "float64" or "float32": the tolerance of the cross-check depends on it. */
  readonly dtype: "float64" | "float32";
  /** Runs the timed job once (from the same starting state every time) and returns its check value (a final cost, a checksum). */
  run(): number;
  /** Optional: skip the contender after this many timed repeats (slow peers); defaults to all. */
  readonly maxRepeats?: number;
  /**
   * Optional: the time of the last run in ms as the contender measured it itself (a peer in another
   * process, whose start-up is not part of the job); the harness then records it instead of the wall time.
   */
  elapsedMs?(): number;
  /** Frees what it holds (tfjs tensors) after the measurements. */
  dispose?(): void;
}

/** What the harness measured for one contender. */
export interface Timing {
  readonly name: string;
  readonly dtype: "float64" | "float32";
  /** Wall time of each timed repeat in ms. */
  readonly samples: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** The check value returned by the last run. */
  readonly check: number;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Runs every contender `warmup` times, then `repeats` rounds in which each runs once in turn, so
 * that machine noise hits all of them alike and ratios can be taken round by round.
 */
export function measureRounds(contenders: readonly Contender[], warmup: number, repeats: number): Timing[] {
  const checks = contenders.map(() => Number.NaN);
  for (let w = 0; w < warmup; w++) {
    contenders.forEach((c, i) => {
      checks[i] = c.run();
    });
  }
  const samples: number[][] = contenders.map(() => []);
  for (let r = 0; r < repeats; r++) {
    contenders.forEach((c, i) => {
      if (r >= (c.maxRepeats ?? repeats)) return;
      const t0 = performance.now();
      checks[i] = c.run();
      const wall = performance.now() - t0;
      samples[i].push(c.elapsedMs ? c.elapsedMs() : wall);
    });
  }
  return contenders.map((c, i) => ({
    name: c.name,
    dtype: c.dtype,
    samples: samples[i],
    median: median(samples[i]),
    min: Math.min(...samples[i]),
    max: Math.max(...samples[i]),
    check: checks[i],
  }));
}

/**
 * The median over rounds of a's time per unit of work / b's, using only rounds both ran (pair by
 * pair within one run, so drift in machine speed cancels). `workA`, `workB`: what one run of each
 * does (steps, ops, flops), since contenders may repeat their job a different number of times.
 */
export function pairedRatio(a: Timing, b: Timing, workA = 1, workB = 1): number {
  const n = Math.min(a.samples.length, b.samples.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(a.samples[i] / workA / (b.samples[i] / workB));
  return median(ratios);
}

/** Relative difference |a − b| / max(1, |b|), the measure the result checks use. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

/** Tolerance of a cross-check: float64 pairs to 1e-9, anything involving float32 to `f32Tolerance`. */
export function tolerance(a: Timing, b: Timing, f32Tolerance: number): number {
  return a.dtype === "float64" && b.dtype === "float64" ? 1e-9 : f32Tolerance;
}

/** Thrown when an implementation's result disagrees with the reference: the bench refuses to report it. */
export class WrongResultError extends Error {}

/** Checks every timing's check value against the reference's; throws naming the offender. */
export function assertAgree(
  workload: string,
  reference: Timing,
  others: readonly Timing[],
  f32Tolerance: number,
): void {
  for (const t of others) {
    const tol = tolerance(t, reference, f32Tolerance);
    const d = relDiff(t.check, reference.check);
    if (!(d <= tol)) {
      throw new WrongResultError(
        `${workload}: ${t.name} (${t.dtype}) ended at ${t.check} but ${reference.name} at ${reference.check} (relative difference ${d.toExponential(2)} > ${tol})`,
      );
    }
  }
}

/** Forces a major GC when node runs with --expose-gc (no-op otherwise). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}
