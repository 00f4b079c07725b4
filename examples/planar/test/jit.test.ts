/** `--jit`: the two-layer training compiled by core's jit reproduces the demo's eager training exactly (costs, parameters, accuracy, divergence). */
import { TrainingDivergedError } from "@backprop/layers";
import { describe, expect, test } from "vitest";
import { activationNames } from "../src/cli.js";
import { loadDataset, planarDataset } from "../src/data.js";
import { type NetRunOptions, trainNet } from "../src/train.js";

const data = planarDataset();

/** The eager and the jitted run of the same options. */
function bothWays(options: NetRunOptions, dataset = data) {
  return [trainNet(dataset, { ...options, jit: false }), trainNet(dataset, { ...options, jit: true })];
}

/** Every element's bits: Object.is per element (−0 ≠ +0), as one boolean so a failure names the first index. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe("the jitted training loop (--jit)", () => {
  test("the demo's main run (n_h = 4, tanh, 10,000 iterations, lr 1.2): every cost, parameter and the accuracy are eager's bits", () => {
    const [eager, jitted] = bothWays({ nH: 4, iterations: 10000, learningRate: 1.2, seed: 2, activation: "tanh" });
    expect(jitted.costs).toHaveLength(10000);
    expect(firstDifference(jitted.costs, eager.costs)).toBe(-1);
    // The course's printed numbers, up to the chaotic stretch near iteration 7,800 (past it, see the README).
    expect(jitted.costs[0].toPrecision(6)).toBe("0.693048");
    expect(jitted.costs[7000].toPrecision(6)).toBe("0.217504");
    for (const name of ["W1", "b1", "W2", "b2"] as const) {
      expect(firstDifference(jitted.net[name].data, eager.net[name].data), name).toBe(-1);
    }
    expect(jitted.accuracy).toBe(90.5);
    expect(jitted.accuracy).toBe(eager.accuracy);
  }, 120_000);

  test.each(activationNames)("hidden activation %s, on moons, n_h = 5: the same costs bit for bit", (activation) => {
    const [eager, jitted] = bothWays(
      { nH: 5, iterations: 400, learningRate: 0.7, seed: 3, activation },
      loadDataset("moons", undefined),
    );
    expect(firstDifference(jitted.costs, eager.costs)).toBe(-1);
    expect(jitted.accuracy).toBe(eager.accuracy);
  });

  test("the sweep's sizes (n_h = 1 and 50): the same costs bit for bit", () => {
    for (const nH of [1, 50]) {
      const [eager, jitted] = bothWays({ nH, iterations: 200, learningRate: 1.2, seed: 2, activation: "tanh" });
      expect(firstDifference(jitted.costs, eager.costs), `n_h = ${nH}`).toBe(-1);
    }
  });

  test("progress events: the same iterations and costs as fit's", () => {
    const events: [number, number, number][][] = [[], []];
    [false, true].forEach((jit, k) => {
      trainNet(data, {
        nH: 2,
        iterations: 30,
        learningRate: 1.2,
        seed: 2,
        activation: "tanh",
        jit,
        onProgress: (e) => events[k].push([e.iteration, e.total, e.cost]),
      });
    });
    expect(events[1]).toHaveLength(30);
    expect(events[1]).toEqual(events[0]);
  });

  test("divergence: the same TrainingDivergedError (iteration, parameter, message) as fit", () => {
    const errors = [false, true].map((jit) => {
      try {
        trainNet(data, { nH: 4, iterations: 50, learningRate: 1000, seed: 2, activation: "relu", jit });
        return null;
      } catch (e) {
        return e;
      }
    });
    for (const e of errors) expect(e).toBeInstanceOf(TrainingDivergedError);
    const [eager, jitted] = errors as TrainingDivergedError[];
    expect(jitted.message).toBe(eager.message);
    expect([jitted.iteration, jitted.parameter]).toEqual([eager.iteration, eager.parameter]);
    expect(jitted.message).toContain("training diverged at iteration 2: the cost is +Infinity");
  });
});
