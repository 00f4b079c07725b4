import {
  AnomalyError,
  detectAnomaly,
  formatTrace,
  grad,
  gradcheck,
  hessian,
  jit,
  jvp,
  linear,
  noGrad,
  RandomState,
  randn,
  ShapeError,
  type Tensor,
  tensor,
  toDot,
  valueAndGrad,
  zeros,
} from "@backprop/core";
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

  it("root README: the course's computation graph prints its trace, and after backward da = 3, db = 6, dc = 9", () => {
    const course = () => {
      const a = tensor(5, { requiresGrad: true, name: "a" });
      const b = tensor(3, { requiresGrad: true, name: "b" });
      const c = tensor(2, { requiresGrad: true, name: "c" });
      const u = b.mul(c).named("u");
      const v = a.add(u).named("v");
      return { a, b, c, v, J: v.mul(3).named("J") };
    };
    const { J } = course();
    expect(formatTrace(J)).toBe(
      [
        "dJ (scalar) = 1 (seed)",
        "dv (scalar) ← dJ ∗ 3",
        "da (scalar) ← dv",
        "du (scalar) ← dv",
        "db (scalar) ← du ∗ c",
        "dc (scalar) ← du ∗ b",
      ].join("\n"),
    );
    J.backward();
    const dot = toDot(J, { gradients: true });
    for (const norm of ["‖da‖ = 3", "‖db‖ = 6", "‖dc‖ = 9"]) expect(dot).toContain(norm);
    // Hooks, on the graph built afresh: dv = 6 instead of 3, so da = 6, db = 12, dc = 18.
    const g = course();
    const remove = g.v.registerHook((dv) => dv.mul(2));
    g.J.backward();
    remove();
    expect([g.a.grad?.item(), g.b.grad?.item(), g.c.grad?.item()]).toEqual([6, 12, 18]);
  });

  it("root README: anomaly mode names the op, the index and the shapes; errors name the op and the shapes", () => {
    const x = tensor([[1, -3, 2]]);
    expect(() => detectAnomaly(() => x.mul(2).add(1).log())).toThrow(AnomalyError);
    expect(() => detectAnomaly(() => x.mul(2).add(1).log())).toThrow(
      /^log: forward produced NaN at index \(0,1\) of its output \(1,3\) \(inputs: \(1,3\)\)\nop created at:/,
    );
    expect(() => zeros([4, 3]).matmul(zeros([2, 400]))).toThrow(ShapeError);
    expect(() => zeros([4, 3]).matmul(zeros([2, 400]))).toThrow(
      "matmul: (4,3) @ (2,400): inner dimensions 3 and 2 differ",
    );
  });

  it("core README: jvp of tanh is (1 − y²) ∗ v and the Hessian of Σx³ at [1, 2] is [[6, 0], [0, 12]]", () => {
    const x = tensor([0.5, -1]);
    const v = tensor([1, 2]);
    const [y, dy] = jvp((x_) => x_.tanh(), [x], [v]);
    expect(dy.toArray()).toEqual(y.square().neg().add(1).mul(v).toArray());
    expect(hessian((x_) => x_.pow(3).sum())(tensor([1, 2])).toArray()).toEqual([
      [6, 0],
      [0, 12],
    ]);
  });

  it("core README's jit loop: traced once, and every cost and parameter is eager's (plain tensors as parameters)", () => {
    const loss = (W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, X: Tensor, Y: Tensor) => {
      const A2 = linear(W2, linear(W1, X, b1).tanh(), b2).sigmoid();
      return Y.mul(A2.log())
        .add(Y.neg().add(1).mul(A2.neg().add(1).log()))
        .mean()
        .neg();
    };
    const X = new RandomState(0).randn(2, 50);
    const Y = X.sum(0, true).greater(0);
    const train = (f: typeof loss) => {
      const rs = new RandomState(2);
      const params = [rs.randn(4, 2).mul(0.01), zeros([4, 1]), rs.randn(1, 4).mul(0.01), zeros([1, 1])] as const;
      const step =
        f === loss ? valueAndGrad(loss, { argnums: [0, 1, 2, 3] }) : jit(valueAndGrad(f, { argnums: [0, 1, 2, 3] }));
      const costs: number[] = [];
      for (let i = 0; i < 20; i++) {
        const [J, grads] = step(...params, X, Y);
        costs.push(J.item());
        for (const [k, p] of params.entries()) p.sub_(grads[k] ?? 0, 1.2);
      }
      return { costs, params: params.map((p) => p.toArray()), traces: "traceCount" in step ? step.traceCount : 0 };
    };
    const eager = train(loss);
    const jitted = train((...args) => loss(...args));
    expect(jitted.traces).toBe(1);
    expect(jitted.costs).toEqual(eager.costs);
    expect(jitted.params).toEqual(eager.params);
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
