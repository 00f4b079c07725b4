/** Elementwise two-input kernels with numpy broadcasting, iterating the output row by row over its last axis. */
import type { FloatArray } from "./floatArray.js";

/** The two-input functions the kernels compute; comparisons write 1 or 0. */
export type BinaryKernel =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "greater"
  | "greaterEqual"
  | "less"
  | "lessEqual"
  | "equal"
  | "notEqual";

/**
 * out = f(a, b) where a and b are read through broadcast strides (0 on broadcast axes) into the
 * contiguous output of shape `outShape`.
 */
export function binary(
  kind: BinaryKernel,
  a: FloatArray,
  aStrides: readonly number[],
  b: FloatArray,
  bStrides: readonly number[],
  outShape: readonly number[],
  out: FloatArray,
): FloatArray {
  const rank = outShape.length;
  if (out.length === 0) return out;
  if (rank === 0) {
    row(kind, a, 0, 0, b, 0, 0, out, 0, 1);
    return out;
  }
  if (a.length === out.length && b.length === out.length) {
    row(kind, a, 0, 1, b, 0, 1, out, 0, out.length); // same shape: one flat loop
    return out;
  }
  const inner = outShape[rank - 1];
  const sa = aStrides[rank - 1];
  const sb = bStrides[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < out.length; o += inner) {
    row(kind, a, offA, sa, b, offB, sb, out, o, inner);
    // Advance the multi-index over the outer axes, carrying like an odometer.
    for (let d = rank - 2; d >= 0; d--) {
      index[d]++;
      offA += aStrides[d];
      offB += bStrides[d];
      if (index[d] < outShape[d]) break;
      offA -= aStrides[d] * outShape[d];
      offB -= bStrides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return out;
}

/**
 * out[io + i] = f(a[ia + i·sa], b[ib + i·sb]) for i < n: one flat loop (stride 0 repeats a scalar).
 * The ops' fast paths call it directly for equal shapes and scalar operands, skipping stride arrays.
 */
export function row(
  kind: BinaryKernel,
  a: FloatArray,
  ia: number,
  sa: number,
  b: FloatArray,
  ib: number,
  sb: number,
  out: FloatArray,
  io: number,
  n: number,
): void {
  const end = io + n;
  switch (kind) {
    case "add":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] + b[ib];
      break;
    case "sub":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] - b[ib];
      break;
    case "mul":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] * b[ib];
      break;
    case "div":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] / b[ib];
      break;
    case "pow":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] ** b[ib];
      break;
    case "maximum":
      // NaN propagates, as in numpy.maximum.
      for (let o = io; o < end; o++, ia += sa, ib += sb) {
        const x = a[ia];
        const y = b[ib];
        out[o] = x > y ? x : x === y || y > x ? y : Number.NaN;
      }
      break;
    case "minimum":
      for (let o = io; o < end; o++, ia += sa, ib += sb) {
        const x = a[ia];
        const y = b[ib];
        out[o] = x < y ? x : x === y || y < x ? y : Number.NaN;
      }
      break;
    case "greater":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] > b[ib] ? 1 : 0;
      break;
    case "greaterEqual":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] >= b[ib] ? 1 : 0;
      break;
    case "less":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] < b[ib] ? 1 : 0;
      break;
    case "lessEqual":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] <= b[ib] ? 1 : 0;
      break;
    case "equal":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] === b[ib] ? 1 : 0;
      break;
    case "notEqual":
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== b[ib] ? 1 : 0;
      break;
  }
}

/** out = cond ? a : b elementwise, all three read through broadcast strides into `outShape`. */
export function select(
  cond: FloatArray,
  cStrides: readonly number[],
  a: FloatArray,
  aStrides: readonly number[],
  b: FloatArray,
  bStrides: readonly number[],
  outShape: readonly number[],
  out: FloatArray,
): FloatArray {
  const rank = outShape.length;
  const index = new Array<number>(rank).fill(0);
  let oc = 0;
  let oa = 0;
  let ob = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = cond[oc] !== 0 ? a[oa] : b[ob];
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      oc += cStrides[d];
      oa += aStrides[d];
      ob += bStrides[d];
      if (index[d] < outShape[d]) break;
      oc -= cStrides[d] * outShape[d];
      oa -= aStrides[d] * outShape[d];
      ob -= bStrides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return out;
}
