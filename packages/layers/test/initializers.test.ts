/** Initializers: numpy's draws (numpy-rng.json) times the scale, bit for bit; draw order; errors. */
import { RandomState, ShapeError, ValueError } from "@backprop/core";
import { type InitializerName, initialize } from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { loadFixture, type NdArray } from "./modelFixtures.js";

interface RngCase {
  seed: number;
  randn_one_at_a_time_20: number[];
  randn_3x4: NdArray;
}
const cases = loadFixture<{ cases: RngCase[] }>("numpy-rng.json").cases;

// numpy: np.random.seed(seed); np.random.randn(3, 4) * scale, with n_in = 4.
const scales: [InitializerName, number][] = [
  ["small", 0.01],
  ["xavier", Math.sqrt(1 / 4)],
  ["he", Math.sqrt(2 / 4)],
];

describe("initialize", () => {
  for (const [name, scale] of scales) {
    it.each(cases.map((c) => [c.seed, c] as const))(`${name}: seed %i equals numpy randn(3, 4) · ${scale}`, (_, c) => {
      const W = initialize(name, [3, 4], new RandomState(c.seed));
      expect(W.shape).toEqual([3, 4]);
      const expected = c.randn_3x4.data.map((v) => v * scale);
      W.data.forEach((v, i) => {
        if (!Object.is(v, expected[i])) expect.fail(`${name}[${i}]: got ${v}, numpy has ${expected[i]}`);
      });
      expect(W.isLeaf && W.requiresGrad).toBe(true);
    });
  }

  it("continues the stream layer after layer, and zeros draws nothing", () => {
    const c = cases.find((x) => x.seed === 42)!;
    const rng = new RandomState(42);
    const W1 = initialize("small", [2, 3], rng);
    const W0 = initialize("zeros", [5, 5], rng);
    const W2 = initialize("small", [3, 2], rng);
    expect(Array.from(W0.data)).toEqual(new Array(25).fill(0));
    expect(Array.from(W1.data)).toEqual(c.randn_one_at_a_time_20.slice(0, 6).map((v) => v * 0.01));
    expect(Array.from(W2.data)).toEqual(c.randn_one_at_a_time_20.slice(6, 12).map((v) => v * 0.01));
  });

  it("rejects bad shapes, unknown names and a missing RandomState", () => {
    const rng = new RandomState(0);
    expect(() => initialize("small", [0, 3], rng)).toThrow(
      new ShapeError("initialize", "shape must be [n_out, n_in] with positive integers, got (0,3)"),
    );
    expect(() => initialize("small", [2, 3, 4] as unknown as [number, number], rng)).toThrow(ShapeError);
    expect(() => initialize("lecun" as InitializerName, [2, 3], rng)).toThrow(
      new ValueError("initialize", 'unknown initializer "lecun": expected one of zeros, small, xavier, he'),
    );
    expect(() => initialize("he", [2, 3], 7 as unknown as RandomState)).toThrow(
      new ValueError("initialize", "rng must be a RandomState, got number"),
    );
  });
});
