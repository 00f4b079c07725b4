/** Losses: values by hand, the ends of binary cross-entropy, BCE on logits at ±800, softmax CE, gradcheck, errors. */

import {
  formatTrace,
  grad,
  gradcheck,
  ShapeError,
  sub,
  type Tensor,
  tensor,
  traceBackward,
  ValueError,
  where,
} from "@backprop/core";
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  meanSquaredError,
  softmaxCrossEntropy,
} from "@backprop/layers";
import { floatValue, propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

const row = (t: Tensor) => Array.from(t.data);
const sigma = (v: number) => 1 / (1 + Math.exp(-v));

describe("binaryCrossEntropy", () => {
  it("is −(1/m) Σ (y log a + (1 − y) log(1 − a)), named J", () => {
    const J = binaryCrossEntropy(tensor([[0.8, 0.4, 0.1]]), tensor([[1, 0, 0]]));
    expect(J.shape).toEqual([]);
    expect(J.name).toBe("J");
    expect(J.item()).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6) + Math.log(0.9)) / 3, 15);
  });

  it("sums over output units and averages over the m examples (columns)", () => {
    const A = tensor([
      [0.9, 0.2],
      [0.3, 0.6],
    ]);
    const Y = tensor([
      [1, 0],
      [1, 1],
    ]);
    const hand = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.3) + Math.log(0.6)) / 2;
    expect(binaryCrossEntropy(A, Y).item()).toBeCloseTo(hand, 15);
  });

  test.prop(
    [
      fc.array(fc.tuple(floatValue({ min: 1e-6, max: 1 - 1e-6, include: [0.5] }), fc.boolean()), {
        minLength: 1,
        maxLength: 20,
      }),
    ],
    propertyParams(50),
  )("equals the textbook formula for 0 < a < 1", (pairs) => {
    const a = pairs.map(([v]) => v);
    const y = pairs.map(([, b]) => (b ? 1 : 0));
    let total = 0;
    a.forEach((v, i) => {
      total += y[i] * Math.log(v) + (1 - y[i]) * Math.log(1 - v);
    });
    const J = binaryCrossEntropy(tensor([a]), tensor([y])).item();
    expect(Math.abs(J - -total / a.length)).toBeLessThanOrEqual(1e-14 * Math.abs(total / a.length) + 1e-300);
  });

  it("at a = y (a confident right answer) the term is 0 and the gradient is finite (∓1/m)", () => {
    const Y = tensor([[1, 0, 1, 0]]);
    const A = tensor([[1, 0, 0.5, 0.5]]);
    expect(binaryCrossEntropy(A, Y).item()).toBeCloseTo(Math.log(2) / 2, 15);
    expect(Object.is(binaryCrossEntropy(tensor([[1, 0]]), tensor([[1, 0]])).item(), 0)).toBe(true); // +0, not −0
    const dA = grad((a) => binaryCrossEntropy(a, Y))(A);
    // ∂J/∂a = −y/(m a) + (1 − y)/(m (1 − a)) with m = 4.
    expect(row(dA)).toEqual([-0.25, 0.25, -0.5, 0.5]);
  });

  it("at a confident wrong answer (a = 0 with y = 1, a = 1 with y = 0) J is +Infinity, not NaN", () => {
    expect(binaryCrossEntropy(tensor([[0, 0.5]]), tensor([[1, 1]])).item()).toBe(Number.POSITIVE_INFINITY);
    expect(binaryCrossEntropy(tensor([[1]]), tensor([[0]])).item()).toBe(Number.POSITIVE_INFINITY);
    const dA = grad((a) => binaryCrossEntropy(a, tensor([[1, 0]])))(tensor([[0, 1]]));
    expect(row(dA)).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });

  it("passes gradcheck", () => {
    const Y = tensor([
      [1, 0, 1],
      [0, 0, 1],
    ]);
    const A = tensor([
      [0.3, 0.9, 0.55],
      [0.15, 0.6, 0.7],
    ]);
    expect(gradcheck((a) => binaryCrossEntropy(a, Y), [A]).passed).toBe(true);
  });

  it("rejects mismatched shapes, a outside [0, 1], NaN, labels other than 0/1, and empty or 1-d input", () => {
    expect(() => binaryCrossEntropy(tensor([[0.5, 0.5]]), tensor([[1, 0, 1]]))).toThrow(
      new ShapeError(
        "binaryCrossEntropy",
        "A has shape (1,2) but Y has shape (1,3): they must match (outputs × examples)",
      ),
    );
    expect(() => binaryCrossEntropy(tensor([[0.5, 1.2]]), tensor([[1, 0]]))).toThrow(
      new ValueError("binaryCrossEntropy", "A must hold probabilities in [0, 1], found 1.2 at index (0,1) of A (1,2)"),
    );
    expect(() => binaryCrossEntropy(tensor([[Number.NaN]]), tensor([[1]]))).toThrow(/found NaN at index \(0,0\)/);
    expect(() => binaryCrossEntropy(tensor([[0.5, 0.5, 0.5]]), tensor([[1, 0, -1]]))).toThrow(
      new ValueError("binaryCrossEntropy", "Y must hold 0/1 labels, found -1 at index (0,2) of Y (1,3)"),
    );
    expect(() => binaryCrossEntropy(tensor([0.5]), tensor([1]))).toThrow(
      new ShapeError(
        "binaryCrossEntropy",
        "A must be 2-d (features × examples, one example per column), got shape (1)",
      ),
    );
    expect(() => binaryCrossEntropy(tensor(new Float64Array(0), [1, 0]), tensor(new Float64Array(0), [1, 0]))).toThrow(
      /needs at least one example/,
    );
  });
});

describe("binaryCrossEntropyWithLogits", () => {
  it("is finite, with a finite gradient, at logits ±800", () => {
    const Z = tensor([[800, -800, 800, -800]]);
    const Y = tensor([[1, 0, 0, 1]]);
    // Right answers cost 0; wrong ones cost |z| = 800 each: J = 1600/4.
    expect(binaryCrossEntropyWithLogits(Z, Y).item()).toBe(400);
    const dZ = grad((z) => binaryCrossEntropyWithLogits(z, Y))(Z);
    // (σ(z) − y)/m.
    expect(row(dZ)).toEqual([0, 0, 0.25, -0.25]);
    // The probability version saturates: σ(±800) is exactly 1 or 0.
    expect(binaryCrossEntropy(Z.sigmoid(), Y).item()).toBe(Number.POSITIVE_INFINITY);
  });

  test.prop(
    [fc.array(fc.tuple(floatValue({ min: -8, max: 8, include: [0] }), fc.boolean()), { minLength: 1, maxLength: 12 })],
    propertyParams(50),
  )("equals binaryCrossEntropy(σ(Z), Y), value and gradient, where that is finite", (pairs) => {
    const Z = tensor([pairs.map(([z]) => z)]);
    const Y = tensor([pairs.map(([, y]) => (y ? 1 : 0))]);
    const logits = binaryCrossEntropyWithLogits(Z, Y).item();
    const probs = binaryCrossEntropy(Z.sigmoid(), Y).item();
    expect(Math.abs(logits - probs)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(probs), 1e-3));
    const g1 = grad((z) => binaryCrossEntropyWithLogits(z, Y))(Z);
    const g2 = grad((z) => binaryCrossEntropy(z.sigmoid(), Y))(Z);
    g1.data.forEach((v, i) => {
      expect(Math.abs(v - g2.data[i])).toBeLessThanOrEqual(1e-15);
    });
  });

  it("takes soft labels in [0, 1] and passes gradcheck", () => {
    const Z = tensor([[0.5, -1.5, 2]]);
    const Y = tensor([[0.3, 1, 0]]);
    const hand =
      -(0.3 * Math.log(sigma(0.5)) + 0.7 * Math.log(1 - sigma(0.5)) + Math.log(sigma(-1.5)) + Math.log(1 - sigma(2))) /
      3;
    expect(binaryCrossEntropyWithLogits(Z, Y).item()).toBeCloseTo(hand, 14);
    expect(gradcheck((z) => binaryCrossEntropyWithLogits(z, Y), [Z]).passed).toBe(true);
  });

  it("rejects non-finite logits and labels outside [0, 1]", () => {
    expect(() => binaryCrossEntropyWithLogits(tensor([[1, Number.POSITIVE_INFINITY]]), tensor([[1, 0]]))).toThrow(
      new ValueError(
        "binaryCrossEntropyWithLogits",
        "Z must hold finite logits, found Infinity at index (0,1) of Z (1,2)",
      ),
    );
    expect(() => binaryCrossEntropyWithLogits(tensor([[1]]), tensor([[1.5]]))).toThrow(
      /Y must hold labels in \[0, 1\]/,
    );
  });
});

describe("meanSquaredError", () => {
  it("is (1/(2m)) Σ (a − y)², summed over outputs and averaged over examples", () => {
    expect(meanSquaredError(tensor([[1, 2]]), tensor([[0, 0]])).item()).toBe(1.25);
    const A = tensor([
      [1, 2, 0],
      [0.5, -1, 3],
    ]);
    const Y = tensor([
      [0, 2, 1],
      [0.5, 1, 0],
    ]);
    // Squared errors: 1, 0, 1, 0, 4, 9 → 15 / (2·3).
    expect(meanSquaredError(A, Y).item()).toBe(2.5);
    expect(row(grad((a) => meanSquaredError(a, Y))(A))).toEqual([1 / 3, 0, -1 / 3, 0, -2 / 3, 1]);
    expect(gradcheck((a) => meanSquaredError(a, Y), [A]).passed).toBe(true);
  });

  it("rejects NaN and mismatched shapes", () => {
    expect(() => meanSquaredError(tensor([[Number.NaN]]), tensor([[0]]))).toThrow(
      new ValueError("meanSquaredError", "A must hold numbers (not NaN), found NaN at index (0,0) of A (1,1)"),
    );
    expect(() => meanSquaredError(tensor([[1], [2]]), tensor([[1, 2]]))).toThrow(ShapeError);
  });
});

describe("softmaxCrossEntropy", () => {
  it("is −(1/m) Σ y log softmax(z) over classes (rows), by hand", () => {
    expect(softmaxCrossEntropy(tensor([[2], [0]]), tensor([[1], [0]])).item()).toBeCloseTo(
      Math.log(1 + Math.exp(-2)),
      15,
    );
    const Z = tensor([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    const Y = tensor([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    // Column 1: −(2 − lse); column 2: −(0 − log 3).
    expect(softmaxCrossEntropy(Z, Y).item()).toBeCloseTo((lse - 2 + Math.log(3)) / 2, 15);
  });

  it("is stable at large logits and its gradient is (softmax(Z) − Y)/m", () => {
    const Z = tensor([[1000], [0], [-1000]]);
    expect(softmaxCrossEntropy(Z, tensor([[0], [1], [0]])).item()).toBe(1000);
    expect(softmaxCrossEntropy(Z, tensor([[1], [0], [0]])).item()).toBe(0);
    const Z2 = tensor([
      [0.5, -1],
      [1.5, 2],
    ]);
    const Y2 = tensor([
      [1, 0],
      [0, 1],
    ]);
    const dZ = row(grad((z) => softmaxCrossEntropy(z, Y2))(Z2));
    const p = [sigma(0.5 - 1.5), sigma(-1 - 2)]; // softmax of two classes: p(class 0) = σ(z0 − z1)
    const expected = [(p[0] - 1) / 2, p[1] / 2, (1 - p[0]) / 2, (1 - p[1] - 1) / 2];
    dZ.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i], 15);
    });
    expect(gradcheck((z) => softmaxCrossEntropy(z, Y2), [Z2]).passed).toBe(true);
  });

  it("rejects columns of Y that are not distributions", () => {
    expect(() =>
      softmaxCrossEntropy(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([
          [1, 1],
          [0, 1],
        ]),
      ),
    ).toThrow(
      new ValueError(
        "softmaxCrossEntropy",
        "Y must be one-hot (classes as rows, examples as columns), but column 1 sums to 2, not 1",
      ),
    );
    expect(() => softmaxCrossEntropy(tensor([[1], [3]]), tensor([[2], [-1]]))).toThrow(/found 2 at index \(0,0\)/);
  });
});

describe("binaryCrossEntropy as one graph node", () => {
  it("traces like the course, dA2 ← −(Y/A2 − (1 − Y)/(1 − A2))/m, with the bits of the unfused ops", () => {
    const A2 = tensor([[0.8, 0.4, 1, 0]], { requiresGrad: true, name: "A2" });
    const Y = tensor([[1, 0, 1, 0]], { name: "Y" });
    const J = binaryCrossEntropy(A2, Y);
    expect(formatTrace(J)).toBe("dJ (scalar) = 1 (seed)\ndA2 (1×4) ← −(Y/A2 − (1 − Y)/(1 − A2))/m");
    // Traced from a larger output, the upstream dJ is shown.
    expect(traceBackward(J.mul(2).named("K"))[1]?.text).toBe("dA2 (1×4) ← dJ ∗ (−(Y/A2 − (1 − Y)/(1 − A2))/m)");
    J.backward();
    // The same cost built from core's ops, differentiated by autodiff (what binaryCrossEntropy recorded before).
    const A = tensor([[0.8, 0.4, 1, 0]], { requiresGrad: true });
    sub(0, where(Y, A, sub(1, A)).log().sum())
      .div(4)
      .backward();
    expect(Array.from(A2.grad?.data ?? [])).toEqual(Array.from(A.grad?.data ?? []));
    // −(y/a − (1 − y)/(1 − a))/m by hand: −1/(0.8·4), 1/(0.6·4), −1/4, 1/4.
    expect(Array.from(A2.grad?.data ?? [])).toEqual([-1 / 0.8 / 4, 1 / 0.6 / 4, -1 / 4, 1 / 4]);
  });
});
