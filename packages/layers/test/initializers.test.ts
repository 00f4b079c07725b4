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

// numpy: np.random.seed(seed); np.random.randn(3, 4) * scale, with n_in = 4 (xavier's / np.sqrt(4) is · 0.5 exactly).
const scales: [InitializerName, number][] = [
  ["small", 0.01],
  ["xavier", 0.5],
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

  it("xavier divides by √n[l−1] as the course's helpers do (np.random.randn(n, n_prev) / np.sqrt(n_prev)), bit for bit", () => {
    // numpy 2.4.6: np.random.seed(1); np.random.randn(4, 5) / np.sqrt(5). Multiplying by np.sqrt(1/5) instead
    // gives other last bits at indices 1, 14 and 15 (e.g. −0.2735857853186098 for −0.2735857853186097).
    const numpy = [
      0.726429330417525, -0.2735857853186097, -0.23620558837125305, -0.4798461553730968, 0.3870220574833843,
      -1.029279395814119, 0.7803035425458769, -0.34042207506867905, 0.1426786212527515, -0.1115218222284271,
      0.653874547534909, -0.9213229339302802, -0.14418935705792416, -0.17175432881867822, 0.5070371087748131,
      -0.49188632831451307, -0.07711223866424337, -0.39259021941852135, 0.01887856144820481, 0.2606428872379293,
    ];
    const W = initialize("xavier", [4, 5], new RandomState(1));
    W.data.forEach((v, i) => {
      if (!Object.is(v, numpy[i])) expect.fail(`xavier[${i}]: got ${v}, numpy has ${numpy[i]}`);
    });
    // The product form really differs there, so this test tells the two apart.
    expect(new RandomState(1).randn(4, 5).data[1] * Math.sqrt(1 / 5)).toBe(-0.2735857853186098);
  });

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
