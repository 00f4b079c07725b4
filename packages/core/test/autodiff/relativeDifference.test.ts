/** The course's relative difference ‖a − b‖ / (‖a‖ + ‖b‖), the number gradient checks report. */
import { relativeDifference, ShapeError, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

describe("relativeDifference", () => {
  it("catches a wrong gradient: dW against 1.01·dW is 0.01/2.01", () => {
    const g = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(relativeDifference(g, g.mul(1.01))).toBeCloseTo(0.01 / 2.01, 14);
    expect(relativeDifference(g, g)).toBe(0);
  });

  it("is 0 for two zero gradients and 1 against a zero one", () => {
    expect(relativeDifference(tensor([0, 0]), tensor([0, 0]))).toBe(0);
    expect(relativeDifference(tensor([3, 4]), tensor([0, 0]))).toBe(1);
  });

  it("refuses gradients of different shapes", () => {
    expect(() => relativeDifference(tensor([[1, 2]]), tensor([[1], [2]]))).toThrow(
      new ShapeError("relativeDifference", "shapes (1,2) and (2,1) differ"),
    );
  });
});
