/** Elementwise two-input kernels with numpy broadcasting: loops/binary.ts runs float64, its generated copy float32. */
// Each dtype runs its own copy of the loops (scripts/build-kernels.mjs writes the float32 one): loops shared by
// Float64Array and Float32Array get polymorphic element accesses and ran slower on the dtype a process used second.
import type { FloatArray } from "./floatArray.js";
import * as f32 from "./loops/binary.f32.generated.js";
import * as f64 from "./loops/binary.js";

export type { BinaryKernel, BinaryLoops } from "./loops/binary.js";

const is32 = (out: FloatArray): out is Float32Array => out instanceof Float32Array;

/** out = f(a, b) for same-length a and b, or a one-element a or b repeated (loops/binary.ts). */
export const binaryFlat: typeof f64.binaryFlat = (kind, a, b, out) =>
  is32(out) ? f32.binaryFlat(kind, a, b, out) : f64.binaryFlat(kind, a, b, out);

/** out = f(a, b) read through broadcast strides into the contiguous `out` of shape `outShape` (loops/binary.ts). */
export const binary: typeof f64.binary = (kind, a, aStrides, b, bStrides, outShape, out) =>
  is32(out)
    ? f32.binary(kind, a, aStrides, b, bStrides, outShape, out)
    : f64.binary(kind, a, aStrides, b, bStrides, outShape, out);

/** out = cond ? a : b elementwise, all three read through broadcast strides (loops/binary.ts). */
export const select: typeof f64.select = (cond, cStrides, a, aStrides, b, bStrides, outShape, out) =>
  is32(out)
    ? f32.select(cond, cStrides, a, aStrides, b, bStrides, outShape, out)
    : f64.select(cond, cStrides, a, aStrides, b, bStrides, outShape, out);

/** target ∓= alpha·other in one pass, bit-identical to the two-step form (loops/binary.ts). */
export const scaledUpdate: typeof f64.scaledUpdate = (kind, target, other, alpha) =>
  is32(target) ? f32.scaledUpdate(kind, target, other, alpha) : f64.scaledUpdate(kind, target, other, alpha);
