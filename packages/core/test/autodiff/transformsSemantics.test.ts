/** The transforms' semantics against JAX's values: unused inputs, dtypes, nesting, differentiable pullbacks, state restored after a throw. */
import {
  AutodiffError,
  detectAnomaly,
  enableGrad,
  grad,
  gradcheck,
  gradients,
  hessian,
  hvp,
  isAnomalyEnabled,
  isGradEnabled,
  isTracing,
  jacfwd,
  jacrev,
  jit,
  jvp,
  noGrad,
  ones,
  type Tensor,
  tensor,
  ValueError,
  valueAndGrad,
  vjp,
  withTracing,
} from "@backprop/core";
import { describe, expect, it } from "vitest";
import { expectTyped } from "../../../../test/expectTyped.js";

const x = tensor([1, 2, 3]);
const cube = (a: Tensor) => a.pow(3).sum();

describe("values as JAX computes them", () => {
  it("hessian of Σx³ is diag(6x); of the vector x³ it is out.shape ++ x.shape ++ x.shape", () => {
    expect(hessian(cube)(tensor([1, 2])).toArray()).toEqual([
      [6, 0],
      [0, 12],
    ]);
    expect(hessian((a: Tensor) => a.pow(3))(tensor([1, 2])).toArray()).toEqual([
      [
        [6, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 12],
      ],
    ]);
  });

  it("jvp of a function of several inputs sums each input's contribution: d(a·b + eᵃ) = ȧ·b + a·ḃ + eᵃ·ȧ", () => {
    const a = tensor([0.5, -1]);
    const b = tensor([2, 3]);
    const da = tensor([1, 2]);
    const db = tensor([-1, 0.5]);
    const [y, dy] = jvp((p: Tensor, q: Tensor) => p.mul(q).add(p.exp()), [a, b], [da, db]);
    const expected = [0, 1].map(
      (i) => da.data[i] * b.data[i] + a.data[i] * db.data[i] + Math.exp(a.data[i]) * da.data[i],
    );
    expect(y.toArray()).toEqual([0, 1].map((i) => a.data[i] * b.data[i] + Math.exp(a.data[i])));
    expect(Array.from(dy.data, (v, i) => Math.abs(v - expected[i]) < 1e-15)).toEqual([true, true]);
  });

  it("an input f does not use gets a zero gradient, as in JAX: grad, valueAndGrad, vjp, jvp, jacrev, jacfwd", () => {
    const second = tensor([[5, 6]], { dtype: "float32" });
    const [dx, dSecond] = grad((a: Tensor, _b: Tensor) => a.sum(), { argnums: [0, 1] })(x, second);
    expect(dx.toArray()).toEqual([1, 1, 1]);
    expect([dSecond.shape, dSecond.dtype, dSecond.toArray()]).toEqual([[1, 2], "float32", [[0, 0]]]);
    expect(grad(() => tensor(1))(x).toArray()).toEqual([0, 0, 0]);
    expect(valueAndGrad((a: Tensor) => a.detach().sum())(x)[1].toArray()).toEqual([0, 0, 0]);
    expect(vjp((a: Tensor, _b: Tensor) => a.mul(2), x, x)[1](ones([3]))[1].toArray()).toEqual([0, 0, 0]);
    expect(jvp(() => tensor([1, 2]), [x], [ones([3])])[1].toArray()).toEqual([0, 0]);
    expect(jacrev(() => tensor([1, 2]))(x).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(jacfwd((_a: Tensor, b: Tensor) => b, 0)(tensor([1]), tensor([2])).toArray()).toEqual([[0]]);
  });

  it("nests in every order: grad of grad, jvp of grad (= hvp), grad of jvp", () => {
    expect(grad((a: Tensor) => grad(cube)(a).sum())(x).toArray()).toEqual([6, 12, 18]);
    const v = tensor([1, 0, -1]);
    expect(jvp(grad(cube), [x], [v])[1].toArray()).toEqual([6, 0, -18]);
    expect(hvp(cube, x, v).toArray()).toEqual([6, 0, -18]);
    expect(grad((a: Tensor) => jvp(cube, [a], [v])[1])(x).toArray()).toEqual([6, 0, -18]);
  });
});

describe("vjp's pullback is linear in the cotangent and differentiable with respect to it", () => {
  const square = (a: Tensor) => a.mul(a);

  it("grad with respect to the cotangent is J (it was zeros: the pullback dropped the cotangent's graph)", () => {
    const [, pullback] = vjp(square, x);
    expect(grad((u: Tensor) => pullback(u)[0].sum())(ones([3])).toArray()).toEqual([2, 4, 6]);
    expect(grad((u: Tensor) => vjp(square, x)[1](u)[0].sum())(ones([3])).toArray()).toEqual([2, 4, 6]);
    const u = tensor([1, 1, 1], { requiresGrad: true });
    expect(pullback(u)[0].requiresGrad).toBe(true);
  });

  it("jvp along the cotangent is the pullback of the tangent", () => {
    const [, pullback] = vjp(square, x);
    expect(jvp((u: Tensor) => pullback(u)[0], [ones([3])], [tensor([1, 0, 0])])[1].toArray()).toEqual([2, 0, 0]);
  });
});

describe("gradients keep their tensor's dtype, whatever the dtype of the seed, cotangent or tangent", () => {
  const x32 = tensor([1, 2], { dtype: "float32" });

  it("a float64 cotangent or seed for a float32 output (the float32 input's gradient came out float64)", () => {
    const [, pullback] = vjp((a: Tensor) => a.mul(2), x32);
    const [g] = pullback(tensor([0.1, 1]));
    expect([g.dtype, Array.from(g.data)]).toEqual(["float32", [Math.fround(Math.fround(0.1) * 2), 2]]);
    const w = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    expect(gradients(w.mul(2), [w], ones([2]))[0].dtype).toBe("float32");
    w.mul(2).backward(ones([2]));
    expect(w.grad?.dtype).toBe("float32");
  });

  it("a float64 tangent for a float32 primal is cast to float32 (a documented cast; jvp's tangent has the primal's dtype)", () => {
    const [y, dy] = jvp((a: Tensor) => a.mul(2), [x32], [tensor([0.1, 1])]);
    expect([y.dtype, dy.dtype, dy.data[0]]).toEqual(["float32", "float32", Math.fround(Math.fround(0.1) * 2)]);
  });

  it("a float32 input of a float64 computation gets a float32 gradient (as JAX and PyTorch)", () => {
    const g = grad((a: Tensor) => a.mul(tensor([1, 2])).sum())(x32);
    expect([g.dtype, g.toArray()]).toEqual(["float32", [1, 2]]);
  });
});

describe("a throw inside a transform or switch leaves every mode as it was", () => {
  const boom = new Error("boom");
  const thrower = (..._args: Tensor[]): Tensor => {
    throw boom;
  };
  const modes = () => [isGradEnabled(), isAnomalyEnabled(), isTracing()];

  it("the user's own error comes out unchanged (same object), inside noGrad too, for every transform", () => {
    const calls: Array<() => unknown> = [
      () => grad(thrower)(x),
      () => valueAndGrad(thrower)(x),
      () => vjp(thrower, x),
      () => jvp(thrower, [x], [x]),
      () => jacrev(thrower)(x),
      () => jacfwd(thrower)(x),
      () => hessian(thrower)(x),
      () => hvp(thrower, x, x),
      () => jit(thrower)(x),
      () => detectAnomaly(thrower),
      () => withTracing(thrower),
      () => enableGrad(thrower),
    ];
    for (const call of calls) {
      for (const outer of [noGrad, enableGrad] as const) {
        const inside = outer(() => {
          expect(call).toThrow(boom);
          return modes();
        });
        expect(inside).toEqual([outer === enableGrad, false, false]);
        expect(modes()).toEqual([true, false, false]);
      }
    }
  });

  it("a jvp that threw leaves no level open: jit still compiles afterwards (it runs eagerly while a jvp is active)", () => {
    expect(() => jvp(thrower, [x], [x])).toThrow(boom);
    expect(() => hvp(thrower, x, x)).toThrow(boom);
    const twice = jit((a: Tensor) => a.mul(2));
    expect(twice(x).toArray()).toEqual([2, 4, 6]);
    expect(twice.traceCount).toBe(1);
  });

  it("a jitted function that threw while tracing traces again on the next call", () => {
    let calls = 0;
    const f = jit((a: Tensor) => {
      calls++;
      if (calls === 1) throw boom;
      return a.mul(2);
    });
    expect(() => f(x)).toThrow(boom);
    expect(modes()).toEqual([true, false, false]);
    expect(f(tensor([5])).toArray()).toEqual([10]);
    expect(f(tensor([7])).toArray()).toEqual([14]);
  });
});

describe("async functions: the switches are synchronous", () => {
  it("noGrad, enableGrad, detectAnomaly and withTracing refuse a Promise (the code after await ran with the mode off)", async () => {
    const message =
      /^fn returned a Promise \(an async function\?\): the mode is switched back when fn returns, so the code after its first await would run without it; call \w+ inside the async function, around the synchronous code$/;
    for (const [op, run] of [
      ["noGrad", noGrad],
      ["enableGrad", enableGrad],
      ["detectAnomaly", detectAnomaly],
      ["withTracing", withTracing],
    ] as const) {
      expectTyped(() => run(async () => 1), ValueError, op, message);
      // an async function that rejects: the typed error, and no unhandled rejection afterwards
      expectTyped(() => run(async () => Promise.reject(new Error("late"))), ValueError, op, message);
      expect([isGradEnabled(), isAnomalyEnabled(), isTracing()]).toEqual([true, false, false]);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it("synchronous results, undefined and null included, pass through", () => {
    expect(noGrad(() => undefined)).toBeUndefined();
    expect(enableGrad(() => null)).toBeNull();
    expect(withTracing(() => 3)).toBe(3);
  });
});

describe("an in-place update of f's own argument is refused (it was left out of the derivative)", () => {
  const updated = `the function updated its argument 0 (2) in place: in-place updates are not recorded, so the derivative would leave the update out (and the tensor passed in changed too); compute a new tensor instead (a.mul(2), not a.mul_(2))`;

  it("grad of a ↦ Σ(2a)² written with mul_ gave 2·(2a) = [4, 8], not JAX's 8a = [8, 16]", () => {
    const doubledSquare = (a: Tensor) => {
      a.mul_(2);
      return a.mul(a).sum();
    };
    expectTyped(() => grad(doubledSquare)(tensor([1, 2])), AutodiffError, "grad", updated);
    expect(grad((a: Tensor) => a.mul(2).mul(a.mul(2)).sum())(tensor([1, 2])).toArray()).toEqual([8, 16]);
  });

  it("vjp, jacrev, jacfwd (an argument it does not differentiate, updated once per column) and gradcheck", () => {
    const bump = (a: Tensor, b: Tensor) => {
      a.add_(1);
      return a.mul(b);
    };
    const b = tensor([1, 1]);
    expectTyped(() => vjp(bump, tensor([1, 2]), b), AutodiffError, "vjp", updated);
    expectTyped(() => jacrev(bump, 1)(tensor([1, 2]), b), AutodiffError, "jacrev", updated);
    expectTyped(() => jacfwd(bump, 1)(tensor([1, 2]), b), AutodiffError, "jacfwd", updated);
    expectTyped(() => gradcheck(bump, [tensor([1, 2]), b]), AutodiffError, "gradcheck", updated);
  });
});
