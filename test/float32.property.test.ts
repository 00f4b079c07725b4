/** Property 8: gradients computed in float32 agree with the float64 computation to a float32-appropriate tolerance. */
import { grad, type Tensor } from "@backprop/core";
import { activation, binaryCrossEntropy } from "@backprop/layers";
import { computationalGraph, expectClose, propertyParams, twoLayerNetCase } from "@backprop/testing";
import { test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { gradientScales } from "./helpers.js";

/**
 * float32's unit roundoff is 6e-8; a few dozen roundings per entry give ~1e-6 relative to the terms,
 * so rtol 1e-4 (about 1700 float32 ulps) against the same Σ|terms| scale as the float64 properties.
 */
const rtol = 1e-4;
const f64 = (t: Tensor) => t.astype("float64");

describe("float32 against float64", () => {
  test.prop([twoLayerNetCase({ dtype: "float32" })], propertyParams(100, 0.5))(
    "2-layer net: dW1, db1, dW2, db2 by autodiff in float32 ≈ the same in float64",
    ({ params, X, Y, hiddenActivation }) => {
      const g = activation(hiddenActivation);
      const J = (W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, x: Tensor, y: Tensor) =>
        binaryCrossEntropy(
          W2.matmul(g.forward(W1.matmul(x).add(b1)))
            .add(b2)
            .sigmoid(),
          y,
        );
      const argnums = [0, 1, 2, 3];
      const { W1, b1, W2, b2 } = params;
      const single = grad(J, { argnums })(W1, b1, W2, b2, X, Y);
      const double = grad(J, { argnums })(f64(W1), f64(b1), f64(W2), f64(b2), f64(X), f64(Y));
      const scales = gradientScales(
        { W: [f64(W1), f64(W2)], b: [f64(b1), f64(b2)] },
        [hiddenActivation, "sigmoid"],
        f64(X),
        f64(Y),
      );
      const scaleOf = [scales.dW[0], scales.db[0], scales.dW[1], scales.db[1]];
      ["dW1", "db1", "dW2", "db2"].forEach((name, i) => {
        expect(single[i].dtype).toBe("float32");
        expectClose(single[i], double[i], { rtol, atol: 1e-30, scale: scaleOf[i], name });
      });
    },
  );

  test.prop([computationalGraph({ dtype: "float32", output: "scalar" })], propertyParams(100, 0.5))(
    "random graphs: every input's gradient in float32 ≈ float64",
    ({ f, inputs }) => {
      const argnums = inputs.map((_, i) => i);
      const single = grad(f, { argnums })(...inputs);
      const double = grad(f, { argnums })(...inputs.map(f64));
      single.forEach((d, i) => {
        expect(d.dtype).toBe("float32");
        // |e| + 1 per element: intermediate gradients that cancel are O(1) (see metamorphic.property.test.ts).
        const scale = double[i].abs().add(1);
        expectClose(d, double[i], { rtol, atol: 1e-30, scale, name: `∂/∂x${i}` });
      });
    },
  );
});
