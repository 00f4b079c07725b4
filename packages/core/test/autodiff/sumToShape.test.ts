/** sumToShape, broadcasting's backward: sums a gradient over exactly the axes a shape was broadcast along (sums by hand). */
import { tensor } from "@backprop/core";
import { sumToShape } from "@backprop/core/internal";
import { describe, expect, it } from "vitest";

const g = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);

describe("sumToShape", () => {
  it("db from dZ: (2,3) to (2,1) sums each row (1+2+3 = 6, 4+5+6 = 15)", () => {
    expect(sumToShape(g, [2, 1]).toArray()).toEqual([[6], [15]]);
  });

  it("(2,3) to (1,3) sums each column, and to (3) drops the leading axis too (1+4, 2+5, 3+6)", () => {
    expect(sumToShape(g, [1, 3]).toArray()).toEqual([[5, 7, 9]]);
    expect(sumToShape(g, [3]).toArray()).toEqual([5, 7, 9]);
  });

  it("(2,3) to a scalar or (1,1) sums everything (21); to its own shape it is the gradient itself", () => {
    expect(sumToShape(g, []).toArray()).toEqual(21);
    expect(sumToShape(g, [1, 1]).toArray()).toEqual([[21]]);
    expect(sumToShape(g, [2, 3])).toBe(g);
  });

  it("an axis of size 1 in both shapes is left alone: (2,1) to (1,1) sums rows only (1+4 = 5)", () => {
    expect(sumToShape(tensor([[1], [4]]), [1, 1]).toArray()).toEqual([[5]]);
    expect(sumToShape(tensor([[[1, 2]], [[3, 4]]]), [1, 2]).toArray()).toEqual([[4, 6]]);
  });
});
