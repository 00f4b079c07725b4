/** The demo's training against the float64 numpy reference (reference/numpy-results.json), and its gradient checks. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tensor } from "@backprop/core";
import { TwoLayerNet } from "@backprop/layers";
import { describe, expect, test } from "vitest";
import { planarDataset } from "../src/data.js";
import { gradientChecks, logisticLearningRate, trainLogistic, trainNet } from "../src/train.js";

interface NumpyResults {
  main: { costs: Record<string, number>; accuracy: number };
  sweep: { nH: number; iterations: number; accuracy: number }[];
  logisticRegression: { accuracy: number };
}
const numpy: NumpyResults = JSON.parse(
  readFileSync(fileURLToPath(new URL("../reference/numpy-results.json", import.meta.url)), "utf8"),
);
const data = planarDataset();

describe("the main run against numpy", () => {
  test("n_h = 4, 5000 iterations: costs every 1000 match numpy to 1e-13 relative, accuracy equal (90.5%)", () => {
    const run = trainNet(data, { nH: 4, iterations: 5000, learningRate: 1.2, seed: 2, activation: "tanh" });
    expect(run.costs).toHaveLength(5000);
    for (const i of [0, 1000, 2000, 3000, 4000]) {
      const reference = numpy.main.costs[String(i)];
      expect(Math.abs(run.costs[i] - reference) / reference).toBeLessThan(1e-13);
    }
    // The course prints 0.693048 and 0.288083: six significant digits agree exactly.
    expect(run.costs[0].toPrecision(6)).toBe("0.693048");
    expect(run.costs[1000].toPrecision(6)).toBe("0.288083");
    expect(run.accuracy).toBe(numpy.sweep.find((r) => r.nH === 4 && r.iterations === 5000)?.accuracy);
  });

  test("n_h = 1, 5000 iterations: the same accuracy as numpy (67.5%)", () => {
    const run = trainNet(data, { nH: 1, iterations: 5000, learningRate: 1.2, seed: 2, activation: "tanh" });
    expect(run.accuracy).toBe(numpy.sweep[0].accuracy);
  });
});

describe("the logistic-regression baseline", () => {
  test("reaches numpy's 47% (the course's ~47%: a line cannot separate the flower)", () => {
    const run = trainLogistic(data);
    expect(run.accuracy).toBe(numpy.logisticRegression.accuracy);
    expect(run.costs[0]).toBeCloseTo(Math.log(2), 13); // w = 0, b = 0: σ(0) = 1/2 for every example
  });

  test("the safe step 1/L: L = ¼·λ_max(X̃X̃ᵀ/m), computed by hand for a diagonal case", () => {
    // X̃ rows: x = (2, -2, 2, -2) and ones; X̃X̃ᵀ/m = [[4, 0], [0, 1]], λ_max = 4, L = 1, step 1 (under the 1.2 cap).
    expect(logisticLearningRate(tensor([[2, -2, 2, -2]]))).toBeCloseTo(1, 12);
    expect(logisticLearningRate(tensor([[20, -20, 20, -20]]))).toBeCloseTo(0.01, 12);
    expect(logisticLearningRate(tensor([[0.1, -0.1]]))).toBe(1.2);
  });
});

describe("the gradient check", () => {
  test("autodiff equals the closed forms to rounding and finite differences to the course's 1e-7", () => {
    const check = gradientChecks(new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: 2 }), data);
    expect(check.rows.map((r) => r.name)).toEqual(["dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]);
    for (const row of check.rows) expect(row.vsClosedForm).toBeLessThan(1e-10);
    expect(check.allParameters).toBeLessThan(1e-7);
    expect(check.rows.find((r) => r.name === "dW1")?.vsFiniteDifferences).toBeLessThan(1e-6);
  });
});
