/** Bad input to the gradient checks, gradients/backward and jit: typed errors naming the function called, never a vacuous pass. */
import {
  AutodiffError,
  compareGradients,
  customOp,
  DTypeError,
  GradcheckError,
  grad,
  gradcheck,
  gradcheckFloat32,
  gradgradcheck,
  gradients,
  JitError,
  jit,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
  valueAndGrad,
  vjp,
} from "@backprop/core";
import { describe, expect, it } from "vitest";
import { bad, expectTyped } from "../../../../test/expectTyped.js";

const x = tensor([1, 2, 3]);
const sum = (a: Tensor) => a.sum();
const x32 = tensor([1, 2], { dtype: "float32" });

describe("gradcheck, gradgradcheck and gradcheckFloat32 options", () => {
  const tolerances = (eps: string, atol: string, rtol: string) =>
    `needs a finite eps > 0 and finite atol, rtol ≥ 0, got eps=${eps}, atol=${atol}, rtol=${rtol}`;

  it("eps ≤ 0 or not a number, NaN or infinite tolerances", () => {
    expectTyped(
      () => gradcheck(sum, [x], { eps: -1 }),
      ValueError,
      "gradcheck",
      tolerances("-1", "undefined", "undefined"),
    );
    expectTyped(
      () => gradcheck(sum, [x], { eps: bad("1e-6") }),
      ValueError,
      "gradcheck",
      tolerances("1e-6", "undefined", "undefined"),
    );
    expectTyped(
      () => gradcheck(sum, [x], { atol: Number.NaN }),
      ValueError,
      "gradcheck",
      tolerances("undefined", "NaN", "undefined"),
    );
    expectTyped(
      () => gradcheck(sum, [x], { rtol: Number.POSITIVE_INFINITY }),
      ValueError,
      "gradcheck",
      tolerances("undefined", "undefined", "Infinity"),
    );
    expectTyped(
      () => gradgradcheck(sum, [x], { eps: 0 }),
      ValueError,
      "gradgradcheck",
      tolerances("0", "undefined", "undefined"),
    );
    expectTyped(
      () => gradcheckFloat32(sum, [x32], { eps: Number.NaN }),
      ValueError,
      "gradcheckFloat32",
      tolerances("NaN", "undefined", "undefined"),
    );
  });

  it("null options threw a TypeError; a misspelt option was ignored, so the check ran with the defaults", () => {
    const names = "{ eps, atol, rtol, raise, allowUnused }";
    expectTyped(
      () => gradcheck(sum, [x], bad(null)),
      ValueError,
      "gradcheck",
      "options must be an object such as { atol: 1e-5 }, got null",
    );
    expectTyped(() => gradcheckFloat32(sum, [x32], bad(null)), ValueError, "gradcheckFloat32", /got null$/);
    expectTyped(
      () => gradcheck(sum, [x], bad({ tol: 0 })),
      ValueError,
      "gradcheck",
      `unknown option 'tol': gradcheck takes ${names}`,
    );
    expectTyped(
      () => gradgradcheck(sum, [x], bad({ nondet_tol: 0 })),
      ValueError,
      "gradgradcheck",
      /^unknown option 'nondet_tol'/,
    );
    expectTyped(
      () => compareGradients(x, x, bad({ eps: 1 })),
      ValueError,
      "compareGradients",
      "unknown option 'eps': compareGradients takes { atol, rtol, index }",
    );
  });

  it("raise and allowUnused are booleans (the string 'no' counted as true)", () => {
    expectTyped(
      () => gradcheck(() => tensor(1), [x], { allowUnused: bad("no") }),
      ValueError,
      "gradcheck",
      'allowUnused must be true or false, got the string "no"',
    );
    expectTyped(
      () => gradcheck(sum, [x], { raise: bad(0) }),
      ValueError,
      "gradcheck",
      "raise must be true or false, got number 0",
    );
  });
});

describe("gradient checks cannot pass vacuously", () => {
  it("no inputs at all (passed with nothing checked)", () => {
    for (const [op, check] of [
      ["gradcheck", gradcheck],
      ["gradgradcheck", gradgradcheck],
      ["gradcheckFloat32", gradcheckFloat32],
    ] as const) {
      expectTyped(() => check(() => tensor(1), []), ValueError, op, "inputs is empty: there is nothing to check");
    }
  });

  it("gradcheckFloat32 of an f that ignores its input fails as gradcheck does (it passed: both Jacobians 0)", () => {
    const w = tensor([1, 2], { dtype: "float32" });
    expectTyped(
      () => gradcheckFloat32(() => w.sum(), [w]),
      GradcheckError,
      "gradcheckFloat32",
      /^the output of f does not depend on input 0/,
    );
    expect(gradcheckFloat32(() => w.sum(), [w], { allowUnused: true }).inputs[0].used).toBe(false);
    expect(gradcheckFloat32((a: Tensor) => a.mul(a).sum(), [w]).passed).toBe(true);
  });

  it("f must return a Tensor (gradcheckFloat32 threw a TypeError), synchronously", () => {
    expectTyped(
      () =>
        gradcheckFloat32(
          bad(() => 3),
          [x32],
        ),
      ValueError,
      "gradcheckFloat32",
      "f must return a Tensor, got number 3",
    );
    expectTyped(
      () =>
        gradcheck(
          bad(async (a: Tensor) => a.sum()),
          [x],
        ),
      ValueError,
      "gradcheck",
      "f must return a Tensor, got an object (Promise)",
    );
    expectTyped(
      () => gradcheckFloat32(sum, [x]),
      DTypeError,
      "gradcheckFloat32",
      "input 0 is float64; it checks float32 inputs (use gradcheck)",
    );
  });
});

describe("gradients and backward", () => {
  it("the output must be a Tensor (a number threw a TypeError)", () => {
    expectTyped(() => gradients(bad(3), []), ValueError, "gradients", "output must be a Tensor, got number 3");
  });

  it("the seed: its shape and type are named once ('does not match the output the output')", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expectTyped(
      () => w.mul(2).backward(tensor([1, 1, 1])),
      ShapeError,
      "backward",
      "seed gradient of shape (3) does not match the output (2) (unnamed)",
    );
    expectTyped(
      () => w.mul(2).backward(bad(3)),
      AutodiffError,
      "backward",
      "the seed gradient must be a Tensor, got number 3",
    );
    expectTyped(() => gradients(w.mul(2), [w], bad([1, 1])), AutodiffError, "gradients", /got an array/);
  });

  it("backward twice, and gradients through a graph backward freed", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.tanh().sum();
    y.backward();
    const freed = /^the graph through sum was already freed by an earlier backward\(\); pass \{ retainGraph: true \}/;
    expectTyped(() => y.backward(), AutodiffError, "backward", freed);
    expectTyped(() => gradients(y, [w]), AutodiffError, "gradients", freed);
  });

  it("a tensor from an earlier, freed graph is a constant to a new transform, not an error", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const h = w.tanh();
    h.sum().backward();
    expect(valueAndGrad((a: Tensor) => a.mul(h).sum())(tensor([1, 1]))[1].toArray()).toEqual(h.toArray());
  });
});

describe("backward's options, hooks and custom rules", () => {
  it("options: an object of boolean retainGraph and createGraph ({ create_graph: true } and 'yes' were ignored)", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = () => w.mul(w).sum();
    expectTyped(
      () => gradients(y(), [w], undefined, bad({ create_graph: true })),
      ValueError,
      "gradients",
      "unknown option 'create_graph': gradients takes { retainGraph, createGraph }",
    );
    expectTyped(
      () => gradients(y(), [w], undefined, bad({ createGraph: "yes" })),
      ValueError,
      "gradients",
      'createGraph must be true or false, got the string "yes"',
    );
    expectTyped(
      () => y().backward(undefined, bad(null)),
      ValueError,
      "backward",
      "options must be an object such as { retainGraph: true }, got null",
    );
    expect(gradients(y(), [w], undefined, { createGraph: true })[0].requiresGrad).toBe(true);
  });

  it("a hook returns a Tensor or nothing (a number was ignored)", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.mul(2);
    y.registerHook(bad(() => 3));
    expectTyped(
      () => y.sum().backward(),
      ValueError,
      "registerHook",
      "hook returned number 3; return a Tensor of the gradient's shape (2), or nothing to keep the gradient",
    );
  });

  it("a custom rule's float64 gradient for a float32 input is cast to float32, as PyTorch casts (the .grad was float64)", () => {
    const twice = customOp({
      name: "twice",
      forward: (a: Tensor) => a.mul(2),
      backward: (g: Tensor) => [g.astype("float64").mul(2)],
    });
    const w = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    twice(w).sum().backward();
    expect([w.grad?.dtype, w.grad?.toArray()]).toEqual(["float32", [2, 2]]);
    expect(grad((a: Tensor) => twice(a).sum())(x32).dtype).toBe("float32");
  });
});

describe("jit", () => {
  it("options: null threw a TypeError; an unknown option, a bad cache size or backend", () => {
    expectTyped(
      () => jit(sum, bad(null)),
      ValueError,
      "jit",
      "options must be an object such as { cacheSize: 16 }, got null",
    );
    expectTyped(
      () => jit(sum, bad({ cache: 4 })),
      ValueError,
      "jit",
      "unknown option 'cache': jit takes { cacheSize, backend }",
    );
    expectTyped(() => jit(sum, { cacheSize: 0 }), ValueError, "jit", "cacheSize must be a positive integer, got 0");
    expectTyped(
      () => jit(sum, { backend: bad("gpu") }),
      ValueError,
      "jit",
      'backend must be "auto", "codegen" or "interpret", got "gpu"',
    );
    expectTyped(() => jit(bad<() => unknown>(3)), ValueError, "jit", "expects a function of tensors, got number 3");
  });

  it("results jit cannot rebuild were handed back from the trace on every call: a Map gave the first call's values", () => {
    const opaque =
      /^the function returned an object \((\w+)\), which jit cannot look into: it would return the object the trace made on every call; return tensors, alone or in arrays and plain objects$/;
    expectTyped(() => jit((a: Tensor) => bad(new Map([["y", a.mul(2)]])))(x), JitError, "jit", opaque);
    class Box {
      constructor(readonly t: Tensor) {}
    }
    expectTyped(() => jit((a: Tensor) => bad(new Box(a.mul(2))))(x), JitError, "jit", opaque);
    expectTyped(
      () => jit((a: Tensor) => bad({ data: new Float64Array(3), a }))(x),
      JitError,
      "jit",
      /an object \(Float64Array\)/,
    );
    expectTyped(
      () => jit(bad<(a: Tensor) => Tensor>(async (a: Tensor) => a.sum()))(x),
      JitError,
      "jit",
      "the function returned a Promise (an async function?): jit traces the function synchronously, once, and would return that same Promise on every call; return tensors, alone or in arrays and plain objects",
    );
    expectTyped(
      () => jit((a: Tensor) => vjp(sum, a))(x),
      JitError,
      "jit",
      /^the function returned a function \(such as vjp's pullback\)/,
    );
  });

  it("arguments jit cannot compare by value are named by their path ('argument 0[0]' meant argument 0)", () => {
    const pass =
      "pass tensors, numbers, strings, booleans, and arrays or plain objects of them (close over anything else)";
    const id = jit((...args: unknown[]) => args[0] as Tensor);
    expectTyped(() => id(() => 1), JitError, "jit", `argument 0 is a function; ${pass}`);
    expectTyped(
      () => id(x, [x, new Map()]),
      JitError,
      "jit",
      `argument 1[1] is an object jit cannot compare by value; ${pass}`,
    );
    expectTyped(
      () => id.lower(x, { opts: new Set() }),
      JitError,
      "jit",
      `argument 1.opts is an object jit cannot compare by value; ${pass}`,
    );
  });

  it("plain results still work: tensors in arrays and plain objects, numbers, null", () => {
    const f = jit((a: Tensor) => ({ y: [a.mul(2)], n: 1, none: null }));
    f(tensor([1]));
    const r = f(tensor([5]));
    expect([r.y[0].toArray(), r.n, r.none]).toEqual([[10], 1, null]);
  });

  it("reading a traced value and backward() inside a jitted function are JitErrors", () => {
    expectTyped(
      () => jit((a: Tensor) => tensor(a.sum().item()))(x),
      JitError,
      "jit",
      /^item\(\) read the values of a traced tensor of shape \(\)/,
    );
    const w = tensor([1], { requiresGrad: true });
    expectTyped(
      () =>
        jit((a: Tensor) => {
          w.mul(a.sum()).backward();
          return a;
        })(x),
      JitError,
      "backward",
      /^called inside a function jit is tracing/,
    );
  });
});
