/** Strided copies and reductions (gather, scatter, reduce): loops/strided.ts runs float64, its generated copy float32. */
import * as f32 from "./loops/strided.f32.generated.js";
import * as f64 from "./loops/strided.js";

export type { ReduceKernel } from "./loops/strided.js";

/** Writes into the contiguous `out` the elements of `x` at offset + Σ index·strides (loops/strided.ts). */
export const gather: typeof f64.gather = (x, offset, strides, outShape, out) =>
  out instanceof Float32Array
    ? f32.gather(x, offset, strides, outShape, out)
    : f64.gather(x, offset, strides, outShape, out);

/** The inverse of gather: writes the contiguous `x` through offset + strides into `out` (loops/strided.ts). */
export const scatter: typeof f64.scatter = (x, xShape, out, offset, strides) =>
  out instanceof Float32Array
    ? f32.scatter(x, xShape, out, offset, strides)
    : f64.scatter(x, xShape, out, offset, strides);

/** Reduces `x` into the pre-filled `out` over the axes whose output stride is 0 (loops/strided.ts). */
export const reduce: typeof f64.reduce = (kind, x, xShape, outStrides, out) =>
  out instanceof Float32Array
    ? f32.reduce(kind, x, xShape, outStrides, out)
    : f64.reduce(kind, x, xShape, outStrides, out);
