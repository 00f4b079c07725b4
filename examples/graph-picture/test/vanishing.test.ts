/** The vanishing-gradient demo: gradientSummary inside fit's onProgress shows sigmoid's gradients dying towards layer 1. */
import { describe, expect, it } from "vitest";
import { firstIterationSummary, firstToLast, vanishingReport } from "../src/vanishing.js";

describe("examples/graph-picture: vanishing gradients", () => {
  it("sigmoid: layer 1's gradient is orders of magnitude below layer 10's (σ′ ≤ 1/4 per layer); relu: not", () => {
    const sigmoid = firstToLast(firstIterationSummary("sigmoid"));
    const relu = firstToLast(firstIterationSummary("relu"));
    expect(sigmoid).toBeLessThan(1e-3);
    expect(relu).toBeGreaterThan(0.05);
  });

  it("reports one row per parameter, W1, b1, ..., W10, b10", () => {
    const rows = firstIterationSummary("relu", 10, 1);
    expect(rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => [`W${i + 1}`, `b${i + 1}`]).flat());
    expect(rows.every((r) => r.gradNorm !== null && r.gradNorm > 0)).toBe(true);
  });

  it("prints both tables", () => {
    const text = vanishingReport(4);
    expect(text).toContain("4-layer net, sigmoid hidden layers, first iteration:");
    expect(text).toContain("‖dW1‖ / ‖dW4‖ = ");
  });
});
