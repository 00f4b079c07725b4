/** Shared by the fit tests: a hand-written linear regression with its plain-array reference, and a model that records its minibatches. */
import { type Tensor, tensor } from "@backprop/core";
import type { Model } from "@backprop/layers";
import { expect } from "vitest";

/** y ≈ w·x + b with J = (1/m) Σ (w·x + b − y)², written here so these tests do not depend on the library's models. */
export class LinearRegression implements Model {
  w = tensor([[0.5, -0.25]], { requiresGrad: true, name: "w" });
  b = tensor([[0.1]], { requiresGrad: true, name: "b" });
  namedParameters(): ReadonlyArray<readonly [string, Tensor]> {
    return [
      ["w", this.w],
      ["b", this.b],
    ];
  }
  loss(X: Tensor, Y: Tensor): Tensor {
    return this.w.matmul(X).add(this.b).sub(Y).square().mean();
  }
}

export const X = tensor([
  [1, 2, -1, 0.5, 3],
  [0, 1, 2, -2, 1],
]);
export const Y = tensor([[1, 2, 0, -1, 3]]);

/** The same training in plain arrays: J = (1/m) Σ r², dJ/dw_j = (2/m) Σ r·x_j, dJ/db = (2/m) Σ r. */
export function referenceGradientDescent(
  iterations: number,
  alpha: number,
): { costs: number[]; w: number[]; b: number } {
  const x = X.toArray() as number[][];
  const y = (Y.toArray() as number[][])[0];
  const m = y.length;
  let w = [0.5, -0.25];
  let b = 0.1;
  const costs: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const r = y.map((yi, i) => w[0] * x[0][i] + w[1] * x[1][i] + b - yi);
    costs.push(r.reduce((s, ri) => s + ri * ri, 0) / m);
    const dw = [0, 1].map((j) => (2 / m) * r.reduce((s, ri, i) => s + ri * x[j][i], 0));
    const db = (2 / m) * r.reduce((s, ri) => s + ri, 0);
    w = [w[0] - alpha * dw[0], w[1] - alpha * dw[1]];
    b -= alpha * db;
  }
  return { costs, w, b };
}

export function expectRelClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/** A model that records the (mini)batches it is given; X holds the column index, Y 100 + the index. */
export class Recorder implements Model {
  p = tensor([[1]], { requiresGrad: true });
  seen: { X: Tensor; columns: number[]; labels: number[] }[] = [];
  constructor(private readonly costOf: (call: number) => number = () => 1) {}
  namedParameters(): ReadonlyArray<readonly [string, Tensor]> {
    return [["p", this.p]];
  }
  loss(Xb: Tensor, Yb: Tensor): Tensor {
    this.seen.push({ X: Xb, columns: Array.from(Xb.data), labels: Array.from(Yb.data) });
    // A scalar on the graph whose value is costOf(call): 0·p + c.
    return this.p
      .mul(0)
      .sum()
      .add(this.costOf(this.seen.length - 1));
  }
}

export const indices = (m: number) => tensor([Array.from({ length: m }, (_, i) => i)]);
export const labels = (m: number) => tensor([Array.from({ length: m }, (_, i) => 100 + i)]);
