/** Export catalogue: toOnnx/modelToOnnx bad options and edge tensors (names, zero sizes, dtypes), and export → import round trips bit for bit. */
import { customOp, linear, matmul, randn, type Tensor, tensor, ValueError, zeros } from "@backprop/core";
import { Dense } from "@backprop/layers";
import { fromOnnx, modelToOnnx, OnnxExportError, toOnnx } from "@backprop/onnx";
import { allGraphOpNames, computationalGraph, propertyParams } from "@backprop/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eager } from "./eager.js";
import { expectRelClose, runOrt } from "./ort.js";

/** Same bits (NaN, ±0 and all), element by element. */
function expectSameBits(actual: Tensor, expected: Tensor, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  expect(actual.dtype, what).toBe(expected.dtype);
  const at = Array.from(expected.data).findIndex((v, i) => !Object.is(v, actual.data[i]));
  expect(at, `${what}: first differing element ${at}: ${actual.data[at]} vs ${expected.data[at]}`).toBe(-1);
}

const X = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);
const exp = (x: Tensor) => x.exp();

describe("toOnnx and modelToOnnx refuse bad calls with typed errors naming the argument", () => {
  const W = () => randn([3, 2], 1).requiresGrad_().named("W");
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["f not a function", () => toOnnx(3 as never, [X]), /^toOnnx: expects a function of tensors/],
    [
      "exampleInputs not tensors",
      () => toOnnx(exp, [[1, 2]] as never),
      /^toOnnx: exampleInputs must be an array of Tensors/,
    ],
    ["opset 17", () => toOnnx(exp, [X], { opset: 17 }), /^toOnnx: opset must be an integer from 18 to 26 .* got 17/],
    ["opset 27", () => toOnnx(exp, [X], { opset: 27 }), /got 27/],
    ["opset 18.5", () => toOnnx(exp, [X], { opset: 18.5 }), /got 18.5/],
    [
      "gradients 'bogus'",
      () => toOnnx(exp, [X], { gradients: "bogus" as never }),
      /^toOnnx: gradients must be .* got bogus/,
    ],
    [
      "inputNames of the wrong count",
      () => toOnnx(exp, [X], { inputNames: ["a", "b"] }),
      /^toOnnx: inputNames must be 1 non-empty strings/,
    ],
    [
      "an empty input name",
      () => toOnnx(exp, [X], { inputNames: [""] }),
      /inputNames must be 1 non-empty strings, got \[""\]/,
    ],
    [
      "repeated input names",
      () => toOnnx((a, b) => a.add(b), [X, X], { inputNames: ["a", "a"] }),
      /^toOnnx: inputNames must be distinct, got a, a/,
    ],
    [
      "repeated output names",
      () => toOnnx((a) => [a.exp(), a.neg()], [X], { outputNames: ["o", "o"] }),
      /^toOnnx: outputNames must be distinct/,
    ],
    [
      "an output named as an input",
      () => toOnnx(exp, [X], { inputNames: ["X"], outputNames: ["X"] }),
      /^toOnnx: 'X' is both an input and an output name/,
    ],
    [
      "a parameter named as an input",
      () => {
        const w = randn([3], 1).requiresGrad_().named("X");
        return toOnnx((x) => x.mul(w), [X], { inputNames: ["X"] });
      },
      /^toOnnx: two tensors are named 'X'/,
    ],
    [
      "a gradient name taken by an output",
      () => toOnnx((x) => matmul(x, W()).sum(), [X], { outputNames: ["grad_W"], gradients: "parameters" }),
      /^toOnnx: the gradient output name 'grad_W' is taken/,
    ],
    [
      "dynamicAxes of an unknown input",
      () => toOnnx(exp, [X], { dynamicAxes: { nope: { 0: "m" } } }),
      /^toOnnx: dynamicAxes names 'nope', which is not an input/,
    ],
    [
      "dynamicAxes axis out of range",
      () => toOnnx(exp, [X], { dynamicAxes: { input_0: { 2: "m" } } }),
      /^toOnnx: dynamicAxes.input_0: axis 2 → m does not fit \(2,3\)/,
    ],
    [
      "one symbol of two sizes",
      () =>
        toOnnx((a, b) => a.sum().add(b.sum()), [X, zeros([4])], {
          dynamicAxes: { input_0: { 0: "m" }, input_1: { 0: "m" } },
        }),
      /dynamic axis 'm' has sizes 2 and 4/,
    ],
    [
      "gradients of a non-scalar",
      () => toOnnx(exp, [X], { gradients: "inputs" }),
      /^toOnnx: gradients need a scalar first output, got shape \(2,3\)/,
    ],
    [
      "f returns no tensor",
      () => toOnnx((() => []) as never, [X]),
      /^toOnnx: the function must return a Tensor or a non-empty array/,
    ],
    [
      "modelToOnnx input = output name",
      () => modelToOnnx(new Dense({ nIn: 2, nOut: 1, rng: 1 }), { inputName: "A" }),
      /^modelToOnnx: inputName and outputName are both "A"/,
    ],
  ];
  it.each(cases)("%s", (_, f, pattern) => {
    expect(f).toThrow(ValueError);
    expect(f).toThrow(pattern);
  });

  it("an op with no ONNX mapping and a value computed outside the graph are OnnxExportErrors naming the op", () => {
    const twice = customOp({ name: "twice", forward: (x: Tensor) => x.mul(2), backward: (g: Tensor) => [g.mul(2)] });
    expect(() => toOnnx((x) => twice(x), [X])).toThrow(OnnxExportError);
    expect(() => toOnnx((x) => twice(x), [X])).toThrow(
      /^toOnnx: custom producing \(2,3\): the op 'twice' has no ONNX lowering/,
    );
    expect(() => toOnnx((x) => x.add(tensor(x.toArray() as number[][])), [X])).toThrow(OnnxExportError);
  });

  it("an error thrown by f itself reaches the caller unchanged", () => {
    const boom = new TypeError("boom");
    expect(() =>
      toOnnx(() => {
        throw boom;
      }, [X]),
    ).toThrow(boom);
  });
});

describe("edge tensors export, load in ONNX Runtime and import back", () => {
  it("names with spaces, slashes, colons, quotes, non-ASCII and Object.prototype keys", async () => {
    const w = randn([3], 2).requiresGrad_().named("toString");
    const f = (a: Tensor, b: Tensor) => [a.mul(w), b.sub(a)];
    // ORT's own JavaScript API takes feeds as a plain object, so '__proto__' is checked with fromOnnx only.
    for (const [inputNames, outputNames, ort] of [
      [["in put/0:α", "constructor"], ['out.0 "ü"', "hasOwnProperty"], true],
      [["__proto__", "x"], ["valueOf", "isPrototypeOf"], false],
    ] as const) {
      const bytes = toOnnx(f, [X, X.neg()], { inputNames: [...inputNames], outputNames: [...outputNames] });
      const feeds = Object.fromEntries([
        [inputNames[0], X],
        [inputNames[1], X.neg()],
      ]);
      const ours = fromOnnx(bytes).run(feeds);
      expect(Object.keys(ours)).toEqual(outputNames);
      expect(Object.keys(fromOnnx(bytes).parameters)).toEqual(["toString"]);
      const theirs = ort ? await runOrt(bytes, feeds) : undefined;
      for (const [i, name] of outputNames.entries()) {
        const got = Object.getOwnPropertyDescriptor(ours, name)?.value as Tensor;
        expectSameBits(got, f(X, X.neg())[i].detach(), name);
        if (theirs) expectSameBits(theirs[name], got, `ORT ${name}`);
      }
    }
  });

  it("an unnamed or empty-named parameter becomes param_0 (an empty ONNX name means 'absent')", () => {
    const w = randn([3], 3).requiresGrad_().named("");
    const m = fromOnnx(toOnnx((x) => x.mul(w), [X]));
    expect(Object.keys(m.parameters)).toEqual(["param_0"]);
  });

  it("zero-size tensors: values, sums and gradients, fixed and dynamic", async () => {
    const Z = zeros([0, 3]);
    const W = randn([3, 2], 4).requiresGrad_().named("W");
    const f = (z: Tensor) => matmul(z, W).exp().sum();
    const bytes = toOnnx(f, [Z], { gradients: "all" });
    const ours = fromOnnx(bytes).run({ input_0: Z });
    const want = eager(f, [Z], [W], "all");
    expectSameBits(ours.output_0, want.outputs[0], "sum of nothing");
    expectSameBits(ours.grad_W, want.grads[0], "grad_W");
    expectSameBits(ours.grad_input_0, want.grads[1], "grad_input_0");
    const ort = await runOrt(bytes, { input_0: Z });
    for (const name of ["output_0", "grad_W", "grad_input_0"]) expectSameBits(ort[name], ours[name], `ORT ${name}`);
    // Traced at m = 0, run at m = 4 (and the other way round).
    const dyn = toOnnx(exp, [zeros([2, 0])], { dynamicAxes: { input_0: { 1: "m" } } });
    expect(fromOnnx(dyn).run({ input_0: zeros([2, 4]) }).output_0.shape).toEqual([2, 4]);
    const dyn4 = toOnnx(exp, [zeros([2, 4])], { dynamicAxes: { input_0: { 1: "m" } } });
    expect(fromOnnx(dyn4).run({ input_0: zeros([2, 0]) }).output_0.shape).toEqual([2, 0]);
  });

  it("NaN, ±Infinity and −0 in inputs and parameters keep their bits", async () => {
    const Y = tensor([[Number.NaN, Number.POSITIVE_INFINITY, -0, 5e-324]]);
    const W = tensor([[-0, Number.NEGATIVE_INFINITY, -0, 1]])
      .requiresGrad_()
      .named("W");
    const f = (y: Tensor) => y.mul(W);
    const bytes = toOnnx(f, [Y]);
    const ours = fromOnnx(bytes).run({ input_0: Y }).output_0;
    expectSameBits(ours, f(Y).detach(), "fromOnnx");
    expectSameBits(fromOnnx(bytes).parameters.W, W.detach(), "W read back");
    expectSameBits((await runOrt(bytes, { input_0: Y })).output_0, ours, "ORT");
  });

  it("float32 and float64 graphs stay in their dtype; a graph mixing them casts where the function does", async () => {
    for (const dtype of ["float32", "float64"] as const) {
      const W = randn([2, 3], 5, { dtype }).requiresGrad_().named("W");
      const b = randn([2, 1], 6, { dtype }).requiresGrad_().named("b");
      const x = randn([3, 4], 7, { dtype });
      const f = (v: Tensor) => linear(W, v, b).tanh().mean();
      const bytes = toOnnx(f, [x], { gradients: "all", dynamicAxes: { input_0: { 1: "m" } } });
      const ours = fromOnnx(bytes).run({ input_0: x });
      const want = eager(f, [x], [W, b], "all");
      expect(ours.output_0.dtype).toBe(dtype);
      expectSameBits(ours.output_0, want.outputs[0], `${dtype} J`);
      for (const [i, name] of ["grad_W", "grad_b", "grad_input_0"].entries()) {
        expectSameBits(ours[name], want.grads[i], `${dtype} ${name}`);
      }
      const ort = await runOrt(bytes, { input_0: x });
      const rtol = dtype === "float64" ? 1e-12 : 1e-5;
      for (const name of ["output_0", "grad_W", "grad_b", "grad_input_0"]) {
        expectRelClose(ort[name], ours[name], rtol, rtol * 1e-1);
      }
    }
    const mixed = (a: Tensor, c: Tensor) => a.add(c.astype("float64"));
    const bytes = toOnnx(mixed, [X, X.astype("float32")]);
    const out = fromOnnx(bytes).run({ input_0: X, input_1: X.astype("float32") }).output_0;
    expectSameBits(out, mixed(X, X.astype("float32")), "mixed");
    expectSameBits((await runOrt(bytes, { input_0: X, input_1: X.astype("float32") })).output_0, out, "ORT mixed");
  });
});

/** Every graph op whose lowering is the primitive itself (sigmoid, softplus, logSigmoid, sigmoidCrossEntropy are stable compositions). */
const oneToOne = allGraphOpNames.filter(
  (op) => !["sigmoid", "softplus", "logSigmoid", "sigmoidCrossEntropy"].includes(op),
);

describe("round trips on random graphs", () => {
  it("toOnnx → fromOnnx gives backprop's own values and input gradients bit for bit", () => {
    fc.assert(
      fc.property(computationalGraph({ output: "scalar", maxNodes: 8, ops: oneToOne }), ({ f, inputs }) => {
        const bytes = toOnnx(f, inputs, { gradients: "inputs" });
        const got = fromOnnx(bytes).run(Object.fromEntries(inputs.map((x, i) => [`input_${i}`, x])));
        const want = eager(f, inputs, [], "inputs");
        expectSameBits(got.output_0, want.outputs[0], "output_0");
        for (const [i, g] of want.grads.entries()) expectSameBits(got[`grad_input_${i}`], g, `grad_input_${i}`);
      }),
      propertyParams(25),
    );
  });
});
