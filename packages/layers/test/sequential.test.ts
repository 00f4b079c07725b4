/** Dense, Sequential and mlp: forward values, course names, numpy draw order, L-layer autodiff against deepClosedFormGradients. */

import { noGrad, RandomState, ShapeError, type Tensor, tensor, ValueError, zeros } from "@backprop/core";
import {
  type ActivationSpec,
  binaryCrossEntropy,
  Dense,
  deepClosedFormGradients,
  mlp,
  Sequential,
  softmaxCrossEntropy,
  TwoLayerNet,
} from "@backprop/layers";
import { floatValue, propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { expectClose, loadFixture, type NdArray } from "./modelFixtures.js";

// Random nets: 1e-12 in the course's relative difference per tensor (1e-10 per element), or 1e-14 absolute, for
// entries that are sums cancelling to near 0 and so only known to the rounding error of their terms.
const deep = { rtol: 1e-12, elementRtol: 1e-10, atol: 1e-14 };

describe("Dense", () => {
  it("computes Z = W·A + b and A = g(Z), named after the layer", () => {
    const layer = new Dense({ nIn: 2, nOut: 2, activation: "relu", name: "1" });
    layer.W.copy_(
      tensor([
        [1, -1],
        [2, 0.5],
      ]),
    );
    layer.b.copy_(tensor([[0.5], [-3]]));
    const A = layer.forward(
      tensor([
        [1, 2],
        [3, -4],
      ]),
    );
    // Z = [[1−3+0.5, 2+4+0.5], [2+1.5−3, 4−2−3]] = [[−1.5, 6.5], [0.5, −1]].
    expect(layer.Z!.toArray()).toEqual([
      [-1.5, 6.5],
      [0.5, -1],
    ]);
    expect(A.toArray()).toEqual([
      [0, 6.5],
      [0.5, 0],
    ]);
    expect([layer.W.name, layer.b.name, layer.Z!.name, layer.A!.name]).toEqual(["W1", "b1", "Z1", "A1"]);
    expect(layer.A).toBe(A);
    expect(layer.parameters()).toEqual([layer.W, layer.b]);
    expect(layer.W.shape).toEqual([2, 2]);
    expect(layer.b.shape).toEqual([2, 1]);
    expect(layer.W.requiresGrad && layer.b.requiresGrad).toBe(true);
  });

  it("two layers of the same shape built with the defaults start different (one shared stream)", () => {
    const first = new Dense({ nIn: 4, nOut: 3 });
    const second = new Dense({ nIn: 4, nOut: 3 });
    // Equal layers would be the course's symmetry problem across layers (each used to draw from its own seed 3).
    expect(Array.from(second.W.data)).not.toEqual(Array.from(first.W.data));
    expect(first.W.data.every((v) => v !== 0)).toBe(true);
  });

  it("with rng: 3 draws small init from seed 3", () => {
    const layer = new Dense({ nIn: 4, nOut: 3, rng: 3 });
    expect(layer.activation.name).toBe("linear");
    const rng = loadFixture<{ cases: { seed: number; randn_3x4: NdArray }[] }>("numpy-rng.json").cases.find(
      (c) => c.seed === 3,
    )!;
    // np.random.seed(3); np.random.randn(3, 4) * 0.01
    expect(Array.from(layer.W.data)).toEqual(rng.randn_3x4.data.map((v) => v * 0.01));
  });

  it("rejects an input with the wrong number of rows, in the course's words", () => {
    const layer = new Dense({ nIn: 2, nOut: 4, name: "2" });
    expect(() => layer.forward(zeros([3, 5]))).toThrow(
      new ShapeError("Dense.forward", "A1 has shape (3,5) but W2 is (4,2): A1 needs 2 rows (n[1])"),
    );
    expect(() => new Dense({ nIn: 2, nOut: 4 }).forward(zeros([3, 5]))).toThrow(
      new ShapeError("Dense.forward", "APrev has shape (3,5) but W is (4,2): APrev needs 2 rows (n[l−1])"),
    );
    expect(() => new Dense({ nIn: 0, nOut: 4 })).toThrow(
      new ValueError("Dense", "nIn must be a positive integer, got 0"),
    );
    expect(() => new Dense({ nIn: 2, nOut: 4, activation: "gelu" as "relu" })).toThrow(/unknown activation "gelu"/);
  });
});

describe("mlp", () => {
  const inits = loadFixture<{ cases: { n_h: number; W1: NdArray; W2: NdArray }[] }>("planar-init.json").cases;

  it.each(inits.map((c) => [c.n_h, c] as const))(
    "mlp([2, %i, 1], seed 2) draws W1 then W2 from one stream, as numpy",
    (nh, c) => {
      const net = mlp([2, nh, 1], ["tanh", "sigmoid"], { seed: 2 });
      expect(Array.from(net.W[0].data)).toEqual(c.W1.data);
      expect(Array.from(net.W[1].data)).toEqual(c.W2.data);
      expect(net.W.map((W) => W.shape)).toEqual([
        [nh, 2],
        [1, nh],
      ]);
      expect(net.b.map((b) => b.shape)).toEqual([
        [nh, 1],
        [1, 1],
      ]);
    },
  );

  it("is the TwoLayerNet when given the same sizes, activations and seed", () => {
    const data = loadFixture<{ X: NdArray; Y: NdArray }>("planar-dataset.json");
    const X = tensor(Float64Array.from(data.X.data), data.X.shape);
    const Y = tensor(Float64Array.from(data.Y.data), data.Y.shape);
    const net = mlp([2, 4, 1], ["tanh", "sigmoid"], { seed: 2 });
    const two = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
    expect(net.loss(X, Y).item()).toBe(two.loss(X, Y).item());
    // Course value for these initial parameters on the flower data set: J ≈ 0.693 (log 2, as A2 ≈ 0.5).
    expect(net.loss(X, Y).item()).toBeCloseTo(Math.log(2), 3);
  });

  it("shares a RandomState passed as rng, continuing its stream", () => {
    const rng = new RandomState(5);
    const a = mlp([3, 2], ["sigmoid"], { rng });
    const b = mlp([3, 2], ["sigmoid"], { rng });
    const fresh = new RandomState(5);
    expect(Array.from(a.W[0].data)).toEqual(Array.from(fresh.randn(2, 3).mul(0.01).data));
    expect(Array.from(b.W[0].data)).toEqual(Array.from(fresh.randn(2, 3).mul(0.01).data));
  });

  it("rejects bad sizes and a wrong number of activations", () => {
    expect(() => mlp([2, 0, 1], ["relu", "sigmoid"])).toThrow(
      new ValueError("mlp", "layerSizes[1] must be a positive integer, got 0"),
    );
    expect(() => mlp([2], [])).toThrow(/layerSizes must list n\[0\], …, n\[L\]/);
    expect(() => mlp([2, 3, 1], ["relu"])).toThrow(
      new ValueError(
        "mlp",
        "needs one activation per layer: 2 layer(s) from layerSizes [2, 3, 1], got 1 activation(s)",
      ),
    );
    expect(() => mlp([2, 3, 1], ["relu", "sigmoid"], { init: "uniform" as "he" })).toThrow(
      /unknown initializer "uniform"/,
    );
    expect(() => mlp([2, 1], ["sigmoid"], { seed: 1.5 })).toThrow(ValueError);
  });
});

describe("Sequential", () => {
  it("names unnamed layers by position and lists parameters in course order", () => {
    const net = new Sequential([
      new Dense({ nIn: 3, nOut: 4, activation: "relu" }),
      new Dense({ nIn: 4, nOut: 2, activation: "tanh" }),
      new Dense({ nIn: 2, nOut: 1, activation: "sigmoid" }),
    ]);
    expect(net.namedParameters().map(([name, p]) => [name, p.name, p.shape])).toEqual([
      ["W1", "W1", [4, 3]],
      ["b1", "b1", [4, 1]],
      ["W2", "W2", [2, 4]],
      ["b2", "b2", [2, 1]],
      ["W3", "W3", [1, 2]],
      ["b3", "b3", [1, 1]],
    ]);
    expect(() => net.Z).toThrow(new ValueError("Sequential", "Z1 is not available: call forward (or loss) first"));
    const X = new RandomState(0).randn(3, 5);
    const AL = net.forward(X);
    expect(net.A[2]).toBe(AL);
    expect(net.Z.map((Z) => Z.name)).toEqual(["Z1", "Z2", "Z3"]);
    expect(net.A.map((A) => A.name)).toEqual(["A1", "A2", "A3"]);
    expect(net.depth).toBe(3);
  });

  it("defaults to binary cross-entropy of A[L] for a sigmoid output, softmax cross-entropy of Z[L] for softmax", () => {
    const rng = new RandomState(1);
    const X = rng.randn(2, 6);
    const Y = tensor([[1, 0, 0, 1, 1, 0]]);
    const net = mlp([2, 3, 1], ["relu", "sigmoid"], { init: "he" });
    expect(net.lossFunction.name).toBe("binaryCrossEntropy");
    const J = net.loss(X, Y);
    expect(J.name).toBe("J");
    expect(J.item()).toBe(binaryCrossEntropy(net.A[1], Y).item());

    const soft = mlp([2, 3, 3], ["tanh", "softmax"], { init: "xavier" });
    const Y3 = tensor([
      [1, 0, 0, 0, 1, 0],
      [0, 1, 0, 0, 0, 1],
      [0, 0, 1, 1, 0, 0],
    ]);
    expect(soft.lossFunction).toMatchObject({ name: "softmaxCrossEntropy", takesLogits: true });
    expect(soft.loss(X, Y3).item()).toBe(softmaxCrossEntropy(soft.Z[1], Y3).item());
    expect(mlp([2, 1], ["linear"]).lossFunction.name).toBe("meanSquaredError");
  });

  it("rejects layers that do not chain, duplicate names, and losses that do not fit the output", () => {
    expect(() => new Sequential([new Dense({ nIn: 2, nOut: 3 }), new Dense({ nIn: 4, nOut: 1 })])).toThrow(
      new ValueError("Sequential", "layers[1] takes 4 inputs but layers[0] has 3 units: W2 needs 3 columns (n[1])"),
    );
    expect(() => new Sequential([])).toThrow(new ValueError("Sequential", "needs at least one Dense layer"));
    expect(
      () => new Sequential([new Dense({ nIn: 2, nOut: 2, name: "1" }), new Dense({ nIn: 2, nOut: 1, name: "1" })]),
    ).toThrow(/layer names must be distinct, got \[1, 1\]/);
    expect(() => mlp([2, 1], ["relu"], { loss: "binaryCrossEntropyWithLogits" })).toThrow(
      new ValueError(
        "mlp",
        "binaryCrossEntropyWithLogits reads the logits Z[L], so the output activation must be sigmoid or linear, got relu",
      ),
    );
    expect(() => mlp([2, 1], ["linear"], { loss: "binaryCrossEntropy" })).toThrow(
      /binaryCrossEntropy needs probabilities: the output activation is linear, not sigmoid/,
    );
    expect(() => mlp([2, 1], ["sigmoid"], { loss: "hinge" as "meanSquaredError" })).toThrow(
      new ValueError(
        "mlp",
        'unknown loss "hinge": expected one of binaryCrossEntropy, binaryCrossEntropyWithLogits, meanSquaredError, softmaxCrossEntropy',
      ),
    );
  });

  it("checks X and Y against the network", () => {
    const net = mlp([3, 2, 1], ["relu", "sigmoid"]);
    expect(() => net.forward(zeros([2, 4]))).toThrow(
      new ShapeError("Sequential.forward", "X has shape (2,4) but W1 is (2,3): X needs 3 rows (n[0])"),
    );
    expect(() => net.loss(zeros([3, 4]), zeros([1, 5]))).toThrow(
      new ShapeError("Sequential.loss", "X has 4 columns (examples) but Y has 5: X (3,4), Y (1,5)"),
    );
    expect(() => net.loss(zeros([3, 2]), tensor([[1, -1]]))).toThrow(
      new ValueError("Sequential.loss", "Y must hold 0/1 labels, found -1 at index (0,1) of Y (1,2)"),
    );
  });
});

const hiddenActivation = fc.oneof(
  fc.constantFrom<ActivationSpec>("tanh", "sigmoid", "relu", "leakyRelu", "linear"),
  floatValue({ min: 0.001, max: 0.5, include: [0.01] }).map((slope): ActivationSpec => ({ name: "leakyRelu", slope })),
);

/** Targets fitting the output activation's cost: 0/1 labels, one-hot columns, or real values. */
function targets(output: string, rows: number, m: number, rng: RandomState): Tensor {
  if (output === "sigmoid") return rng.rand(rows, m).gt(0.5);
  if (output === "linear") return rng.randn(rows, m);
  const Y = zeros([rows, m]);
  for (let j = 0; j < m; j++) Y.data[Math.floor(rng.rand() * rows) * m + j] = 1;
  return Y;
}

describe("L-layer autodiff against deepClosedFormGradients", () => {
  test.prop(
    [
      fc.record({
        sizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }),
        hidden: fc.array(hiddenActivation, { minLength: 3, maxLength: 3 }),
        output: fc.constantFrom("sigmoid", "sigmoid+logits", "softmax", "linear"),
        m: fc.integer({ min: 1, max: 6 }),
        init: fc.constantFrom("xavier" as const, "he" as const),
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      }),
    ],
    propertyParams(40),
  )(
    "depth 1–4, mixed activations: dW, db, dZ, dA agree (relative 1e-12)",
    ({ sizes: drawn, hidden, output, m, init, seed }) => {
      const L = drawn.length - 1;
      // softmax needs two classes (a copy: fast-check's generated values must not be mutated).
      const sizes = drawn.map((n, l) => (l === L && output === "softmax" ? Math.max(n, 2) : n));
      const logits = output === "sigmoid+logits";
      const activations = [...hidden.slice(0, L - 1), logits ? "sigmoid" : output];
      const net = mlp(sizes, activations, { init, seed, loss: logits ? "binaryCrossEntropyWithLogits" : undefined });
      const rng = new RandomState((seed ^ 0x5eed) >>> 0);
      for (const b of net.b) b.copy_(rng.randn(b.shape[0], 1).mul(0.5));
      const X = rng.randn(sizes[0], m);
      const Y = targets(logits ? "sigmoid" : output, sizes[L], m, rng);
      if (output !== "linear") {
        const AL = noGrad(() => net.forward(X));
        // A sigmoid output rounded to exactly 0 or 1 on the wrong label makes J = Infinity (see the test below).
        if (output === "sigmoid") fc.pre(AL.data.every((a, i) => a !== 1 - Y.data[i]));
        // A probability within 1e-3 of its label 1 makes dZ[L] = A − Y cancel, so both sides keep fewer digits (and
        // at exactly A = 1 the course's dA[L] = −(Y/A − (1 − Y)/(1 − A)) is 0/0 = NaN, where autodiff gives −1).
        fc.pre(AL.data.every((a, i) => Y.data[i] !== 1 || a <= 0.999));
      }
      const auto = net.gradients(X, Y);
      const closed = deepClosedFormGradients({ W: net.W, b: net.b }, activations, X, Y);
      for (let l = 0; l < L; l++) {
        expectClose(auto.dW[l], closed.dW[l], `dW${l + 1}`, deep);
        expectClose(auto.db[l], closed.db[l], `db${l + 1}`, deep);
        expectClose(auto.dZ[l], closed.dZ[l], `dZ${l + 1}`, deep);
        expect(auto.dW[l].shape).toEqual(net.W[l].shape);
        expect(auto.db[l].shape).toEqual(net.b[l].shape);
      }
      // softmax cross-entropy and BCE on logits read Z[L]: A[L] is not on the cost's graph, so only hidden dA are compared there.
      expect(auto.dA.length).toBe(output === "softmax" || logits ? L - 1 : L);
      auto.dA.forEach((dA, l) => {
        expectClose(dA, closed.dA[l], `dA${l + 1}`, deep);
      });
      expect(net.W.every((W) => W.grad === null)).toBe(true);
    },
  );
});

describe("a saturated sigmoid output", () => {
  it("makes binaryCrossEntropy of A[L] infinite, while the logits loss stays finite and matches the closed form", () => {
    // One unit, z = 40·x: σ(40) rounds to exactly 1, and the label is 0 (a confident wrong answer).
    const make = (loss?: "binaryCrossEntropyWithLogits") => {
      const net = mlp([1, 1], ["sigmoid"], { loss });
      net.W[0].copy_(tensor([[40]]));
      return net;
    };
    const X = tensor([[1, -1]]);
    const Y = tensor([[0, 0]]);
    expect(make().loss(X, Y).item()).toBe(Number.POSITIVE_INFINITY);
    const net = make("binaryCrossEntropyWithLogits");
    // J = (softplus(40) + softplus(−40))/2 = (40 + log1p(e^−40)·2)/2 ≈ 20.
    expect(net.loss(X, Y).item()).toBeCloseTo(20, 12);
    const auto = net.gradients(X, Y);
    const closed = deepClosedFormGradients({ W: net.W, b: net.b }, ["sigmoid"], X, Y);
    expectClose(auto.dW[0], closed.dW[0], "dW1");
    expectClose(auto.dZ[0], closed.dZ[0], "dZ1");
    expect(auto.dZ[0].data[0]).toBe(1);
    expect(auto.dZ[0].data[1]).toBeCloseTo(1 / (1 + Math.exp(40)), 30);
  });
});
