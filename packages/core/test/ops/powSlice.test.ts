/** pow at base 0 and slice bounds, as PyTorch and numpy define them (bugs found by a peer's op suite, issue 12). */
import { grad, gradgradcheck, pow, slice, sum, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

describe("pow's base gradient where the exponent is 0", () => {
  it("pow(x, 0) at x = 0 gives dx = 0, not 0·∞ = NaN (PyTorch: torch.pow(x, 0).backward() gives 0)", () => {
    const x = tensor([0, 2, -3], { requiresGrad: true });
    sum(pow(x, 0)).backward();
    // d x⁰/dx = 0·x⁻¹: 0 everywhere, including x = 0 (PyTorch masks b = 0 to 0); at x = −3 it is
    // 0·(−1/3) = −0, which `=== 0` accepts.
    expect(Array.from(x.grad?.data ?? []).map((v) => v === 0)).toEqual([true, true, true]);
  });

  it("a tensor exponent at a = b = 0 gives 0 for a (PyTorch's pow_backward_self mask)", () => {
    const a = tensor([0, 0, 2], { requiresGrad: true });
    const b = tensor([0, 2, 0], { requiresGrad: true });
    sum(pow(a, b)).backward();
    // b·a^(b−1): [0 (masked), 2·0¹ = 0, 0 (masked)].
    expect(a.grad?.toArray()).toEqual([0, 0, 0]);
  });

  it("the mask keeps second derivatives at b = 0, a ≠ 0 (∂²aᵇ/∂a∂b = 1/a there, by finite differences)", () => {
    const report = gradgradcheck((a, b) => pow(a, b), [tensor([0.5, 2]), tensor([0, 0])]);
    expect(report.passed).toBe(true);
  });

  it("away from b = 0 the base gradient is still b·a^(b−1)", () => {
    const dx = grad((x) => sum(pow(x, 3)))(tensor([2, -1]));
    // 3x² by hand: 12, 3.
    expect(dx.toArray()).toEqual([12, 3]);
  });
});

describe("pow's exponent gradient at base 0 (PyTorch's pow_backward_exponent)", () => {
  it("is 0 where b ≥ 0 and a^b·ln a = ∞·(−∞) = −∞ (times the upstream gradient) where b < 0", () => {
    const a = tensor([0, 0, 0, 0]);
    const b = tensor([0, 1.5, -1, -2], { requiresGrad: true });
    pow(a, b)
      .mul(tensor([1, 1, 1, 2]))
      .sum()
      .backward();
    // PyTorch 2.x: torch.pow(zeros(4), tensor([0, 1.5, -1, -2.], requires_grad=True)) weighted by [1, 1, 1, 2]
    // gives b.grad = [0, 0, -inf, -inf].
    expect(b.grad?.toArray()).toEqual([0, 0, -Infinity, -Infinity]);
  });

  it("is a^b·ln a away from 0", () => {
    const [, db] = grad((x, y) => sum(pow(x, y)), { argnums: [0, 1] })(tensor([2]), tensor([3]));
    // 2³·ln 2 by hand.
    expect(db.data[0]).toBeCloseTo(8 * Math.LN2, 14);
  });
});

describe("slice follows numpy's indexing", () => {
  const x = tensor([10, 20, 30]);

  it("every negative single index counts from the end (x[-1] is the last entry)", () => {
    // numpy: np.array([10, 20, 30])[-1], [-2], [-3] = 30, 20, 10 (slice keeps the axis, size 1).
    expect(slice(x, [-1]).toArray()).toEqual([30]);
    expect(slice(x, [[-1]]).toArray()).toEqual([30]);
    expect(slice(x, [-2]).toArray()).toEqual([20]);
    expect(slice(x, [-3]).toArray()).toEqual([10]);
    const A = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(slice(A, [-1, -1]).toArray()).toEqual([[6]]);
  });

  it("a single index outside the axis is an error naming slice (numpy raises IndexError)", () => {
    expect(() => slice(x, [3])).toThrow(/^slice: index 3 is out of bounds for axis 0 of size 3 in \(3\)/);
    expect(() => slice(x, [-4])).toThrow(/^slice: index -4 is out of bounds/);
  });

  it("bounds past either end are clamped, as Python slicing does", () => {
    // numpy: a[1:50] = [20, 30]; a[-6:4] = [10, 20, 30]; a[-2:100] = [20, 30].
    expect(slice(x, [[1, 50]]).toArray()).toEqual([20, 30]);
    expect(slice(x, [[-6, 4]]).toArray()).toEqual([10, 20, 30]);
    expect(slice(x, [[-2, 100]]).toArray()).toEqual([20, 30]);
  });

  it("a start at or past the end, or an end before the start, gives an empty axis", () => {
    // numpy: a[3:5], a[7:9], a[2:1] all have shape (0,).
    expect(slice(x, [[3, 5]]).shape).toEqual([0]);
    expect(slice(x, [[7, 9]]).shape).toEqual([0]);
    expect(slice(x, [[2, 1]]).shape).toEqual([0]);
    const A = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(slice(A, [null, [5, 6]]).shape).toEqual([2, 0]);
  });

  it("the gradient of a clamped slice lands on the entries it read", () => {
    const dx = grad((t) => sum(slice(t, [[-6, 2]]).mul(tensor([1, 2]))))(x);
    // slice [-6, 2) reads entries 0 and 1, weighted 1 and 2.
    expect(dx.toArray()).toEqual([1, 2, 0]);
    const dLast = grad((t) => sum(slice(t, [-1]).mul(5)))(x);
    expect(dLast.toArray()).toEqual([0, 0, 5]);
  });

  it("the gradient of an empty slice is zeros of the input's shape", () => {
    const dx = grad((t) => sum(slice(t, [[7, 9]])))(x);
    expect(dx.shape).toEqual([3]);
    expect(dx.toArray()).toEqual([0, 0, 0]);
    const A = tensor([
      [1, 2],
      [3, 4],
    ]);
    const dA = grad((t) => sum(slice(t, [null, [2, 2]]).mul(3)))(A);
    expect(dA.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});
