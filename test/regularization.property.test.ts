/** L2 regularization and inverted dropout (course 2, week 1): autodiff's dW, db equal the course's closed forms on random L-layer nets. */
import { mlp, regularizedClosedFormGradients } from "@backprop/layers";
import { deepNetCase, expectClose, propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe } from "vitest";
import { gradientScales } from "./helpers.js";

/**
 * The tolerance of closedForm.property.test.ts, rtol 1e-12 against the scale S of each entry's terms (test/README.md),
 * with the L2 term |λ W/m| added to S, and S multiplied by (1/keep_prob)^L, the most dropout's rescaling can grow a term.
 */
const rtol = 1e-12;
const atol = 1e-300;

const regularizedCase = fc.record({
  net: deepNetCase({ minLayers: 1, maxLayers: 5 }),
  lambd: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
  keepProb: fc.oneof(fc.constant(1), fc.double({ min: 0.3, max: 1, noNaN: true })),
  seed: fc.nat(),
});

describe("L2 regularization and dropout: autodiff equals the closed forms", () => {
  test.prop([regularizedCase], propertyParams(100))(
    "dW[l] = (1/m) dZ[l]·A[l−1]ᵀ + (λ/m) W[l], with dA[l] := dA[l] ∗ D[l] / keep_prob, for every layer",
    ({ net: { params, activations, X, Y }, lambd, keepProb, seed }) => {
      const sizes = [params.W[0]!.shape[1]!, ...params.W.map((W) => W.shape[0]!)];
      const net = mlp(sizes, [...activations], { lambd, dropout: { keepProb, seed } });
      net.layers.forEach((layer, l) => {
        layer.W.copy_(params.W[l]!);
        layer.b.copy_(params.b[l]!);
      });
      net.loss(X, Y).backward();
      const L = params.W.length;
      // The masks the forward pass drew, one per hidden layer, when keep_prob < 1.
      const D = keepProb < 1 ? net.D : [];
      const closed = regularizedClosedFormGradients(params, activations, X, Y, { lambd, keepProb, D });
      const S = gradientScales(params, activations, X, Y);
      const growth = (1 / keepProb) ** L;
      const m = X.shape[1]!;
      for (let l = 0; l < L; l++) {
        const scaleW = S.dW[l]!.mul(growth).add(params.W[l]!.abs().mul(lambd / m));
        expectClose(net.W[l]!.grad!, closed.dW[l]!, { rtol, atol, scale: scaleW, name: `dW${l + 1}` });
        expectClose(net.b[l]!.grad!, closed.db[l]!, { rtol, atol, scale: S.db[l]!.mul(growth), name: `db${l + 1}` });
      }
    },
  );
});
