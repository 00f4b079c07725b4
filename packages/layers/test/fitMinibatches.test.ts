/** fit's minibatches: numpy's permutations per epoch, seeds (a number or a function of the epoch), batch sizes. */
import { ShapeError, ValueError } from "@backprop/core";
import { fit } from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { expectRelClose, indices, LinearRegression, labels, Recorder, X, Y } from "./fitHelpers.js";

describe("fit: minibatches", () => {
  it("shuffles columns like numpy's RandomState(seed).permutation, one permutation per epoch, X and Y together", () => {
    // numpy: rs = np.random.RandomState(0); rs.permutation(10) → [2, 8, 4, 9, 1, 6, 7, 3, 0, 5],
    // then rs.permutation(10) → [3, 5, 1, 2, 9, 8, 0, 6, 7, 4]. Batches of 4: the last one holds the rest.
    const model = new Recorder();
    const result = fit(model, indices(10), labels(10), { epochs: 2, batchSize: 4, learningRate: 0.1, seed: 0 });
    expect(result.iterations).toBe(6);
    expect(model.seen.map((s) => s.columns)).toEqual([
      [2, 8, 4, 9],
      [1, 6, 7, 3],
      [0, 5],
      [3, 5, 1, 2],
      [9, 8, 0, 6],
      [7, 4],
    ]);
    for (const s of model.seen) expect(s.labels).toEqual(s.columns.map((c) => 100 + c));
  });

  it("seeds the shuffle (numpy: np.random.RandomState(3).permutation(7) → [4, 6, 5, 3, 1, 0, 2]) and counts iterations as minibatch steps", () => {
    const model = new Recorder();
    const result = fit(model, indices(7), labels(7), { iterations: 3, batchSize: 3, learningRate: 0.1, seed: 3 });
    expect(result.iterations).toBe(3);
    expect(model.seen.map((s) => s.columns)).toEqual([[4, 6, 5], [3, 1, 0], [2]]);
  });

  it("a seed function reseeds every epoch as the course's model() does (seed = 10; seed += 1 before each epoch)", () => {
    // numpy: np.random.seed(11); np.random.permutation(10) → [7, 8, 2, 6, 4, 5, 1, 3, 0, 9]; seed 12 →
    // [5, 8, 7, 0, 4, 9, 3, 2, 1, 6]; seed 13 → [3, 5, 6, 1, 4, 7, 8, 9, 0, 2] (random_mini_batches, batches of 4).
    const model = new Recorder();
    const epochs: number[] = [];
    const seed = (e: number) => {
      epochs.push(e);
      return 11 + e;
    };
    fit(model, indices(10), labels(10), { epochs: 3, batchSize: 4, learningRate: 0.1, seed });
    expect(epochs).toEqual([0, 1, 2]);
    expect(model.seen.map((s) => s.columns)).toEqual([
      [7, 8, 2, 6],
      [4, 5, 1, 3],
      [0, 9],
      [5, 8, 7, 0],
      [4, 9, 3, 2],
      [1, 6],
      [3, 5, 6, 1],
      [4, 7, 8, 9],
      [0, 2],
    ]);
    // A number keeps one stream: the second epoch is RandomState(11)'s second permutation, not RandomState(12)'s.
    const stream = new Recorder();
    fit(stream, indices(10), labels(10), { epochs: 2, batchSize: 4, learningRate: 0.1, seed: 11 });
    expect(stream.seen[0].columns).toEqual([7, 8, 2, 6]);
    expect(stream.seen[3].columns).not.toEqual([5, 8, 7, 0]);
  });

  it("rejects a seed outside numpy's [0, 2^32 − 1], also one a seed function returns", () => {
    const run = (seed: number | ((e: number) => number)) => () =>
      fit(new Recorder(), indices(4), labels(4), { epochs: 2, batchSize: 2, learningRate: 0.1, seed });
    expect(run(-1)).toThrow(new ValueError("fit", "seed must be an integer in [0, 2^32 − 1], got -1"));
    expect(run((e) => (e === 0 ? 1 : 0.5))).toThrow(
      new ValueError("fit", "seed(1) must be an integer in [0, 2^32 − 1], got 0.5"),
    );
  });

  it("the default seed is 0; a batchSize ≥ m is full batch", () => {
    const a = new Recorder();
    fit(a, indices(10), labels(10), { iterations: 1, batchSize: 4, learningRate: 0.1 });
    expect(a.seen[0].columns).toEqual([2, 8, 4, 9]);
    const b = new Recorder();
    fit(b, indices(5), labels(5), { epochs: 2, batchSize: 5, learningRate: 0.1 });
    expect(b.seen.map((s) => s.columns)).toEqual([
      [0, 1, 2, 3, 4],
      [0, 1, 2, 3, 4],
    ]);
  });

  it("minibatch gradient descent with batchSize 1 is per-example sgd in shuffled order", () => {
    // Per-example: J = (w·x + b − y)², dw = 2 r x, db = 2 r; order from np.random.RandomState(0).permutation(5) = [2, 0, 1, 3, 4].
    const model = new LinearRegression();
    fit(model, X, Y, { epochs: 1, batchSize: 1, learningRate: 0.01 });
    const x = X.toArray() as number[][];
    const y = (Y.toArray() as number[][])[0];
    let w = [0.5, -0.25];
    let b = 0.1;
    for (const i of [2, 0, 1, 3, 4]) {
      const r = w[0] * x[0][i] + w[1] * x[1][i] + b - y[i];
      w = [w[0] - 0.01 * 2 * r * x[0][i], w[1] - 0.01 * 2 * r * x[1][i]];
      b -= 0.01 * 2 * r;
    }
    expectRelClose(model.w.data[0], w[0], 1e-14);
    expectRelClose(model.w.data[1], w[1], 1e-14);
    expectRelClose(model.b.data[0], b, 1e-14);
  });

  it("needs 2-d X and Y with as many columns", () => {
    expect(() =>
      fit(new Recorder(), indices(5), labels(4), { iterations: 1, batchSize: 2, learningRate: 0.1 }),
    ).toThrow(ShapeError);
    expect(() =>
      fit(new Recorder(), indices(5), labels(4), { iterations: 1, batchSize: 2, learningRate: 0.1 }),
    ).toThrow(/^fit: minibatches need 2-d X and Y .* got X \(1,5\), Y \(1,4\)$/);
  });
});
