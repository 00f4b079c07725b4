import { broadcastShapes } from "@backprop/core";
import { broadcastablePair, broadcastableShapes, propertyParams, shape, sizeOfShape } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

describe("shape()", () => {
  test.prop(
    [fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 5 })],
    propertyParams(100),
  )("respects rank, dim and size bounds", (a, b, maxDim) => {
    const [minRank, maxRank] = a <= b ? [a, b] : [b, a];
    for (const s of fc.sample(shape({ minRank, maxRank, maxDim, maxSize: 12 }), 20)) {
      expect(s.length).toBeGreaterThanOrEqual(minRank);
      expect(s.length).toBeLessThanOrEqual(maxRank);
      for (const d of s) expect(d).toBeGreaterThanOrEqual(1);
      for (const d of s) expect(d).toBeLessThanOrEqual(maxDim);
      expect(sizeOfShape(s)).toBeLessThanOrEqual(12);
    }
  });

  it("rejects impossible bounds", () => {
    expect(() => shape({ minRank: 3, maxRank: 1 })).toThrow(/minRank 3 exceeds maxRank 1/);
    expect(() => shape({ minDim: 2, maxDim: 1 })).toThrow(/minDim 2 exceeds maxDim 1/);
    expect(() => shape({ minRank: 2, minDim: 3, maxSize: 4 })).toThrow(/maxSize 4 is below/);
    expect(() => shape({ maxDim: -1 })).toThrow(/maxDim must be a non-negative integer/);
  });

  it("shrinks a failing case to a shape of at most 2 elements", () => {
    const out = fc.check(
      fc.property(shape({ maxRank: 4, maxDim: 5 }), (s) => sizeOfShape(s) < 2),
      { seed: 42 },
    );
    expect(out.failed).toBe(true);
    expect(sizeOfShape(out.counterexample![0])).toBe(2);
  });
});

describe("broadcastableShapes()", () => {
  test.prop([broadcastableShapes(3)], propertyParams(100))(
    "three shapes broadcast together, to one of their ranks' full shape",
    (shapes) => {
      const result = shapes.reduce<readonly number[]>((acc, s) => broadcastShapes("test", acc, s), []);
      expect(result.length).toBe(Math.max(...shapes.map((s) => s.length)));
    },
  );

  test.prop([broadcastablePair({ maxRank: 2 })], propertyParams(100))("pairs broadcast (core agrees)", ([a, b]) => {
    expect(() => broadcastShapes("test", a, b)).not.toThrow();
  });

  it("rejects a bad count", () => {
    expect(() => broadcastableShapes(0)).toThrow(/count must be a positive integer/);
  });
});
