/** LogisticRegression: forward and cost by hand, autodiff against the week-2 closed forms, predict/accuracy, errors. */

import { RandomState, ShapeError, tensor, ValueError } from "@backprop/core";
import { LogisticRegression, logisticClosedFormGradients } from "@backprop/layers";
import { propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { expectClose } from "./modelFixtures.js";

describe("LogisticRegression", () => {
  it("starts from zeros: A = 0.5, J = log 2, and the course's first gradients", () => {
    const model = new LogisticRegression({ nx: 2 });
    expect(model.namedParameters().map(([n, p]) => [n, p.name, p.shape, p.requiresGrad])).toEqual([
      ["w", "w", [2, 1], true],
      ["b", "b", [1, 1], true],
    ]);
    const X = tensor([
      [1, 2, -1],
      [3, 0, 2],
    ]);
    const Y = tensor([[1, 0, 1]]);
    const A = model.forward(X);
    expect(A.toArray()).toEqual([[0.5, 0.5, 0.5]]);
    expect(A.name).toBe("A");
    expect(model.cost(A, Y).item()).toBeCloseTo(Math.log(2), 15);
    const { dw, db, dZ } = model.gradients(X, Y);
    expect(dZ.toArray()).toEqual([[-0.5, 0.5, -0.5]]);
    // dw = X dZᵀ / 3, db = Σ dZ / 3.
    expect(dw.data[0]).toBeCloseTo((-0.5 + 1 + 0.5) / 3, 15);
    expect(dw.data[1]).toBeCloseTo((-1.5 + 0 - 1) / 3, 15);
    expect(dw.shape).toEqual([2, 1]);
    expect(db.shape).toEqual([1, 1]);
    expect(db.item()).toBeCloseTo(-0.5 / 3, 16);
    expect(model.w.grad).toBeNull();
  });

  it("matches the course's propagate() example (w = [[1],[2]], b = 2)", () => {
    // Week 2 assignment: X = [[1, 2, -1], [3, 4, -3.2]], Y = [[1, 0, 1]] → dw ≈ [[0.99845601], [2.39507239]],
    // db ≈ 0.00145558, cost ≈ 5.801545319394553.
    const model = new LogisticRegression({ nx: 2 });
    model.w.copy_(tensor([[1], [2]]));
    model.b.copy_(tensor([[2]]));
    const X = tensor([
      [1, 2, -1],
      [3, 4, -3.2],
    ]);
    const Y = tensor([[1, 0, 1]]);
    expect(model.loss(X, Y).item()).toBeCloseTo(5.801545319394553, 14);
    const { dw, db } = model.gradients(X, Y);
    expect(dw.data[0]).toBeCloseTo(0.99845601, 8);
    expect(dw.data[1]).toBeCloseTo(2.39507239, 8);
    expect(db.item()).toBeCloseTo(0.00145558, 8);
  });

  test.prop(
    [fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })],
    propertyParams(30),
  )("autodiff equals logisticClosedFormGradients (relative 1e-12, or 1e-15 absolute)", (nx, m, seed) => {
    const rng = new RandomState(seed);
    const model = new LogisticRegression({ nx, init: "small", seed });
    model.w.copy_(rng.randn(nx, 1));
    model.b.copy_(rng.randn(1, 1));
    const X = rng.randn(nx, m);
    const Y = rng.rand(1, m).gt(0.5);
    const auto = model.gradients(X, Y);
    const closed = logisticClosedFormGradients(model, X, Y);
    // atol: db = Σ dZ / m can cancel to near 0 from O(1) terms, keeping only their rounding error (~1e-17).
    const tol = { atol: 1e-15 };
    expectClose(auto.dw, closed.dw, "dw", tol);
    expectClose(auto.db, closed.db, "db", tol);
    expectClose(auto.dZ, closed.dZ, "dZ", tol);
  });

  it("small init draws w = randn(n_x, 1)·0.01 from RandomState(seed)", () => {
    const model = new LogisticRegression({ nx: 3, init: "small", seed: 4 });
    expect(Array.from(model.w.data)).toEqual(Array.from(new RandomState(4).randn(3, 1).mul(0.01).data));
    expect(model.w.isLeaf).toBe(true);
  });

  it("predicts A > 0.5 and reports percent correct", () => {
    const model = new LogisticRegression({ nx: 1 });
    model.w.copy_(tensor([[2]]));
    model.b.copy_(tensor([[-1]]));
    const X = tensor([[0, 0.4, 0.5, 0.6, 3]]);
    // Z = 2x − 1: positive only for x > 0.5.
    expect(model.predict(X).toArray()).toEqual([[0, 0, 0, 1, 1]]);
    expect(model.accuracy(X, tensor([[0, 0, 1, 1, 1]]))).toBe(80);
  });

  it("predicts 0 at A = 0.5 exactly (numpy's A > 0.5) and rounds the percentage once: 249 of 400 is 62.25", () => {
    const model = new LogisticRegression({ nx: 1 }); // zeros: A = σ(0) = 0.5 for every example
    const X = tensor([Array.from({ length: 400 }, (_, j) => j / 400)]);
    expect(model.forward(X).data.every((a) => a === 0.5)).toBe(true);
    expect(model.predict(X).data.every((p) => p === 0)).toBe(true);
    const Y = tensor([Array.from({ length: 400 }, (_, j) => (j < 151 ? 1 : 0))]); // 249 zeros are right
    // The week-3 notebook's float((Y·Pᵀ + (1 − Y)·(1 − P)ᵀ)/float(Y.size)*100) is 249/400*100 = 62.25000000000001.
    expect(model.accuracy(X, Y)).toBe(62.25);
  });

  it("rejects bad sizes, init names, X rows, and labels", () => {
    expect(() => new LogisticRegression({ nx: 0 })).toThrow(
      new ValueError("LogisticRegression", "nx must be a positive integer, got 0"),
    );
    expect(() => new LogisticRegression({ nx: 2, init: "he" as "small" })).toThrow(
      new ValueError("LogisticRegression", 'init must be "zeros" or "small", got he'),
    );
    const model = new LogisticRegression({ nx: 2 });
    expect(() => model.forward(tensor([[1, 2, 3]]))).toThrow(
      new ShapeError("LogisticRegression.forward", "X has shape (1,3) but w is (2,1): X needs 2 rows (n_x)"),
    );
    expect(() => model.loss(tensor([[1], [2]]), tensor([[1, 0]]))).toThrow(
      new ShapeError("LogisticRegression.loss", "X has 1 columns (examples) but Y has 2: X (2,1), Y (1,2)"),
    );
    expect(() => model.gradients(tensor([[1], [2]]), tensor([[3]]))).toThrow(
      new ValueError("LogisticRegression.gradients", "Y must hold 0/1 labels, found 3 at index (0,0) of Y (1,1)"),
    );
  });
});
