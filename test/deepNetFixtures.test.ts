/** shared/fixtures/deep-net-cases.json (PyTorch autograd, float64) through Sequential/mlp autodiff and through deepClosedFormGradients. */
import type { ActivationSpec } from "@backprop/layers";
import { deepClosedFormGradients } from "@backprop/layers";
import { expectClose } from "@backprop/testing";
import { describe, expect, it } from "vitest";
import { gradientScales, loadFixture, type NdArray, nd, sequentialWith } from "./helpers.js";

interface DeepCase {
  name: string;
  sizes: number[];
  activations: ("relu" | "tanh" | "sigmoid" | "leakyRelu" | "softmax" | "linear")[];
  output: "sigmoid_bce" | "softmax_ce" | "linear_mse";
  m: number;
  X: NdArray;
  Y: NdArray;
  W: NdArray[];
  b: NdArray[];
  Z: NdArray[];
  A: NdArray[];
  cost: number;
  dW: NdArray[];
  db: NdArray[];
  dZ: NdArray[];
  dA: NdArray[];
}

const { cases, about } = loadFixture<{ cases: DeepCase[]; about: string }>("deep-net-cases.json");

/**
 * Issue 12's bound: within 1e-12 of the magnitude of the terms (S from gradientScales: Σ|terms| of each
 * entry's sums; see test/README.md). PyTorch and this library sum in different orders, a few ulps apart.
 */
const rtol = 1e-12;
const atol = 1e-300;

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
      const auto = net.gradients(X, Y);
      for (let l = 0; l < L; l++) {
        expectClose(auto.dW[l], nd(c.dW[l]), { rtol, atol, scale: S.dW[l], name: `dW${l + 1}` });
        expectClose(auto.db[l], nd(c.db[l]), { rtol, atol, scale: S.db[l], name: `db${l + 1}` });
        expectClose(auto.dZ[l], nd(c.dZ[l]), { rtol, atol, scale: S.dZ[l], name: `dZ${l + 1}` });
      }
      for (let l = 0; l < L - 1; l++) {
        expectClose(auto.dA[l], nd(c.dA[l]), { rtol, atol, scale: S.dA[l], name: `dA${l + 1}` });
      }
    });

    it(`${c.name}: deepClosedFormGradients gives dW, db, dZ and hidden dA`, () => {
      const closed = deepClosedFormGradients(params, activations, X, Y);
      for (let l = 0; l < L; l++) {
        expectClose(closed.dW[l], nd(c.dW[l]), { rtol, atol, scale: S.dW[l], name: `dW${l + 1}` });
        expectClose(closed.db[l], nd(c.db[l]), { rtol, atol, scale: S.db[l], name: `db${l + 1}` });
        expectClose(closed.dZ[l], nd(c.dZ[l]), { rtol, atol, scale: S.dZ[l], name: `dZ${l + 1}` });
      }
      for (let l = 0; l < L - 1; l++) {
        expectClose(closed.dA[l], nd(c.dA[l]), { rtol, atol, scale: S.dA[l], name: `dA${l + 1}` });
      }
    });
  }
});
