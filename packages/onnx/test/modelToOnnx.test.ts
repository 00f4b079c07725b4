/** modelToOnnx: every layers model runs in ONNX Runtime and gives backprop's forward output at batch sizes 1 and 7. */
import { cast, noGrad, randn, type Tensor } from "@backprop/core";
import { Dense, LogisticRegression, mlp, Sequential, TwoLayerNet } from "@backprop/layers";
import { modelToOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { expectRelClose, runOrt } from "./ort.js";

/** Scales every parameter so the logits reach well beyond ±30, where a naive float64 Sigmoid loses precision. */
function widen(params: Tensor[], factor: number): void {
  noGrad(() => {
    for (const p of params) p.mul_(factor);
  });
}

/** X (n_x, m) with entries of size ~3. */
const inputs = (nx: number, m: number, seed: number) => randn([nx, m], seed).mul(3);

async function checkAtBatches(bytes: Uint8Array, nx: number, forward: (X: Tensor) => Tensor, rtol = 1e-12) {
  for (const m of [1, 7]) {
    const X = inputs(nx, m, 10 + m);
    const expected = noGrad(() => forward(X));
    const { A } = await runOrt(bytes, { X });
    expectRelClose(A, expected, rtol);
  }
}

describe("modelToOnnx runs in ONNX Runtime with backprop's values (float64 to 1e-12 relative)", () => {
  it("LogisticRegression", async () => {
    const model = new LogisticRegression({ nx: 5, init: "small", seed: 1 });
    noGrad(() => model.b.add_(0.3));
    widen([model.w], 300);
    await checkAtBatches(modelToOnnx(model), 5, (X) => model.forward(X));
  });

  it("TwoLayerNet (tanh and relu hidden layers)", async () => {
    for (const hiddenActivation of ["tanh", "relu"] as const) {
      const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1, hiddenActivation, seed: 2 });
      widen([net.W1, net.W2], 500);
      noGrad(() => net.b1.add_(0.5));
      await checkAtBatches(modelToOnnx(net), 2, (X) => net.forward(X).A2);
    }
  });

  it("mlp with every built-in activation, softmax output over each column", async () => {
    const net = mlp([3, 5, 4, 4, 3, 3], ["relu", { name: "leakyRelu", slope: 0.2 }, "tanh", "linear", "softmax"], {
      init: "he",
      seed: 1,
    });
    widen(net.W, 4);
    await checkAtBatches(modelToOnnx(net), 3, (X) => net.forward(X));
  });

  it("a single Dense layer with sigmoid, and custom input/output names", async () => {
    const layer = new Dense({ nIn: 3, nOut: 2, activation: "sigmoid", init: "he", rng: 4, name: "1" });
    widen([layer.W], 60);
    const bytes = modelToOnnx(layer, { inputName: "A0", outputName: "A1" });
    const X = inputs(3, 7, 1);
    const { A1 } = await runOrt(bytes, { A0: X });
    expectRelClose(
      A1,
      noGrad(() => layer.forward(X)),
      1e-12,
    );
  });

  it("float32 models stay float32 (to 1e-5 relative)", async () => {
    const net = new Sequential([
      new Dense({ nIn: 2, nOut: 3, activation: "tanh", init: "he", rng: 5 }),
      new Dense({ nIn: 3, nOut: 1, activation: "sigmoid", init: "he", rng: 6 }),
    ]);
    for (const layer of net.layers) {
      layer.W = cast(layer.W.detach(), "float32").requiresGrad_().named(`W${layer.name}`);
      layer.b = cast(layer.b.detach(), "float32").requiresGrad_().named(`b${layer.name}`);
    }
    const bytes = modelToOnnx(net);
    for (const m of [1, 7]) {
      const X = cast(inputs(2, m, m), "float32");
      const { A } = await runOrt(bytes, { X });
      expect(A.dtype).toBe("float32");
      expectRelClose(
        A,
        noGrad(() => net.forward(X)),
        1e-5,
      );
    }
  });

  it("refuses what it cannot write, naming the problem", () => {
    const custom = new Dense({
      nIn: 2,
      nOut: 1,
      activation: { name: "swish", forward: (z) => z.mul(z.sigmoid()), derivative: (z) => z },
    });
    expect(() => modelToOnnx(custom)).toThrow(/modelToOnnx: layer 1's activation "swish" has no ONNX lowering/);
    expect(() => modelToOnnx({} as Dense)).toThrow(/modelToOnnx: expected a LogisticRegression/);
    expect(() => modelToOnnx(custom, { inputName: "A", outputName: "A" })).toThrow(/both "A"/);
  });
});
