/** modelToOnnx(model) then fromOnnx: the same outputs, and backward gives the model's own gradients. */
import { noGrad, randn, type Tensor } from "@backprop/core";
import { Dense, LogisticRegression, mlp, TwoLayerNet } from "@backprop/layers";
import { fromOnnx, modelToOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { expectRelClose } from "./ort.js";

interface Case {
  name: string;
  model: Parameters<typeof modelToOnnx>[0];
  params: () => ReadonlyArray<readonly [string, Tensor]>;
  forward: (X: Tensor) => Tensor;
  nx: number;
  ny: number;
}

const cases: Case[] = (() => {
  const logistic = new LogisticRegression({ nx: 3, init: "small", seed: 1 });
  // Logits of a few units: at z ≈ 16 backprop's own σ′ = a(1 − a) loses ~3e-11 relative precision (1 − a cancels),
  // while the file's Where form, e/(1 + e)², does not; the two then differ by that much.
  noGrad(() => logistic.w.mul_(100));
  const two = new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: 2 });
  noGrad(() => two.W1.mul_(100));
  const deep = mlp([3, 5, 4, 2], ["relu", { name: "leakyRelu", slope: 0.1 }, "softmax"], { init: "he", seed: 1 });
  const dense = new Dense({ nIn: 3, nOut: 2, activation: "tanh", init: "he", rng: 7, name: "1" });
  return [
    {
      name: "LogisticRegression",
      model: logistic,
      params: () => logistic.namedParameters(),
      forward: (X) => logistic.forward(X),
      nx: 3,
      ny: 1,
    },
    {
      name: "TwoLayerNet",
      model: two,
      params: () => two.namedParameters(),
      forward: (X) => two.forward(X).A2,
      nx: 2,
      ny: 1,
    },
    {
      name: "mlp (relu, leakyRelu, softmax)",
      model: deep,
      params: () => deep.namedParameters(),
      forward: (X) => deep.forward(X),
      nx: 3,
      ny: 2,
    },
    {
      name: "Dense",
      model: dense,
      params: () =>
        [
          ["W1", dense.W],
          ["b1", dense.b],
        ] as const,
      forward: (X) => dense.forward(X),
      nx: 3,
      ny: 2,
    },
  ];
})();

describe("modelToOnnx → fromOnnx → backward equals the model's own gradients (1e-12 relative)", () => {
  for (const c of cases) {
    it(c.name, () => {
      const X = randn([c.nx, 7], 3).mul(2).requiresGrad_();
      const R = randn([c.ny, 7], 4); // J = Σ R ⊙ A weighs every output differently
      const imported = fromOnnx(modelToOnnx(c.model));
      expect(imported.inputNames).toEqual(["X"]);
      expect(imported.outputNames).toEqual(["A"]);
      expect(Object.keys(imported.parameters).sort()).toEqual(
        c
          .params()
          .map(([n]) => n)
          .sort(),
      );
      const { A } = imported.run({ X });
      A.mul(R).sum().backward();
      const dX = X.grad!;
      const X2 = X.detach().requiresGrad_();
      const expected = c.forward(X2);
      expectRelClose(A.detach(), expected.detach(), 1e-12);
      for (const [, p] of c.params()) p.grad = null;
      expected.mul(R).sum().backward();
      for (const [name, p] of c.params()) expectRelClose(imported.parameters[name].grad!, p.grad!, 1e-12, 1e-300);
      expectRelClose(dX, X2.grad!, 1e-12, 1e-300);
    });
  }

  it("the course's cost through the imported net: dW1, db1, dW2, db2 equal net.loss's", () => {
    const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: 2 });
    const X = randn([2, 9], 5);
    const Y = noGrad(() => randn([1, 9], 6).gt(0));
    const imported = fromOnnx(modelToOnnx(net));
    net.cost(imported.run({ X }).A, Y).backward();
    net.loss(X, Y).backward();
    for (const [name, p] of net.namedParameters())
      expectRelClose(imported.parameters[name].grad!, p.grad!, 1e-12, 1e-300);
  });
});
