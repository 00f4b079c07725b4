/** One table of every primitive: how to build random inputs for it and what to check (drives the gradient properties). */

import {
  abs,
  add,
  broadcastTo,
  concat,
  div,
  exp,
  greater,
  linear,
  log,
  logSigmoid,
  logSumExp,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  type PrimitiveName,
  pad,
  pow,
  relu,
  reshape,
  sigmoid,
  sigmoidCrossEntropy,
  slice,
  sqrt,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  transpose,
  where,
} from "@backprop/core";
import { floatValues } from "@backprop/testing";
import { fc } from "@fast-check/vitest";

/** A generated case: input tensors (float64) and the function of them to check. */
export interface OpCase {
  readonly inputs: Tensor[];
  readonly f: (...xs: Tensor[]) => Tensor;
}

const dim = fc.integer({ min: 1, max: 4 });
const shapeArb = fc.array(dim, { minLength: 0, maxLength: 3 });

/**
 * Values in [lo, hi] spread over the whole range (`floatValues`' "uniform" spread: fc.double would
 * draw mostly |x| < 1e-10), moved at least `gap` away from every point in `avoid` (kinks), with the
 * interesting points 0, ±1 and the range's ends hit exactly now and then (about one element in five).
 */
function values(n: number, lo: number, hi: number, avoid: number[] = [], gap = 0.05) {
  const include = [0, 1, -1, lo, hi].filter((p, i, all) => {
    const inside = p >= lo && p <= hi && all.indexOf(p) === i;
    return inside && avoid.every((k) => Math.abs(p - k) > gap);
  });
  return floatValues(n, { min: lo, max: hi, avoid, gap, include });
}

function tensorArb(shapeA: fc.Arbitrary<number[]>, lo: number, hi: number, avoid?: number[]) {
  return shapeA.chain((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return values(size, lo, hi, avoid).map((data) => tensor(new Float64Array(data), { shape }));
  });
}

/** Two broadcast-compatible shapes: the second drops leading axes and sets some to 1. */
const broadcastPair = shapeArb.chain((shape) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    )
    .map(([drop, ones]) => [shape, shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d))] as const),
);

function unary(f: (x: Tensor) => Tensor, lo = -3, hi = 3, avoid?: number[]): fc.Arbitrary<OpCase> {
  return tensorArb(shapeArb, lo, hi, avoid).map((x) => ({ inputs: [x], f }));
}

function binary(f: (a: Tensor, b: Tensor) => Tensor, loB = -3, hiB = 3, loA = -3, hiA = 3): fc.Arbitrary<OpCase> {
  return broadcastPair.chain(([sa, sb]) =>
    fc
      .tuple(tensorArb(fc.constant(sa), loA, hiA), tensorArb(fc.constant(sb), loB, hiB))
      .chain(([a, b]) =>
        fc
          .boolean()
          .map((swap) => ({ inputs: swap ? [b, a] : [a, b], f: swap ? (y: Tensor, x: Tensor) => f(x, y) : f })),
      ),
  );
}

/** Pairs whose elements never tie (a on the grid k/7, b on (k + ½)/7): no ties at maximum/minimum's kink. */
function separated(f: (a: Tensor, b: Tensor) => Tensor): fc.Arbitrary<OpCase> {
  const grid = (shape: readonly number[], shift: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return fc
      .array(fc.integer({ min: -20, max: 20 }), { minLength: size, maxLength: size })
      .map((ks) => tensor(new Float64Array(ks.map((k) => (k + shift) / 7)), { shape: [...shape] }));
  };
  return broadcastPair.chain(([sa, sb]) =>
    fc.tuple(grid(sa, 0), grid(sb, 0.5)).map(([a, b]) => ({ inputs: [a, b], f })),
  );
}

/** Tensors with pairwise distinct values (multiples of 0.05 in [-3, 3]): no ties at max/min's kink. */
const distinctTensor = shapeArb.chain((shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc
    .uniqueArray(fc.integer({ min: -60, max: 60 }), { minLength: size, maxLength: size })
    .map((ks) => tensor(new Float64Array(ks.map((k) => k / 20)), { shape }));
});

const axisOf = (rank: number) =>
  rank === 0 ? fc.constant(undefined) : fc.option(fc.integer({ min: -rank, max: rank - 1 }), { nil: undefined });

/** Every primitive with its case generator, whether second order is checked, and notes. */
export const opSpecs: {
  readonly [K in PrimitiveName]: {
    readonly cases: fc.Arbitrary<OpCase>;
    readonly secondOrder: boolean;
    readonly eps?: number;
  };
} = {
  add: { cases: binary(add), secondOrder: true },
  sub: { cases: binary(sub), secondOrder: true },
  mul: { cases: binary(mul), secondOrder: true },
  div: { cases: binary(div, 0.5, 3), secondOrder: true },
  neg: { cases: unary(neg), secondOrder: true },
  pow: { cases: binary(pow, -2, 2, 0.5, 2), secondOrder: true },
  exp: { cases: unary(exp), secondOrder: true },
  log: { cases: unary(log, 0.2, 5), secondOrder: true },
  sqrt: { cases: unary(sqrt, 0.2, 5), secondOrder: true },
  abs: { cases: unary(abs, -3, 3, [0]), secondOrder: true },
  maximum: { cases: separated(maximum), secondOrder: true },
  minimum: { cases: separated(minimum), secondOrder: true },
  where: {
    cases: broadcastPair.chain(([sa, sb]) =>
      fc.tuple(tensorArb(fc.constant(sa), -3, 3, [0.5]), tensorArb(fc.constant(sb), -3, 3)).map(([a, b]) => ({
        inputs: [a, b],
        f: (x: Tensor, y: Tensor) => where(greater(x, 0.5), x, y),
      })),
    ),
    secondOrder: true,
  },
  // Values and step are multiples of 2⁻⁸ and 2⁻¹⁰, exact in float32, so the finite differences see no rounding.
  cast: {
    cases: shapeArb.chain((shape) =>
      fc
        .array(fc.integer({ min: -512, max: 512 }), {
          minLength: shape.reduce((a, b) => a * b, 1),
          maxLength: shape.reduce((a, b) => a * b, 1),
        })
        .map((ks) => ({
          inputs: [tensor(new Float64Array(ks.map((k) => k / 256)), { shape })],
          f: (x: Tensor) => x.astype("float32").astype("float64").mul(x),
        })),
    ),
    secondOrder: true,
    eps: 2 ** -10,
  },
  sigmoid: { cases: unary(sigmoid, -6, 6), secondOrder: true },
  tanh: { cases: unary(tanh), secondOrder: true },
  relu: { cases: unary(relu, -3, 3, [0]), secondOrder: true },
  logSigmoid: { cases: unary(logSigmoid, -8, 8), secondOrder: true },
  matmul: {
    cases: fc.tuple(dim, dim, dim, fc.boolean(), fc.boolean()).chain(([m, k, n, ta, tb]) =>
      fc
        .tuple(tensorArb(fc.constant(ta ? [k, m] : [m, k]), -2, 2), tensorArb(fc.constant(tb ? [n, k] : [k, n]), -2, 2))
        .map(([a, b]) => ({
          inputs: [a, b],
          f: (x: Tensor, y: Tensor) => matmul(ta ? transpose(x) : x, tb ? transpose(y) : y),
        })),
    ),
    secondOrder: true,
  },
  // W (n,k), X (k,m) and a bias of each shape the course and numpy broadcasting allow: (n,1), (1,m), scalar, (n,m).
  linear: {
    cases: fc.tuple(dim, dim, dim, fc.integer({ min: 0, max: 3 })).chain(([n, k, m, bias]) =>
      fc
        .tuple(
          tensorArb(fc.constant([n, k]), -2, 2),
          tensorArb(fc.constant([k, m]), -2, 2),
          tensorArb(fc.constant([[n, 1], [1, m], [], [n, m]][bias]), -2, 2),
        )
        .map(([w, x, b]) => ({
          inputs: [w, x, b],
          f: (W: Tensor, X: Tensor, bb: Tensor) => linear(W, X, bb).tanh(),
        })),
    ),
    secondOrder: true,
  },
  // Logits over a wide range (the fused form is stable) and labels in [0, 1] (soft labels too).
  sigmoidCrossEntropy: {
    cases: shapeArb.chain((shape) =>
      fc
        .tuple(tensorArb(fc.constant(shape), -8, 8), tensorArb(fc.constant(shape), 0, 1))
        .map(([z, y]) => ({ inputs: [z, y], f: (zz: Tensor, yy: Tensor) => sigmoidCrossEntropy(zz, yy) })),
    ),
    secondOrder: true,
  },
  reshape: { cases: unary((x) => reshape(x, [-1]).mul(reshape(x, [-1]))), secondOrder: true },
  transpose: { cases: unary((x) => transpose(x).mul(transpose(x).exp())), secondOrder: true },
  broadcastTo: {
    cases: broadcastPair.chain(([big, small]) =>
      tensorArb(fc.constant([...small]), -2, 2).map((x) => ({
        inputs: [x],
        f: (y: Tensor) => broadcastTo(y, big).tanh(),
      })),
    ),
    secondOrder: true,
  },
  slice: {
    cases: tensorArb(fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 3 }), -2, 2).map((x) => ({
      inputs: [x],
      f: (y: Tensor) =>
        slice(
          y,
          y.shape.map((d) => [1, d] as const),
        ).square(),
    })),
    secondOrder: true,
  },
  pad: {
    cases: unary((x) =>
      pad(
        x,
        x.shape.map((d) => d + 2),
        x.shape.map(() => 1),
      ).tanh(),
    ),
    secondOrder: true,
  },
  concat: {
    cases: fc.tuple(fc.array(dim, { minLength: 1, maxLength: 3 }), dim).chain(([shape, extra]) => {
      const other = [extra, ...shape.slice(1)];
      return fc.tuple(tensorArb(fc.constant(shape), -2, 2), tensorArb(fc.constant(other), -2, 2)).map(([a, b]) => ({
        inputs: [a, b],
        f: (x: Tensor, y: Tensor) => concat([x, y], 0).tanh(),
      }));
    }),
    secondOrder: true,
  },
  sum: {
    cases: tensorArb(shapeArb, -2, 2).chain((x) =>
      fc
        .tuple(axisOf(x.rank), fc.boolean())
        .map(([axis, keep]) => ({ inputs: [x], f: (y: Tensor) => sum(y, axis, keep).square() })),
    ),
    secondOrder: true,
  },
  max: {
    cases: distinctTensor.chain((x) =>
      fc
        .tuple(axisOf(x.rank), fc.boolean())
        .map(([axis, keep]) => ({ inputs: [x], f: (y: Tensor) => max(y, axis, keep).square() })),
    ),
    secondOrder: true,
  },
  min: {
    cases: distinctTensor.chain((x) =>
      fc
        .tuple(axisOf(x.rank), fc.boolean())
        .map(([axis, keep]) => ({ inputs: [x], f: (y: Tensor) => min(y, axis, keep).square() })),
    ),
    secondOrder: true,
  },
  // The non-differentiable primitives (nodes only in tracing mode): each case uses one where a gradient flows
  // around it, so autodiff must agree with finite differences as the mask, sign, shift or count stays constant.
  compare: { cases: unary((x) => x.mul(greater(x, 0.5)), -3, 3, [0.5]), secondOrder: true },
  sign: { cases: unary((x) => abs(x).mul(x), -3, 3, [0]), secondOrder: true },
  stopGradient: {
    cases: tensorArb(shapeArb, -3, 3).chain((x) =>
      axisOf(x.rank).map((axis) => ({ inputs: [x], f: (y: Tensor) => logSumExp(y, axis) })),
    ),
    secondOrder: true,
  },
  size: { cases: unary((x) => mean(x.square())), secondOrder: true },
};
