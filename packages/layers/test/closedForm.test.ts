/** The closed-form gradients against numpy (closed-form-cases.json) and against each other; their input checks. */
import { ShapeError, type Tensor, tensor, ValueError } from "@backprop/core";
import { closedFormGradients, deepClosedFormGradients, logisticClosedFormGradients } from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { closedFormCases, expectClose, hiddenSpec, type NdArray, nd } from "./modelFixtures.js";

const cases = closedFormCases();

describe("closedFormGradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s: equals numpy's forward cache and gradients", (_, c) => {
    const params = {
      W1: nd(c.W1 as NdArray),
      b1: nd(c.b1 as NdArray),
      W2: nd(c.W2 as NdArray),
      b2: nd(c.b2 as NdArray),
    };
    const out = closedFormGradients(params, nd(c.X as NdArray), nd(c.Y as NdArray), hiddenSpec(c));
    for (const key of ["Z1", "A1", "Z2", "A2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"] as const) {
      expectClose(out[key], c[key] as NdArray, key);
    }
  });

  it("defaults to tanh and records no graph even for parameters that require grad", () => {
    const c = cases[0]; // tanh
    const params = {
      W1: nd(c.W1 as NdArray, { requiresGrad: true }),
      b1: nd(c.b1 as NdArray, { requiresGrad: true }),
      W2: nd(c.W2 as NdArray, { requiresGrad: true }),
      b2: nd(c.b2 as NdArray, { requiresGrad: true }),
    };
    const out = closedFormGradients(params, nd(c.X as NdArray), nd(c.Y as NdArray));
    expectClose(out.dW1, c.dW1 as NdArray, "dW1");
    expect(out.dW1.requiresGrad).toBe(false);
  });

  it("rejects inconsistent parameter shapes and bad labels", () => {
    const W1 = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b1 = tensor([[0], [0], [0]]);
    const W2 = tensor([[1, 1]]);
    const b2 = tensor([[0]]);
    const X = tensor([[1], [2]]);
    expect(() => closedFormGradients({ W1, b1, W2, b2 }, X, tensor([[1]]))).toThrow(
      new ShapeError("closedFormGradients", "W2 is (1,2) but W1 is (3,2): W2 needs 3 columns (n[1])"),
    );
    expect(() =>
      closedFormGradients({ W1, b1: tensor([[0], [0]]), W2: tensor([[1, 1, 1]]), b2 }, X, tensor([[1]])),
    ).toThrow(new ShapeError("closedFormGradients", "b1 is (2,1) but W1 is (3,2): b1 needs shape (3,1)"));
    expect(() => closedFormGradients({ W1, b1, W2: tensor([[1, 1, 1]]), b2 }, X, tensor([[0.3]]))).toThrow(
      new ValueError("closedFormGradients", "Y must hold 0/1 labels, found 0.3 at index (0,0) of Y (1,1)"),
    );
  });
});

describe("logisticClosedFormGradients", () => {
  it("matches a hand computation: w = 0, b = 0 gives A = 0.5, dZ = 0.5 − Y", () => {
    const X = tensor([
      [1, 2, -1],
      [3, 0, 2],
    ]);
    const Y = tensor([[1, 0, 1]]);
    const { dZ, dw, db } = logisticClosedFormGradients({ w: tensor([[0], [0]]), b: tensor([[0]]) }, X, Y);
    expect(dZ.toArray()).toEqual([[-0.5, 0.5, -0.5]]);
    // dw = X dZᵀ / 3: row 1: (−0.5 + 1 + 0.5)/3 = 1/3; row 2: (−1.5 + 0 − 1)/3 = −2.5/3.
    expect((dw.toArray() as number[][])[0][0]).toBeCloseTo(1 / 3, 15);
    expect((dw.toArray() as number[][])[1][0]).toBeCloseTo(-2.5 / 3, 15);
    expect(db.shape).toEqual([1, 1]);
    expect(db.item()).toBeCloseTo(-0.5 / 3, 15);
  });

  it("rejects w that is not a column and X with the wrong rows", () => {
    expect(() =>
      logisticClosedFormGradients({ w: tensor([[0, 0]]), b: tensor([[0]]) }, tensor([[1], [2]]), tensor([[1]])),
    ).toThrow(new ShapeError("logisticClosedFormGradients", "w must be a column (n_x,1), got (1,2)"));
    expect(() =>
      logisticClosedFormGradients(
        { w: tensor([[0], [0]]), b: tensor([[0]]) },
        tensor([[1, 2, 3]]),
        tensor([[1, 0, 1]]),
      ),
    ).toThrow(new ShapeError("logisticClosedFormGradients", "X has shape (1,3) but w is (2,1): X needs 2 rows (n_x)"));
  });
});

describe("deepClosedFormGradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s: with L = 2 equals the two-layer formulas and numpy", (_, c) => {
    const W = [nd(c.W1 as NdArray), nd(c.W2 as NdArray)];
    const b = [nd(c.b1 as NdArray), nd(c.b2 as NdArray)];
    const out = deepClosedFormGradients({ W, b }, [hiddenSpec(c), "sigmoid"], nd(c.X as NdArray), nd(c.Y as NdArray));
    const expected: [Tensor, string][] = [
      [out.dZ[1], "dZ2"],
      [out.dW[1], "dW2"],
      [out.db[1], "db2"],
      [out.dA[0], "dA1"],
      [out.dZ[0], "dZ1"],
      [out.dW[0], "dW1"],
      [out.db[0], "db1"],
    ];
    for (const [t, key] of expected) expectClose(t, c[key] as NdArray, key);
    const A2 = (c.A2 as NdArray).data;
    const y = (c.Y as NdArray).data;
    expectClose(
      out.dA[1],
      { shape: [1, A2.length], data: A2.map((a, i) => -(y[i] / a - (1 - y[i]) / (1 - a))) },
      "dA2",
    );
  });

  it("rejects mismatched lists, a softmax hidden layer and an output activation with no matching cost", () => {
    const W = [tensor([[1, 2]]), tensor([[3]])];
    const b = [tensor([[0]]), tensor([[0]])];
    const X = tensor([[1], [2]]);
    const Y = tensor([[1]]);
    expect(() => deepClosedFormGradients({ W, b }, ["relu"], X, Y)).toThrow(
      new ValueError(
        "deepClosedFormGradients",
        "needs one W, one b and one activation per layer (at least one layer), got 2 W, 2 b, 1 activations",
      ),
    );
    expect(() => deepClosedFormGradients({ W, b }, ["relu", "tanh"], X, Y)).toThrow(
      /the output activation must be sigmoid, softmax or linear .* got tanh/,
    );
    expect(() => deepClosedFormGradients({ W, b }, ["softmax", "sigmoid"], X, Y)).toThrow(
      new ValueError(
        "softmax.derivative",
        "softmax's Jacobian is not elementwise, so it has no g′(z) tensor; pair softmax with softmaxCrossEntropy, whose dZ = A − Y",
      ),
    );
    expect(() => deepClosedFormGradients({ W, b }, ["relu", "sigmoid"], tensor([[1, 2]]), Y)).toThrow(
      new ShapeError("deepClosedFormGradients", "X has shape (1,2) but W1 is (1,2): X needs 2 rows (n[0])"),
    );
  });
});
