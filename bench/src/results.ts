/** The shapes of benchmark results passed from the workload processes to the report. */

/** Units the table shows; "GFLOP/s" is better higher, every other lower ("ms": a one-off time, "KB": bytes per step). */
export type Unit = "ms/step" | "µs/op" | "GFLOP/s" | "MB" | "ms" | "KB";

/** One line of the table. */
export interface ResultRow {
  /** Workload section, e.g. "planar", "mlp", "matmul". */
  readonly workload: string;
  /** The case within it, e.g. "float64", "n=1024 float32". */
  readonly case: string;
  /** Implementation label. */
  readonly impl: string;
  readonly dtype: "float64" | "float32";
  readonly unit: Unit;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Ratio against the case's reference, taken round by round within the run (time ratio: > 1 is slower). */
  readonly ratio?: { readonly to: string; readonly value: number };
  /** The check value (final cost, checksum) that was verified against the reference. */
  readonly check?: number;
  /** Timed repeats behind the numbers. */
  readonly repeats: number;
}

/** A target from the issue, evaluated on this run's numbers. */
export interface TargetResult {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** What one workload process reports. */
export interface WorkloadResult {
  readonly workload: string;
  readonly rows: ResultRow[];
  readonly targets: TargetResult[];
  readonly notes: string[];
}

/** Prefix of the child's stdout line that carries its JSON result (anything else on stdout is ignored). */
export const RESULT_PREFIX = "BENCH_RESULT ";

/** Options every workload receives. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Timed repeats per contender (after warm-up). */
  readonly repeats: number;
}
