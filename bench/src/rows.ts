/** Turning harness timings into table rows: per-unit scaling, reference ratios, formatting of numbers. */
import { pairedRatio, type Timing } from "./harness.js";
import type { ResultRow, Unit } from "./results.js";

/** How a timing in ms maps to the row's unit: ms per step, µs per op, or GFLOP/s from a flop count. */
export type Scale =
  | { readonly unit: "ms/step"; readonly steps: number }
  | { readonly unit: "µs/op"; readonly ops: number }
  | { readonly unit: "GFLOP/s"; readonly flops: number };

/** The work one run does, in the scale's unit of work. */
function work(scale: Scale): number {
  return scale.unit === "ms/step" ? scale.steps : scale.unit === "µs/op" ? scale.ops : scale.flops;
}

function convert(ms: number, scale: Scale): number {
  switch (scale.unit) {
    case "ms/step":
      return ms / scale.steps;
    case "µs/op":
      return (ms * 1000) / scale.ops;
    case "GFLOP/s":
      return scale.flops / (ms * 1e6);
  }
}

/**
 * Rows for one case: each timing scaled to the unit (min and max swap for GFLOP/s), with its
 * paired ratio to `reference` (a time ratio for every unit: > 1 means slower than the reference).
 */
export function rowsFor(
  workload: string,
  caseName: string,
  timings: readonly Timing[],
  scales: Scale | readonly Scale[],
  reference?: Timing,
): ResultRow[] {
  const scaleOf = (i: number) => (Array.isArray(scales) ? (scales as Scale[])[i] : (scales as Scale));
  const refIndex = reference ? timings.indexOf(reference) : -1;
  return timings.map((t, i) => {
    const scale = scaleOf(i);
    const a = convert(t.min, scale);
    const b = convert(t.max, scale);
    return {
      workload,
      case: caseName,
      impl: t.name,
      dtype: t.dtype,
      unit: scale.unit as Unit,
      median: convert(t.median, scale),
      min: Math.min(a, b),
      max: Math.max(a, b),
      ratio:
        reference && reference !== t
          ? { to: reference.name, value: pairedRatio(t, reference, work(scale), work(scaleOf(refIndex))) }
          : undefined,
      check: t.check,
      repeats: t.samples.length,
    };
  });
}

/** A number with about three significant digits, for the table. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return "0";
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a >= 0.01) return x.toFixed(3);
  return x.toPrecision(2);
}
