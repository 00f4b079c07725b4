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
 * Sums add in numpy's order (see `sumReduce`), so `sum` gives `np.sum`'s bits in both dtypes.
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
  if (kind === "sum") return sumReduce(x, xShape, outStrides, out);
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
    if (kind === "max") for (let i = start; i < end; i++) acc = maxOf(acc, x[i]);
    else for (let i = start; i < end; i++) acc = minOf(acc, x[i]);
    out[dst] = acc;
    return;
  }
  if (kind === "max") for (let i = start, o = dst; i < end; i++, o += dstStride) out[o] = maxOf(out[o], x[i]);
  else for (let i = start, o = dst; i < end; i++, o += dstStride) out[o] = minOf(out[o], x[i]);
}

/**
 * numpy's `add.reduce` of a C-contiguous array, in its order: axes of size 1 dropped, neighbouring axes that are both
 * reduced or both kept merged (numpy's iterator coalesces them), then along the merged innermost axis either each
 * output element gets `out + pairwiseSum(run)` (a reduced innermost axis) or the run is added elementwise (a kept
 * one), the outer axes walked in row-major order. float32 adds round to float32 at every step, as numpy's float loop.
 */
function sumReduce(
  x: FloatArray,
  xShape: readonly number[],
  outStrides: readonly number[],
  out: FloatArray,
): FloatArray {
  const dims: number[] = [];
  const strides: number[] = [];
  const reduced: boolean[] = [];
  for (let d = 0; d < xShape.length; d++) {
    if (xShape[d] === 1) continue;
    const r = outStrides[d] === 0;
    const last = dims.length - 1;
    if (last >= 0 && reduced[last] === r) {
      dims[last] *= xShape[d];
      strides[last] = outStrides[d]; // a kept run is contiguous in out: its innermost stride walks it
    } else {
      dims.push(xShape[d]);
      strides.push(outStrides[d]);
      reduced.push(r);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    strides.push(0);
    reduced.push(true);
  }
  const rank = dims.length;
  const inner = dims[rank - 1];
  const innerStride = strides[rank - 1];
  const innerReduced = reduced[rank - 1];
  const rounding = out instanceof Float32Array ? Math.fround : exact;
  const index = new Array<number>(rank - 1).fill(0);
  let dst = 0;
  for (let i = 0; i < x.length; i += inner) {
    if (innerReduced) {
      out[dst] = out[dst] + pairwiseSum(x, i, inner, rounding);
    } else for (let j = 0, o = dst; j < inner; j++, o += innerStride) out[o] += x[i + j];
    for (let d = rank - 2; d >= 0; d--) {
      index[d]++;
      dst += strides[d];
      if (index[d] < dims[d]) break;
      dst -= strides[d] * dims[d];
      index[d] = 0;
    }
  }
  return out;
}

/** A rounding to the output's dtype: `Math.fround` for float32 (numpy's float loop rounds every add), else `exact`. */
type Rounding = (v: number) => number;
const exact: Rounding = (v) => v;

/**
 * Σ x[start … start + n) as numpy's `pairwise_sum` (loops_utils.h.src) adds it, each add rounded by `r`: under 8
 * elements one by one from −0; up to 128 in 8 interleaved accumulators combined as ((r0 + r1) + (r2 + r3)) +
 * ((r4 + r5) + (r6 + r7)), then the rest one by one; above 128 the two halves (the first a multiple of 8 long)
 * summed recursively and added. (Each dtype's copy of this module sees one `r` only, so V8 inlines it.)
 */
function pairwiseSum(x: FloatArray, start: number, n: number, r: Rounding): number {
  if (n < 8) {
    let res = -0;
    for (let i = start; i < start + n; i++) res = r(res + x[i]);
    return res;
  }
  if (n <= 128) {
    let r0 = x[start];
    let r1 = x[start + 1];
    let r2 = x[start + 2];
    let r3 = x[start + 3];
    let r4 = x[start + 4];
    let r5 = x[start + 5];
    let r6 = x[start + 6];
    let r7 = x[start + 7];
    const blocks = start + n - (n % 8);
    let i = start + 8;
    for (; i < blocks; i += 8) {
      r0 = r(r0 + x[i]);
      r1 = r(r1 + x[i + 1]);
      r2 = r(r2 + x[i + 2]);
      r3 = r(r3 + x[i + 3]);
      r4 = r(r4 + x[i + 4]);
      r5 = r(r5 + x[i + 5]);
      r6 = r(r6 + x[i + 6]);
      r7 = r(r7 + x[i + 7]);
    }
    let res = r(r(r(r0 + r1) + r(r2 + r3)) + r(r(r4 + r5) + r(r6 + r7)));
    for (; i < start + n; i++) res = r(res + x[i]);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return r(pairwiseSum(x, start, half, r) + pairwiseSum(x, start + half, n - half, r));
}

function maxOf(acc: number, v: number): number {
  return v > acc || v !== v ? v : acc;
}

function minOf(acc: number, v: number): number {
  return v < acc || v !== v ? v : acc;
}
