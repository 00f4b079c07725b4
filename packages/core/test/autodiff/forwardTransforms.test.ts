/** Forward-mode transforms: jvp, jacfwd, jacrev, hessian, hvp against closed forms, and nested in every order. */
import {
  AutodiffError,
  customOp,
  grad,
  hessian,
  hvp,
  jacfwd,
  jacobian,
  jacrev,
  jvp,
  logSumExp,
  matmul,
  noGrad,
  ShapeError,
  softmax,
  sum,
  type Tensor,
  tensor,
  ValueError,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

const cubeSum = (x: Tensor) => x.pow(3).sum();

function expectAllClose(actual: Tensor, expected: number[] | number[][], tol = 1e-14): void {
  const want = expected.flat();
  expect(actual.size).toBe(want.length);
  want.forEach((e, i) => {
    expect(Math.abs(actual.data[i] - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  });
}

describe("jvp (forward mode)", () => {
  it("pushes a tangent forward: tanh's is (1 − y²) ∗ v (closed form)", () => {
    const x = tensor([0.5, -1, 2]);
    const v = tensor([1, 2, -3]);
    const [y, dy] = jvp((t: Tensor) => t.tanh(), [x], [v]);
    const expected = [0.5, -1, 2].map((a, i) => (1 - Math.tanh(a) ** 2) * [1, 2, -3][i]);
    expectAllClose(y, [0.5, -1, 2].map(Math.tanh));
    expectAllClose(dy, expected);
  });

  it("runs no backward pass and keeps no graph: an op whose backward throws still has a jvp, and nothing requires grad", () => {
    const square = customOp({
      name: "square",
      forward: (t) => t.mul(t),
      backward: () => {
        throw new Error("backward must not run in forward mode");
      },
      jvp: ([t], { inputs: [x] }) => t.mul(x).mul(2),
    });
    const [y, dy] = jvp((t: Tensor) => square(t.mul(3)).sum(), [tensor([1, 2])], [tensor([1, 0])]);
    expect(y.item()).toBe(45); // 9 + 36
    expect(dy.item()).toBe(18); // d/dx₁ (3x₁)² = 18 x₁ at x₁ = 1
    expect(y.requiresGrad || dy.requiresGrad).toBe(false);
    expect(y.isLeaf && dy.isLeaf).toBe(true);
  });

  it("gives a zero tangent for an output that ignores the input, and keeps float32", () => {
    const [, zero] = jvp(() => tensor([1, 2]), [tensor([3])], [tensor([1])]);
    expect(zero.toArray()).toEqual([0, 0]);
    const x32 = tensor([1, 2], { dtype: "float32" });
    const [y, dy] = jvp((t: Tensor) => t.mul(t), [x32], [tensor([1, 1], { dtype: "float32" })]);
    expect([y.dtype, dy.dtype]).toEqual(["float32", "float32"]);
    expect(dy.toArray()).toEqual([2, 4]);
  });

  it("the fused product rule (ȧ ∗ b + a ∗ ḃ in one pass) gives the bits of the three ops it replaces", () => {
    const a = tensor([0.1, -2.5, 3.3, 1e-300]);
    const b = tensor([7.7, 0.3, -1.1, 1e300]);
    const [ta, tb] = [tensor([0.3, 1.7, -0.9, 2]), tensor([-1.3, 0.2, 5.5, 3])];
    const fused = jvp((x: Tensor, y: Tensor) => x.mul(y), [a, b], [ta, tb])[1];
    // A tangent that requires grad makes the rule take its recorded form: mul, mul, add.
    const recorded = jvp((x: Tensor, y: Tensor) => x.mul(y), [a, b], [ta, tb.detach().requiresGrad_()])[1];
    expect(Array.from(fused.data)).toEqual(Array.from(recorded.data));
    expect(Array.from(fused.data)).toEqual([0, 1, 2, 3].map((i) => ta.data[i] * b.data[i] + a.data[i] * tb.data[i]));
  });

  it("refuses an in-place update of a tensor that carries a tangent (it would describe the old values)", () => {
    expect(() => jvp((t: Tensor) => t.mul(2).mul_(3), [tensor([1])], [tensor([1])])).toThrow(
      /^mul_: cannot update \(1\) in place inside jvp: it carries a tangent/,
    );
    expect(() => jvp((t: Tensor) => t.mul(2).sub_(tensor([1]), 0.5), [tensor([1])], [tensor([1])])).toThrow(
      AutodiffError,
    );
    // a tensor without a tangent may still be updated in place inside jvp
    const [y] = jvp((t: Tensor) => t.add(tensor([1]).mul_(3)), [tensor([1])], [tensor([1])]);
    expect(y.item()).toBe(4);
  });

  it("rejects mismatched primals and tangents with typed errors naming jvp", () => {
    expect(() => jvp((t: Tensor) => t, [tensor([1])], [])).toThrow(ValueError);
    expect(() => jvp((t: Tensor) => t, [tensor([1, 2])], [tensor([1])])).toThrow(
      /^jvp: tangent 0 must have its primal's shape \(2\), got \(1\)/,
    );
    expect(() => jvp((t: Tensor) => t, [tensor([1, 2])], [tensor([1])])).toThrow(ShapeError);
    expect(() => hvp(cubeSum, tensor([1, 2]), tensor([1]))).toThrow(/^hvp: v must have x's shape \(2\)/);
  });
});

describe("jacfwd, jacrev, hessian, hvp", () => {
  const W = tensor([
    [0.3, -1.2],
    [2.0, 0.5],
    [-0.7, 0.1],
  ]);
  const logits = (x: Tensor) => matmul(W, x);

  it("jacfwd equals jacrev and the closed form ∂softmax(Wx)/∂x = (diag(p) − ppᵀ)·W", () => {
    const x = tensor([0.4, -0.9]);
    const f = (t: Tensor) => softmax(logits(t));
    const Jf = jacfwd(f)(x);
    const Jr = jacrev(f)(x);
    expect(Jf.shape).toEqual([3, 2]);
    const p = noGrad(() => f(x)).data;
    const closed = [0, 1, 2].map((i) =>
      [0, 1].map((k) => [0, 1, 2].reduce((s, j) => s + ((i === j ? p[i] : 0) - p[i] * p[j]) * W.data[j * 2 + k], 0)),
    );
    expectAllClose(Jf, closed);
    expectAllClose(Jr, closed);
    expect(jacobian).toBe(jacrev);
  });

  it("jacfwd takes argnum and gives out.shape ++ x.shape", () => {
    const f = (a: Tensor, b: Tensor) => a.mul(b);
    const J = jacfwd(f, 1)(tensor([[1, 2]]), tensor([[3, 4]]));
    expect(J.shape).toEqual([1, 2, 1, 2]);
    expect(J.toArray()).toEqual([[[[1, 0]], [[0, 2]]]]);
    expect(() => jacfwd(f, 2)(tensor([1]), tensor([1]))).toThrow(/^jacfwd: argnum 2 is out of range/);
  });

  it("hessian (forward over reverse) of logSumExp(Wx) is Wᵀ(diag(p) − ppᵀ)W; hvp is H·v", () => {
    const x = tensor([0.4, -0.9]);
    const f = (t: Tensor) => logSumExp(logits(t));
    const H = hessian(f)(x);
    const p = noGrad(() => softmax(logits(x))).data;
    const closed = [0, 1].map((a) =>
      [0, 1].map((b) =>
        [0, 1, 2].reduce(
          (s, i) =>
            s +
            [0, 1, 2].reduce(
              (t, j) => t + W.data[i * 2 + a] * ((i === j ? p[i] : 0) - p[i] * p[j]) * W.data[j * 2 + b],
              0,
            ),
          0,
        ),
      ),
    );
    expectAllClose(H, closed);
    expectAllClose(jacrev(jacrev(f))(x), closed); // reverse over reverse agrees
    const v = tensor([1.5, -0.5]);
    const Hv = hvp(f, x, v);
    expectAllClose(
      Hv,
      [0, 1].map((a) => closed[a][0] * 1.5 - closed[a][1] * 0.5),
    );
    expect(hessian(cubeSum)(tensor([1, 2])).toArray()).toEqual([
      [6, 0],
      [0, 12],
    ]);
  });
});

describe("transforms nest in every order", () => {
  const x = tensor([0.5, -2]);
  const v = tensor([3, 0.25]);

  it("grad of jvp: ∇ₓ Σ (3x² ∗ v) = 6x ∗ v", () => {
    const g = grad((t: Tensor) => jvp((s: Tensor) => s.pow(3), [t], [v])[1].sum())(x);
    expectAllClose(g, [6 * 0.5 * 3, 6 * -2 * 0.25]);
  });

  it("grad of jvp with respect to the tangent: ∇ᵥ Σ (3x² ∗ v) = 3x²", () => {
    const g = grad((w: Tensor) => jvp((s: Tensor) => s.pow(3), [x], [w])[1].sum())(v);
    expectAllClose(g, [3 * 0.25, 3 * 4]);
  });

  it("jvp of grad: the directional derivative of ∇Σx³ = 3x² along v is 6x ∗ v", () => {
    const [g, Hv] = jvp(grad(cubeSum), [x], [v]);
    expectAllClose(g, [0.75, 12]);
    expectAllClose(Hv, [9, -3]);
    expect(g.requiresGrad || Hv.requiresGrad).toBe(false);
  });

  it("jvp of jvp: x³ along v₁ then v₂ is 6x ∗ v₁ ∗ v₂", () => {
    const v2 = tensor([-1, 2]);
    const [, ddy] = jvp((t: Tensor) => jvp((s: Tensor) => s.pow(3), [t], [v])[1], [x], [v2]);
    expectAllClose(ddy, [6 * 0.5 * 3 * -1, 6 * -2 * 0.25 * 2]);
  });

  it("no perturbation confusion: d/dx [x ∗ d/dy (x + y)] = 1, not 2 (Siskind & Pearlmutter's example)", () => {
    const f = (t: Tensor) => t.mul(jvp((y: Tensor) => t.add(y), [tensor(1)], [tensor(1)])[1]);
    expect(jvp(f, [tensor(2)], [tensor(1)])[1].item()).toBe(1);
    expect(grad(f)(tensor(2)).item()).toBe(1);
  });

  it("hessian of a function that calls grad: f = Σ (∇ Σx³/3)² = Σ x⁴ has H = diag(12x²)", () => {
    const f = (t: Tensor) =>
      grad((s: Tensor) => s.pow(3).div(3).sum())(t)
        .pow(2)
        .sum();
    expectAllClose(hessian(f)(x), [
      [12 * 0.25, 0],
      [0, 12 * 4],
    ]);
  });

  it("jacfwd of jacfwd and jacrev of jacfwd equal hessian; grad of hvp is a third derivative", () => {
    const H = [
      [3, 0],
      [0, -12],
    ]; // diag(6x)
    expectAllClose(jacfwd(jacfwd(cubeSum))(x), H);
    expectAllClose(jacrev(jacfwd(cubeSum))(x), H);
    expectAllClose(jacfwd(grad(cubeSum))(x), H);
    // ∇ₓ Σ (H(x)·v) = ∇ₓ Σ 6x ∗ v = 6v
    expectAllClose(grad((t: Tensor) => hvp(cubeSum, t, v).sum())(x), [18, 1.5]);
  });

  it("jvp through a closure that requires grad stays differentiable with respect to it", () => {
    const a = tensor([2, -1], { requiresGrad: true });
    const [, dy] = jvp((t: Tensor) => t.mul(a).tanh(), [x], [v]);
    sum(dy).backward();
    // dy = (1 − tanh²(a x)) a v;  d/da = v (1 − tanh²) − 2 tanh(ax)(1 − tanh²) a x v
    const expected = [0, 1].map((i) => {
      const [ai, xi, vi] = [a.data[i], x.data[i], v.data[i]];
      const th = Math.tanh(ai * xi);
      return vi * (1 - th * th) - 2 * th * (1 - th * th) * ai * xi * vi;
    });
    expectAllClose(a.grad as Tensor, expected, 1e-13);
  });
});

describe("customOp in forward mode", () => {
  const x = tensor([0.5, -1.5, 2]);
  const v = tensor([1, 2, -1]);

  it("an op with only jvp works in jvp, jacfwd and jvp of jvp, and names itself in a reverse-mode error", () => {
    const cube = customOp({
      name: "cubeFwd",
      forward: (t) => t.mul(t).mul(t),
      jvp: ([t], { inputs: [s] }) => t.mul(s.mul(s)).mul(3),
    });
    expectAllClose(jvp((t: Tensor) => cube(t), [x], [v])[1], [0.75, 13.5, -12]);
    expectAllClose(jacfwd((t: Tensor) => cube(t))(x), [
      [0.75, 0, 0],
      [0, 6.75, 0],
      [0, 0, 12],
    ]);
    const [, second] = jvp((t: Tensor) => jvp((s: Tensor) => cube(s), [t], [v])[1], [x], [v]);
    expectAllClose(second, [3, -36, 12]); // 6x v²
    expect(() => grad((t: Tensor) => cube(t).sum())(x)).toThrow(AutodiffError);
    expect(() => grad((t: Tensor) => cube(t).sum())(x)).toThrow(/^cubeFwd: has a jvp rule but no backward rule/);
  });

  it("an op with only backward works in forward mode through the transposed vjp", () => {
    const cube = customOp({
      name: "cubeRev",
      forward: (t) => t.mul(t).mul(t),
      backward: (g, { inputs: [s] }) => [g.mul(s.mul(s)).mul(3)],
    });
    expectAllClose(jvp((t: Tensor) => cube(t), [x], [v])[1], [0.75, 13.5, -12]);
    // Nested through the transposed rule: grad of jvp and jvp of jvp both give 6x ∗ v ∗ w.
    const w = tensor([2, 1, -1]);
    const gradOfJvp = grad((t: Tensor) =>
      jvp((s: Tensor) => cube(s), [t], [v])[1]
        .mul(w)
        .sum(),
    )(x);
    expectAllClose(gradOfJvp, [6, -18, 12]);
    expectAllClose(jvp((t: Tensor) => jvp((s: Tensor) => cube(s), [t], [v])[1], [x], [w])[1], [6, -18, 12]);
    expectAllClose(hessian((t: Tensor) => cube(t).sum())(x), [
      [3, 0, 0],
      [0, -9, 0],
      [0, 0, 12],
    ]);
  });

  it("needs at least one rule (a ValueError at run time; the type requires one at compile time)", () => {
    // @ts-expect-error: neither backward nor jvp
    expect(() => customOp({ name: "none", forward: (t: Tensor) => t })).toThrow(
      /^customOp: needs .* at least one rule/,
    );
  });
});
