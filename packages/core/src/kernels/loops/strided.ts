/** Strided copies: one gather (transpose, slice, broadcast) and one scatter (pad, concat) serve every layout op. */
import type { FloatArray } from "../floatArray.js";

/**
 * Writes into the contiguous `out` (shape `outShape`) the elements of `x` found at
 * `offset + Σ index[d]·strides[d]`. Permuted strides transpose, offset+strides slice,
 * zero strides broadcast.
 */
export function gather(
  x: FloatArray,
  offset: number,
  strides: readonly number[],
  outShape: readonly number[],
  out: FloatArray,
): FloatArray {
  const rank = outShape.length;
  if (out.length === 0) return out;
  if (rank === 0) {
    out[0] = x[offset];
    return out;
  }
  const inner = outShape[rank - 1];
  const innerStride = strides[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  let src = offset;
  for (let o = 0; o < out.length; o += inner) {
    for (let j = 0, s = src; j < inner; j++, s += innerStride) out[o + j] = x[s];
    for (let d = rank - 2; d >= 0; d--) {
      index[d]++;
      src += strides[d];
      if (index[d] < outShape[d]) break;
      src -= strides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return out;
}

/**
 * The inverse of gather: writes each element of the contiguous `x` (shape `xShape`) to
 * `out[offset + Σ index[d]·strides[d]]`, leaving the rest of `out` untouched.
 */
export function scatter(
  x: FloatArray,
  xShape: readonly number[],
  out: FloatArray,
  offset: number,
  strides: readonly number[],
): FloatArray {
  const rank = xShape.length;
  if (x.length === 0) return out;
  if (rank === 0) {
    out[offset] = x[0];
    return out;
  }
  const inner = xShape[rank - 1];
  const innerStride = strides[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  let dst = offset;
  for (let i = 0; i < x.length; i += inner) {
    for (let j = 0, s = dst; j < inner; j++, s += innerStride) out[s] = x[i + j];
    for (let d = rank - 2; d >= 0; d--) {
      index[d]++;
      dst += strides[d];
      if (index[d] < xShape[d]) break;
      dst -= strides[d] * xShape[d];
      index[d] = 0;
    }
  }
  return out;
}

/** Reductions the kernel computes over the axes whose output stride is 0. */
export type ReduceKernel = "sum" | "max" | "min";

/**
 * Reduces the contiguous `x` (shape `xShape`) into `out`, where `outStrides` maps each input
 * axis to the output (0 on reduced axes). `out` must be pre-filled with the identity
 * (0 for sum, -Infinity for max, +Infinity for min). NaN propagates through max and min.
 */
export function reduce(
  kind: ReduceKernel,
  x: FloatArray,
  xShape: readonly number[],
  outStrides: readonly number[],
  out: FloatArray,
): FloatArray {
  const rank = xShape.length;
  if (x.length === 0) return out;
  if (rank === 0) {
    reduceRow(kind, x, 0, 1, out, 0, 0);
    return out;
  }
  const inner = xShape[rank - 1];
  const innerStride = outStrides[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  let dst = 0;
  for (let i = 0; i < x.length; i += inner) {
    reduceRow(kind, x, i, inner, out, dst, innerStride);
    for (let d = rank - 2; d >= 0; d--) {
      index[d]++;
      dst += outStrides[d];
      if (index[d] < xShape[d]) break;
      dst -= outStrides[d] * xShape[d];
      index[d] = 0;
    }
  }
  return out;
}

function reduceRow(
  kind: ReduceKernel,
  x: FloatArray,
  start: number,
  n: number,
  out: FloatArray,
  dst: number,
  dstStride: number,
): void {
  const end = start + n;
  if (dstStride === 0) {
    // The last axis is reduced: accumulate in a register, store once.
    let acc = out[dst];
    if (kind === "sum") for (let i = start; i < end; i++) acc += x[i];
    else if (kind === "max") for (let i = start; i < end; i++) acc = maxOf(acc, x[i]);
    else for (let i = start; i < end; i++) acc = minOf(acc, x[i]);
    out[dst] = acc;
    return;
  }
  if (kind === "sum") for (let i = start, o = dst; i < end; i++, o += dstStride) out[o] += x[i];
  else if (kind === "max") for (let i = start, o = dst; i < end; i++, o += dstStride) out[o] = maxOf(out[o], x[i]);
  else for (let i = start, o = dst; i < end; i++, o += dstStride) out[o] = minOf(out[o], x[i]);
}

function maxOf(acc: number, v: number): number {
  return v > acc || v !== v ? v : acc;
}

function minOf(acc: number, v: number): number {
  return v < acc || v !== v ? v : acc;
}
