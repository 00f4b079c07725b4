/** shared/fixtures/deep-net-cases.json (PyTorch autograd, float64) through forward mode: dW[l], db[l] as jacfwd of the cost. */
import {
  jacfwd,
  leakyRelu,
  linear,
  logSoftmax,
  relu,
  sigmoid,
  sigmoidCrossEntropy,
  sum,
  type Tensor,
  tanh,
} from "@backprop/core";
import type { ActivationSpec } from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { type DeepNetCase, gradientScales, loadFixture, nd } from "./helpers.js";

const { cases } = loadFixture<{ cases: DeepNetCase[] }>("deep-net-cases.json");

const hidden: Record<string, (z: Tensor) => Tensor> = {
  relu,
  tanh,
  sigmoid,
  leakyRelu: (z) => leakyRelu(z, 0.01), // the fixture's slope
};

/**
 * J(W1, b1, …, WL, bL) in the course's notation, written with core ops: Z[l] = W[l]·A[l−1] + b[l],
 * hidden A[l] = g(Z[l]); the output and cost as the fixture's generator defines them.
 */
function costOf(c: DeepNetCase): (...params: Tensor[]) => Tensor {
  const X = nd(c.X);
  const Y = nd(c.Y);
  const L = c.W.length;
  return (...params) => {
    let A = X;
    for (let l = 0; l < L - 1; l++) A = hidden[c.activations[l]](linear(params[2 * l], A, params[2 * l + 1]));
    const ZL = linear(params[2 * L - 2], A, params[2 * L - 1]);
    if (c.output === "sigmoid_bce") return sigmoidCrossEntropy(ZL, Y).mean(); // −(1/m) Σ y log a + (1 − y) log(1 − a)
    if (c.output === "softmax_ce") return sum(Y.mul(logSoftmax(ZL, 0))).div(-c.m); // −(1/m) Σ y log softmax(z)
    return sum(ZL.sub(Y).square()).div(2 * c.m); // (1/2m) Σ (z − y)²
  };
}

/** Each element within 1e-12 · max(|e|, S): S is Σ|terms| of the sums that make the entry (test/README.md). */
function expectWithinTerms(got: Tensor, expected: Tensor, scale: Tensor, label: string): void {
  expect(got.shape, label).toEqual(expected.shape);
  for (let i = 0; i < expected.size; i++) {
    const [g, e] = [got.data[i], expected.data[i]];
    const bound = 1e-12 * Math.max(Math.abs(e), scale.data[i]);
    expect(Math.abs(g - e) <= bound, `${label}[${i}]: forward mode ${g}, PyTorch ${e} (bound ${bound})`).toBe(true);
  }
}

describe("deep-net-cases.json (PyTorch) through forward mode", () => {
  it("has the nine cases, among them the one with exact zeros in Z", () => {
    expect(cases.length).toBe(9);
    expect(cases.some((c) => c.name.includes("kinks"))).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name}: jacfwd of the cost gives PyTorch's dW[l] and db[l] within 1e-12 of the terms`, () => {
      const params = c.W.flatMap((W, l) => [nd(W), nd(c.b[l])]);
      const J = costOf(c);
      expect(Math.abs(J(...params).item() - c.cost)).toBeLessThanOrEqual(1e-13 * Math.abs(c.cost));
      const activations = c.activations.map((a): ActivationSpec => (a === "leakyRelu" ? { name: a, slope: 0.01 } : a));
      const S = gradientScales({ W: c.W.map(nd), b: c.b.map(nd) }, activations, nd(c.X), nd(c.Y));
      c.W.forEach((_, l) => {
        expectWithinTerms(jacfwd(J, 2 * l)(...params), nd(c.dW[l]), S.dW[l], `dW${l + 1}`);
        expectWithinTerms(jacfwd(J, 2 * l + 1)(...params), nd(c.db[l]), S.db[l], `db${l + 1}`);
      });
    });
  }
});
