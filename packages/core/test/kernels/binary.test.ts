/**
 * The binary kernels against a naive reference that reads every element through numpy's broadcast
 * rule and applies the same scalar expression: bit for bit (Object.is, so NaN, ±0 and ±Infinity
 * count), in float64 and float32, for every function and every way the fast paths are entered.
 */

import { propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type BinaryKernel, binary, binaryFlat } from "../../src/kernels/binary.js";
import { allocate, type DType, type FloatArray } from "../../src/kernels/floatArray.js";
import { binaryValue } from "../../src/ops/elementwise/elementwiseOp.js";
import { broadcastShapes, broadcastStrides, sizeOf, stridesOf } from "../../src/shape.js";
import { Tensor } from "../../src/tensor.js";

/** Each function written once more, element by element, as numpy defines it. */
const scalarOf: Record<BinaryKernel, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  // numpy.power is C's pow: 1ᵇ = 1 for every b (NaN included) and (−1)^±∞ = 1, where ** gives NaN.
  pow: (x, y) => (x === 1 || (x === -1 && Math.abs(y) === Number.POSITIVE_INFINITY) ? 1 : x ** y),
  maximum: (x, y) => (x > y ? x : x === y || y > x ? y : Number.NaN),
  minimum: (x, y) => (x < y ? x : x === y || y < x ? y : Number.NaN),
  greater: (x, y) => (x > y ? 1 : 0),
  greaterEqual: (x, y) => (x >= y ? 1 : 0),
  less: (x, y) => (x < y ? 1 : 0),
  lessEqual: (x, y) => (x <= y ? 1 : 0),
  equal: (x, y) => (x === y ? 1 : 0),
  notEqual: (x, y) => (x !== y ? 1 : 0),
};
const KINDS = Object.keys(scalarOf) as BinaryKernel[];

/** out[i] = f(a[·], b[·]) with each operand's flat index found from the output's multi-index. */
function reference(kind: BinaryKernel, a: FloatArray, sa: number[], b: FloatArray, sb: number[], dtype: DType) {
  const shape = broadcastShapes("reference", sa, sb);
  const out = allocate(dtype, sizeOf(shape));
  const [stA, stB] = [broadcastStrides(sa, shape), broadcastStrides(sb, shape)];
  const outStrides = stridesOf(shape);
  for (let o = 0; o < out.length; o++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < shape.length; d++) {
      const i = Math.floor(o / outStrides[d]) % shape[d];
      ia += i * stA[d];
      ib += i * stB[d];
    }
    out[o] = scalarOf[kind](a[ia], b[ib]);
  }
  return { shape, out };
}

/** Values that exercise every branch: signed zeros, infinities, NaN, ties, and ordinary numbers. */
const element = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ min: -4, max: 4, noNaN: true }),
);

function filled(dtype: DType, shape: number[], values: number[]): FloatArray {
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = values[i % values.length];
  return data;
}

function expectBitIdentical(got: FloatArray, want: FloatArray): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i])) expect({ index: i, got: got[i] }).toEqual({ index: i, got: want[i] });
  }
}

/** Two shapes that broadcast together: a full shape (dims 0–4), each operand dropping leading axes and setting dims to 1. */
const broadcastPair = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }).chain((full) => {
  const operand = fc
    .tuple(fc.nat({ max: full.length }), fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }))
    .map(([drop, ones]) => full.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
  return fc.tuple(operand, operand);
});

const caseArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  dtype: fc.constantFrom<DType>("float64", "float32"),
  shapes: broadcastPair,
  swap: fc.boolean(),
  values: fc.array(element, { minLength: 1, maxLength: 24 }),
});

describe("binary kernels", () => {
  test.prop([caseArb], propertyParams(300))(
    "the strided walk equals the naive broadcast reference, bit for bit",
    ({ kind, dtype, shapes, swap, values }) => {
      const [sa, sb] = swap ? [shapes[1], shapes[0]] : shapes;
      const a = filled(dtype, sa, values);
      const b = filled(dtype, sb, values.slice().reverse());
      const { shape, out: want } = reference(kind, a, sa, b, sb, dtype);
      const got = allocate(dtype, sizeOf(shape));
      binary(kind, a, broadcastStrides(sa, shape), b, broadcastStrides(sb, shape), shape, got);
      expectBitIdentical(got, want);
    },
  );

  test.prop([caseArb], propertyParams(300))(
    "the ops' fast paths (equal shapes, one-element operands) equal the reference, bit for bit",
    ({ kind, dtype, shapes, swap, values }) => {
      const [sa, sb] = swap ? [shapes[1], shapes[0]] : shapes;
      const a = new Tensor(filled(dtype, sa, values), sa);
      const b = new Tensor(filled(dtype, sb, values.slice().reverse()), sb);
      const { shape, out: want } = reference(kind, a.data, sa, b.data, sb, dtype);
      const got = binaryValue(kind, kind, a, b);
      expect(got.shape).toEqual(shape);
      expectBitIdentical(got.data, want);
    },
  );

  test.prop(
    [
      fc.constantFrom(...KINDS),
      fc.constantFrom<DType>("float64", "float32"),
      fc.nat({ max: 9 }),
      element,
      fc.array(element, { maxLength: 9 }),
    ],
    propertyParams(300),
  )("binaryFlat: vector with vector, with a scalar on either side, in place", (kind, dtype, n, s, values) => {
    const v = filled(dtype, [n], values.length > 0 ? values : [1]);
    const one = filled(dtype, [1], [s]);
    const f = scalarOf[kind];
    const want = (g: (i: number) => number) => {
      const out = allocate(dtype, n);
      for (let i = 0; i < n; i++) out[i] = g(i);
      return out;
    };
    expectBitIdentical(
      binaryFlat(kind, v, v, allocate(dtype, n)),
      want((i) => f(v[i], v[i])),
    );
    expectBitIdentical(
      binaryFlat(kind, v, one, allocate(dtype, n)),
      want((i) => f(v[i], one[0])),
    );
    expectBitIdentical(
      binaryFlat(kind, one, v, allocate(dtype, n)),
      want((i) => f(one[0], v[i])),
    );
    const target = v.slice();
    expectBitIdentical(
      binaryFlat(kind, target, one, target),
      want((i) => f(v[i], one[0])),
    );
  });

  it("fills a run where both operands repeat with the one value (a column against a column's broadcast)", () => {
    // (3,1) + (1,1) broadcast to (3,4) through explicit strides: every run repeats both operands.
    const a = Float64Array.of(1, 2, 3);
    const b = Float64Array.of(0.5);
    const out = binary("add", a, [1, 0], b, [0, 0], [3, 4], new Float64Array(12));
    expect(Array.from(out)).toEqual([1.5, 1.5, 1.5, 1.5, 2.5, 2.5, 2.5, 2.5, 3.5, 3.5, 3.5, 3.5]);
  });
});
