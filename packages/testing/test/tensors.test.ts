import { customOp, gradcheck, type Tensor, ValueError } from "@backprop/core";
import { float32Tensor, float64Tensor, floatTensor, floatValues, labels, propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

describe("floatValues()", () => {
  test.prop([floatValues(8, { min: -1, max: 1, avoid: [0], gap: 0.1 })], propertyParams(100))(
    "stays in range and away from the kinks (repaired, not filtered)",
    (xs) => {
      expect(xs).toHaveLength(8);
      for (const x of xs) {
        expect(x).toBeGreaterThanOrEqual(-1);
        expect(x).toBeLessThanOrEqual(1);
        expect(Math.abs(x)).toBeGreaterThan(0.1);
      }
    },
  );

  it("repairs towards the side that stays in range", () => {
    // Only [0.3, 1] has room above the kink at 0.95 (gap 0.1): values near it move down.
    for (const xs of fc.sample(floatValues(20, { min: 0.3, max: 1, avoid: [0.95], gap: 0.1 }), 50)) {
      for (const x of xs) {
        expect(Math.abs(x - 0.95)).toBeGreaterThan(0.1);
        expect(x).toBeLessThanOrEqual(1);
      }
    }
  });

  it("hits `include` points exactly, and often", () => {
    const all = fc.sample(floatValues(10, { min: -1, max: 1, include: [0] }), 30).flat();
    const zeros = all.filter((x) => x === 0).length;
    expect(zeros).toBeGreaterThan(all.length / 20);
  });

  it("draws grid values", () => {
    for (const x of fc.sample(floatValues(10, { min: -1, max: 1, grid: 4 }), 20).flat()) {
      expect(Number.isInteger(x * 4)).toBe(true);
    }
  });

  it("rejects bad options with a ValueError", () => {
    expect(() => floatValues(2, { min: 1, max: 0 })).toThrow(ValueError);
    expect(() => floatValues(2, { gap: 0 })).toThrow(/gap must be positive/);
    expect(() => floatValues(2, { include: [5] })).toThrow(/include point 5 lies outside/);
    expect(() => floatValues(-1)).toThrow(/n must be a non-negative integer/);
  });
});

describe("tensor arbitraries", () => {
  test.prop([float64Tensor({ shape: { maxRank: 2, maxDim: 3 }, min: 0.5, max: 2 })], propertyParams(100))(
    "float64 with values in range",
    (x) => {
      expect(x.dtype).toBe("float64");
      expect(x.rank).toBeLessThanOrEqual(2);
      for (const v of x.data) expect(v >= 0.5 && v <= 2).toBe(true);
    },
  );

  test.prop([float32Tensor({ shape: [2, 3] })], propertyParams(100))("float32 with the fixed shape", (x) => {
    expect(x.dtype).toBe("float32");
    expect(x.shape).toEqual([2, 3]);
  });

  test.prop([floatTensor({ shape: fc.constant([4]), requiresGrad: true })], propertyParams(100))(
    "takes a shape arbitrary and makes grad leaves",
    (x) => {
      expect(x.shape).toEqual([4]);
      expect(x.requiresGrad && x.isLeaf).toBe(true);
    },
  );

  it("shrinks a failing case to a tensor of at most 2 elements (a culprit anywhere moves to the front)", () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const out = fc.check(
        fc.property(float64Tensor({ shape: { maxRank: 3, maxDim: 5 } }), (x: Tensor) => x.data.every((v) => v < 1)),
        { seed },
      );
      expect(out.failed).toBe(true);
      const x = out.counterexample![0];
      expect(x.size).toBeLessThanOrEqual(2);
      expect(Math.max(...x.data)).toBeGreaterThanOrEqual(1);
    }
  });

  it("shrinks a wrong backward rule to a one-element tensor", () => {
    // cube with the derivative 3x instead of 3x²: wrong for almost every value.
    const cube = customOp({
      name: "badCube",
      forward: (x) => x.mul(x).mul(x),
      backward: (g, { inputs: [x] }) => [g.mul(x).mul(3)],
    });
    const out = fc.check(
      fc.property(float64Tensor({ min: 0.5, max: 2 }), (x: Tensor) => gradcheck(cube, [x], { raise: false }).passed),
      { seed: 11 },
    );
    expect(out.failed).toBe(true);
    expect(out.counterexample![0].size).toBe(1);
  });
});

describe("labels()", () => {
  test.prop([fc.integer({ min: 1, max: 9 })], propertyParams(100))("0/1 values of shape (1, m)", (m) => {
    for (const Y of fc.sample(labels(m), 5)) {
      expect(Y.shape).toEqual([1, m]);
      for (const v of Y.data) expect(v === 0 || v === 1).toBe(true);
    }
  });

  it("rejects bad sizes", () => {
    expect(() => labels(0)).toThrow(/labels: needs positive integer sizes, got shape \(1,0\)/);
  });
});
