/** Smoke test of the ONNX example: every step runs, and ONNX Runtime and the import agree with backprop as the README says. */
import { describe, expect, it } from "vitest";
import { onnxTour } from "../src/onnxTour.js";

describe("examples/onnx", () => {
  it("exports, runs in ONNX Runtime, exports a gradient graph and imports, all agreeing with backprop", async () => {
    const result = await onnxTour();
    expect(result.modelBytes).toBeGreaterThan(100);
    expect(result.forwardError).toBeLessThan(1e-12);
    expect(result.gradientError).toBeLessThan(1e-12);
    expect(result.importError).toBeLessThan(1e-12);
    expect(result.lines).toHaveLength(4);
    expect(result.lines[2]).toContain("outputs J, grad_W1, grad_b1, grad_W2, grad_b2");
  });
});
