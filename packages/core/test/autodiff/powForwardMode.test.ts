/** pow's JVP at a zero base, by name: PyTorch's conventions (torch/csrc/autograd/FunctionsManual.cpp, pow_backward*). */
import { jvp, pow, type Tensor, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

/** ż for z = aᵇ at (a, b) along (ȧ, ḃ). */
function powTangent(a: number[], b: number[], ta: number[], tb: number[]): number[] {
  return Array.from(jvp((x: Tensor, y: Tensor) => pow(x, y), [tensor(a), tensor(b)], [tensor(ta), tensor(tb)])[1].data);
}

describe("pow's JVP at a zero base follows PyTorch", () => {
  it("base term: 0 where the exponent is 0 (not 0 ∗ ∞ = NaN), b ∗ a^(b−1) elsewhere", () => {
    // a = 0: b = 0 → 0 (PyTorch masks exponent == 0); b = 2 → 2·0¹ = 0; b = 1 → 1·0⁰ = 1; b = 0.5 → ∞ (the true one-sided slope)
    expect(powTangent([0, 0, 0, 0], [0, 2, 1, 0.5], [1, 1, 1, 1], [0, 0, 0, 0])).toEqual([0, 0, 1, Infinity]);
    // a scalar exponent 0: x⁰ at x = 0 has tangent 0
    expect(jvp((x: Tensor) => pow(x, 0), [tensor([0, 3])], [tensor([1, 1])])[1].toArray()).toEqual([0, 0]);
  });

  it("the mask keeps second order right at b = 0 with a ≠ 0: ∂²(aᵇ)/∂a∂b = a^(b−1)(1 + b log a) = 1/a = 2 at a = ½", () => {
    const along = (a: Tensor, b: Tensor) => jvp((x: Tensor) => pow(x, b), [a], [tensor(1)])[1];
    const mixed = jvp((b: Tensor) => along(tensor(0.5), b), [tensor(0)], [tensor(1)])[1];
    expect(mixed.item()).toBe(2);
  });

  it("exponent term: 0 where a = 0 and b ≥ 0; aᵇ log a = ∞ ∗ (−∞) = −∞ where a = 0 and b < 0", () => {
    // The base held constant (no tangent): a zero ȧ would add 0 ∗ (−1 ∗ 0⁻²) = NaN, as in PyTorch's forward AD.
    const exponentOnly = jvp((y: Tensor) => pow(tensor([0, 0, 0]), y), [tensor([0, 2, -1])], [tensor([1, 1, 1])])[1];
    expect(Array.from(exponentOnly.data)).toEqual([0, 0, -Infinity]);
    // away from 0: 2³ log 2 (closed form)
    expect(powTangent([2], [3], [0], [1])[0]).toBeCloseTo(8 * Math.log(2), 14);
  });
});
