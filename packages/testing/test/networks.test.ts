import { closedFormGradients } from "@backprop/layers";
import {
  deepNetCase,
  hiddenActivationNames,
  layerSizes,
  logisticRegressionCase,
  propertyParams,
  twoLayerNetCase,
} from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

describe("layerSizes()", () => {
  test.prop([layerSizes({ minLayers: 2, maxLayers: 5, maxNx: 3, maxUnits: 4, outputUnits: 2 })], propertyParams(100))(
    "[n_x, n[1], ..., n[L]] with L in range and n[L] = outputUnits",
    (sizes) => {
      expect(sizes.length - 1).toBeGreaterThanOrEqual(2);
      expect(sizes.length - 1).toBeLessThanOrEqual(5);
      expect(sizes[0]).toBeLessThanOrEqual(3);
      expect(sizes.at(-1)).toBe(2);
      for (const n of sizes.slice(1, -1)) expect(n >= 1 && n <= 4).toBe(true);
    },
  );

  it("rejects bad bounds", () => {
    expect(() => layerSizes({ minLayers: 3, maxLayers: 2 })).toThrow(/minLayers 3 exceeds maxLayers 2/);
    expect(() => layerSizes({ maxUnits: 0 })).toThrow(/maxUnits must be a positive integer/);
  });
});

describe("twoLayerNetCase()", () => {
  test.prop([twoLayerNetCase({ maxNx: 3, maxUnits: 4, maxM: 5 })], propertyParams(100))(
    "course shapes, ranges and 0/1 labels",
    (c) => {
      const { W1, b1, W2, b2 } = c.params;
      expect(W1.shape).toEqual([c.nh, c.nx]);
      expect(b1.shape).toEqual([c.nh, 1]);
      expect(W2.shape).toEqual([1, c.nh]);
      expect(b2.shape).toEqual([1, 1]);
      expect(c.X.shape).toEqual([c.nx, c.m]);
      expect(c.Y.shape).toEqual([1, c.m]);
      for (const v of W1.data) expect(Math.abs(v)).toBeLessThanOrEqual(1);
      for (const v of b1.data) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
      for (const v of c.X.data) expect(Math.abs(v)).toBeLessThanOrEqual(2);
      for (const v of c.Y.data) expect(v === 0 || v === 1).toBe(true);
      expect(hiddenActivationNames).toContain(c.hiddenActivation);
    },
  );

  test.prop([twoLayerNetCase({ dtype: "float32", hiddenActivations: ["relu"] })], propertyParams(100))(
    "dtype and activation options",
    (c) => {
      for (const t of [c.params.W1, c.params.b2, c.X, c.Y]) expect(t.dtype).toBe("float32");
      expect(c.hiddenActivation).toBe("relu");
    },
  );

  it("a deliberately false property shrinks to n_x = n_h = m = 1", () => {
    const out = fc.check(
      fc.property(twoLayerNetCase(), ({ params, X, Y, hiddenActivation }) => {
        const { dW1 } = closedFormGradients(params, X, Y, hiddenActivation);
        return dW1.data.every((v) => Math.abs(v) < 1e-3);
      }),
      { seed: 3 },
    );
    expect(out.failed).toBe(true);
    const c = out.counterexample![0];
    expect([c.nx, c.nh, c.m]).toEqual([1, 1, 1]);
  });

  it("rejects bad options", () => {
    expect(() => twoLayerNetCase({ hiddenActivations: [] })).toThrow(/hiddenActivations must not be empty/);
    expect(() => twoLayerNetCase({ maxM: 0 })).toThrow(/maxM must be a positive integer/);
  });
});

describe("deepNetCase()", () => {
  test.prop([deepNetCase({ minLayers: 2, maxLayers: 4 })], propertyParams(100))(
    "L-layer parameters match layerSizes; sigmoid output",
    (c) => {
      const L = c.layerSizes.length - 1;
      expect(L).toBeGreaterThanOrEqual(2);
      expect(L).toBeLessThanOrEqual(4);
      expect(c.activations).toHaveLength(L);
      expect(c.activations[L - 1]).toBe("sigmoid");
      for (let l = 0; l < L; l++) {
        expect(c.params.W[l].shape).toEqual([c.layerSizes[l + 1], c.layerSizes[l]]);
        expect(c.params.b[l].shape).toEqual([c.layerSizes[l + 1], 1]);
      }
      expect(c.layerSizes[L]).toBe(1);
      expect(c.X.shape).toEqual([c.layerSizes[0], c.m]);
      expect(c.Y.shape).toEqual([1, c.m]);
    },
  );
});

describe("logisticRegressionCase()", () => {
  test.prop([logisticRegressionCase()], propertyParams(100))("w (n_x, 1), b (1, 1), X (n_x, m), Y (1, m)", (c) => {
    expect(c.params.w.shape).toEqual([c.nx, 1]);
    expect(c.params.b.shape).toEqual([1, 1]);
    expect(c.X.shape).toEqual([c.nx, c.m]);
    expect(c.Y.shape).toEqual([1, c.m]);
  });
});
