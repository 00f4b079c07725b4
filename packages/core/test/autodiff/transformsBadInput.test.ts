/** Bad input to grad, valueAndGrad, vjp, jvp, jacrev, jacfwd, hessian and hvp: typed errors naming the transform called and the values. */
import {
  AutodiffError,
  grad,
  hessian,
  hvp,
  jacfwd,
  jacobian,
  jacrev,
  jvp,
  ones,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
  valueAndGrad,
  vjp,
  zeros,
} from "@backprop/core";
import { describe, expect, it } from "vitest";
import { bad, expectTyped } from "../../../../test/expectTyped.js";

const x = tensor([1, 2, 3]);
const cube = (a: Tensor) => a.pow(3).sum();
const dot = (a: Tensor, b: Tensor) => a.mul(b).sum();

describe("argnums are read as torch.func reads them: integers in [−n, n), distinct, at least one", () => {
  it("out of range, either side (the message gives the valid range)", () => {
    const range = "is out of range for a call with 1 argument(s) (valid: -1 to 0)";
    expectTyped(() => grad(cube, { argnums: 5 })(x), ValueError, "grad", `argnums 5 ${range}`);
    expectTyped(() => grad(cube, { argnums: -2 })(x), ValueError, "grad", `argnums -2 ${range}`);
    expectTyped(
      () => grad(() => tensor(1))(),
      ValueError,
      "grad",
      "argnums 0 is out of range for a call with 0 argument(s) (it was called with no arguments)",
    );
  });

  it("a negative argnum counts from the end, as in torch.func and JAX: −1 is the last argument", () => {
    const b = tensor([4, 5, 6]);
    expect(grad(dot, { argnums: -1 })(x, b).toArray()).toEqual([1, 2, 3]);
    const [da, db] = grad(dot, { argnums: [-2, -1] })(x, b);
    expect([da.toArray(), db.toArray()]).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(jacrev((a: Tensor, c: Tensor) => a.mul(c), -1)(x, b).toArray()).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 3],
    ]);
  });

  it("not an integer: a fraction, NaN, a string, null (the string '0' said 'argnums 0 is out of range')", () => {
    expectTyped(() => grad(cube, { argnums: 0.5 })(x), ValueError, "grad", "argnums must be integers, got number 0.5");
    expectTyped(
      () => grad(cube, { argnums: Number.NaN })(x),
      ValueError,
      "grad",
      "argnums must be integers, got number NaN",
    );
    expectTyped(
      () => grad(cube, { argnums: bad("0") })(x),
      ValueError,
      "grad",
      'argnums must be an integer or a non-empty array of integers, got the string "0"',
    );
    // null threw "TypeError: argnums is not iterable"
    expectTyped(
      () => grad(cube, { argnums: bad(null) })(x),
      ValueError,
      "grad",
      "argnums must be an integer or a non-empty array of integers, got null",
    );
    expectTyped(
      () => grad(dot, { argnums: [0, bad("1")] })(x, x),
      ValueError,
      "grad",
      'argnums must be integers, got the string "1"',
    );
  });

  it("an empty list (returned []) and a repeated index (returned the gradient twice)", () => {
    expectTyped(
      () => grad(cube, { argnums: [] })(x),
      ValueError,
      "grad",
      "argnums must be an integer or a non-empty array of integers, got an empty array",
    );
    expectTyped(() => grad(cube, { argnums: [0, 0] })(x), ValueError, "grad", "argnums [0,0] names argument 0 twice");
    expectTyped(
      () => grad(dot, { argnums: [1, -1] })(x, x),
      ValueError,
      "grad",
      "argnums [1,-1] names argument 1 twice",
    );
    expectTyped(() => valueAndGrad(cube, { argnums: [] })(x), ValueError, "valueAndGrad", /got an empty array$/);
  });

  it("jacrev, jacfwd and hessian take one argnum: a list silently used its first entry", () => {
    const f = (a: Tensor, b: Tensor) => a.mul(b);
    const message = (op: string) =>
      `argnum must be one integer, got an array [0,1]: ${op} differentiates with respect to one argument; call it once per argument`;
    expectTyped(() => jacrev(f, bad([0, 1]))(x, x), ValueError, "jacrev", message("jacrev"));
    expectTyped(() => jacfwd(f, bad([0, 1]))(x, x), ValueError, "jacfwd", message("jacfwd"));
    expectTyped(() => hessian(dot, bad([0, 1]))(x, x), ValueError, "hessian", message("hessian"));
    expectTyped(
      () => jacobian(f, 2)(x, x),
      ValueError,
      "jacrev",
      "argnum 2 is out of range for a call with 2 argument(s) (valid: -2 to 1)",
    );
    expectTyped(() => jacfwd(f, 1.5)(x, x), ValueError, "jacfwd", "argnum must be integers, got number 1.5");
    expectTyped(() => hessian(cube, 3)(x), ValueError, "hessian", /^argnum 3 is out of range/);
  });

  it("jacrev with no argument threw a TypeError from inside f", () => {
    expectTyped(
      () => jacrev((a: Tensor) => a.mul(a))(),
      ValueError,
      "jacrev",
      "argnum 0 is out of range for a call with 0 argument(s) (it was called with no arguments)",
    );
  });
});

describe("options are an object of known names (grad(f, 1), JAX's way to write argnums, differentiated argument 0)", () => {
  it("a number, null or an array instead of the options object", () => {
    const expected = "options must be an object such as { argnums: 1 }, got";
    expectTyped(() => grad(dot, bad(1)), ValueError, "grad", `${expected} number 1`);
    expectTyped(() => grad(dot, bad(null)), ValueError, "grad", `${expected} null`);
    expectTyped(
      () => valueAndGrad(dot, bad([1])),
      ValueError,
      "valueAndGrad",
      `${expected} an array (wrap it with tensor())`,
    );
  });

  it("an unknown option (a misspelt argnum was ignored; hasAux is not supported and says so)", () => {
    expectTyped(
      () => grad(dot, bad({ argnum: 1 })),
      ValueError,
      "grad",
      "unknown option 'argnum': grad takes { argnums }",
    );
    expectTyped(
      () => valueAndGrad(cube, bad({ hasAux: true })),
      ValueError,
      "valueAndGrad",
      "unknown option 'hasAux': valueAndGrad takes { argnums }; auxiliary outputs are not supported: compute them outside f",
    );
  });

  it("f must be a function, checked when the transform is made", () => {
    for (const [op, make] of [
      ["grad", () => grad(bad(3))],
      ["valueAndGrad", () => valueAndGrad(bad(null))],
      ["jacrev", () => jacrev(bad("f"))],
      ["jacfwd", () => jacfwd(bad(undefined))],
      ["hessian", () => hessian(bad({}))],
      ["hvp", () => hvp(bad(1), x, x)],
      ["vjp", () => vjp(bad(1), x)],
      ["jvp", () => jvp(bad(1), [x], [x])],
    ] as const) {
      expectTyped(make, ValueError, op, /^expects a function of tensors, got /);
    }
  });
});

describe("what f returns: one Tensor, synchronously", () => {
  it("grad's f must return one element: shape (3), and an empty (0) output", () => {
    const scalarOnly = "use vjp or jacobian for other outputs";
    expectTyped(
      () => grad((a: Tensor) => a.mul(2))(x),
      ShapeError,
      "grad",
      `the function must return a scalar (one element), got shape (3); ${scalarOnly}`,
    );
    expectTyped(() => grad((a: Tensor) => a.slice([[0, 0]]))(x), ShapeError, "grad", /got shape \(0\)/);
    expectTyped(() => hvp((a: Tensor) => a.pow(3), x, x), ShapeError, "hvp", /must return a scalar .* got shape \(3\)/);
  });

  it("a number, undefined, an array, an object, a Promise (the message says which)", () => {
    const prefix = "the function must return a Tensor, got";
    expectTyped(() => grad(bad(() => 3))(x), ValueError, "grad", `${prefix} number 3`);
    expectTyped(() => grad(bad(() => undefined))(x), ValueError, "grad", `${prefix} undefined`);
    expectTyped(
      () => valueAndGrad(bad((a: Tensor) => [a.sum(), a.sum()]))(x),
      ValueError,
      "valueAndGrad",
      `${prefix} an array of 2: return one Tensor (stack or concatenate several outputs, or transform each one)`,
    );
    expectTyped(
      () => grad(bad((a: Tensor) => ({ loss: a.sum() })))(x),
      ValueError,
      "grad",
      `${prefix} an object (Object)`,
    );
    expectTyped(
      () => grad(bad(async (a: Tensor) => a.sum()))(x),
      ValueError,
      "grad",
      `${prefix} a Promise: transforms run the function synchronously, so it cannot be async`,
    );
    expectTyped(
      () =>
        vjp(
          bad(() => null),
          x,
        ),
      ValueError,
      "vjp",
      `${prefix} null`,
    );
    expectTyped(
      () =>
        jvp(
          bad((a: Tensor) => [a, a]),
          [x],
          [x],
        ),
      ValueError,
      "jvp",
      `${prefix} an array: return one Tensor (stack or concatenate several outputs, or call it once per output)`,
    );
    expectTyped(() => jacfwd(bad(() => 3))(x), ValueError, "jacfwd", `${prefix} number 3`);
  });

  it("jacrev, hessian and hvp name themselves, not the vjp, jacfwd or grad they are built on", () => {
    expectTyped(() => jacrev(bad(() => 3))(x), ValueError, "jacrev", "the function must return a Tensor, got number 3");
    expectTyped(
      () => hessian(bad(() => 3))(x),
      ValueError,
      "hessian",
      "the function must return a Tensor, got number 3",
    );
    expectTyped(
      () => jacrev((a: Tensor) => a)(bad("3")),
      ValueError,
      "jacrev",
      'argument 0 must be a Tensor or a number, got the string "3"',
    );
  });
});

describe("arguments, cotangents and tangents", () => {
  it("arguments must be Tensors or numbers, named by position and value", () => {
    expectTyped(
      () => grad(cube)(bad([1, 2])),
      ValueError,
      "grad",
      "argument 0 must be a Tensor or a number, got an array (wrap it with tensor())",
    );
    expectTyped(
      () => grad(dot, { argnums: 1 })(x, bad(undefined)),
      ValueError,
      "grad",
      "argument 1 must be a Tensor or a number, got undefined",
    );
    expectTyped(
      () => vjp((a: Tensor) => a, bad(null)),
      ValueError,
      "vjp",
      "argument 0 must be a Tensor or a number, got null",
    );
    expectTyped(
      () => jvp((a: Tensor) => a, [bad("a")], [x]),
      ValueError,
      "jvp",
      'primal 0 must be a Tensor or a number, got the string "a"',
    );
    expectTyped(
      () => jacfwd((a: Tensor) => a)(bad(null)),
      ValueError,
      "jacfwd",
      "expected a Tensor or a number, got null",
    );
  });

  it("booleans are not numbers; integer data becomes float64 (there is no integer dtype to refuse, unlike JAX)", () => {
    expectTyped(
      () => grad(cube)(bad(true)),
      ValueError,
      "grad",
      "argument 0 must be a Tensor or a number, got boolean true",
    );
    expectTyped(
      () => jvp(cube, [bad(false)], [1]),
      ValueError,
      "jvp",
      "primal 0 must be a Tensor or a number, got boolean false",
    );
    const fromInts = tensor(new Int32Array([1, 2]));
    expect([fromInts.dtype, grad(cube)(fromInts).toArray()]).toEqual(["float64", [3, 12]]);
  });

  it("vjp's cotangent has the output's shape; a number is a 0-d cotangent", () => {
    const [, pullback] = vjp((a: Tensor) => a.mul(2), x);
    expectTyped(() => pullback(ones([2])), ShapeError, "vjp", "cotangent must have the output's shape (3), got (2)");
    expectTyped(() => pullback(1), ShapeError, "vjp", "cotangent must have the output's shape (3), got ()");
    expectTyped(
      () => pullback(bad(undefined)),
      ShapeError,
      "vjp",
      "cotangent must have the output's shape (3), got undefined",
    );
    const [, scalarPullback] = vjp(cube, x);
    expect(scalarPullback(2)[0].toArray()).toEqual([6, 24, 54]); // JAX's vjp_fun(2.0)
  });

  it("jvp's tangents have their primals' shapes; numbers are 0-d tangents (JAX's jvp(f, (2.,), (1.,)))", () => {
    expectTyped(
      () => jvp((a: Tensor) => a, [x], [ones([2])]),
      ShapeError,
      "jvp",
      "tangent 0 must have its primal's shape (3), got (2)",
    );
    expectTyped(
      () => jvp((a: Tensor) => a, [x], [1]),
      ShapeError,
      "jvp",
      "tangent 0 must have its primal's shape (3), got ()",
    );
    // null gave a zero tangent
    expectTyped(
      () => jvp((a: Tensor) => a, [x], [bad(null)]),
      ValueError,
      "jvp",
      "tangent 0 must be a Tensor or a number, got null",
    );
    expectTyped(() => jvp((a: Tensor) => a, [x], []), ValueError, "jvp", "1 primals but 0 tangents");
    expectTyped(
      () => jvp((a: Tensor) => a, bad(x), bad(x)),
      ValueError,
      "jvp",
      /^expects an array of primals and an array of tangents, got an object \(Tensor\) and an object \(Tensor\)$/,
    );
    const [y, dy] = jvp((a: Tensor) => a.pow(3), [2], [1]);
    expect([y.item(), dy.item()]).toEqual([8, 12]);
    expect(hvp((a: Tensor) => a.pow(3), 2, 1).item()).toBe(12);
  });

  it("hvp's v has x's shape", () => {
    expectTyped(() => hvp(cube, tensor([1, 2]), tensor([1])), ShapeError, "hvp", "v must have x's shape (2), got (1)");
    expectTyped(() => hvp(cube, tensor([1, 2]), bad(null)), ShapeError, "hvp", "v must have x's shape (2), got null");
    expectTyped(
      () => hvp(cube, bad("a"), tensor([1])),
      ValueError,
      "hvp",
      'expected a Tensor or a number, got the string "a"',
    );
  });
});

describe("misuse of the engine inside a transform names the transform", () => {
  it("backward() inside grad's f frees the graph grad needs", () => {
    const f = (a: Tensor) => {
      const s = a.sum();
      s.backward();
      return s;
    };
    expectTyped(
      () => grad(f)(x),
      AutodiffError,
      "grad",
      /^the graph through sum was already freed by an earlier backward\(\)/,
    );
  });

  it("empty inputs give empty results of the input's dtype (jacrev made float64 for float32)", () => {
    const empty32 = zeros([0], { dtype: "float32" });
    for (const J of [jacrev((a: Tensor) => a.mul(a))(empty32), jacfwd((a: Tensor) => a.mul(a))(empty32)]) {
      expect(J.shape).toEqual([0, 0]);
      expect(J.dtype).toBe("float32");
    }
    expect(grad((a: Tensor) => a.sum())(zeros([0])).shape).toEqual([0]);
  });
});
