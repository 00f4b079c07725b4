/** Bad-input catalogue of model data: X as rows, Y as (m,) or (m, 1), labels, dtypes, predict before training. */
import { DTypeError, RandomState, ShapeError, type Tensor, tensor, ValueError } from "@backprop/core";
import { Dense, gradcheckModel, LogisticRegression, mlp, TwoLayerNet } from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { bad, expectTyped } from "../../../test/expectTyped.js";

const rs = new RandomState(0);
const X = rs.randn(2, 10); // (n_x, m): examples as columns
const labels = Array.from({ length: 10 }, (_, i) => i % 2);
const Y = tensor([labels]); // (1, m)
const net = () => new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });

describe("data the wrong way round: X as rows (m, n_x), Y as (m,) or (m, 1)", () => {
  it("X (m, n_x) into TwoLayerNet.loss / predict / forward says X needs n_x rows", () => {
    const rows = rs.randn(10, 2);
    const msg = "X has shape (10,2) but W1 is (3,2): X needs 2 rows (n_x)";
    expectTyped(() => net().loss(rows, Y), ShapeError, "TwoLayerNet.loss", msg);
    expectTyped(() => net().predict(rows), ShapeError, "TwoLayerNet.predict", msg);
    expectTyped(() => net().forward(rows), ShapeError, "TwoLayerNet.forward", msg);
  });
  it("X (m, n_x) into Sequential and LogisticRegression", () => {
    const rows = rs.randn(10, 2);
    expectTyped(
      () => mlp([2, 3, 1], ["relu", "sigmoid"]).loss(rows, Y),
      ShapeError,
      "Sequential.loss",
      "X has shape (10,2) but W1 is (3,2): X needs 2 rows (n[0])",
    );
    expectTyped(
      () => new LogisticRegression({ nx: 2 }).predict(rows),
      ShapeError,
      "LogisticRegression.predict",
      "X has shape (10,2) but w is (2,1): X needs 2 rows (n_x)",
    );
  });
  it("a square X (n, n) with Y (1, m): the column count does not match Y's", () => {
    expectTyped(
      () => mlp([2, 3, 1], ["relu", "sigmoid"]).loss(rs.randn(2, 2), Y),
      ShapeError,
      "Sequential.loss",
      "X has 2 columns (examples) but Y has 10: X (2,2), Y (1,10)",
    );
  });
  it("Y of shape (m,) and (m, 1)", () => {
    expectTyped(
      () => net().loss(X, tensor(labels)),
      ShapeError,
      "TwoLayerNet.loss",
      "Y must be 2-d (features × examples, one example per column), got shape (10)",
    );
    const column = tensor(labels.map((v) => [v]));
    expectTyped(
      () => net().loss(X, column),
      ShapeError,
      "TwoLayerNet.loss",
      "X has 10 columns (examples) but Y has 1: X (2,10), Y (10,1)",
    );
    expectTyped(
      () => net().accuracy(X, column),
      ShapeError,
      "TwoLayerNet.accuracy",
      "X has 10 columns (examples) but Y has 1: X (2,10), Y (10,1)",
    );
  });
  it("X null, 1-d X", () => {
    expectTyped(() => net().predict(bad(null)), ValueError, "TwoLayerNet.predict", "X must be a Tensor, got null");
    expectTyped(
      () => net().predict(tensor([1, 2])),
      ShapeError,
      "TwoLayerNet.predict",
      "X must be 2-d (features × examples, one example per column), got shape (2)",
    );
  });
  it("Dense.forward with the input transposed names A[l−1] and n[l−1]", () => {
    expectTyped(
      () => new Dense({ nIn: 2, nOut: 3, name: "1" }).forward(rs.randn(10, 2)),
      ShapeError,
      "Dense.forward",
      "A0 has shape (10,2) but W1 is (3,2): A0 needs 2 rows (n[0])",
    );
  });
});

describe("labels and dtypes", () => {
  it("labels outside {0, 1} for binary cross-entropy: 2, and −1/1 labels", () => {
    const y = (f: (i: number) => number) => tensor([labels.map((_, i) => f(i))]);
    expectTyped(
      () =>
        net().loss(
          X,
          y((i) => i % 3),
        ),
      ValueError,
      "TwoLayerNet.loss",
      "Y must hold 0/1 labels, found 2 at index (0,2) of Y (1,10)",
    );
    expectTyped(
      () =>
        net().loss(
          X,
          y((i) => (i % 2 ? 1 : -1)),
        ),
      ValueError,
      "TwoLayerNet.loss",
      "Y must hold 0/1 labels, found -1 at index (0,0) of Y (1,10)",
    );
    expectTyped(
      () =>
        new LogisticRegression({ nx: 2 }).loss(
          X,
          y((i) => 2 * (i % 2)),
        ),
      ValueError,
      "LogisticRegression.loss",
      "Y must hold 0/1 labels, found 2 at index (0,1) of Y (1,10)",
    );
  });
  it("softmax with integer labels (1, m) instead of one-hot (classes, m)", () => {
    const ints = tensor([[0, 1, 2, 0, 1, 2, 0, 1, 2, 0]]);
    expectTyped(
      () => mlp([2, 3, 3], ["relu", "softmax"]).loss(X, ints),
      ShapeError,
      "Sequential.loss",
      "Y has shape (1,10) but the output layer has 3 unit(s): Y needs 3 row(s)",
    );
  });
  it("float32 model with float64 X, or float64 Y", () => {
    const f32 = () => new TwoLayerNet({ nx: 2, nh: 3, ny: 1, dtype: "float32" });
    expectTyped(
      () => f32().loss(X, Y),
      DTypeError,
      "TwoLayerNet.loss",
      'X is float64 but the model\'s parameters are float32, so every op would run in float64; convert the data once with X.astype("float32")',
    );
    expectTyped(
      () => f32().loss(X.astype("float32"), Y),
      DTypeError,
      "TwoLayerNet.loss",
      'Y is float64 but the model\'s parameters are float32, so every op would run in float64; convert the data once with Y.astype("float32")',
    );
  });
  it("float32 data into a float64 model computes in float64 (documented, kept)", () => {
    expect(net().loss(X.astype("float32"), Y.astype("float32")).dtype).toBe("float64");
  });
});

describe("predict and caches before training", () => {
  it("predict before training uses the initial parameters, as the course's predict does (kept)", () => {
    const P: Tensor = net().predict(X);
    expect(P.shape).toEqual([1, 10]);
    expect(Array.from(P.data).every((v) => v === 0 || v === 1)).toBe(true);
  });
  it("Sequential.Z before any forward pass", () => {
    expectTyped(
      () => mlp([2, 3, 1], ["relu", "linear"]).Z,
      ValueError,
      "Sequential",
      "Z1 is not available: call forward (or loss) first",
    );
  });
  it("accuracy of a regression network", () => {
    expectTyped(
      () => mlp([2, 3, 1], ["relu", "linear"]).accuracy(X, Y),
      ValueError,
      "Sequential.accuracy",
      "needs a classifier (a sigmoid or softmax output); this network's cost is meanSquaredError",
    );
  });
});

describe("gradcheckModel options", () => {
  it("a misspelt tolerance was ignored; null options were a raw TypeError; eps −1 reported a gradient mismatch", () => {
    const keys = "{ eps, atol, rtol, raise }";
    expectTyped(
      () => gradcheckModel(net(), X, Y, bad({ tol: 1e-9 })),
      ValueError,
      "gradcheckModel",
      `unknown option 'tol': gradcheckModel takes ${keys}`,
    );
    expectTyped(
      () => gradcheckModel(net(), X, Y, bad(null)),
      ValueError,
      "gradcheckModel",
      `options must be an object ${keys}, got null`,
    );
    expectTyped(
      () => gradcheckModel(net(), X, Y, { eps: -1 }),
      ValueError,
      "gradcheckModel",
      "eps must be a positive finite number, got -1",
    );
    expectTyped(
      () => gradcheckModel(net(), X, Y, { atol: Number.NaN }),
      ValueError,
      "gradcheckModel",
      "atol and rtol must be finite numbers ≥ 0, got atol NaN, rtol 0.001",
    );
  });
  it("passes on a healthy model (kept)", () => {
    expect(gradcheckModel(net(), X, Y).passed).toBe(true);
  });
});
