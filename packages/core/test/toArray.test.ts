/** toArray1D / toArray2D: typed nested arrays for the common ranks, a ShapeError for any other rank. */
import { ShapeError, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

describe("toArray1D and toArray2D", () => {
  it("return the values as number[] and number[][] (the same as toArray for that rank)", () => {
    const v = tensor([1.5, -2, 3]);
    const M = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(v.toArray1D()).toEqual([1.5, -2, 3]);
    expect(M.toArray2D()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(M.toArray2D()).toEqual(M.toArray());
    expect(tensor([[7]]).toArray2D()).toEqual([[7]]);
  });

  it("name the rank they need", () => {
    expect(() => tensor([[1, 2]]).toArray1D()).toThrow(
      new ShapeError("toArray1D", "needs a 1-d tensor, got shape (1,2)"),
    );
    expect(() => tensor([1, 2]).toArray2D()).toThrow(new ShapeError("toArray2D", "needs a 2-d tensor, got shape (2)"));
    expect(() => tensor(3).toArray2D()).toThrow(new ShapeError("toArray2D", "needs a 2-d tensor, got shape ()"));
  });

  it("a hook that only observes leaves the gradient unchanged", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const seen: number[][] = [];
    x.registerHook((g) => {
      seen.push(g.toArray1D());
    });
    x.mul(3).sum().backward();
    expect(seen).toEqual([[3, 3]]); // d(3x)/dx = 3
    expect(x.grad?.toArray1D()).toEqual([3, 3]);
  });
});
