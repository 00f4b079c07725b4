import {
  AutodiffError,
  customOp,
  GradcheckError,
  grad,
  gradcheck,
  gradgradcheck,
  hessian,
  hvp,
  jacobian,
  jvp,
  ShapeError,
  type Tensor,
  tensor,
  valueAndGrad,
  vjp,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

const cube = (x: Tensor) => x.mul(x).mul(x).sum();

describe("function transforms", () => {
  it("grad of Σx³ is 3x², and grad nests to 6x", () => {
    const x = tensor([1, -2, 0.5]);
    expect(grad(cube)(x).toArray()).toEqual([3, 12, 0.75]);
    const second = grad((y: Tensor) => grad(cube)(y).sum())(x);
    expect(second.toArray()).toEqual([6, -12, 3]);
    expect(x.requiresGrad).toBe(false); // no state leaks into the caller's tensors
  });

  it("grad with argnums returns a list; valueAndGrad returns the value too", () => {
    const f = (a: Tensor, b: Tensor) => a.mul(b).sum();
    const [da, db] = grad(f, { argnums: [0, 1] })(tensor([2, 3]), tensor([5, 7]));
    expect(da.toArray()).toEqual([5, 7]);
    expect(db.toArray()).toEqual([2, 3]);
    const [value, g] = valueAndGrad(f, { argnums: 1 })(tensor([2, 3]), tensor([5, 7]));
    expect(value.item()).toBe(31);
    expect((g as Tensor).toArray()).toEqual([2, 3]);
  });

  it("grad rejects non-scalar functions with a shape error", () => {
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(ShapeError);
  });

  it("vjp pulls back a cotangent: uᵀJ", () => {
    const W = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const [out, pullback] = vjp((x: Tensor) => W.matmul(x), tensor([1, 1]));
    expect(out.toArray()).toEqual([3, 7, 11]);
    expect(pullback(tensor([1, 0, 2]))[0].toArray()).toEqual([11, 14]);
  });

  it("jvp pushes forward a tangent: J·v, and agrees with vjp: ⟨u, Jv⟩ = ⟨uᵀJ, v⟩", () => {
    const f = (x: Tensor) => x.tanh().mul(x);
    const x = tensor([0.3, -1.2, 2]);
    const v = tensor([1, 0.5, -2]);
    const u = tensor([0.7, -0.1, 1.3]);
    const [, Jv] = jvp(f, [x], [v]);
    const expected = [0.3, -1.2, 2].map((xi, i) => {
      const t = Math.tanh(xi);
      return (t + xi * (1 - t * t)) * [1, 0.5, -2][i];
    });
    for (const [i, value] of (Jv.toArray() as number[]).entries()) expect(value).toBeCloseTo(expected[i], 14);
    const [, pullback] = vjp(f, x);
    const uJ = pullback(u)[0];
    const left = Jv.mul(u).sum().item();
    const right = uJ.mul(v).sum().item();
    expect(Math.abs(left - right)).toBeLessThan(1e-14);
  });

  it("jacobian of tanh is diagonal with 1 − tanh²", () => {
    const J = jacobian((x: Tensor) => x.tanh())(tensor([0, 1]));
    expect(J.shape).toEqual([2, 2]);
    const t = Math.tanh(1);
    expect(J.toArray()).toEqual([
      [1, 0],
      [0, 1 - t * t],
    ]);
  });

  it("hessian of Σx³ is diag(6x); hvp equals H·v", () => {
    const x = tensor([1, 2]);
    expect(hessian(cube)(x).toArray()).toEqual([
      [6, 0],
      [0, 12],
    ]);
    expect(hvp(cube, x, tensor([1, -1])).toArray()).toEqual([6, -12]);
  });

  it("custom ops carry their own backward and pass gradcheck and gradgradcheck", () => {
    const cubeOp = customOp({
      name: "cube",
      forward: (x) => x.mul(x).mul(x),
      backward: (g, { inputs: [x] }) => [g.mul(x.mul(x)).mul(3)],
    });
    const x = tensor([0.5, -1.5, 2]);
    expect(gradcheck((y: Tensor) => cubeOp(y), [x]).passed).toBe(true);
    expect(gradgradcheck((y: Tensor) => cubeOp(y), [x]).passed).toBe(true);
    const wrong = customOp({
      name: "badCube",
      forward: (y) => y.mul(y).mul(y),
      backward: (g, { inputs: [y] }) => [g.mul(y)],
    });
    expect(() => gradcheck((y: Tensor) => wrong(y), [x])).toThrow(GradcheckError);
    const report = gradcheck((y: Tensor) => wrong(y), [x], { raise: false });
    expect(report.passed).toBe(false);
    expect(report.inputs[0].relativeDifference).toBeGreaterThan(0.1);
  });

  it("a custom op whose backward returns a wrongly shaped gradient is named with the input index and both shapes", () => {
    const transposed = customOp({
      name: "scaleRows",
      forward: (a, s) => a.mul(s),
      // Wrong on purpose: dA transposed, (3,2) for a (2,3) input.
      backward: (g, { inputs: [, s] }) => [g.mul(s as Tensor).T, null],
    });
    const A = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const s = tensor([[2], [3]]);
    expect(() => transposed(A, s).sum().backward()).toThrow(
      new ShapeError(
        "scaleRows",
        "backward returned a gradient of shape (3,2) for input 0 of shape (2,3): it must have the input's shape (or one the input broadcasts to)",
      ),
    );
    // A gradient in the output's shape for a broadcast input is fine: the engine sums it back, (2,3) → (2,1).
    const broadcastRule = customOp({
      name: "timesColumn",
      forward: (a, c) => a.mul(c),
      backward: (g, { inputs: [a, c] }) => [g.mul(c as Tensor), g.mul(a as Tensor)],
    });
    const c = tensor([[2], [3]], { requiresGrad: true });
    broadcastRule(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      c,
    )
      .sum()
      .backward();
    expect(c.grad?.toArray()).toEqual([[6], [15]]); // Σ_columns of A
  });
});

describe("grad of a function that reads its argument from its closure", () => {
  const X = tensor([
    [1, -1, 2],
    [0.5, 0, -2],
  ]);
  const cost = (w: Tensor) => w.matmul(X).tanh().sum();

  it("is an AutodiffError naming the argument, not a silent zero gradient", () => {
    const W = tensor([[0.1, 0.2]], { requiresGrad: true, name: "W" });
    // The classic slip: the parameter w is ignored and the outer W used instead (before: dW = [[0, 0]]).
    const slip = (_w: Tensor) => cost(W);
    expect(() => grad(slip)(W)).toThrow(AutodiffError);
    expect(() => grad(slip)(W)).toThrow(
      /^grad: the function's output does not depend on its parameter 0 but on the tensor passed as argument 0 \('W' \(1,2\)\), read from outside the function, so its gradient would be all zeros; compute from the parameter: grad\(\(w\) => cost\(w, X\)\)\(W\)/,
    );
    const b = tensor(0.5, { requiresGrad: true });
    expect(() => valueAndGrad((w: Tensor, _c: Tensor) => cost(w).add(b), { argnums: [0, 1] })(W, b)).toThrow(
      /parameter 1 but on the tensor passed as argument 1 \(\(\)\)/,
    );
    expect(W.grad).toBeNull();
  });

  it("the same function written with its parameter gets the true gradient", () => {
    const W = tensor([[0.1, 0.2]], { requiresGrad: true, name: "W" });
    const z = W.matmul(X).tanh().toArray2D()[0] ?? [];
    const dW = grad(cost)(W).toArray2D()[0] ?? [];
    const expected = [0, 1].map((i) => z.reduce((s, zj, j) => s + (1 - zj * zj) * (X.toArray2D()[i]?.[j] ?? 0), 0));
    expect(dW[0]).toBeCloseTo(expected[0] ?? Number.NaN, 15);
    expect(dW[1]).toBeCloseTo(expected[1] ?? Number.NaN, 15);
    // Using the parameter and the outer tensor both is allowed (the parameter's partial derivative).
    expect(grad((w: Tensor) => w.mul(W).sum())(W).toArray()).toEqual([[0.1, 0.2]]);
    // The same tensor passed twice, f using one of its parameters: the other's gradient is zeros, no error.
    const [d0, d1] = grad((w: Tensor, _v: Tensor) => cost(w), { argnums: [0, 1] })(W, W);
    expect(d0?.toArray()).toEqual(grad(cost)(W).toArray());
    expect(d1?.toArray()).toEqual([[0, 0]]);
    // A function that ignores an argument that does not require grad still gets zeros (nothing to see).
    expect(grad((_w: Tensor) => X.sum())(tensor([1, 2])).toArray()).toEqual([0, 0]);
  });
});
