/** Property 9: the numpy fixtures in shared/fixtures reproduced through the layers API and autodiff (closed-form cases, planar init). */
import { type ActivationSpec, closedFormGradients, TwoLayerNet } from "@backprop/layers";
import { expectClose } from "@backprop/testing";
import { describe, expect, it } from "vitest";
import { gradientScales, loadFixture, type NdArray, nd, twoLayerNetWith } from "./helpers.js";

interface ClosedFormCase {
  name: string;
  hidden_activation: "tanh" | "sigmoid" | "relu" | "leaky_relu";
  leaky_slope: number;
  cost: number;
  [key: string]: NdArray | number | string;
}

const { cases, max_abs_diff_vs_central_finite_differences: fdDiff } = loadFixture<{
  cases: ClosedFormCase[];
  max_abs_diff_vs_central_finite_differences: number;
}>("closed-form-cases.json");

const spec = (c: ClosedFormCase): ActivationSpec =>
  c.hidden_activation === "leaky_relu" ? { name: "leakyRelu", slope: c.leaky_slope } : c.hidden_activation;
const arr = (c: ClosedFormCase, key: string) => nd(c[key] as NdArray);

/** README: float64 matches the fixtures "to about 1e-15 relative (summation order)"; rtol 1e-13 against Σ|terms|. */
const rtol = 1e-13;
const forwardNames = ["Z1", "A1", "Z2", "A2"] as const;
const gradientNames = ["dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"] as const;

describe("closed-form-cases.json (numpy)", () => {
  it("has the 12 cases over the four hidden activations, checked against finite differences by numpy", () => {
    expect(cases).toHaveLength(12);
    expect(new Set(cases.map((c) => c.hidden_activation))).toEqual(new Set(["tanh", "sigmoid", "relu", "leaky_relu"]));
    expect(fdDiff).toBeLessThan(1e-9);
  });

  for (const c of cases) {
    const params = { W1: arr(c, "W1"), b1: arr(c, "b1"), W2: arr(c, "W2"), b2: arr(c, "b2") };
    const X = arr(c, "X");
    const Y = arr(c, "Y");
    const S = gradientScales({ W: [params.W1, params.W2], b: [params.b1, params.b2] }, [spec(c), "sigmoid"], X, Y);
    const scales = { dZ2: S.dZ[1], dW2: S.dW[1], db2: S.db[1], dA1: S.dA[0], dZ1: S.dZ[0], dW1: S.dW[0], db1: S.db[0] };

    it(`${c.name}: closedFormGradients reproduces the forward cache and every gradient`, () => {
      const closed = closedFormGradients(params, X, Y, spec(c));
      for (const name of forwardNames) expectClose(closed[name], arr(c, name), { rtol, name });
      for (const name of gradientNames) expectClose(closed[name], arr(c, name), { rtol, scale: scales[name], name });
    });

    it(`${c.name}: TwoLayerNet's autodiff gradients and cost reproduce numpy's`, () => {
      const net = twoLayerNetWith(params, spec(c));
      const { A2 } = net.forward(X);
      expect(net.cost(A2, Y).item()).toBeCloseTo(c.cost, 14);
      const auto = net.gradients(X, Y);
      for (const name of gradientNames) expectClose(auto[name], arr(c, name), { rtol, scale: scales[name], name });
    });
  }
});

interface PlanarInit {
  cases: { n_x: number; n_h: number; n_y: number; W1: NdArray; b1: NdArray; W2: NdArray; b2: NdArray }[];
}

describe("planar-init.json (numpy RNG end to end)", () => {
  const { cases: inits } = loadFixture<PlanarInit>("planar-init.json");
  it("covers n_h ∈ {1, 2, 3, 4, 5, 20, 50}", () => {
    expect(inits.map((c) => c.n_h)).toEqual([1, 2, 3, 4, 5, 20, 50]);
  });
  for (const c of inits) {
    it(`new TwoLayerNet({ nx: ${c.n_x}, nh: ${c.n_h}, ny: ${c.n_y} }) holds numpy's seed-2 parameters bit for bit`, () => {
      const net = new TwoLayerNet({ nx: c.n_x, nh: c.n_h, ny: c.n_y });
      for (const name of ["W1", "b1", "W2", "b2"] as const) {
        expect(net[name].shape).toEqual(c[name].shape);
        expect(Array.from(net[name].data)).toEqual(c[name].data);
      }
    });
  }
});
