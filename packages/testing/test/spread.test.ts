/** How values spread over [min, max]: "uniform" (the default) covers the range, fc.double piles up near 0 (issue 12). */
import { floatValue, floatValues } from "@backprop/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** Fractions of draws: |x| < 1e-10, and in each unit bin [−3, −2), …, [2, 3]. */
function profile(xs: readonly number[]) {
  const bins = [0, 0, 0, 0, 0, 0];
  for (const x of xs) bins[Math.min(5, Math.floor(x + 3))]++;
  return {
    tiny: xs.filter((x) => Math.abs(x) < 1e-10).length / xs.length,
    bins: bins.map((b) => b / xs.length),
  };
}

describe("value spread on [−3, 3] (10,000 draws, seed 1)", () => {
  it('"uniform" (default) puts at least 10% of the draws in every unit bin and few at 0', () => {
    const { tiny, bins } = profile(fc.sample(floatValue({ min: -3, max: 3 }), { numRuns: 10000, seed: 1 }));
    // Measured once: bins 17%, 13%, 20%, 20%, 13%, 17% (fast-check's bias adds some draws near 0 and the ends);
    // |x| < 1e-10 in 0.3% (exact zeros).
    for (const b of bins) expect(b).toBeGreaterThanOrEqual(0.1);
    expect(tiny).toBeLessThan(0.01);
  });

  it('"double" (fc.double) puts most draws below 1e-10: why it is not the default', () => {
    const { tiny, bins } = profile(
      fc.sample(floatValue({ min: -3, max: 3, spread: "double" }), { numRuns: 10000, seed: 1 }),
    );
    // Measured once: 90.4% of draws have |x| < 1e-10 (the issue measured 91%); bins [−2, −1) and [1, 2) get < 0.1%.
    expect(tiny).toBeGreaterThan(0.5);
    expect(Math.min(...bins)).toBeLessThan(0.01);
  });

  it("tensor values (floatValues) spread the same way", () => {
    const xs = fc.sample(floatValues(8, { min: -3, max: 3 }), { numRuns: 1000, seed: 2 }).flat();
    for (const b of profile(xs).bins) expect(b).toBeGreaterThanOrEqual(0.1);
  });
});
