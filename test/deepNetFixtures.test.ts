/** shared/fixtures/deep-net-cases.json (PyTorch autograd, float64) through Sequential/mlp autodiff and through deepClosedFormGradients. */
import type { Tensor } from "@backprop/core";
import type { ActivationSpec } from "@backprop/layers";
import { deepClosedFormGradients } from "@backprop/layers";
import { expectClose } from "@backprop/testing";
import { describe, expect, it } from "vitest";
import { type DeepNetCase, gradientScales, loadFixture, nd, sequentialWith } from "./helpers.js";

const { cases, about } = loadFixture<{ cases: DeepNetCase[]; about: string }>("deep-net-cases.json");

/**
 * Issue 12's bound: within 1e-12 of the magnitude of the terms (S from gradientScales: Σ|terms| of each
 * entry's sums; see test/README.md). PyTorch and this library sum in different orders, a few ulps apart.
 */
const rtol = 1e-12;
const atol = 1e-300;

type Gradients = Record<"dW" | "db" | "dZ" | "dA", Tensor[]>;

/** dW, db, dZ of every layer and dA of every hidden layer equal the fixture's, each against its scale S. */
function expectFixtureGradients(actual: Gradients, c: DeepNetCase, S: Gradients): void {
  const L = c.W.length;
  for (const key of ["dW", "db", "dZ", "dA"] as const) {
    const layers = key === "dA" ? L - 1 : L; // the fixture's dA covers the hidden layers
    for (let l = 0; l < layers; l++) {
      expectClose(actual[key][l], nd(c[key][l]), { rtol, atol, scale: S[key][l], name: `${key}${l + 1}` });
    }
  }
}

describe("deep-net-cases.json (PyTorch 1.13 autograd, float64)", () => {
  it("holds the 9 cases the fixture README lists: three output/cost pairs and a case with exact zeros in Z", () => {
    expect(cases).toHaveLength(9);
    expect(new Set(cases.map((c) => c.output))).toEqual(new Set(["sigmoid_bce", "softmax_ce", "linear_mse"]));
    expect(about).toMatch(/PyTorch autograd in float64/);
    // The kinks case really has exact zeros in Z (relu′(0) = 0 and leakyRelu′(0) = slope are exercised).
    const kinks = cases.find((c) => c.name.includes("kinks"));
    expect(kinks?.Z.some((z) => z.data.includes(0))).toBe(true);
  });

  for (const c of cases) {
    // The fixture's leakyRelu uses slope 0.01, which is "leakyRelu"'s default here.
    const activations: ActivationSpec[] = [...c.activations];
    const L = activations.length;
    const params = { W: c.W.map(nd), b: c.b.map(nd) };
    const X = nd(c.X);
    const Y = nd(c.Y);
    const S = gradientScales(params, activations, X, Y);

    it(`${c.name}: Sequential (mlp) autodiff gives the cost, dW, db, dZ and hidden dA`, () => {
      const net = sequentialWith(params, activations);
      // Cost: one scalar summing m terms of size ~|cost|; 1e-12 relative to it.
      expectClose(net.loss(X, Y), c.cost, { rtol, atol, name: "J" });
      for (let l = 0; l < L; l++) expectClose(net.Z[l], nd(c.Z[l]), { rtol, atol, scale: 1, name: `Z${l + 1}` });
      expectFixtureGradients(net.gradients(X, Y), c, S);
    });

    it(`${c.name}: deepClosedFormGradients gives dW, db, dZ and hidden dA`, () => {
      expectFixtureGradients(deepClosedFormGradients(params, activations, X, Y), c, S);
    });
  }
});
