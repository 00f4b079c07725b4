/** Inputs shared by the gemm tests: seeded operands and a bitwise comparison. */
import type { DType, FloatArray } from "../../src/kernels/floatArray.js";

/** A product's sizes: op(A) is m×k, op(B) k×n. */
export type Dims = [m: number, n: number, k: number];

/** Deterministic values in [-1, 1) (mulberry32), so failures reproduce. */
export function randomArray(dtype: DType, size: number, seed: number): FloatArray {
  const out = dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** Index of the first element whose bits differ (NaN equals NaN), or -1. */
export function firstBitDifference(x: FloatArray, y: FloatArray): number {
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** a holds m·k values and b k·n whatever the transposes: those only change how they are read. */
export function inputs(dtype: DType, [m, n, k]: Dims, seed: number) {
  return { a: randomArray(dtype, m * k, seed), b: randomArray(dtype, k * n, seed + 1) };
}
