/** toOnnx: every primitive alone, on shapes drawn at random, runs in ONNX Runtime and in fromOnnx with backprop's values and gradients (float64 to 1e-12). */
import {
  abs,
  add,
  broadcastTo,
  concat,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
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
  notEqual,
  pad,
  pow,
  RandomState,
  randn,
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
  zerosLike,
} from "@backprop/core";
import { primitives } from "@backprop/core/internal";
import { fromOnnx, toOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { eager } from "./eager.js";
import { expectRelClose, runOrt } from "./ort.js";

type Case = { f: (...xs: Tensor[]) => Tensor; inputs: (rng: RandomState) => Tensor[] };

/** A shape of rank 1–3 with dims 1–4, drawn from `rng`. */
const drawShape = (rng: RandomState, rank = 1 + Math.floor(rng.randomSample() * 3)) =>
  Array.from({ length: rank }, () => 1 + Math.floor(rng.randomSample() * 4));
const values = (rng: RandomState, shape: number[], lo = -3, hi = 3) =>
  tensor(
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * rng.randomSample()),
    {
      shape,
    },
  );
const unary =
  (lo = -3, hi = 3) =>
  (rng: RandomState) => [values(rng, drawShape(rng), lo, hi)];
/** A pair broadcasting together: b drops leading axes of a's shape and sets some dims to 1. */
const broadcastPair =
  (lo = -3, hi = 3, loB = lo, hiB = hi) =>
  (rng: RandomState) => {
    const sa = drawShape(rng);
    const sb = sa.slice(Math.floor(rng.randomSample() * sa.length)).map((d) => (rng.randomSample() < 0.3 ? 1 : d));
    return [values(rng, sa, lo, hi), values(rng, sb, loB, hiB)];
  };
const matrices = (rng: RandomState) => {
  const [n, k, m] = drawShape(rng, 3);
  return [values(rng, [n, k]), values(rng, [k, m]), values(rng, [n, 1])];
};

/** One case per primitive (the registry's names: a test below checks none is missing). */
const cases: Record<string, Case> = {
  add: { f: add, inputs: broadcastPair() },
  sub: { f: sub, inputs: broadcastPair() },
  mul: { f: mul, inputs: broadcastPair() },
  div: { f: div, inputs: broadcastPair(-3, 3, 0.5, 3) },
  pow: { f: pow, inputs: broadcastPair(0.5, 3, -2, 2) },
  neg: { f: neg, inputs: unary() },
  exp: { f: exp, inputs: unary() },
  log: { f: log, inputs: unary(0.1, 5) },
  sqrt: { f: sqrt, inputs: unary(0.1, 5) },
  abs: { f: abs, inputs: unary() },
  maximum: { f: maximum, inputs: broadcastPair() },
  minimum: { f: minimum, inputs: broadcastPair() },
  where: { f: (a, b) => where(greater(a, 0.5), a, b), inputs: broadcastPair() },
  cast: { f: (x) => x.astype("float32").astype("float64").mul(x), inputs: unary() },
  sigmoid: { f: sigmoid, inputs: unary(-40, 40) },
  tanh: { f: tanh, inputs: unary() },
  relu: { f: relu, inputs: unary() },
  logSigmoid: { f: logSigmoid, inputs: unary(-40, 40) },
  matmul: { f: (a, b) => matmul(a, b), inputs: matrices },
  linear: { f: (W, X, b) => linear(W, X, b), inputs: matrices },
  sigmoidCrossEntropy: {
    f: sigmoidCrossEntropy,
    inputs: (rng) => {
      const shape = drawShape(rng);
      return [values(rng, shape, -40, 40), values(rng, shape, 0, 1)];
    },
  },
  reshape: { f: (x) => reshape(x, [-1]).mul(reshape(x, [-1])), inputs: unary() },
  transpose: { f: (x) => transpose(x), inputs: unary() },
  broadcastTo: { f: (x) => broadcastTo(x, [2, ...x.shape.map((d) => d + 0)]).tanh(), inputs: unary() },
  slice: {
    f: (x) =>
      slice(
        x,
        x.shape.map((d) => [d > 1 ? 1 : 0, d] as const),
      ),
    inputs: unary(),
  },
  pad: {
    f: (x) =>
      pad(
        x,
        x.shape.map((d) => d + 3),
        x.shape.map(() => 1),
      ),
    inputs: unary(),
  },
  concat: {
    f: (a, b) => concat([a, b], 0),
    inputs: (rng) => {
      const shape = drawShape(rng);
      return [values(rng, shape), values(rng, [2, ...shape.slice(1)])];
    },
  },
  sum: { f: (x) => sum(x, x.rank - 1, true).add(sum(x)), inputs: unary() },
  max: { f: (x) => max(x, 0), inputs: unary() },
  min: { f: (x) => min(x, -1, true), inputs: unary() },
  compare: {
    f: (a, b) =>
      greater(a, b)
        .add(greaterEqual(a, b).mul(2))
        .add(less(a, b).mul(4))
        .add(lessEqual(a, b).mul(8))
        .add(equal(a, a).mul(16))
        .add(notEqual(a, b).mul(32)),
    inputs: broadcastPair(),
  },
  sign: { f: (x) => abs(x).mul(x), inputs: unary() }, // abs's backward multiplies by sign(x)
  stopGradient: { f: (x) => logSumExp(x, -1), inputs: unary() }, // the shift is a detached max
  size: { f: (x) => mean(x, 0), inputs: unary() },
};

describe("toOnnx: every primitive in ONNX Runtime", () => {
  it("has a case for every primitive in the registry", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(primitives).sort());
  });

  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: values and input gradients equal backprop's on three drawn shapes, in ONNX Runtime and back through fromOnnx`, async () => {
      for (const seed of [1, 2, 3]) {
        const rng = new RandomState(seed + 100 * name.length);
        const inputs = c.inputs(rng);
        // Gradients of Σ f ⊙ R, R a fixed random weighting, so every output element's derivative counts.
        const R = randn(c.f(...inputs).shape, seed);
        const g = (...xs: Tensor[]) => [
          c
            .f(...xs)
            .mul(R)
            .sum(),
          c.f(...xs),
        ];
        const bytes = toOnnx(g, inputs, { gradients: "inputs" });
        const feeds = Object.fromEntries(inputs.map((x, i) => [`input_${i}`, x]));
        const got = await runOrt(bytes, feeds);
        const want = eager(g, inputs, [], "inputs");
        expectRelClose(got.output_1, want.outputs[1], 1e-12, 1e-300);
        expectRelClose(got.output_0, want.outputs[0], 1e-12, 1e-14);
        for (const [i, dx] of want.grads.entries()) expectRelClose(got[`grad_input_${i}`], dx, 1e-12, 1e-14);
        // Round trip: fromOnnx runs the same file with backprop's ops; its grad_* outputs and a backward through
        // its output_0 both give backprop's gradients.
        const leaves = inputs.map((x) => x.detach().requiresGrad_());
        const back = fromOnnx(bytes).run(Object.fromEntries(leaves.map((x, i) => [`input_${i}`, x])));
        expectRelClose(back.output_1.detach(), want.outputs[1], 1e-12, 1e-300);
        if (back.output_0.requiresGrad) back.output_0.backward(); // not for a mask, whose gradients are zero
        want.grads.forEach((dx, i) => {
          expectRelClose(back[`grad_input_${i}`].detach(), dx, 1e-12, 1e-14);
          expectRelClose(leaves[i].grad ?? zerosLike(dx), dx, 1e-12, 1e-14);
        });
      }
    });
  }
});
