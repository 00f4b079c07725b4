import { grad, gradcheck, noGrad, RandomState, randn, type Tensor, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

// The README examples, run as written, with their claims checked against the closed forms.
describe("README examples", () => {
  it("root README: dW1 has W1's shape, db1 sums the broadcast, dA1 is retained", () => {
    const rs = new RandomState(2);
    const W1 = rs.randn(4, 2).mul(0.01).requiresGrad_().named("W1");
    const b1 = tensor([[0], [0], [0], [0]], { requiresGrad: true, name: "b1" });
    const X = tensor([
      [1, 2, 3],
      [0.5, -1, 2],
    ]);
    const Z1 = W1.matmul(X).add(b1).named("Z1");
    const A1 = Z1.tanh().named("A1").retainGrad();
    const J = A1.square().mean();
    J.backward();
    expect(W1.grad?.shape).toEqual([4, 2]);
    expect(b1.grad?.shape).toEqual([4, 1]);
    // dA1 = 2 A1 / (4·3); dZ1 = dA1 ∗ (1 − A1²); db1 = Σ_columns dZ1; dW1 = dZ1 Xᵀ
    const a = A1.data;
    const dZ = Array.from(a, (v) => ((2 * v) / 12) * (1 - v * v));
    for (let i = 0; i < 4; i++) {
      expect(A1.grad?.data[i * 3]).toBeCloseTo((2 * a[i * 3]) / 12, 15);
      const db = dZ[i * 3] + dZ[i * 3 + 1] + dZ[i * 3 + 2];
      expect(b1.grad?.data[i]).toBeCloseTo(db, 15);
      const dW0 = dZ[i * 3] * 1 + dZ[i * 3 + 1] * 2 + dZ[i * 3 + 2] * 3;
      expect(W1.grad?.data[i * 2]).toBeCloseTo(dW0, 15);
    }
    const f = (x: Tensor) => x.pow(3).sum();
    expect(grad(f)(tensor([1, 2])).toArray()).toEqual([3, 12]);
    expect(grad((x: Tensor) => grad(f)(x).sum())(tensor([1, 2])).toArray()).toEqual([6, 12]);
    expect(gradcheck(f, [tensor([1, 2])]).passed).toBe(true);
  });

  it("core README: logistic regression's dW = (1/m)(A − Y)Xᵀ and db = (1/m)Σ(A − Y), then one update", () => {
    const X = tensor([
      [0.5, -1.2, 3.0],
      [1.0, 0.0, -2.0],
    ]);
    const Y = tensor([[1, 0, 1]]);
    const W = randn([1, 2], 2).mul(0.01).requiresGrad_().named("W");
    const b = tensor([[0]], { requiresGrad: true, name: "b" });
    const A = W.matmul(X).add(b).sigmoid().named("A");
    const J = Y.mul(A.log())
      .add(Y.neg().add(1).mul(A.neg().add(1).log()))
      .mean()
      .neg()
      .named("J");
    J.backward();
    const dZ = A.sub(Y);
    const dW = dZ.matmul(X.T).div(3);
    const db = dZ.sum().div(3);
    for (let i = 0; i < 2; i++) expect(W.grad?.data[i]).toBeCloseTo(dW.data[i], 15);
    expect(b.grad?.item()).toBeCloseTo(db.item(), 15);
    const before = W.data[0];
    const step = W.grad?.data[0] ?? Number.NaN;
    noGrad(() => {
      W.sub_(W.grad ?? 0, 1.2);
      b.sub_(b.grad ?? 0, 1.2);
    });
    expect(W.data[0]).toBe(before - step * 1.2);
  });
});
