/** Kinks and ties at exactly the point, reverse mode: the conventions (PyTorch's) that a `>` → `>=` change in a kernel would break. */
import {
  abs,
  clip,
  gradients,
  leakyRelu,
  max,
  maximum,
  min,
  minimum,
  onesLike,
  relu,
  type Tensor,
  tensor,
  where,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

/** ∂Σf(x)/∂x, by the fused path (plain backward) and by the recorded path (createGraph). */
function bothPaths(f: (x: Tensor) => Tensor, x: number[]): [number[], number[]] {
  const run = (createGraph: boolean) => {
    const t = tensor(x, { requiresGrad: true });
    const out = f(t);
    return Array.from(gradients(out, [t], onesLike(out), { createGraph })[0].data);
  };
  return [run(false), run(true)];
}

describe("kinks (PyTorch's conventions; hand derivations in each name)", () => {
  it("relu′(0) = 0 (course and PyTorch), relu′ = 1 above, 0 below", () => {
    for (const g of bothPaths(relu, [-1, -0, 0, 1e-300, 2])) expect(g).toEqual([0, 0, 0, 1, 1]);
    expect(relu(tensor([-0, 0, Number.NaN])).toArray()).toEqual([0, 0, Number.NaN]);
  });

  it("|x|′ at 0 is 0, also at −0 (PyTorch: sign(0) = 0); ±1 elsewhere", () => {
    for (const g of bothPaths(abs, [-2, -0, 0, 1e-300, 3])) expect(g).toEqual([-1, 0, 0, 1, 1]);
  });

  it("leakyRelu′(0) = slope (where(z > 0, z, slope·z) takes the slope branch at 0)", () => {
    for (const g of bothPaths((z) => leakyRelu(z, 0.1), [-1, 0, 2])) expect(g).toEqual([0.1, 0.1, 1]);
  });

  it("clip passes the gradient on the closed interval [min, max], bounds included (PyTorch's clamp)", () => {
    for (const g of bothPaths((x) => clip(x, -1, 1), [-2, -1, 0, 1, 2])) expect(g).toEqual([0, 1, 1, 1, 0]);
  });

  it("where with a constant condition sends the gradient to the branch taken", () => {
    const cond = tensor([1, 0, 1]);
    for (const g of bothPaths((x) => where(cond, x, x.mul(3)), [5, 5, 5])) expect(g).toEqual([1, 3, 1]);
  });
});

describe("ties split the gradient evenly", () => {
  const pair = (op: typeof maximum, a: number[], b: number[]) => {
    const ta = tensor(a, { requiresGrad: true });
    const tb = tensor(b, { requiresGrad: true });
    const out = op(ta, tb);
    return gradients(out, [ta, tb], tensor(a.map(() => 1))).map((g) => Array.from(g.data));
  };

  it("maximum / minimum with equal inputs give ½ to each; otherwise all to the larger / smaller", () => {
    expect(pair(maximum, [1, 2, 3], [1, 1, 4])).toEqual([
      [0.5, 1, 0],
      [0.5, 0, 1],
    ]);
    expect(pair(minimum, [1, 2, 3], [1, 1, 4])).toEqual([
      [0.5, 0, 1],
      [0.5, 1, 0],
    ]);
    expect(maximum(tensor([1, Number.NaN]), tensor([Number.NaN, 1])).toArray()).toEqual([Number.NaN, Number.NaN]);
  });

  it("max / min reductions spread the gradient over the tied entries (1/#ties each)", () => {
    const x = tensor(
      [
        [3, 1, 3],
        [2, 2, 2],
      ],
      { requiresGrad: true },
    );
    const [gMax] = gradients(max(x, 1).sum(), [x]);
    expect(gMax.toArray()).toEqual([
      [0.5, 0, 0.5],
      [1 / 3, 1 / 3, 1 / 3],
    ]);
    const [gMin] = gradients(min(x).mul(1), [x]);
    expect(gMin.toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(max(tensor([1, Number.NaN, 3])).item()).toBeNaN(); // NaN propagates, as numpy.max
  });
});

// Gaps a mutation run found (test/README.md, mutation testing): NaN must not be hidden by a kink's rule, and a
// reduction's extreme must be NaN when any entry is (numpy's np.max / np.min propagate NaN).
describe("NaN passes through the kinks and the extremes", () => {
  it("|x|′ at NaN is NaN (sign(NaN) = NaN), on both paths", () => {
    for (const g of bothPaths(abs, [Number.NaN, 1])) expect(g).toEqual([Number.NaN, 1]);
  });

  it("max and min over an axis holding NaN are NaN, wherever the NaN sits (numpy: np.max([[1, nan, 3]], 1) = nan)", () => {
    const x = tensor([
      [1, Number.NaN, 3],
      [Number.NaN, 5, 4],
      [2, 3, Number.NaN],
    ]);
    expect(max(x, 1).toArray()).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(min(x, 1).toArray()).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    // Without NaN: the extremes by hand.
    expect(max(tensor([[1, 7, 3]]), 1).toArray()).toEqual([7]);
    expect(min(tensor([[4, 7, 3]]), 1).toArray()).toEqual([3]);
  });
});
