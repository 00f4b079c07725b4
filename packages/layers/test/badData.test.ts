/** Bad data is refused before any parameter changes: each case a typed error naming the function, the argument and the first bad index or value. */
import { type BackpropError, ShapeError, type Tensor, tensor, ValueError } from "@backprop/core";
import {
  fit,
  LogisticRegression,
  loadParameters,
  type Model,
  mlp,
  type Sequential,
  sgd,
  TwoLayerNet,
} from "@backprop/layers";
import { describe, expect, it } from "vitest";

/** Five examples with two features; labels for a binary, a 3-class and a regression output. */
const X = tensor([
  [1, 2, -1, 0.5, 3],
  [0, 1, 2, -2, 1],
]);
const binaryY = tensor([[1, 0, 0, 1, 1]]);
const oneHotY = tensor([
  [1, 0, 0, 0, 1],
  [0, 1, 0, 1, 0],
  [0, 0, 1, 0, 0],
]);
const realY = tensor([[0.5, -1, 2, 0, 3]]);

/** X or Y with one element replaced (a copy). */
function withValue(t: Tensor, row: number, col: number, value: number): Tensor {
  const data = Float64Array.from(t.data);
  data[row * t.shape[1] + col] = value;
  return tensor(data, { shape: t.shape });
}

interface ModelCase {
  label: string;
  make: () => Model & { loss(X: Tensor, Y: Tensor): Tensor; gradients(X: Tensor, Y: Tensor): unknown };
  /** The name the model's methods use in errors. */
  cls: string;
  Y: Tensor;
  /** A value that is not a label for this model's cost, and what the message says Y must hold. */
  badLabel?: { value: number; holds: string };
}

const models: ModelCase[] = [
  {
    label: "LogisticRegression",
    make: () => new LogisticRegression({ nx: 2, init: "small" }),
    cls: "LogisticRegression",
    Y: binaryY,
    badLabel: { value: 2, holds: "0/1 labels" },
  },
  {
    label: "TwoLayerNet",
    make: () => new TwoLayerNet({ nx: 2, nh: 3, ny: 1 }),
    cls: "TwoLayerNet",
    Y: binaryY,
    badLabel: { value: 0.5, holds: "0/1 labels" },
  },
  {
    label: "mlp, sigmoid output (binary cross-entropy)",
    make: () => mlp([2, 3, 1], ["tanh", "sigmoid"]),
    cls: "Sequential",
    Y: binaryY,
    badLabel: { value: -1, holds: "0/1 labels" },
  },
  {
    label: "mlp, softmax output (softmax cross-entropy)",
    make: () => mlp([2, 3, 3], ["relu", "softmax"]),
    cls: "Sequential",
    Y: oneHotY,
    badLabel: { value: 2, holds: "class probabilities in [0, 1] (one-hot columns)" },
  },
  {
    label: "mlp, linear output (squared error)",
    make: () => mlp([2, 3, 1], ["tanh", "linear"]),
    cls: "Sequential",
    Y: realY,
  },
];

/** Each entry point: its name in messages and a call with the given data. */
function entryPoints(model: ModelCase["make"] extends () => infer M ? M : never, cls: string) {
  const calls: [string, (x: Tensor, y: Tensor) => unknown][] = [
    ["fit", (x, y) => fit(model, x, y, { iterations: 3, learningRate: 0.1 })],
    [`${cls}.loss`, (x, y) => model.loss(x, y)],
    [`${cls}.gradients`, (x, y) => model.gradients(x, y)],
  ];
  const withPredict = model as unknown as { predict?: (x: Tensor) => Tensor };
  if (typeof withPredict.predict === "function") {
    const predict = withPredict.predict.bind(model);
    calls.push([`${cls}.predict`, (x) => predict(x)]);
  }
  return calls;
}

/** The parameters' bits, to check a refused call changed nothing. */
function snapshot(model: Model): number[][] {
  return model.namedParameters().map(([, p]) => Array.from(p.data));
}

/** Runs `call`, expecting it to throw exactly `expected` (type and message) with the parameters untouched. */
function expectRefused(model: Model, call: () => unknown, expected: BackpropError): void {
  const before = snapshot(model);
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(expected.constructor);
  expect((thrown as Error).message).toBe(expected.message);
  expect(snapshot(model)).toEqual(before);
}

describe.each(models)("$label refuses bad data", ({ make, cls, Y, badLabel }) => {
  const model = make();
  const calls = entryPoints(model, cls);

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("X holding %s", (value) => {
    const bad = withValue(X, 1, 2, value);
    for (const [op, call] of calls) {
      expectRefused(
        model,
        () => call(bad, Y),
        new ValueError(op, `X must hold finite numbers, found ${value} at index (1,2) of X (2,5)`),
      );
    }
  });

  it("Y holding NaN", () => {
    const bad = withValue(Y, 0, 3, Number.NaN);
    for (const [op, call] of calls) {
      if (op.endsWith("predict")) continue;
      const holds = badLabel?.holds ?? "finite numbers";
      expectRefused(
        model,
        () => call(X, bad),
        new ValueError(op, `Y must hold ${holds}, found NaN at index (0,3) of Y (${Y.shape.join(",")})`),
      );
    }
  });

  it.runIf(badLabel !== undefined)("labels the cost cannot take", () => {
    const { value, holds } = badLabel as { value: number; holds: string };
    const bad = withValue(Y, 0, 4, value);
    for (const [op, call] of calls) {
      if (op.endsWith("predict")) continue;
      expectRefused(
        model,
        () => call(X, bad),
        new ValueError(op, `Y must hold ${holds}, found ${value} at index (0,4) of Y (${Y.shape.join(",")})`),
      );
    }
  });

  it("X and Y with different numbers of columns", () => {
    const rows = Y.shape[0];
    const fourColumns = tensor(Array.from({ length: rows }, (_, r) => Array.from(Y.data).slice(r * 5, r * 5 + 4)));
    for (const [op, call] of calls) {
      if (op.endsWith("predict")) continue;
      expectRefused(
        model,
        () => call(X, fourColumns),
        new ShapeError(op, `X has 5 columns (examples) but Y has 4: X (2,5), Y (${rows},4)`),
      );
    }
  });
});

describe("softmax cross-entropy needs one-hot (distribution) columns", () => {
  it("names the first column that does not sum to 1", () => {
    const net = mlp([2, 3, 3], ["relu", "softmax"]);
    const bad = withValue(oneHotY, 1, 2, 1); // column 2 now holds 0, 1, 1
    expectRefused(
      net,
      () => net.loss(X, bad),
      new ValueError(
        "Sequential.loss",
        "Y must be one-hot (classes as rows, examples as columns), but column 2 sums to 2, not 1",
      ),
    );
    expectRefused(
      net,
      () => fit(net, X, bad, { iterations: 1, learningRate: 0.1 }),
      new ValueError("fit", "Y must be one-hot (classes as rows, examples as columns), but column 2 sums to 2, not 1"),
    );
  });
});

describe("fit refuses bad options before any update", () => {
  const net = (): TwoLayerNet => new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("learningRate %s", (rate) => {
    const model = net();
    expectRefused(
      model,
      () => fit(model, X, binaryY, { iterations: 3, learningRate: rate }),
      new ValueError("fit", `learningRate must be a positive finite number, got ${rate}`),
    );
    // Also when it overrides a given optimizer's rate.
    const opt = sgd(
      model.namedParameters().map(([, p]) => p),
      { learningRate: 0.1 },
    );
    expectRefused(
      model,
      () => fit(model, X, binaryY, { iterations: 3, learningRate: rate, optimizer: opt }),
      new ValueError("fit", `learningRate must be a positive finite number, got ${rate}`),
    );
  });

  it("a schedule's bad value names the iteration, before that iteration's update", () => {
    const model = net();
    const schedule = (t: number) => (t < 2 ? 0.1 : Number.NaN);
    const after2 = net();
    fit(after2, X, binaryY, { iterations: 2, learningRate: 0.1 });
    expect(() => fit(model, X, binaryY, { iterations: 5, learningRate: schedule })).toThrow(
      new ValueError("fit", "learningRate(2) must be a positive finite number, got NaN"),
    );
    // Two updates happened (iterations 0 and 1), the third did not.
    expect(snapshot(model)).toEqual(snapshot(after2));
    const zero = net();
    expectRefused(
      zero,
      () => fit(zero, X, binaryY, { iterations: 5, learningRate: () => -1 }),
      new ValueError("fit", "learningRate(0) must be a positive finite number, got -1"),
    );
  });

  it.each([
    [{ iterations: 2.5 }, "iterations must be a positive integer, got 2.5"],
    [{ iterations: -3 }, "iterations must be a positive integer, got -3"],
    [{ epochs: 1.5 }, "epochs must be a positive integer, got 1.5"],
    [{ epochs: -1 }, "epochs must be a positive integer, got -1"],
    [{ iterations: 3, batchSize: 0 }, "batchSize must be a positive integer, got 0"],
    [{ iterations: 3, batchSize: 2.5 }, "batchSize must be a positive integer, got 2.5"],
    [{ iterations: 3, batchSize: -4 }, "batchSize must be a positive integer, got -4"],
  ])("%j", (counts, message) => {
    const model = net();
    expectRefused(
      model,
      () => fit(model, X, binaryY, { learningRate: 0.1, ...counts }),
      new ValueError("fit", message),
    );
  });

  it("a batch size larger than m is one full batch (as Keras and PyTorch)", () => {
    const full = net();
    const big = net();
    const fullRun = fit(full, X, binaryY, { epochs: 4, learningRate: 0.5 });
    const bigRun = fit(big, X, binaryY, { epochs: 4, learningRate: 0.5, batchSize: 1000 });
    expect(bigRun.costs).toEqual(fullRun.costs);
    expect(bigRun.iterations).toBe(4);
    expect(snapshot(big)).toEqual(snapshot(full));
  });

  it("a model without checkData still gets X and Y checked (finite, same columns)", () => {
    const w = tensor([[0.5, -0.25]], { requiresGrad: true });
    const custom: Model = { namedParameters: () => [["w", w]], loss: (x, y) => w.matmul(x).sub(y).square().mean() };
    expectRefused(
      custom,
      () => fit(custom, withValue(X, 0, 1, Number.NaN), realY, { iterations: 1, learningRate: 0.1 }),
      new ValueError("fit", "X must hold finite numbers, found NaN at index (0,1) of X (2,5)"),
    );
    expectRefused(
      custom,
      () => fit(custom, X, withValue(realY, 0, 0, Number.NEGATIVE_INFINITY), { iterations: 1, learningRate: 0.1 }),
      new ValueError("fit", "Y must hold finite numbers, found -Infinity at index (0,0) of Y (1,5)"),
    );
    expectRefused(
      custom,
      () => fit(custom, X, tensor([[1, 2, 3]]), { iterations: 1, learningRate: 0.1 }),
      new ShapeError("fit", "X has 5 columns (examples) but Y has 3: X (2,5), Y (1,3)"),
    );
  });
});

describe("a checkpoint that does not fit the model", () => {
  it("lists every mismatch in one error and loads nothing", () => {
    const net: Sequential = mlp([2, 3, 1], ["tanh", "sigmoid"]);
    const checkpoint = {
      W1: tensor(new Float64Array(6), { shape: [2, 3] }), // transposed
      b1: tensor(new Float32Array(3), { shape: [3, 1] }), // float32
      W2: tensor(new Float64Array(3), { shape: [1, 3] }), // fits
      W3: tensor([[1]]), // unexpected; b2 missing
    };
    expectRefused(
      net,
      () => loadParameters(net, checkpoint),
      new ValueError(
        "loadParameters",
        'the checkpoint does not fit the model (nothing was loaded): "W1" is (2,3) float64 in the checkpoint but (3,2) float64 in the model; "b1" is (3,1) float32 in the checkpoint but (3,1) float64 in the model; missing "b2" (1,1) float64; unexpected "W3"',
      ),
    );
  });
});
