/** Facts an op's definition declares (which inputs broadcast, its fused kernel) are what the engine and traces use. */

import { describe, expect, it } from "vitest";
import { type OpDef, record } from "../../src/autodiff/node.js";
import { add, formatTrace, linear, ShapeError, Tensor, tensor } from "../../src/index.js";

/** x·2 recorded under `def`, whose rule returns a (2,3) gradient whatever x's shape. */
function scaled(def: OpDef<undefined>, x: Tensor): Tensor {
  const out = new Tensor(
    Float64Array.from(x.data, (v) => 2 * v),
    x.shape,
  );
  return record(def, out, [x], undefined);
}

describe("OpDef.broadcasts", () => {
  it("the engine sums an output-shaped gradient back only for a declared input; otherwise a ShapeError names the op", () => {
    // x is (1,3); the rule returns (2,3) = 2·(g + 0) broadcast over 2 rows.
    const grow: OpDef<undefined> = {
      name: "mul",
      saves: { inputs: false, output: false },
      formula: "dz ∗ 2",
      jvpFormula: "ż = 2ẋ", // not exercised: this test runs no jvp
      jvp: ([t]) => (t === null ? null : t.mul(2)),
      backward: (g) => [
        add(
          g,
          tensor([
            [0, 0, 0],
            [0, 0, 0],
          ]),
        ).mul(2),
      ],
    };
    const x = tensor([[1, 2, 3]], { requiresGrad: true });
    expect(() => scaled(grow, x).sum().backward()).toThrow(ShapeError);
    expect(() =>
      scaled(grow, tensor([[1, 2, 3]], { requiresGrad: true }))
        .sum()
        .backward(),
    ).toThrow(/backward: mul's backward returned a gradient of shape \(2,3\) for input 0 of shape \(1,3\)/);
    // Declared: summed over the 2 rows, each 2·1 → 4 (by hand: d/dx Σ = 2 per row, 2 rows).
    const declared = { ...grow, broadcasts: [0] } as const;
    const y = tensor([[1, 2, 3]], { requiresGrad: true });
    scaled(declared, y).sum().backward();
    expect(y.grad?.toArray()).toEqual([[4, 4, 4]]);
  });

  it("traces label the sum Σ for the inputs the definitions declare: add's bias and linear's b", () => {
    const W = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true, name: "W" },
    );
    const X = tensor(
      [
        [1, 0, 2],
        [0, 1, 1],
      ],
      { name: "X" },
    );
    const b = tensor([[0.5], [-0.5]], { requiresGrad: true, name: "b" });
    const viaAdd = W.matmul(X).add(b).named("Z").sum().named("J");
    const viaLinear = linear(W, X, b).named("Z").sum().named("J");
    for (const J of [viaAdd, viaLinear]) {
      expect(formatTrace(J)).toMatch(/db \(2×1\) ← Σ_axis1 dZ/);
    }
  });
});
