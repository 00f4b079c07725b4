import {
  formatGradientSummary,
  gradientSummary,
  RandomState,
  type Tensor,
  tensor,
  ValueError,
  zeros,
} from "@backprop/core";
import { describe, expect, it } from "vitest";
import { twoLayerGraph } from "./nets.js";

/**
 * An L-layer net (8 units per hidden layer, sigmoid output, mean cross-entropy) after one backward
 * pass; weights ~ N(0, 1/n_in) (Xavier) for sigmoid, N(0, 2/n_in) (He) for relu.
 */
function deepNet(hidden: "sigmoid" | "relu", layers: number): Array<[string, Tensor]> {
  const rs = new RandomState(1);
  const m = 64;
  const X = rs.randn(8, m);
  const Y = rs.rand(1, m).gt(0.5);
  const params: Array<[string, Tensor]> = [];
  let A = X;
  for (let l = 1; l <= layers; l++) {
    const nOut = l === layers ? 1 : 8;
    const scale = Math.sqrt((hidden === "relu" ? 2 : 1) / A.shape[0]);
    const W = rs.randn(nOut, A.shape[0]).mul(scale).requiresGrad_().named(`W${l}`);
    const b = zeros([nOut, 1]).requiresGrad_().named(`b${l}`);
    params.push([`W${l}`, W], [`b${l}`, b]);
    const Z = W.matmul(A).add(b);
    A = l === layers ? Z.sigmoid() : Z[hidden]();
  }
  Y.mul(A.log())
    .add(Y.neg().add(1).mul(A.neg().add(1).log()))
    .mean()
    .neg()
    .backward();
  return params;
}

describe("gradientSummary", () => {
  it("gives ‖W‖, ‖dW‖ and ‖dW‖/‖W‖ per parameter (3-4-5 triangle by hand)", () => {
    const W = tensor([[3, 4]], { requiresGrad: true });
    const b = zeros([1, 1]).requiresGrad_();
    W.mul(tensor([[0.3, 0.4]]))
      .sum()
      .add(b.sum().mul(2))
      .backward();
    const rows = gradientSummary([
      ["W", W],
      ["b", b],
    ]);
    expect(rows[0]).toEqual({ name: "W", shape: [1, 2], paramNorm: 5, gradNorm: 0.5, ratio: 0.1 });
    // b = 0: the ratio is undefined, reported as null.
    expect(rows[1]).toEqual({ name: "b", shape: [1, 1], paramNorm: 0, gradNorm: 2, ratio: null });
  });

  it("reports null for a parameter without a gradient, and takes a record too", () => {
    const W = tensor([[0, 2]], { requiresGrad: true });
    expect(gradientSummary({ W })).toEqual([{ name: "W", shape: [1, 2], paramNorm: 2, gradNorm: null, ratio: null }]);
  });

  it("does not overflow or underflow: ‖[3e200, 4e200]‖ = 5e200, ‖[3e-200, 4e-200]‖ = 5e-200", () => {
    const big = tensor([3e200, 4e200]);
    const small = tensor([3e-200, 4e-200]);
    const [a, b] = gradientSummary([
      ["big", big],
      ["small", small],
    ]);
    expect(a.paramNorm).toBeCloseTo(5e200, -190);
    expect(b.paramNorm / 5e-200).toBeCloseTo(1, 12);
  });

  it("formats an aligned table", () => {
    const W = tensor([[3, 4]], { requiresGrad: true });
    const b = zeros([1, 1]).requiresGrad_();
    W.mul(tensor([[0.3, 0.4]]))
      .sum()
      .backward();
    expect(
      formatGradientSummary(
        gradientSummary([
          ["W1", W],
          ["b1", b],
        ]),
      ),
    ).toBe(
      ["param  shape  ‖W‖  ‖dW‖  ‖dW‖/‖W‖", "W1     1×2    5    0.5   0.1", "b1     1×1    0    —     —"].join("\n"),
    );
  });

  it("shows vanishing gradients in a deep sigmoid net (σ′ ≤ 1/4 per layer) but not with relu", () => {
    // ‖dW1‖ / ‖dW10‖: each sigmoid layer multiplies the backward signal by σ′(z) ≤ 1/4 (and ‖W‖ ≈ 1).
    const ratio = (params: Array<[string, Tensor]>) => {
      const rows = gradientSummary(params);
      const first = rows.find((r) => r.name === "W1")?.gradNorm ?? Number.NaN;
      const last = rows.find((r) => r.name === "W10")?.gradNorm ?? Number.NaN;
      return first / last;
    };
    const sigmoid = ratio(deepNet("sigmoid", 10));
    const relu = ratio(deepNet("relu", 10));
    expect(sigmoid).toBeLessThan(1e-3);
    expect(relu).toBeGreaterThan(0.1);
  });

  it("works on the two-layer net's parameters after backward", () => {
    const g = twoLayerGraph(20);
    g.J.backward();
    const rows = gradientSummary([
      ["W1", g.W1],
      ["b1", g.b1],
      ["W2", g.W2],
      ["b2", g.b2],
    ]);
    expect(rows.map((r) => r.name)).toEqual(["W1", "b1", "W2", "b2"]);
    const W2 = rows[2];
    const dW2 = g.W2.grad!.data;
    expect(W2.gradNorm).toBeCloseTo(Math.sqrt([...dW2].reduce((s, x) => s + x * x, 0)), 15);
    expect(W2.ratio).toBeCloseTo((W2.gradNorm as number) / W2.paramNorm, 15);
    expect(rows[1].ratio).toBeNull(); // b1 = 0 at initialization
  });

  it("rejects what is not named parameters", () => {
    expect(() => gradientSummary(5 as never)).toThrow(ValueError);
    expect(() => gradientSummary([["W", 5]] as never)).toThrow(
      /gradientSummary: entry 0 is not a \[name, Tensor\] pair/,
    );
  });
});
