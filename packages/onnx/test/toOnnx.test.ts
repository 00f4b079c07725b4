/** toOnnx: the course's 2-layer net and cost with gradients, dynamic batch sizes, extreme logits, names and options, refusals. */
import {
  customOp,
  linear,
  logSigmoid,
  logSoftmax,
  logSumExp,
  randn,
  sigmoid,
  sigmoidCrossEntropy,
  softmax,
  softplus,
  type Tensor,
  tensor,
} from "@backprop/core";
import { fromOnnx, OnnxExportError, toOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { eager } from "./eager.js";
import { expectRelClose, runOrt } from "./ort.js";

/** The course's planar net: W1 (4,2), b1 (4,1), W2 (1,4), b2 (1,1), as initialize_parameters with seed 2 draws them (scaled by 0.01). */
function planarNet() {
  const W1 = randn([4, 2], 2).mul(0.5).requiresGrad_().named("W1");
  const b1 = randn([4, 1], 3).mul(0.1).requiresGrad_().named("b1");
  const W2 = randn([1, 4], 4).mul(0.5).requiresGrad_().named("W2");
  const b2 = tensor([[0.05]])
    .requiresGrad_()
    .named("b2");
  const forward = (X: Tensor) => sigmoid(linear(W2, linear(W1, X, b1).tanh(), b2));
  // J = −(1/m) Σ (y log a + (1 − y) log(1 − a)), the course's formula as written.
  const cost = (X: Tensor, Y: Tensor) => {
    const A2 = forward(X);
    return Y.mul(A2.log())
      .add(Y.neg().add(1).mul(A2.neg().add(1).log()))
      .mean()
      .neg();
  };
  return { params: [W1, b1, W2, b2], forward, cost };
}

const labels = (m: number, seed: number) => randn([1, m], seed).gt(0);

describe("toOnnx: the course's 2-layer net in ONNX Runtime", () => {
  it("forward with a dynamic batch: traced at m = 5, run at m = 1 and 7 (1e-12 relative)", async () => {
    const net = planarNet();
    const bytes = toOnnx((X) => net.forward(X), [randn([2, 5], 1)], {
      inputNames: ["X"],
      outputNames: ["A2"],
      dynamicAxes: { X: { 1: "m" } },
    });
    for (const m of [1, 7]) {
      const X = randn([2, m], 10 + m);
      const { A2 } = await runOrt(bytes, { X });
      expectRelClose(A2, net.forward(X).detach(), 1e-12);
    }
  });

  it('cost J with gradients: "parameters" gives grad_W1 … grad_b2 equal to backprop\'s, at m = 1 and 7', async () => {
    const net = planarNet();
    const bytes = toOnnx(net.cost, [randn([2, 5], 1), labels(5, 2)], {
      inputNames: ["X", "Y"],
      outputNames: ["J"],
      dynamicAxes: { X: { 1: "m" }, Y: { 1: "m" } },
      gradients: "parameters",
    });
    for (const m of [1, 7]) {
      const X = randn([2, m], 20 + m);
      const Y = labels(m, 30 + m);
      const got = await runOrt(bytes, { X, Y });
      const want = eager(net.cost, [X, Y], net.params, "parameters");
      expectRelClose(got.J, want.outputs[0], 1e-12);
      for (const [i, name] of ["W1", "b1", "W2", "b2"].entries()) {
        expectRelClose(got[`grad_${name}`], want.grads[i], 1e-12, 1e-300);
      }
    }
  });

  it('gradients: "all" adds grad_X and grad_Y; float32 stays float32 (1e-5)', async () => {
    const W = randn([3, 2], 5).astype("float32").requiresGrad_(); // unnamed: param_0
    const f = (X: Tensor, Y: Tensor) => sigmoidCrossEntropy(W.matmul(X).sum(0, true), Y).mean();
    const X = randn([2, 6], 6).astype("float32");
    const Y = labels(6, 7).astype("float32");
    const bytes = toOnnx(f, [X, Y], { gradients: "all", dynamicAxes: { input_0: { 1: "m" }, input_1: { 1: "m" } } });
    const got = await runOrt(bytes, { input_0: X, input_1: Y });
    const want = eager(f, [X, Y], [W], "all");
    expect(got.output_0.dtype).toBe("float32");
    expectRelClose(got.output_0, want.outputs[0], 1e-5);
    for (const [i, name] of ["param_0", "input_0", "input_1"].entries()) {
      expectRelClose(got[`grad_${name}`], want.grads[i], 1e-5, 1e-7);
    }
  });

  it("parametersAsInputs: the weights become graph inputs with defaults; feeding new ones (fromOnnx) acts like backprop", () => {
    const net = planarNet();
    const bytes = toOnnx((X) => net.forward(X), [randn([2, 3], 1)], { inputNames: ["X"], parametersAsInputs: true });
    const model = fromOnnx(bytes);
    expect(model.inputNames).toEqual(["X", "W1", "b1", "W2", "b2"]); // parameters in order of first use
    const X = randn([2, 3], 8);
    const W1 = randn([4, 2], 9);
    const [, b1, W2, b2] = net.params;
    const expected = sigmoid(linear(W2, linear(W1, X, b1).tanh(), b2)).detach();
    expectRelClose(model.run({ X, W1 }).output_0.detach(), expected, 1e-12);
    expectRelClose(model.run({ X }).output_0.detach(), net.forward(X).detach(), 1e-12); // defaults
  });
});

describe("toOnnx: stable lowerings at extreme logits (±800)", () => {
  it("sigmoid, logSigmoid, softplus, sigmoidCrossEntropy, softmax, logSoftmax, logSumExp: finite values and gradients equal backprop's", async () => {
    const z = tensor([
      [-800, -40, -1e-3, 0.5],
      [800, 40, 3, -30],
    ]);
    const y = tensor([
      [1, 0, 1, 0],
      [0, 1, 1, 0],
    ]);
    const fs: Record<string, (z: Tensor) => Tensor> = {
      sigmoid,
      logSigmoid,
      softplus,
      sigmoidCrossEntropy: (x) => sigmoidCrossEntropy(x, y),
      softmax: (x) => softmax(x, 0),
      logSoftmax: (x) => logSoftmax(x, 1),
      logSumExp: (x) => logSumExp(x, 0, true),
    };
    for (const [name, f] of Object.entries(fs)) {
      const R = randn(f(z).shape, 3);
      const g = (x: Tensor) => [f(x).mul(R).sum(), f(x)];
      const got = await runOrt(toOnnx(g, [z], { gradients: "inputs" }), { input_0: z });
      const want = eager(g, [z], [], "inputs");
      for (const v of [got.output_1, got.grad_input_0]) {
        expect(Array.from(v.data).every(Number.isFinite), name).toBe(true);
      }
      expectRelClose(got.output_1, want.outputs[1], 1e-12, 1e-300);
      expectRelClose(got.grad_input_0, want.grads[0], 1e-12, 1e-300);
    }
  });
});

describe("toOnnx refuses what it cannot write, with typed errors", () => {
  it("a custom op names the op and the tensor", () => {
    const double = customOp({ name: "double", forward: (x: Tensor) => x.mul(2), backward: (g: Tensor) => [g.mul(2)] });
    expect(() => toOnnx((x) => double(x).named("D"), [tensor([1, 2])])).toThrow(OnnxExportError);
    expect(() => toOnnx((x) => double(x).named("D"), [tensor([1, 2])])).toThrow(
      /toOnnx: custom producing 'D' \(2\): the op 'double' has no ONNX lowering/,
    );
  });

  it("a value computed from the inputs outside the graph is refused, not baked in", () => {
    // tensor(x.toArray()) copies the values out of the graph: a replay with other inputs would reuse them.
    const f = (x: Tensor) => x.mul(tensor(x.toArray() as number[]));
    expect(() => toOnnx(f, [tensor([1, 2, 3])])).toThrow(
      /it reads a value computed from the inputs outside the recorded graph/,
    );
  });

  it("a data-dependent branch is refused", () => {
    const f = (x: Tensor) => (x.data[0] > 0 ? x.exp() : x.mul(2).tanh());
    expect(() => toOnnx(f, [tensor([1, -2])])).toThrow(OnnxExportError);
  });

  it("bad options name the option", () => {
    const x = [tensor([1, 2])];
    expect(() => toOnnx((v) => v, x, { opset: 17 })).toThrow(/toOnnx: opset must be an integer from 18 to 26/);
    expect(() => toOnnx((v) => v, x, { inputNames: ["a", "b"] })).toThrow(/inputNames must be 1 non-empty strings/);
    expect(() => toOnnx((v) => v, x, { dynamicAxes: { X: { 0: "m" } } })).toThrow(
      /dynamicAxes names 'X', which is not an input/,
    );
    expect(() => toOnnx((v) => v, x, { dynamicAxes: { input_0: { 3: "m" } } })).toThrow(
      /axis 3 → m does not fit \(2\)/,
    );
    expect(() => toOnnx((v) => v.exp(), x, { gradients: "parameters" })).toThrow(
      /gradients need a scalar first output, got shape \(2\)/,
    );
    expect(() => toOnnx((() => 3) as never, x)).toThrow(/must return a Tensor or a non-empty array of Tensors/);
  });
});
