/** Bad input to the public API: a typed error whose message starts with the function called — never a TypeError from inside, never a silent result. */
import {
  astype,
  broadcastTo,
  cast,
  compareGradients,
  concat,
  customOp,
  DTypeError,
  enableGrad,
  expandDims,
  flatten,
  formatGradientSummary,
  formatTrace,
  grad,
  gradcheck,
  gradients,
  jacrev,
  jvp,
  linspace,
  logSoftmax,
  max,
  noGrad,
  ones,
  onesLike,
  pad,
  RandomState,
  rand,
  randn,
  relativeDifference,
  reshape,
  ShapeError,
  scalar,
  setGemmBackend,
  slice,
  softmax,
  squeeze,
  stack,
  stopGradient,
  sum,
  Tensor,
  tensor,
  transpose,
  ValueError,
  withTracing,
  zeros,
  zerosLike,
} from "@backprop/core";
import { describe, expect, it } from "vitest";
import { expectTyped } from "../../../test/expectTyped.js";

// Casts for values a TypeScript caller cannot pass but a JavaScript one can.
const bad = <T>(v: unknown) => v as T;
const x = ones([2, 3]);

describe("the Tensor constructor checks what it wraps (it made tensors of plain arrays and negative shapes)", () => {
  it("data must be a Float64Array or a Float32Array", () => {
    expectTyped(() => new Tensor(bad([1, 2]), [2]), ValueError, "Tensor", /an array .*use tensor\(\)/);
    expectTyped(() => new Tensor(bad(new Int32Array(2)), [2]), ValueError, "Tensor", /Int32Array/);
  });

  it("shape must be non-negative integers whose product is the length", () => {
    expectTyped(() => new Tensor(new Float64Array(2), [-2, -1]), ShapeError, "Tensor", /invalid shape \[-2,-1\]/);
    expectTyped(() => new Tensor(new Float64Array(2), [0.5, 4]), ShapeError, "Tensor", /invalid shape \[0.5,4\]/);
    expectTyped(() => new Tensor(new Float64Array(2), bad(2)), ValueError, "Tensor", /shape must be an array/);
    expectTyped(
      () => new Tensor(new Float64Array(2), [3]),
      ShapeError,
      "Tensor",
      /data has 2 elements but shape \(3\)/,
    );
  });
});

describe("arguments that silently gave a wrong result", () => {
  it("slice: ranges must be an array of null, n, [n] or [start, end] (5 returned x; [0, 1, 2] read as [0, 1])", () => {
    expectTyped(() => slice(x, bad(5)), ValueError, "slice", /ranges must be an array/);
    expectTyped(() => slice(x, bad([[0, 1, 2]])), ValueError, "slice", /range for axis 0 .* got \[0,1,2\]/);
    expectTyped(() => slice(x, bad([[]])), ValueError, "slice", /range for axis 0/);
    expectTyped(() => slice(x, bad([{}])), ValueError, "slice", /range for axis 0 .*an object/);
  });

  it("pad: starts must be integers and outer a shape (a fractional start wrote a shifted copy)", () => {
    expectTyped(() => pad(x, [3, 4], [0.5, 0]), ShapeError, "pad", /\(2,3\) at \[0.5,0\] does not fit in \(3,4\)/);
    expectTyped(() => pad(x, [3, 3], [Number.NaN, 0]), ShapeError, "pad", /at \[NaN,0\]/);
    expectTyped(() => pad(x, [2.5, 3], [0, 0]), ShapeError, "pad", /invalid shape \[2.5,3\]/);
    expectTyped(() => pad(x, bad(null), [0, 0]), ValueError, "pad", /shape must be an array/);
    expectTyped(() => pad(x, [2, 3], bad(null)), ValueError, "pad", /starts must be an array/);
  });

  it("softmax and logSoftmax take one axis (a list used its first entry)", () => {
    expectTyped(() => softmax(x, bad([0, 1])), ValueError, "softmax", /axis must be a number/);
    expectTyped(() => logSoftmax(x, bad(null)), ValueError, "logSoftmax", /axis must be a number/);
  });

  it("tensor's second argument is a shape or an options object (a dtype string was ignored)", () => {
    expectTyped(
      () => tensor([1], bad("float32")),
      ValueError,
      "tensor",
      /second argument must be a shape or an options object/,
    );
  });

  it("scalar and linspace check their numbers (NaN came out)", () => {
    expectTyped(() => scalar(bad("a")), ValueError, "scalar", /value must be a number/);
    expectTyped(() => scalar(1, bad("int")), DTypeError, "scalar", /unknown dtype "int"/);
    expectTyped(() => linspace(bad("a"), 1, 3), ValueError, "linspace", /start and stop must be numbers/);
    expectTyped(() => linspace(0, bad(undefined), 3), ValueError, "linspace", /start and stop must be numbers/);
  });

  it("setGemmBackend takes one of its three choices", () => {
    expectTyped(() => setGemmBackend(bad("gpu")), ValueError, "setGemmBackend", /"js", "wasm" or "auto"/);
  });
});

describe("arguments that threw a TypeError or RangeError from inside", () => {
  it("non-tensors where a tensor is expected", () => {
    for (const [op, call] of [
      ["squeeze", () => squeeze(bad(null))],
      ["expandDims", () => expandDims(bad(undefined), 0)],
      ["astype", () => astype(bad(null), "float32")],
      ["cast", () => cast(bad([1, 2]), "float32")],
      ["stopGradient", () => stopGradient(bad("x"))],
      ["stack", () => stack([x, bad(null)])],
      ["flatten", () => flatten(bad(null))],
    ] as const) {
      expectTyped(call, ValueError, op, /expected a Tensor/);
    }
    expectTyped(() => x.astype(bad("int32")), DTypeError, "astype", /unknown dtype "int32"/);
  });

  it("shapes and axes that are not arrays or numbers", () => {
    expectTyped(() => reshape(x, bad(6)), ValueError, "reshape", /shape must be an array/);
    expectTyped(() => broadcastTo(x, bad(null)), ValueError, "broadcastTo", /shape must be an array/);
    expectTyped(() => transpose(x, bad(1)), ValueError, "transpose", /axes must be an array/);
    expectTyped(() => zeros(bad(3)), ValueError, "zeros", /shape must be an array/);
    expectTyped(() => ones(bad("3")), ValueError, "ones", /the string "3"/);
    expectTyped(() => sum(x, bad(null)), ValueError, "sum", /axis must be a number or an array of numbers, got null/);
    expectTyped(() => max(x, bad({})), ValueError, "max", /an object/);
    expectTyped(() => squeeze(x, bad(null)), ValueError, "squeeze", /axis must be/);
  });

  it("sizes beyond what a typed array holds (2^32 elements)", () => {
    expectTyped(() => zeros([1e6, 1e6]), ShapeError, "zeros", /\(1000000,1000000\) has 1000000000000 elements/);
    expectTyped(() => linspace(0, 1, 1e12), ShapeError, "linspace", /more than a tensor can hold/);
    expectTyped(() => broadcastTo(x, [1e6, 1e6, 3]), ShapeError, "broadcastTo", /more than a tensor can hold/);
  });

  it("typed arrays that hold no numbers", () => {
    expectTyped(() => tensor(bad(new BigInt64Array(2))), ValueError, "tensor", /BigInt64Array/);
  });

  it("functions and tensors where the transforms and checks need them", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expectTyped(() => gradients(w.sum(), bad([3])), ValueError, "gradients", /inputs must be an array of Tensors/);
    expectTyped(() => gradcheck((a) => a.sum(), bad([3])), ValueError, "gradcheck", /input 0 must be a Tensor/);
    expectTyped(() => noGrad(bad(3)), ValueError, "noGrad", /expects a function/);
    expectTyped(() => enableGrad(bad(null)), ValueError, "enableGrad", /expects a function/);
    expectTyped(() => withTracing(bad(3)), ValueError, "withTracing", /expects a function/);
  });
});

describe("errors name the function called, not a helper (they said full, RandomState, valueAndGrad, cast, reshape)", () => {
  it("zeros and ones, randn and rand, grad, astype, flatten", () => {
    expectTyped(() => zeros([-1]), ShapeError, "zeros", /invalid shape \[-1\]/);
    expectTyped(() => randn([2], -1), ValueError, "randn", /seed must be an integer in \[0, 2\*\*32 - 1\], got -1/);
    expectTyped(() => rand([2], bad("1")), ValueError, "rand", /got the string "1"/);
    // The core README's trap: the seed is required. Forgetting it says so once, not "got undefined undefined".
    expectTyped(() => randn([4, 2], bad(undefined)), ValueError, "randn", /\], got undefined: the seed is required/);
    expectTyped(() => grad((a: Tensor) => a.mul(2))(tensor([1, 2])), ShapeError, "grad", /must return a scalar/);
    expectTyped(() => grad((a: Tensor) => a.sum(), { argnums: 5 })(tensor([1])), ValueError, "grad", /argnums 5/);
    expectTyped(() => astype(x, bad("int8")), DTypeError, "astype", /unknown dtype "int8"/);
    expectTyped(() => flatten(bad("x")), ValueError, "flatten", /the string "x"/);
  });

  it("concat with a non-tensor part still names concat", () => {
    expectTyped(() => concat([x, bad(null)]), ValueError, "concat", /expected a Tensor or a number, got null/);
  });
});

describe("the rest of the public surface", () => {
  it("registerHook takes a function (a number was stored and broke the next backward)", () => {
    expectTyped(() => tensor([1], { requiresGrad: true }).registerHook(bad(3)), ValueError, "registerHook", /function/);
  });

  it("gradient checks and comparisons take tensors, and f must return one", () => {
    expectTyped(
      () =>
        gradcheck(
          bad(() => 3),
          [tensor([1])],
        ),
      ValueError,
      "gradcheck",
      /f must return a Tensor, got number 3/,
    );
    expectTyped(() => compareGradients(bad(null), x), ValueError, "compareGradients", /input 0 must be a Tensor/);
    expectTyped(() => relativeDifference(bad(3), x), ValueError, "relativeDifference", /input 0 must be a Tensor/);
    expectTyped(() => formatGradientSummary(bad(null)), ValueError, "formatGradientSummary", /rows/);
    expectTyped(() => formatTrace(bad(3)), ValueError, "formatTrace", /needs a Tensor/);
    expectTyped(() => jacrev(bad(3))(x), ValueError, "jacrev", /expects a function/);
    // eps = 0 divided 0 by 0 and atol < 0 failed every check, each reported as "gradients differ"
    expectTyped(() => gradcheck((a: Tensor) => a.sum(), [tensor([1])], { eps: 0 }), ValueError, "gradcheck", /eps=0/);
    expectTyped(
      () => gradcheck((a: Tensor) => a.sum(), [tensor([1])], { atol: -1 }),
      ValueError,
      "gradcheck",
      /atol=-1/,
    );
    expectTyped(() => compareGradients(x, x, { rtol: Number.NaN }), ValueError, "compareGradients", /rtol=NaN/);
  });

  it("zerosLike, onesLike and RandomState's fill methods check their argument", () => {
    expectTyped(() => zerosLike(bad([1, 2])), ValueError, "zerosLike", /expected a Tensor/);
    expectTyped(() => onesLike(bad(null)), ValueError, "onesLike", /expected a Tensor, got null/);
    const rs = new RandomState(0);
    expectTyped(() => rs.fillNormal(bad(null)), ValueError, "RandomState.fillNormal", /Float64Array or a Float32Array/);
    expectTyped(() => rs.fillRandomSample(bad(3)), ValueError, "RandomState.fillRandomSample", /got number 3/);
  });

  it("nested arrays deeper than numpy's 64 dimensions (the copy overflowed the stack)", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10000; i++) deep = [deep];
    expectTyped(() => tensor(bad(deep)), ValueError, "tensor", /more than 64 deep/);
  });

  it("a custom op's jvp of the wrong shape is reported as that op's, like its backward", () => {
    const twice = customOp({ name: "twice", forward: (a: Tensor) => a.mul(2), jvp: () => ones([5]) });
    expectTyped(
      () => jvp(twice, [ones([2])], [ones([2])]),
      ShapeError,
      "twice",
      /tangent of shape \(5\) for an output of shape \(2\)/,
    );
  });
});

describe("keepdims must be a boolean (an options object or a string counted as true)", () => {
  it("sum, mean, max, min and logSumExp refuse anything else, naming the function", () => {
    const options = bad<boolean>({ keepdims: false });
    expectTyped(() => sum(x, 1, options), ValueError, "sum", /keepdims must be true or false, got .*third argument/);
    expectTyped(() => x.mean(1, bad("false")), ValueError, "mean", /keepdims must be true or false/);
    expectTyped(() => max(x, 0, bad(1)), ValueError, "max", /keepdims must be true or false, got number 1/);
    expectTyped(() => x.min(0, options), ValueError, "min", /keepdims/);
    expectTyped(() => x.logSumExp(0, options), ValueError, "logSumExp", /keepdims/);
  });

  it("true, false and an omitted keepdims still work", () => {
    expect(sum(x, 1, true).shape).toEqual([2, 1]);
    expect(sum(x, 1, false).shape).toEqual([2]);
    expect(x.max(1).shape).toEqual([2]);
  });
});
