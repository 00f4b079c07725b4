/** gradcheckFloat32: a real float32 finite-difference check (float32 step and tolerances), not a cast to float64. */
import {
  customOp,
  DTypeError,
  GradcheckError,
  gradcheck,
  gradcheckFloat32,
  linear,
  logSoftmax,
  matmul,
  RandomState,
  sigmoidCrossEntropy,
  type Tensor,
  tensor,
} from "@backprop/core";
import { float32Tensor, propertyParams } from "@backprop/testing";
import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

const f32 = (rows: number, cols: number, seed: number) => {
  const rng = new RandomState(seed);
  return tensor(rng.randn(rows, cols).data, { shape: [rows, cols], dtype: "float32" });
};

describe("gradcheckFloat32", () => {
  it("runs f on float32 tensors (nothing is cast to float64)", () => {
    const seen: string[] = [];
    gradcheckFloat32(
      (x) => {
        seen.push(x.dtype);
        return x.tanh().sum();
      },
      [f32(2, 3, 1)],
    );
    expect(new Set(seen)).toEqual(new Set(["float32"]));
    expect(seen.length).toBeGreaterThan(12); // 1 + 2 per element (6) + the Jacobian's own calls
  });

  it("passes on the course's two-layer forward pass in float32", () => {
    const [W1, X, b1, W2] = [f32(4, 2, 2), f32(2, 5, 3), f32(4, 1, 4), f32(1, 4, 5)];
    const Y = tensor([[1, 0, 1, 1, 0]], { dtype: "float32" });
    const cost = (w1: Tensor, b: Tensor, w2: Tensor) =>
      sigmoidCrossEntropy(matmul(w2, linear(w1, X, b).tanh()), Y).mean();
    const report = gradcheckFloat32(cost, [W1, b1, W2]);
    expect(report.passed).toBe(true);
    // Measured once (seeds 2–5): relative differences 2.9e-5, 2.1e-5, 8.8e-6; max abs errors ≤ 7.4e-6.
    for (const r of report.inputs) expect(r.relativeDifference).toBeLessThan(1e-3);
  });

  test.prop([float32Tensor({ shape: { minRank: 1, maxRank: 2, maxDim: 4 }, min: -2, max: 2 })], propertyParams(40))(
    "passes on random float32 inputs for smooth ops (tanh, exp, logSoftmax, matmul)",
    (x) => {
      gradcheckFloat32((t) => t.tanh().mul(t.exp()).add(logSoftmax(t, -1)), [x]);
      if (x.rank === 2) gradcheckFloat32((t) => matmul(t, t.T).sigmoid(), [x]);
    },
  );

  it("catches a wrong backward rule", () => {
    // cube with derivative 3x instead of 3x²: off by O(1) at x = 1.5.
    const badCube = customOp({
      name: "badCube",
      forward: (x) => x.mul(x).mul(x),
      backward: (g, { inputs: [x] }) => [g.mul(x).mul(3)],
    });
    const x = tensor([1.5, -0.7], { dtype: "float32" });
    expect(() => gradcheckFloat32(badCube, [x])).toThrow(GradcheckError);
    expect(() => gradcheckFloat32(badCube, [x])).toThrow(
      /^gradcheckFloat32: analytical and numerical gradients differ/,
    );
  });

  it("float64's step (1e-6) does not work in float32: rounding dominates (why the default is 2⁻⁷)", () => {
    const x = f32(3, 3, 7);
    const f = (t: Tensor) => t.tanh().mul(t).sum();
    expect(gradcheckFloat32(f, [x]).passed).toBe(true);
    // h = 1e-6 in float32: x ± h rounds to within a few ulps (6e-8·|x|) and f's own roundings divided by 2e-6 are ~0.1.
    expect(gradcheckFloat32(f, [x], { eps: 1e-6, raise: false }).passed).toBe(false);
  });

  it("rejects float64 inputs with a DTypeError naming itself", () => {
    expect(() => gradcheckFloat32((t) => t.sum(), [tensor([1, 2])])).toThrow(DTypeError);
    expect(() => gradcheckFloat32((t) => t.sum(), [tensor([1, 2])])).toThrow(/^gradcheckFloat32: input 0 is float64/);
    // gradcheck itself still works on float32 inputs through a float64 copy.
    expect(gradcheck((t) => t.tanh().sum(), [tensor([0.5], { dtype: "float32" })]).passed).toBe(true);
  });
});
