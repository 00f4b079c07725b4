/** Properties 1–4 (and other output layers): autodiff gradients of the course's networks equal the closed forms (float64, rtol 1e-12) and have the parameters' shapes. */
import {
  closedFormGradients,
  deepClosedFormGradients,
  LogisticRegression,
  logisticClosedFormGradients,
  mlp,
} from "@backprop/layers";
import {
  deepNetCase,
  expectClose,
  floatTensor,
  hiddenActivationNames,
  layerSizes,
  logisticRegressionCase,
  propertyParams,
  twoLayerNetCase,
} from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { gradientScales, oneHot, sequentialWith, twoLayerNetWith } from "./helpers.js";

/**
 * |a − e| ≤ 1e-300 + 1e-12·max(|e|, S), S = Σ|terms| from gradientScales (see test/README.md); the
 * 1e-300 floor only matters for subnormal results, where underflow makes absolute, not relative, errors.
 */
const rtol = 1e-12;
const atol = 1e-300;

describe("2-layer net: autodiff equals the closed forms", () => {
  test.prop([twoLayerNetCase()], propertyParams(100))(
    "dZ2, dW2, db2, dA1, dZ1, dW1, db1 for tanh, sigmoid, relu, leakyRelu hidden layers",
    ({ params, X, Y, hiddenActivation }) => {
      const net = twoLayerNetWith(params, hiddenActivation);
      const auto = net.gradients(X, Y);
      const closed = closedFormGradients(params, X, Y, hiddenActivation);
      const S = gradientScales(
        { W: [params.W1, params.W2], b: [params.b1, params.b2] },
        [hiddenActivation, "sigmoid"],
        X,
        Y,
      );
      const scales = {
        dZ2: S.dZ[1],
        dW2: S.dW[1],
        db2: S.db[1],
        dA1: S.dA[0],
        dZ1: S.dZ[0],
        dW1: S.dW[0],
        db1: S.db[0],
      };
      for (const [name, scale] of Object.entries(scales) as [keyof typeof scales, (typeof scales)["dZ2"]][]) {
        expectClose(auto[name], closed[name], { rtol, atol, scale, name });
      }
    },
  );
});

describe("logistic regression: autodiff equals the closed forms", () => {
  test.prop([logisticRegressionCase()], propertyParams(100))("dw, db (and dZ = A − Y)", ({ nx, params, X, Y }) => {
    const model = new LogisticRegression({ nx });
    model.w.copy_(params.w);
    model.b.copy_(params.b);
    const auto = model.gradients(X, Y);
    const closed = logisticClosedFormGradients(params, X, Y);
    // Logistic regression is the 1-layer net with W = wᵀ: dw = dWᵀ.
    const S = gradientScales({ W: [params.w.T], b: [params.b] }, ["sigmoid"], X, Y);
    expectClose(auto.dZ, closed.dZ, { rtol, atol, scale: S.dZ[0], name: "dZ" });
    expectClose(auto.dw, closed.dw, { rtol, atol, scale: S.dW[0].T, name: "dw" });
    expectClose(auto.db, closed.db, { rtol, atol, scale: S.db[0], name: "db" });
  });
});

describe("L-layer nets: autodiff equals deepClosedFormGradients", () => {
  test.prop([deepNetCase({ minLayers: 1, maxLayers: 6 })], propertyParams(100))(
    "dW, db, dZ, dA of every layer, depth 1–6, mixed hidden activations",
    ({ params, activations, X, Y }) => {
      const net = sequentialWith(params, activations);
      const auto = net.gradients(X, Y);
      const closed = deepClosedFormGradients(params, [...activations], X, Y);
      const S = gradientScales(params, activations, X, Y);
      for (let l = 0; l < params.W.length; l++) {
        expectClose(auto.dW[l], closed.dW[l], { rtol, atol, scale: S.dW[l], name: `dW${l + 1}` });
        expectClose(auto.db[l], closed.db[l], { rtol, atol, scale: S.db[l], name: `db${l + 1}` });
        expectClose(auto.dZ[l], closed.dZ[l], { rtol, atol, scale: S.dZ[l], name: `dZ${l + 1}` });
        // dA[L] is the cost's own gradient (−Y/A + (1−Y)/(1−A)): compared only for hidden layers.
        if (l < params.W.length - 1)
          expectClose(auto.dA[l], closed.dA[l], { rtol, atol, scale: S.dA[l], name: `dA${l + 1}` });
      }
    },
  );
});

/** L-layer nets with a linear (mean squared error) or softmax (softmax cross-entropy) output of k units. */
const otherOutputs = fc
  .record({
    output: fc.constantFrom("linear" as const, "softmax" as const),
    sizes: layerSizes({ minLayers: 1, maxLayers: 4, outputUnits: 3 }),
    hidden: fc.array(fc.constantFrom(...hiddenActivationNames), { minLength: 3, maxLength: 3 }),
    m: fc.integer({ min: 1, max: 5 }),
    seed: fc.nat(),
  })
  .chain((r) =>
    fc.record({
      r: fc.constant(r),
      X: floatTensor({ shape: [r.sizes[0], r.m], min: -2, max: 2 }),
      Y:
        r.output === "linear"
          ? floatTensor({ shape: [3, r.m], min: -1, max: 1 })
          : fc.array(fc.nat(2), { minLength: r.m, maxLength: r.m }).map((classes) => oneHot(classes, 3)),
    }),
  );

describe("L-layer nets with other outputs: autodiff equals deepClosedFormGradients", () => {
  test.prop([otherOutputs], propertyParams(60, 0.5))(
    "linear + mean squared error and softmax + softmax cross-entropy: dZ[L] = A[L] − Y, every dW, db, dZ",
    ({ r, X, Y }) => {
      const L = r.sizes.length - 1;
      const activations = [...r.hidden.slice(0, L - 1), r.output];
      const net = mlp(r.sizes, activations, { seed: r.seed, init: "xavier" });
      const params = { W: net.layers.map((layer) => layer.W), b: net.layers.map((layer) => layer.b) };
      const auto = net.gradients(X, Y);
      const closed = deepClosedFormGradients(params, activations, X, Y);
      const S = gradientScales(params, activations, X, Y);
      for (let l = 0; l < L; l++) {
        expectClose(auto.dW[l], closed.dW[l], { rtol, atol, scale: S.dW[l], name: `dW${l + 1}` });
        expectClose(auto.db[l], closed.db[l], { rtol, atol, scale: S.db[l], name: `db${l + 1}` });
        expectClose(auto.dZ[l], closed.dZ[l], { rtol, atol, scale: S.dZ[l], name: `dZ${l + 1}` });
      }
      // The cost's own gradient dA[L]: A − Y for mean squared error; for softmax the loss reads Z, so autodiff has no dA[L].
      if (r.output === "linear") {
        expectClose(auto.dA[L - 1], closed.dA[L - 1], { rtol, atol, scale: S.dZ[L - 1], name: `dA${L}` });
      } else {
        expectClose(closed.dA[L - 1], Y.div(net.forward(X)).neg(), { rtol: 0, name: `dA${L} = −Y/A` });
      }
    },
  );
});

describe("shape rules", () => {
  test.prop([deepNetCase({ maxLayers: 6, maxUnits: 7, maxNx: 7, maxM: 8 })], propertyParams(100))(
    "dW[l] has W[l]'s shape and db[l] has b[l]'s shape, for every layer (autodiff and closed form)",
    ({ params, activations, X, Y }) => {
      const auto = sequentialWith(params, activations).gradients(X, Y);
      const closed = deepClosedFormGradients(params, [...activations], X, Y);
      for (let l = 0; l < params.W.length; l++) {
        expect(auto.dW[l].shape).toEqual(params.W[l].shape);
        expect(auto.db[l].shape).toEqual(params.b[l].shape);
        expect(closed.dW[l].shape).toEqual(params.W[l].shape);
        expect(closed.db[l].shape).toEqual(params.b[l].shape);
        expect(auto.dZ[l].shape).toEqual([params.W[l].shape[0], X.shape[1]]);
      }
    },
  );

  test.prop([twoLayerNetCase({ maxNx: 7, maxUnits: 7, maxM: 8 })], propertyParams(100))(
    "TwoLayerNet: dW1, db1, dW2, db2 have the parameters' shapes; dZ1, dA1 are (n_h, m), dZ2 is (1, m)",
    ({ params, X, Y, hiddenActivation, nh, m }) => {
      const g = twoLayerNetWith(params, hiddenActivation).gradients(X, Y);
      expect(g.dW1.shape).toEqual(params.W1.shape);
      expect(g.db1.shape).toEqual(params.b1.shape);
      expect(g.dW2.shape).toEqual(params.W2.shape);
      expect(g.db2.shape).toEqual(params.b2.shape);
      expect(g.dZ1.shape).toEqual([nh, m]);
      expect(g.dA1.shape).toEqual([nh, m]);
      expect(g.dZ2.shape).toEqual([1, m]);
    },
  );
});
