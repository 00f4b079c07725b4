/** TwoLayerNet: planar-init.json bit for bit, forward values and autodiff gradients against closed-form-cases.json, errors. */

import { noGrad, RandomState, ShapeError, type Tensor, tensor, ValueError } from "@backprop/core";
import { closedFormGradients, TwoLayerNet } from "@backprop/layers";
import { propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type ClosedFormCase,
  closedFormCases,
  expectClose,
  hiddenSpec,
  loadFixture,
  type NdArray,
  nd,
} from "./modelFixtures.js";

interface InitCase {
  n_h: number;
  W1: NdArray;
  b1: NdArray;
  W2: NdArray;
  b2: NdArray;
}

/** A net holding the case's parameters (copied in place, as an optimizer would update them). */
function netFor(c: ClosedFormCase): TwoLayerNet {
  const W1 = c.W1 as NdArray;
  const net = new TwoLayerNet({ nx: W1.shape[1], nh: W1.shape[0], ny: 1, hiddenActivation: hiddenSpec(c) });
  net.W1.copy_(nd(W1));
  net.b1.copy_(nd(c.b1 as NdArray));
  net.W2.copy_(nd(c.W2 as NdArray));
  net.b2.copy_(nd(c.b2 as NdArray));
  return net;
}

function expectBitExact(actual: Tensor, expected: NdArray, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  expected.data.forEach((v, i) => {
    if (!Object.is(actual.data[i], v)) expect.fail(`${what}[${i}]: got ${actual.data[i]}, numpy has ${v}`);
  });
}

describe("TwoLayerNet initialization", () => {
  const cases = loadFixture<{ cases: InitCase[] }>("planar-init.json").cases;

  it.each(cases.map((c) => [c.n_h, c] as const))("n_h = %i holds numpy's seed-2 W1, W2 bit for bit", (nh, c) => {
    const net = new TwoLayerNet({ nx: 2, nh, ny: 1, seed: 2 });
    expectBitExact(net.W1, c.W1, "W1");
    expectBitExact(net.W2, c.W2, "W2");
    expectBitExact(net.b1, c.b1, "b1");
    expectBitExact(net.b2, c.b2, "b2");
  });

  it("defaults to seed 2, tanh, and parameters that are named leaves requiring grad", () => {
    const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
    expectBitExact(net.W1, cases.find((c) => c.n_h === 4)!.W1, "W1");
    expect(net.hiddenActivation.name).toBe("tanh");
    expect(net.namedParameters().map(([name, p]) => [name, p.name, p.isLeaf, p.requiresGrad])).toEqual([
      ["W1", "W1", true, true],
      ["b1", "b1", true, true],
      ["W2", "W2", true, true],
      ["b2", "b2", true, true],
    ]);
  });

  it("zeros init gives all-zero weights (the symmetry problem)", () => {
    const net = new TwoLayerNet({ nx: 3, nh: 5, ny: 1, init: "zeros" });
    expect([...net.W1.data, ...net.W2.data].every((v) => v === 0)).toBe(true);
  });
});

describe("TwoLayerNet against closed-form-cases.json", () => {
  const cases = closedFormCases();

  it("has all 12 cases", () => expect(cases.length).toBe(12));

  it.each(cases.map((c) => [c.name, c] as const))("%s: forward values and cost", (_, c) => {
    const net = netFor(c);
    const X = nd(c.X as NdArray);
    const { Z1, A1, Z2, A2 } = net.forward(X);
    for (const [t, key] of [
      [Z1, "Z1"],
      [A1, "A1"],
      [Z2, "Z2"],
      [A2, "A2"],
    ] as const) {
      expectClose(t, c[key] as NdArray, key);
      expect(t.name).toBe(key);
    }
    const J = net.cost(A2, nd(c.Y as NdArray));
    expect(J.shape).toEqual([]);
    expect(J.name).toBe("J");
    expect(Math.abs(J.item() - c.cost)).toBeLessThanOrEqual(1e-12 * Math.abs(c.cost));
    expect(Math.abs(net.loss(X, nd(c.Y as NdArray)).item() - c.cost)).toBeLessThanOrEqual(1e-12 * Math.abs(c.cost));
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: autodiff gradients equal numpy's closed forms", (_, c) => {
    const net = netFor(c);
    const X = nd(c.X as NdArray);
    const Y = nd(c.Y as NdArray);
    const grads = net.gradients(X, Y);
    for (const key of ["dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"] as const) {
      expectClose(grads[key], c[key] as NdArray, key);
      expect(grads[key].name).toBe(key);
    }
    // dA2 = −(Y/A2 − (1 − Y)/(1 − A2)), the course's dAL, computed here element by element.
    const A2 = (c.A2 as NdArray).data;
    const y = (c.Y as NdArray).data;
    const dA2 = A2.map((a, i) => -(y[i] / a - (1 - y[i]) / (1 - a)));
    expectClose(grads.dA2, { shape: [1, A2.length], data: dA2 }, "dA2");
    // Gradients of parameters have the parameters' shapes.
    expect(grads.dW1.shape).toEqual(net.W1.shape);
    expect(grads.db1.shape).toEqual(net.b1.shape);
    expect(grads.dW2.shape).toEqual(net.W2.shape);
    expect(grads.db2.shape).toEqual(net.b2.shape);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: autodiff equals closedFormGradients", (_, c) => {
    const net = netFor(c);
    const X = nd(c.X as NdArray);
    const Y = nd(c.Y as NdArray);
    const auto = net.gradients(X, Y);
    const closed = closedFormGradients(net.params, X, Y, hiddenSpec(c));
    for (const key of ["dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"] as const) {
      expectClose(auto[key], closed[key], key);
    }
  });
});

describe("TwoLayerNet.gradients", () => {
  const c = closedFormCases()[1];

  it("leaves the parameters' .grad as it found them and gives the same answer twice", () => {
    const net = netFor(c);
    const X = nd(c.X as NdArray);
    const Y = nd(c.Y as NdArray);
    const marker = tensor([[7]]);
    net.W1.grad = marker;
    const first = net.gradients(X, Y);
    expect(net.W1.grad).toBe(marker);
    expect(net.b1.grad).toBeNull();
    expect(net.W2.grad).toBeNull();
    const second = net.gradients(X, Y);
    expect(Array.from(second.dW1.data)).toEqual(Array.from(first.dW1.data));
    expectClose(first.dW1, c.dW1 as NdArray, "dW1");
  });

  it("works inside noGrad", () => {
    const net = netFor(c);
    const grads = noGrad(() => net.gradients(nd(c.X as NdArray), nd(c.Y as NdArray)));
    expectClose(grads.dW2, c.dW2 as NdArray, "dW2");
  });

  test.prop(
    [
      fc.record({
        nx: fc.integer({ min: 1, max: 5 }),
        nh: fc.integer({ min: 1, max: 6 }),
        ny: fc.integer({ min: 1, max: 3 }),
        m: fc.integer({ min: 1, max: 8 }),
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        hidden: fc.constantFrom("tanh", "sigmoid", "relu", "leakyRelu", "linear"),
      }),
    ],
    propertyParams(25),
  )(
    "random nets: autodiff equals the closed forms (relative 1e-12, or 1e-15 absolute)",
    ({ nx, nh, ny, m, seed, hidden }) => {
      const rng = new RandomState(seed);
      const net = new TwoLayerNet({ nx, nh, ny, seed, hiddenActivation: hidden, init: "xavier" });
      net.b1.copy_(rng.randn(nh, 1));
      net.b2.copy_(rng.randn(ny, 1).mul(0.5));
      const X = rng.randn(nx, m);
      const Y = rng.rand(ny, m).gt(0.5);
      const auto = net.gradients(X, Y);
      const closed = closedFormGradients(net.params, X, Y, hidden);
      for (const key of ["dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"] as const) {
        // atol: an entry such as db2 = Σ dZ2 / m can cancel to ~1e-5 from O(1) terms, keeping only ~1e-17 absolute.
        expectClose(auto[key], closed[key], key, { atol: 1e-15 });
      }
    },
  );
});

describe("TwoLayerNet.predict and accuracy", () => {
  it("thresholds A2 at 0.5 and reports percent correct", () => {
    const net = new TwoLayerNet({ nx: 1, nh: 1, ny: 1, hiddenActivation: "linear" });
    // A1 = Z1 = x, A2 = σ(x): predictions are x > 0.
    net.W1.copy_(tensor([[1]]));
    net.W2.copy_(tensor([[1]]));
    const X = tensor([[-2, -0.5, 0, 0.5, 3]]);
    expect(net.predict(X).toArray()).toEqual([[0, 0, 0, 1, 1]]);
    expect(net.accuracy(X, tensor([[0, 1, 0, 1, 0]]))).toBe(60);
    expect(net.predict(X).requiresGrad).toBe(false);
  });
});

describe("TwoLayerNet errors", () => {
  const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });

  it("rejects X with the wrong number of rows, naming shapes", () => {
    expect(() => net.forward(tensor(new Float64Array(1200), [3, 400]))).toThrow(
      new ShapeError("TwoLayerNet.forward", "X has shape (3,400) but W1 is (4,2): X needs 2 rows (n_x)"),
    );
    expect(() => net.forward(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => net.forward([[1], [2]] as unknown as Tensor)).toThrow(ValueError);
  });

  it("rejects X and Y with different numbers of examples", () => {
    expect(() => net.loss(tensor(new Float64Array(10), [2, 5]), tensor([[0, 1, 0]]))).toThrow(
      new ShapeError("TwoLayerNet.loss", "X has 5 columns (examples) but Y has 3: X (2,5), Y (1,3)"),
    );
    expect(() =>
      net.gradients(
        tensor(new Float64Array(6), [2, 3]),
        tensor([
          [0, 1, 0],
          [1, 1, 1],
        ]),
      ),
    ).toThrow(/Y has shape \(2,3\) but the output layer has 1 unit\(s\)/);
  });

  it("rejects labels that are not 0/1, naming the value and index", () => {
    const X = tensor(new Float64Array(6), [2, 3]);
    expect(() => net.loss(X, tensor([[0, 1, 0.5]]))).toThrow(
      new ValueError("TwoLayerNet.loss", "Y must hold 0/1 labels, found 0.5 at index (0,2) of Y (1,3)"),
    );
    expect(() => net.gradients(X, tensor([[2, 1, 0]]))).toThrow(
      new ValueError("TwoLayerNet.gradients", "Y must hold 0/1 labels, found 2 at index (0,0) of Y (1,3)"),
    );
  });

  it("rejects bad sizes, seeds, activation and initializer names", () => {
    expect(() => new TwoLayerNet({ nx: 2, nh: 0, ny: 1 })).toThrow(
      new ValueError("TwoLayerNet", "nh must be a positive integer, got 0"),
    );
    expect(() => new TwoLayerNet({ nx: 2.5, nh: 4, ny: 1 })).toThrow(/nx must be a positive integer, got 2.5/);
    expect(() => new TwoLayerNet({ nx: 2, nh: 4, ny: -1 })).toThrow(/ny must be a positive integer, got -1/);
    expect(() => new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: -3 })).toThrow(ValueError);
    expect(() => new TwoLayerNet({ nx: 2, nh: 4, ny: 1, hiddenActivation: "swish" as "tanh" })).toThrow(
      new ValueError(
        "TwoLayerNet",
        'unknown activation "swish": expected one of sigmoid, tanh, relu, leakyRelu, linear, softmax',
      ),
    );
    expect(() => new TwoLayerNet({ nx: 2, nh: 4, ny: 1, init: "glorot" as "he" })).toThrow(
      new ValueError("TwoLayerNet", 'unknown initializer "glorot": expected one of zeros, small, xavier, he'),
    );
  });
});
