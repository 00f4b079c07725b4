/**
 * Kinks and ties at exactly the point, in reverse and forward mode, through the fused and the recorded rule paths.
 * Checked by hand (2026-12-02): each of these one-character mutations alone turns this file red — `>` → `>=` in the
 * sign kernel (both comparisons), the relu mask, the fused relu gradient, and each of the three loops (vector·vector,
 * vector·scalar, scalar·vector) of the `greater` and `less` kernels (`<` → `<=`).
 */
import {
  abs,
  clip,
  gradients,
  jvp,
  leakyRelu,
  max,
  maximum,
  min,
  minimum,
  relu,
  sum,
  type Tensor,
  tensor,
  where,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

type Unary = (x: Tensor) => Tensor;

/**
 * The elementwise derivative of `f` at x, four ways: reverse mode plain (fused rule kernels) and
 * with createGraph (the rules' differentiable ops), forward mode with a plain tangent (fused) and
 * with a tangent that requires grad (the differentiable ops). All four must agree with `expected`.
 */
function expectDerivative(f: Unary, x: Tensor, expected: number[]): void {
  const ones = () => tensor(new Float64Array(x.size).fill(1), { shape: [...x.shape] });
  const leaf = () => tensor(x.data.slice(), { shape: [...x.shape], requiresGrad: true });
  const ways: Record<string, () => Tensor> = {
    "reverse, fused": () => {
      const t = leaf();
      return gradients(sum(f(t)), [t])[0];
    },
    "reverse, recorded": () => {
      const t = leaf();
      return gradients(sum(f(t)), [t], undefined, { createGraph: true })[0];
    },
    "forward, fused": () => jvp(f, [x], [ones()])[1],
    "forward, recorded": () => jvp(f, [x], [ones().requiresGrad_()])[1],
  };
  for (const [way, derivative] of Object.entries(ways)) {
    const got = Array.from(derivative().data);
    // === rather than toEqual: −0 and 0 both count as 0.
    expect(
      got.every((g, i) => g === expected[i]),
      `${way}: got [${got}], expected [${expected}]`,
    ).toBe(true);
  }
}

describe("kinks, at exactly the point, in both modes", () => {
  it("relu′(0) = 0 (the course's convention), also at −0; 1 just above 0", () => {
    expectDerivative(relu, tensor([0, -0, 5e-324, -5e-324, 2]), [0, 0, 1, 0, 1]);
  });

  it("|x|′ at 0 and at −0 is 0 (sign(0) = 0, as PyTorch and JAX); ±1 elsewhere, also for the smallest subnormals", () => {
    expectDerivative(abs, tensor([0, -0, 5e-324, -5e-324, -3]), [0, 0, 1, -1, -1]);
  });

  it("leakyRelu′(0) = slope (z > 0 takes the identity branch, z = 0 the sloped one)", () => {
    expectDerivative((z) => leakyRelu(z, 0.1), tensor([0, -0, 5e-324, -2]), [0.1, 0.1, 1, 0.1]);
  });

  // PyTorch's clamp: the gradient passes where min ≤ x ≤ max, bounds included, and is 0 outside.
  it("clip passes the gradient on the closed interval [min, max] (PyTorch's clamp rule), 0 outside", () => {
    const x = tensor([-1, -1 - 2 ** -52, 1, 1 + 2 ** -52, 0.25]);
    expectDerivative((t) => clip(t, -1, 1), x, [1, 0, 1, 0, 1]);
  });

  it("where with a constant condition: the gradient goes to the branch taken, the tangent comes from it", () => {
    const cond = tensor([1, 0, 1, 0]);
    const b = tensor([10, 20, 30, 40]);
    expectDerivative((t) => where(cond, t.mul(3), b.mul(t)), tensor([0, 0, 1, -1]), [3, 20, 3, 40]);
  });
});

describe("ties split evenly, in both modes", () => {
  const a = tensor([1, 2, -0, 3]);
  const b = tensor([1, 1, 0, 4]); // ties at 0 (1 = 1) and 2 (−0 = 0)

  it("maximum and minimum with equal inputs give each ½ (reverse) and ½(ȧ + ḃ) (forward)", () => {
    for (const [f, forA, forB] of [
      [maximum, [0.5, 1, 0.5, 0], [0.5, 0, 0.5, 1]],
      [minimum, [0.5, 0, 0.5, 1], [0.5, 1, 0.5, 0]],
    ] as const) {
      const [ta, tb] = [a, b].map((t) => tensor(t.data.slice(), { shape: [4], requiresGrad: true }));
      const [ga, gb] = gradients(sum(f(ta, tb)), [ta, tb]);
      expect(Array.from(ga.data)).toEqual(forA);
      expect(Array.from(gb.data)).toEqual(forB);
      const ones = tensor([1, 1, 1, 1]);
      const zeros = tensor([0, 0, 0, 0]);
      expect(Array.from(jvp(f, [a, b], [ones, zeros])[1].data)).toEqual(forA);
      expect(Array.from(jvp(f, [a, b], [zeros, ones])[1].data)).toEqual(forB);
    }
  });

  it("a scalar on either side of maximum / minimum ties with the equal entries: ½ each", () => {
    const x = tensor([0.5, 0, 1]);
    for (const f of [maximum, minimum]) {
      for (const scalarFirst of [true, false]) {
        const [s, t] = [
          tensor(0.5, { requiresGrad: true }),
          tensor(x.data.slice(), { shape: [3], requiresGrad: true }),
        ];
        const out = scalarFirst ? f(s, t) : f(t, s);
        const [gs, gt] = gradients(sum(out), [s, t]);
        const forT = f === maximum ? [0.5, 0, 1] : [0.5, 1, 0];
        expect(Array.from(gt.data)).toEqual(forT);
        expect(gs.item()).toBe(1.5); // ½ at the tie + 1 where the scalar alone is the extreme
        const g = (u: Tensor, w: Tensor) => (scalarFirst ? f(u, w) : f(w, u));
        expect(Array.from(jvp(g, [tensor(0.5), x], [tensor(0), tensor([1, 1, 1])])[1].data)).toEqual(forT);
      }
    }
  });

  it("max and min reductions spread the gradient evenly over the tied entries; the tangent is the mean of theirs", () => {
    const x = tensor([
      [3, 1, 3],
      [2, 2, 2],
    ]);
    const v = tensor([
      [1, 5, 3],
      [1, 2, 6],
    ]);
    for (const reduce of [max, min]) {
      const t = tensor(x.data.slice(), { shape: [2, 3], requiresGrad: true });
      const g = gradients(sum(reduce(t, 1)), [t])[0];
      const shares = reduce === max ? [0.5, 0, 0.5] : [0, 1, 0];
      expect(g.toArray()).toEqual([shares, [1 / 3, 1 / 3, 1 / 3]]);
      const dy = jvp((s: Tensor) => reduce(s, 1), [x], [v])[1];
      expect(dy.toArray()).toEqual(reduce === max ? [2, 3] : [5, 3]); // (1 + 3)/2, (1 + 2 + 6)/3; min: 5
    }
    const all = jvp((s: Tensor) => max(s), [tensor([4, 4, 4, 4])], [tensor([1, 2, 3, 6])])[1];
    expect(all.item()).toBe(3);
  });
});
