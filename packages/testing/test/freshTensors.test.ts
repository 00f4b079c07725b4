/** Each run of a property gets fresh tensors, also while fast-check shrinks (issue 19: no `.grad` carried over). */
import type { Tensor } from "@backprop/core";
import {
  computationalGraph,
  deepNetCase,
  float32Tensor,
  floatTensor,
  logisticRegressionCase,
  twoLayerNetCase,
} from "@backprop/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/**
 * Runs a gradient-accumulating property that fails on most cases (so fast-check shrinks, passing
 * the kept values again) and returns, per run, whether x.grad was null when the run started.
 */
function gradStates(arb: fc.Arbitrary<Tensor>, seed: number) {
  const seen: boolean[] = [];
  const out = fc.check(
    fc.property(arb, fc.integer({ min: 0, max: 100 }), (x, k) => {
      seen.push(x.grad === null);
      x.mul(x).sum().backward();
      return k < 3; // fails often: shrinking then re-runs x with smaller k, and k with smaller x
    }),
    { seed, numRuns: 100 },
  );
  return { seen, out };
}

describe("tensor arbitraries hand each run fresh tensors (fc.cloneMethod)", () => {
  it.each([1, 2, 3])(
    "a requiresGrad tensor's .grad is null at the start of every run, shrinking included (seed %i)",
    (seed) => {
      const { seen, out } = gradStates(floatTensor({ shape: { maxRank: 2 }, requiresGrad: true }), seed);
      expect(out.failed).toBe(true);
      expect(out.numShrinks).toBeGreaterThan(0);
      expect(seen.length).toBeGreaterThan(out.numRuns); // shrink runs happened
      expect(seen.every((fresh) => fresh)).toBe(true);
    },
  );

  it("also for fixed shapes, float32 tensors, and a tensor mapped by the user", () => {
    for (const arb of [
      floatTensor({ shape: [2, 2], requiresGrad: true }),
      float32Tensor({ shape: fc.constant([3]), requiresGrad: true }),
      floatTensor({ requiresGrad: true }).map((t) => t),
    ]) {
      const { seen, out } = gradStates(arb, 7);
      expect(out.failed).toBe(true);
      expect(seen.every((fresh) => fresh)).toBe(true);
    }
  });

  it("a clone has the original values even after the run changed the tensor in place", () => {
    const out = fc.check(
      fc.property(floatTensor({ shape: [3], min: 1, max: 2 }), fc.integer({ min: 0, max: 100 }), (x, k) => {
        expect(Math.min(...x.data)).toBeGreaterThanOrEqual(1);
        x.sub_(10);
        return k < 3;
      }),
      { seed: 4 },
    );
    expect(out.failed).toBe(true);
    // It failed only through `k < 3`, never through the values check.
    expect(String(out.errorInstance)).toMatch(/Property failed by returning false/);
  });

  it("network and graph cases are fresh per run too", () => {
    for (const arb of [twoLayerNetCase(), deepNetCase(), logisticRegressionCase(), computationalGraph()]) {
      const starts: Tensor[][] = [];
      const out = fc.check(
        fc.property(arb, fc.integer({ min: 0, max: 100 }), (c, k) => {
          const tensors = collectTensors(c);
          starts.push(tensors);
          for (const t of tensors) t.requiresGrad_().sum().backward();
          return k < 3;
        }),
        { seed: 9, numRuns: 50 },
      );
      expect(out.failed).toBe(true);
      // Every run got its own tensor objects, none with a gradient from an earlier run.
      const all = starts.flat();
      expect(new Set(all).size).toBe(all.length);
    }
  });
});

/** Every Tensor reachable in a case object (params, X, Y, inputs). */
function collectTensors(value: unknown, out: Tensor[] = []): Tensor[] {
  if (value !== null && typeof value === "object") {
    if ("grad" in value && "shape" in value) out.push(value as Tensor);
    else for (const v of Object.values(value)) collectTensors(v, out);
  }
  return out;
}
