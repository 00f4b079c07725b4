/** sigmoidCrossEntropy in forward mode with constant labels Y (the course's case): its tangent stays differentiable in z. */
import { gradcheck, jvp, sigmoid, sigmoidCrossEntropy, type Tensor, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

const Y = tensor([[1, 0, 1, 0]]); // labels: constants, they require no grad
const v = tensor([[0.5, -1, 0.25, 2]]);

describe("sigmoidCrossEntropy with constant labels", () => {
  it("jvp gives ż ∗ (σ(z) − y) (closed form of ℓ = max(z,0) − zy + log1p(e^(−|z|)))", () => {
    const z = tensor([[0.3, -1.2, 2, 0]]);
    const [, tangent] = jvp((x: Tensor) => sigmoidCrossEntropy(x, Y), [z], [v]);
    const expected = v.mul(sigmoid(z).sub(Y)).data;
    Array.from(tangent.data).forEach((t, i) => {
      expect(t).toBeCloseTo(expected[i] ?? Number.NaN, 15);
    });
  });

  it("grad of jvp: the tangent as a function of z equals finite differences (the rule is recorded, not fused)", () => {
    // Only z requires grad here, so the fused one-pass kernel must step aside because z does: a check on y
    // alone would take it and lose the second derivative σ′(z) ∗ ż.
    const tangentSum = (x: Tensor) => jvp((z: Tensor) => sigmoidCrossEntropy(z, Y), [x], [v])[1].sum();
    const report = gradcheck(tangentSum, [tensor([[0.3, -1.2, 2, 0]])], { atol: 1e-7, rtol: 1e-6 });
    expect(report.passed).toBe(true);
  });
});
