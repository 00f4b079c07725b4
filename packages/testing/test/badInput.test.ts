/** Bad input to @backprop/testing's helpers: typed errors naming the helper called, never an assertion that cannot fail. */
import { GradcheckError, type Tensor, tensor, ValueError } from "@backprop/core";
import {
  assertGradcheck,
  assertGradgradcheck,
  computationalGraph,
  deepNetCase,
  expectClose,
  float32Tensor,
  floatTensor,
  floatValue,
  floatValues,
  labels,
  layerSizes,
  logisticRegressionCase,
  propertyParams,
  shape,
  sizeOfShape,
  TensorMismatchError,
  twoLayerNetCase,
} from "@backprop/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectTyped } from "../../../test/expectTyped.js";

const bad = <T>(v: unknown) => v as T;
const x = tensor([1, 2, 3]);

describe("expectClose", () => {
  it("non-tensors threw TypeErrors from inside", () => {
    expectTyped(() => expectClose(bad(null), x), ValueError, "expectClose", "actual must be a Tensor, got null");
    expectTyped(
      () => expectClose(x, bad("1")),
      ValueError,
      "expectClose",
      'expected must be a Tensor, a number or a nested array, got the string "1"',
    );
    expectTyped(
      () => expectClose(x, [1, 2, 3], bad(null)),
      ValueError,
      "expectClose",
      "options must be an object, got null",
    );
  });

  it("options that made the assertion unable to fail, or silently ignored", () => {
    const tolerances = "rtol and atol must be non-negative finite numbers, got";
    expectTyped(
      () => expectClose(x, [9, 9, 9], { atol: Number.POSITIVE_INFINITY }),
      ValueError,
      "expectClose",
      `${tolerances} rtol number 1e-7, atol number Infinity`,
    );
    expectTyped(
      () => expectClose(x, [1, 2, 3], { rtol: bad("1") }),
      ValueError,
      "expectClose",
      `${tolerances} rtol the string "1", atol number 0`,
    );
    expectTyped(
      () => expectClose(x, [1, 2, 3], { rtol: Number.NaN }),
      ValueError,
      "expectClose",
      `${tolerances} rtol number NaN, atol number 0`,
    );
    expectTyped(
      () => expectClose(tensor([Number.NaN]), [Number.NaN], { equalNaN: bad("no") }),
      ValueError,
      "expectClose",
      'equalNaN must be true or false, got the string "no"',
    );
    expectTyped(
      () => expectClose(x, [1, 2, 3], bad({ tol: 1 })),
      ValueError,
      "expectClose",
      "unknown option 'tol' in options: expectClose takes { rtol, atol, scale, equalNaN, name }",
    );
    expectTyped(
      () => expectClose(x, [1, 2, 3], { scale: tensor([1, 2]) }),
      ValueError,
      "expectClose",
      "scale of shape (2) does not broadcast to the expected shape (3)",
    );
  });

  it("an infinity equals only itself: +∞ against −∞, and 1 against +∞, passed (their tolerance was infinite)", () => {
    expectTyped(
      () => expectClose(tensor([Number.POSITIVE_INFINITY]), [Number.NEGATIVE_INFINITY], { atol: 1 }),
      TensorMismatchError,
      "expectClose",
      /^1 of 1 elements/,
    );
    expectTyped(
      () => expectClose(tensor([1]), [Number.POSITIVE_INFINITY]),
      TensorMismatchError,
      "expectClose",
      /actual 1, expected Infinity/,
    );
    expectClose(tensor([Number.POSITIVE_INFINITY, -1]), [Number.POSITIVE_INFINITY, -1]);
  });
});

describe("assertGradcheck and assertGradgradcheck name themselves", () => {
  const f = (a: Tensor) => a.pow(2).sum();

  it("bad tolerances, f or inputs: core's ValueError under the assertion's name", () => {
    expectTyped(
      () => assertGradcheck(f, [x], { eps: 0 }),
      ValueError,
      "assertGradcheck",
      /^needs a finite eps > 0 .* got eps=0,/,
    );
    expectTyped(
      () => assertGradcheck(bad(3), [x]),
      ValueError,
      "assertGradcheck",
      "f must be a function of tensors, got number 3",
    );
    expectTyped(
      () => assertGradgradcheck(f, []),
      ValueError,
      "assertGradgradcheck",
      "inputs is empty: there is nothing to check",
    );
  });

  it("options: null threw a TypeError, raise is not theirs, a label must be a string", () => {
    expectTyped(
      () => assertGradcheck(f, [x], bad(null)),
      ValueError,
      "assertGradcheck",
      "options must be an object, got null",
    );
    expectTyped(
      () => assertGradcheck(f, [x], bad({ raise: false })),
      ValueError,
      "assertGradcheck",
      "unknown option 'raise' in options: assertGradcheck takes { eps, atol, rtol, allowUnused, label }",
    );
    expectTyped(
      () => assertGradgradcheck(f, [x], bad({ label: 3 })),
      ValueError,
      "assertGradgradcheck",
      "label must be a string, got number 3",
    );
  });

  it("a failure still throws core's GradcheckError under the label", () => {
    expectTyped(
      () => assertGradcheck(() => tensor(1), [x], { label: "cost" }),
      GradcheckError,
      "cost",
      /^the output of f does not depend on input 0/,
    );
  });
});

describe("arbitraries", () => {
  it("options must be objects of known names (null threw TypeErrors; a misspelt bound was ignored)", () => {
    for (const [op, make] of [
      ["shape", () => shape(bad(null))],
      ["floatTensor", () => floatTensor(bad(null))],
      ["computationalGraph", () => computationalGraph(bad(null))],
      ["deepNetCase", () => deepNetCase(bad(null))],
      ["twoLayerNetCase", () => twoLayerNetCase(bad(3))],
    ] as const) {
      expectTyped(make, ValueError, op, /^options must be an object, got /);
    }
    expectTyped(
      () => shape(bad({ maxrank: 1 })),
      ValueError,
      "shape",
      "unknown option 'maxrank' in options: shape takes { minRank, maxRank, minDim, maxDim, maxSize }",
    );
    expectTyped(
      () => floatTensor(bad({ minVal: 0 })),
      ValueError,
      "floatTensor",
      /^unknown option 'minVal' in options: floatTensor takes \{ min, max/,
    );
    expectTyped(
      () => floatTensor({ shape: bad({ rank: 2 }) }),
      ValueError,
      "floatTensor",
      /^unknown option 'rank' in shape:/,
    );
    expectTyped(() => layerSizes(bad({ layers: 2 })), ValueError, "layerSizes", /^unknown option 'layers'/);
    expectTyped(
      () => logisticRegressionCase(bad({ maxUnits: 3 })),
      ValueError,
      "logisticRegressionCase",
      /^unknown option 'maxUnits'/,
    );
    expectTyped(
      () => twoLayerNetCase({ weights: bad({ mn: 0 }) }),
      ValueError,
      "twoLayerNetCase",
      /^unknown option 'mn' in weights:/,
    );
    expectTyped(() => floatValue(bad({ maxx: 1 })), ValueError, "floatValue", /^unknown option 'maxx'/);
  });

  it("a fixed shape: non-negative integer dims (a negative dim was reported by floatValues as n = -2)", () => {
    const shapeMessage = "shape must be an array of non-negative integers, got";
    expectTyped(() => floatTensor({ shape: [2, -1] }), ValueError, "floatTensor", `${shapeMessage} [2,-1]`);
    expectTyped(() => floatTensor({ shape: [1.5] }), ValueError, "floatTensor", `${shapeMessage} [1.5]`);
    expectTyped(() => sizeOfShape(bad(null)), ValueError, "sizeOfShape", `${shapeMessage} null`);
    // a number or a string was read as empty bounds: tensors of any shape
    expectTyped(
      () => floatTensor({ shape: bad(3) }),
      ValueError,
      "floatTensor",
      /^shape must be an array of dims, an arbitrary of shapes or shape bounds .* got number 3$/,
    );
  });

  it("values: kinks and hits are finite numbers, requiresGrad a boolean ('yes' gave false), dtypes known", () => {
    expectTyped(
      () => floatTensor({ avoid: bad(0) }),
      ValueError,
      "floatTensor",
      "avoid must be an array of finite numbers, got number 0",
    );
    expectTyped(
      () => floatValues(3, { avoid: [Number.NaN] }),
      ValueError,
      "floatValues",
      "avoid must be an array of finite numbers, got [NaN]",
    );
    expectTyped(
      () => floatTensor({ requiresGrad: bad("yes") }),
      ValueError,
      "floatTensor",
      'requiresGrad must be true or false, got the string "yes"',
    );
    // labels with an unknown dtype made float32 tensors
    expectTyped(() => labels(2, 1, bad("int")), ValueError, "labels", 'unknown dtype the string "int"');
    expectTyped(
      () => computationalGraph({ dtype: bad("float16") }),
      ValueError,
      "computationalGraph",
      'unknown dtype the string "float16"',
    );
    expectTyped(
      () => twoLayerNetCase({ dtype: bad("int8") }),
      ValueError,
      "twoLayerNetCase",
      'unknown dtype the string "int8"',
    );
  });

  it("names from a fixed list: graph ops, the output kind, hidden activations (a typo meant the default)", () => {
    expectTyped(
      () => computationalGraph({ ops: bad(["nope"]) }),
      ValueError,
      "computationalGraph",
      'unknown op the string "nope" in ops',
    );
    expectTyped(
      () => computationalGraph({ output: bad("scaler") }),
      ValueError,
      "computationalGraph",
      'output must be "tensor" or "scalar", got the string "scaler"',
    );
    expectTyped(
      () => computationalGraph({ inputShapes: [[2, 2, 2]] }),
      ValueError,
      "computationalGraph",
      "inputShapes must have rank ≤ 2, got (2,2,2)",
    );
    expectTyped(
      () => deepNetCase({ hiddenActivations: bad(["gelu"]) }),
      ValueError,
      "deepNetCase",
      'unknown hidden activation the string "gelu"; known: tanh, sigmoid, relu, leakyRelu',
    );
  });

  it("propertyParams names itself", () => {
    expectTyped(
      () => propertyParams(1.5),
      ValueError,
      "propertyParams",
      "defaultRuns must be a positive integer, got 1.5",
    );
  });

  it("valid options still draw what they say", () => {
    const [t] = fc.sample(float32Tensor({ shape: [2, 3], min: 0, max: 1, avoid: [0.5], requiresGrad: true }), {
      numRuns: 1,
      seed: 1,
    });
    expect([t.shape, t.dtype, t.requiresGrad]).toEqual([[2, 3], "float32", true]);
    const [g] = fc.sample(computationalGraph({ ops: ["add", "tanh"], output: "scalar", values: { min: -1, max: 1 } }), {
      numRuns: 1,
      seed: 2,
    });
    expect(g.f(...g.inputs).size).toBe(1);
  });
});
