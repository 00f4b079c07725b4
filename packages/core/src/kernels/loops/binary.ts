/** Elementwise two-input kernels with numpy broadcasting, with three loops of its own per function. */
// Each function has its own three loops (see `BinaryLoops`), so V8 optimises every loop for one operator: a single
// loop shared by all of them, with the operator chosen inside, ran 1.3–1.7× slower on the MLP's updates and bias
// additions.
import type { FloatArray } from "../floatArray.js";

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
 * One function's loops over a run of n contiguous outputs starting at `io`. Along a run each operand
 * either advances with the output (a contiguous last axis) or repeats one value (a broadcast one),
 * so three shapes of loop cover every broadcast: no strides inside the loop, and `s` in a register.
 */
export interface BinaryLoops {
  /** out[io + i] = f(a[ia + i], b[ib + i]) */
  vv(a: FloatArray, ia: number, b: FloatArray, ib: number, out: FloatArray, io: number, n: number): void;
  /** out[io + i] = f(a[ia + i], s) */
  vs(a: FloatArray, ia: number, s: number, out: FloatArray, io: number, n: number): void;
  /** out[io + i] = f(s, b[ib + i]) */
  sv(s: number, b: FloatArray, ib: number, out: FloatArray, io: number, n: number): void;
}

/** numpy.maximum: NaN propagates (x > y fails both ways only when one of them is NaN). */
export function max2(x: number, y: number): number {
  return x > y ? x : x === y || y > x ? y : Number.NaN;
}

/** numpy.minimum: NaN propagates. */
export function min2(x: number, y: number): number {
  return x < y ? x : x === y || y < x ? y : Number.NaN;
}

/** numpy.power (C's pow): 1ᵇ = 1 for every b, NaN included, and (−1)^±∞ = 1, where JavaScript's `**` gives NaN. */
export function pow2(x: number, y: number): number {
  const r = x ** y;
  return r === r || (x !== 1 && (x !== -1 || (y !== Number.POSITIVE_INFINITY && y !== Number.NEGATIVE_INFINITY)))
    ? r
    : 1;
}

// Every loop below is its own function literal, so each gets its own type feedback (see the file comment).
/** The loops of every binary function, by name. */
export const binaryLoops: Readonly<Record<BinaryKernel, BinaryLoops>> = {
  add: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] + b[ib + i];
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] + s;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s + b[ib + i];
    },
  },
  sub: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] - b[ib + i];
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] - s;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s - b[ib + i];
    },
  },
  mul: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] * b[ib + i];
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] * s;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s * b[ib + i];
    },
  },
  div: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] / b[ib + i];
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] / s;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s / b[ib + i];
    },
  },
  pow: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = pow2(a[ia + i], b[ib + i]);
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = pow2(a[ia + i], s);
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = pow2(s, b[ib + i]);
    },
  },
  maximum: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = max2(a[ia + i], b[ib + i]);
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = max2(a[ia + i], s);
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = max2(s, b[ib + i]);
    },
  },
  minimum: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = min2(a[ia + i], b[ib + i]);
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = min2(a[ia + i], s);
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = min2(s, b[ib + i]);
    },
  },
  greater: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] > b[ib + i] ? 1 : 0;
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] > s ? 1 : 0;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s > b[ib + i] ? 1 : 0;
    },
  },
  greaterEqual: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] >= b[ib + i] ? 1 : 0;
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] >= s ? 1 : 0;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s >= b[ib + i] ? 1 : 0;
    },
  },
  less: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] < b[ib + i] ? 1 : 0;
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] < s ? 1 : 0;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s < b[ib + i] ? 1 : 0;
    },
  },
  lessEqual: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] <= b[ib + i] ? 1 : 0;
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] <= s ? 1 : 0;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s <= b[ib + i] ? 1 : 0;
    },
  },
  equal: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] === b[ib + i] ? 1 : 0;
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] === s ? 1 : 0;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s === b[ib + i] ? 1 : 0;
    },
  },
  notEqual: {
    vv: (a, ia, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] !== b[ib + i] ? 1 : 0;
    },
    vs: (a, ia, s, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = a[ia + i] !== s ? 1 : 0;
    },
    sv: (s, b, ib, out, io, n) => {
      for (let i = 0; i < n; i++) out[io + i] = s !== b[ib + i] ? 1 : 0;
    },
  },
};

/**
 * out = f(a, b) for same-length a and b, or a one-element a or b repeated: the flat loops that equal
 * shapes, scalars and in-place updates need, without stride arrays. `out` may alias a or b.
 */
export function binaryFlat(kind: BinaryKernel, a: FloatArray, b: FloatArray, out: FloatArray): FloatArray {
  const loops = binaryLoops[kind];
  const n = out.length;
  if (b.length === n && a.length === n) loops.vv(a, 0, b, 0, out, 0, n);
  else if (b.length === 1) loops.vs(a, 0, b[0], out, 0, n);
  else loops.sv(a[0], b, 0, out, 0, n);
  return out;
}

/**
 * out = f(a, b) where a and b are read through broadcast strides (0 on broadcast axes) into the
 * contiguous output of shape `outShape`, one run of the last axis at a time. The inputs are
 * contiguous, so each one's last-axis stride is 1, or 0 where it is broadcast.
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
  if (rank === 0 || (a.length === out.length && b.length === out.length)) return binaryFlat(kind, a, b, out);
  const loops = binaryLoops[kind];
  const inner = outShape[rank - 1];
  const aRuns = aStrides[rank - 1] !== 0;
  const bRuns = bStrides[rank - 1] !== 0;
  const index = new Array<number>(rank - 1).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < out.length; o += inner) {
    if (aRuns && bRuns) loops.vv(a, offA, b, offB, out, o, inner);
    else if (aRuns) loops.vs(a, offA, b[offB], out, o, inner);
    else if (bRuns) loops.sv(a[offA], b, offB, out, o, inner);
    else {
      // Both repeat along the run: one value, computed once.
      loops.vs(a, offA, b[offB], out, o, 1);
      out.fill(out[o], o + 1, o + inner);
    }
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

/**
 * target ∓= alpha·other elementwise (equal lengths), in one pass: the product rounded to target's
 * dtype before the update, as other.mul(alpha) would store it, so the bits equal the two-step form.
 */
export function scaledUpdate(kind: "add" | "sub", target: FloatArray, other: FloatArray, alpha: number): void {
  const n = target.length;
  if (target instanceof Float32Array) {
    const a = Math.fround(alpha);
    if (kind === "sub") for (let i = 0; i < n; i++) target[i] -= Math.fround(other[i] * a);
    else for (let i = 0; i < n; i++) target[i] += Math.fround(other[i] * a);
  } else if (kind === "sub") for (let i = 0; i < n; i++) target[i] -= other[i] * alpha;
  else for (let i = 0; i < n; i++) target[i] += other[i] * alpha;
}
