/** Bad-input catalogue of the models (Dense, TwoLayerNet, LogisticRegression, mlp, Sequential): typed errors naming the function called. */
import { DTypeError, RandomState, ValueError } from "@backprop/core";
import {
  activation,
  Dense,
  type DenseOptions,
  initialize,
  LogisticRegression,
  leakyRelu,
  lossFunction,
  mlp,
  Sequential,
  TwoLayerNet,
  type TwoLayerNetOptions,
} from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { bad, expectTyped } from "../../../test/expectTyped.js";

const rs = new RandomState(0);
const denseKeys = "{ nIn, nOut, activation, init, rng, name, dtype }";
const twoLayerKeys = "{ nx, nh, ny, seed, hiddenActivation, init, dtype }";
const mlpKeys = "{ seed, rng, init, dtype, loss, lambd, dropout }";
const activationList = "sigmoid, tanh, relu, leakyRelu, linear, softmax";

describe("layer sizes: 0, negative, non-integer, NaN, a string", () => {
  for (const n of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`Dense nOut ${n}`, () => {
      expectTyped(
        () => new Dense({ nIn: 2, nOut: n }),
        ValueError,
        "Dense",
        `nOut must be a positive integer, got ${n}`,
      );
    });
  }
  it("Dense nIn given as a string", () => {
    expectTyped(
      () => new Dense({ nIn: bad("2"), nOut: 1 }),
      ValueError,
      "Dense",
      "nIn must be a positive integer, got 2",
    );
  });
  it("TwoLayerNet nh 0, mlp layerSizes [2, 0, 1]", () => {
    expectTyped(
      () => new TwoLayerNet({ nx: 2, nh: 0, ny: 1 }),
      ValueError,
      "TwoLayerNet",
      "nh must be a positive integer, got 0",
    );
    expectTyped(
      () => mlp([2, 0, 1], ["relu", "sigmoid"]),
      ValueError,
      "mlp",
      "layerSizes[1] must be a positive integer, got 0",
    );
  });
  it("LogisticRegression nx -3", () => {
    expectTyped(
      () => new LogisticRegression({ nx: -3 }),
      ValueError,
      "LogisticRegression",
      "nx must be a positive integer, got -3",
    );
  });
  it("mlp with one size, or one activation too few", () => {
    expectTyped(
      () => mlp([2], []),
      ValueError,
      "mlp",
      "layerSizes must list n[0], …, n[L] (at least two sizes), got 2",
    );
    expectTyped(
      () => mlp([2, 3, 1], ["relu"]),
      ValueError,
      "mlp",
      "needs one activation per layer: 2 layer(s) from layerSizes [2, 3, 1], got 1 activation(s)",
    );
  });
  it("Sequential of layers that do not chain", () => {
    expectTyped(
      () => new Sequential([new Dense({ nIn: 2, nOut: 3 }), new Dense({ nIn: 4, nOut: 1 })]),
      ValueError,
      "Sequential",
      "layers[1] takes 4 inputs but layers[0] has 3 units: W2 needs 3 columns (n[1])",
    );
  });
});

describe("misspelt and null options are refused, not ignored (they silently built a different model)", () => {
  it("Dense { activaton } was a linear layer", () => {
    const options = bad<DenseOptions>({ nIn: 2, nOut: 3, activaton: "relu" });
    expectTyped(() => new Dense(options), ValueError, "Dense", `unknown option 'activaton': Dense takes ${denseKeys}`);
  });
  it("TwoLayerNet { hidden_activation } was a tanh net", () => {
    const options = bad<TwoLayerNetOptions>({ nx: 2, nh: 3, ny: 1, hidden_activation: "relu" });
    expectTyped(
      () => new TwoLayerNet(options),
      ValueError,
      "TwoLayerNet",
      `unknown option 'hidden_activation': TwoLayerNet takes ${twoLayerKeys}`,
    );
  });
  it("LogisticRegression { initialization } was zeros", () => {
    expectTyped(
      () => new LogisticRegression(bad({ nx: 2, initialization: "small" })),
      ValueError,
      "LogisticRegression",
      "unknown option 'initialization': LogisticRegression takes { nx, init, seed, dtype }",
    );
  });
  it("mlp { lambda } had no regularization; { keepProb } at the top had no dropout", () => {
    expectTyped(
      () => mlp([2, 3, 1], ["relu", "sigmoid"], bad({ lambda: 0.7 })),
      ValueError,
      "mlp",
      `unknown option 'lambda': mlp takes ${mlpKeys}`,
    );
    expectTyped(
      () => mlp([2, 3, 1], ["relu", "sigmoid"], bad({ keepProb: 0.8 })),
      ValueError,
      "mlp",
      `unknown option 'keepProb': mlp takes ${mlpKeys}`,
    );
  });
  it("mlp dropout { keep_prob }", () => {
    expectTyped(
      () => mlp([2, 3, 1], ["relu", "sigmoid"], { dropout: bad({ keep_prob: 0.8 }) }),
      ValueError,
      "mlp",
      "unknown dropout option 'keep_prob': dropout takes { keepProb, seed, rng }",
    );
  });
  it("Sequential { lambda: 0.7 }", () => {
    const layer = new Dense({ nIn: 2, nOut: 1, activation: "sigmoid" });
    expectTyped(
      () => new Sequential([layer], bad({ lambda: 0.7 })),
      ValueError,
      "Sequential",
      "unknown option 'lambda': Sequential takes { loss, lambd, dropout }",
    );
  });
  it("null options: Dense, TwoLayerNet, mlp, Sequential, dropout: null (were raw TypeErrors for mlp and Sequential)", () => {
    expectTyped(() => new Dense(bad(null)), ValueError, "Dense", `options must be an object ${denseKeys}, got null`);
    expectTyped(
      () => new TwoLayerNet(bad(undefined)),
      ValueError,
      "TwoLayerNet",
      `options must be an object ${twoLayerKeys}, got null`,
    );
    expectTyped(
      () => mlp([2, 1], ["sigmoid"], bad(null)),
      ValueError,
      "mlp",
      `options must be an object ${mlpKeys}, got null`,
    );
    const layer = new Dense({ nIn: 2, nOut: 1, activation: "sigmoid" });
    expectTyped(
      () => new Sequential([layer], bad(null)),
      ValueError,
      "Sequential",
      "options must be an object { loss, lambd, dropout }, got null",
    );
    expectTyped(
      () => mlp([2, 1], ["sigmoid"], { dropout: bad(null) }),
      ValueError,
      "mlp",
      "dropout must be an object { keepProb, seed, rng }, got null",
    );
  });
  it("Dense activation: null is Keras's activation=None: linear (kept)", () => {
    expect(new Dense({ nIn: 2, nOut: 3, activation: bad(null) }).activation.name).toBe("linear");
  });
});

describe("unknown names: the error names the function called, not an internal helper", () => {
  it("activation names: Dense, mlp, TwoLayerNet (said 'activation:')", () => {
    const msg = `unknown activation "Relu": expected one of ${activationList}`;
    expectTyped(() => new Dense({ nIn: 2, nOut: 3, activation: bad("Relu") }), ValueError, "Dense", msg);
    expectTyped(() => mlp([2, 3, 1], [bad("Relu"), "sigmoid"]), ValueError, "mlp", msg);
    expectTyped(
      () => new TwoLayerNet({ nx: 2, nh: 3, ny: 1, hiddenActivation: bad("Relu") }),
      ValueError,
      "TwoLayerNet",
      msg,
    );
    expectTyped(
      () => activation(bad("gelu")),
      ValueError,
      "activation",
      `unknown activation "gelu": expected one of ${activationList}`,
    );
  });
  it("initializer names: Dense, mlp (said 'initialize:'), initialize", () => {
    const msg = 'unknown initializer "He": expected one of zeros, small, xavier, he';
    expectTyped(() => new Dense({ nIn: 2, nOut: 3, init: bad("He") }), ValueError, "Dense", msg);
    expectTyped(() => mlp([2, 3, 1], ["relu", "sigmoid"], { init: bad("He") }), ValueError, "mlp", msg);
    expectTyped(() => initialize(bad("He"), [2, 2], rs), ValueError, "initialize", msg);
    expectTyped(
      () => new LogisticRegression({ nx: 2, init: bad("he") }),
      ValueError,
      "LogisticRegression",
      'init must be "zeros" or "small", got he',
    );
  });
  it("loss names: mlp (said 'loss:'), lossFunction (said 'loss:' too, a function that does not exist)", () => {
    const msg = (n: string) =>
      `unknown loss "${n}": expected one of binaryCrossEntropy, binaryCrossEntropyWithLogits, meanSquaredError, softmaxCrossEntropy`;
    expectTyped(
      () => mlp([2, 3, 1], ["relu", "sigmoid"], { loss: bad("crossEntropy") }),
      ValueError,
      "mlp",
      msg("crossEntropy"),
    );
    expectTyped(() => lossFunction(bad("mse")), ValueError, "lossFunction", msg("mse"));
  });
  it("leakyRelu('0.1') names leakyRelu (said 'activation:')", () => {
    expectTyped(
      () => leakyRelu(bad("0.1")),
      ValueError,
      "leakyRelu",
      "leakyRelu slope must be a finite number, got 0.1",
    );
    expectTyped(
      () => activation({ name: "leakyRelu", slope: Number.NaN }),
      ValueError,
      "activation",
      "leakyRelu slope must be a finite number, got NaN",
    );
  });
  it("dtype names: Dense, TwoLayerNet, mlp, initialize (said 'astype:')", () => {
    expectTyped(
      () => new Dense({ nIn: 2, nOut: 3, dtype: bad("float16") }),
      DTypeError,
      "Dense",
      'dtype must be "float64" or "float32", got string float16',
    );
    expectTyped(
      () => new TwoLayerNet({ nx: 2, nh: 3, ny: 1, dtype: bad("int32") }),
      DTypeError,
      "TwoLayerNet",
      'dtype must be "float64" or "float32", got string int32',
    );
    expectTyped(
      () => mlp([2, 1], ["sigmoid"], { dtype: bad("f32") }),
      DTypeError,
      "mlp",
      'dtype must be "float64" or "float32", got string f32',
    );
    expectTyped(
      () => initialize("he", [2, 2], rs, bad("int8")),
      DTypeError,
      "initialize",
      'dtype must be "float64" or "float32", got string int8',
    );
  });
  it("mlp's Sequential-level errors say mlp (lambd, keepProb, loss/output pairing)", () => {
    expectTyped(
      () => mlp([2, 1], ["sigmoid"], { lambd: -1 }),
      ValueError,
      "mlp",
      "lambd (λ) must be a finite number ≥ 0, got -1",
    );
    expectTyped(
      () => mlp([2, 1], ["sigmoid"], { dropout: { keepProb: 1.5 } }),
      ValueError,
      "mlp",
      "keepProb must be a number in (0, 1], got 1.5",
    );
    expectTyped(
      () => mlp([2, 1], ["relu"], { loss: "binaryCrossEntropy" }),
      ValueError,
      "mlp",
      "binaryCrossEntropy needs probabilities: the output activation is relu, not sigmoid",
    );
  });
});
