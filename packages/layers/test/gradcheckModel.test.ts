/** gradcheckModel: a model's loss checked against its own parameters, where gradcheck with a closure would check nothing. */
import { customOp, GradcheckError, gradcheck, RandomState, type Tensor, tensor, ValueError } from "@backprop/core";
import { binaryCrossEntropy, gradcheckModel, type Model, mlp, TwoLayerNet } from "@backprop/layers";
import { describe, expect, it } from "vitest";

const X = new RandomState(0).randn(2, 6);
const Y = tensor([[1, 0, 0, 1, 1, 0]]);

describe("gradcheckModel", () => {
  it("passes for the library's models, L2 included, naming each parameter", () => {
    const report = gradcheckModel(mlp([2, 3, 1], ["tanh", "sigmoid"], { init: "xavier", lambd: 0.7 }), X, Y);
    expect(report.passed).toBe(true);
    expect(report.inputs.map((r) => r.name)).toEqual(["W1", "b1", "W2", "b2"]);
    // The course's "< 1e-7 is great" holds for every parameter.
    expect(Math.max(...report.inputs.map((r) => r.relativeDifference))).toBeLessThan(1e-7);
    const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
    expect(gradcheckModel(net, X, Y).passed).toBe(true);
    expect(net.W1.grad).toBeNull(); // .grad left as it was
  });

  it("fails for a model whose gradient is wrong (a custom op with a wrong backward)", () => {
    const badSigmoid = customOp({
      name: "badSigmoid",
      forward: (z) => z.sigmoid(),
      backward: (g, { output }) => [g.mul(output)], // should be a(1 − a)
    });
    const W = tensor([[0.5, -0.3]], { requiresGrad: true });
    const model: Model = {
      namedParameters: () => [["W", W]],
      loss: (x: Tensor, y: Tensor) => binaryCrossEntropy(badSigmoid(W.matmul(x)), y),
    };
    const report = gradcheckModel(model, X, Y, { raise: false });
    expect(report.passed).toBe(false);
    expect(report.inputs[0]?.relativeDifference).toBeGreaterThan(0.01);
    expect(() => gradcheckModel(model, X, Y)).toThrow(GradcheckError);
  });

  it("is the pattern gradcheck points to when f closes over the model's parameters", () => {
    const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
    expect(() => gradcheck(() => net.loss(X, Y), [net.W1])).toThrow(/use gradcheckModel from @backprop\/layers/);
  });

  it("refuses dropout (a random loss) and float32 parameters", () => {
    expect(() => gradcheckModel(mlp([2, 3, 1], ["relu", "sigmoid"], { dropout: { keepProb: 0.8 } }), X, Y)).toThrow(
      ValueError,
    );
    expect(() => gradcheckModel(new TwoLayerNet({ nx: 2, nh: 2, ny: 1, dtype: "float32" }), X, Y)).toThrow(
      new ValueError("gradcheckModel", "W1 is float32: finite differences need float64 parameters"),
    );
  });
});
