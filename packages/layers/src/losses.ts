/** Costs J: mean over the m examples (columns) of binary cross-entropy, BCE on logits, squared error, softmax cross-entropy. */
import { customOp, formatShape, ShapeError, sub, type Tensor, ValueError, where } from "@backprop/core";
import { checkTargetValues } from "./dataChecks.js";
import { checkBinaryLabels, checkMatrix, checkValues } from "./model.js";

/** The built-in losses, by name. */
export type LossName =
  | "binaryCrossEntropy"
  | "binaryCrossEntropyWithLogits"
  | "meanSquaredError"
  | "softmaxCrossEntropy";

/** The names `lossFunction()` accepts, for error messages. */
export const lossNames: readonly LossName[] = [
  "binaryCrossEntropy",
  "binaryCrossEntropyWithLogits",
  "meanSquaredError",
  "softmaxCrossEntropy",
];

/** Checks that the prediction and Y are 2-d with the same shape and at least one example; returns m. */
function checkPair(op: string, predName: string, P: unknown, Y: unknown): number {
  const p = checkMatrix(op, predName, P);
  const y = checkMatrix(op, "Y", Y);
  if (p.shape[0] !== y.shape[0] || p.shape[1] !== y.shape[1]) {
    throw new ShapeError(
      op,
      `${predName} has shape ${formatShape(p.shape)} but Y has shape ${formatShape(y.shape)}: they must match (outputs × examples)`,
    );
  }
  if (y.shape[1] === 0) throw new ShapeError(op, `needs at least one example (column), got ${formatShape(y.shape)}`);
  return y.shape[1];
}

/** −(1/m) Σ terms, named J; `0 − Σ` rather than negation so a perfect fit costs +0, not −0. */
function negativeMean(terms: Tensor, m: number): Tensor {
  return sub(0, terms.sum()).div(m).named("J");
}

/**
 * J = −(1/m) Σ (y log a + (1 − y) log(1 − a)) for probabilities A and 0/1 labels Y, both (n_y, m):
 * the mean over the m examples of the cross-entropy summed over output units.
 *
 * Each term is computed as log p with p = a where y = 1 and p = 1 − a where y = 0, which is
 * exactly the course formula (and numpy's value) whenever 0 < a < 1, and stays well defined at the ends:
 * - a confident right answer (a = 1 with y = 1, or a = 0 with y = 0) contributes exactly 0, and its
 *   gradient ∂J/∂a = ∓1/m is finite (the textbook formula would give 0·log 0 = NaN);
 * - a confident wrong answer (a = 0 with y = 1, or a = 1 with y = 0) makes J = +Infinity, with an
 *   infinite gradient: the true cost is unbounded. Nothing is clipped; train on logits
 *   (`binaryCrossEntropyWithLogits`) when saturated outputs are expected.
 * A outside [0, 1] or NaN, and labels other than 0 and 1, throw a ValueError naming the first bad element.
 * @example binaryCrossEntropy(tensor([[0.8, 0.4]]), tensor([[1, 0]])).item(); // −(log 0.8 + log 0.6)/2 ≈ 0.367
 */
export function binaryCrossEntropy(A: Tensor, Y: Tensor): Tensor {
  const op = "binaryCrossEntropy";
  checkPair(op, "A", A, Y);
  checkValues(op, "A", A, (v) => v >= 0 && v <= 1, "probabilities in [0, 1]");
  checkBinaryLabels(op, Y);
  return bceOfProbabilities(A, Y).named("J");
}

/**
 * Binary cross-entropy as one graph node, so that traces show the course's dA = −(Y/A − (1 − Y)/(1 − A))/m.
 * Forward: select before the log, so the branch not taken is never evaluated (no log(0)·0 = NaN, in value
 * or gradient). Backward: q = −(dJ/m)/p with p = a where y = 1 and 1 − a where y = 0, and dA = ±q — the
 * same operations, in the same order, as autodiff of the forward's ops, so the bits are those of the
 * unfused graph (the planar demo's numpy agreement depends on them).
 */
const bceOfProbabilities = customOp({
  name: "binaryCrossEntropy",
  forward: (A, Y) => negativeMean(where(Y, A, sub(1, A)).log(), A.shape[1]),
  backward: (dJ, { inputs: [A, Y] }) => {
    const q = dJ
      .div(A.shape[1])
      .neg()
      .div(where(Y, A, sub(1, A)));
    return [where(Y, q, q.neg()), null];
  },
  formula: "dz ∗ (−(B/A − (1 − B)/(1 − A))/m)",
});

/**
 * Binary cross-entropy of the logits Z (A = σ(Z)), for labels Y in [0, 1], both (n_y, m):
 * J = −(1/m) Σ (y log σ(z) + (1 − y) log σ(−z)), with core's stable logSigmoid, so the value and
 * its gradient (σ(z) − y)/m are finite and accurate for any finite z (e.g. ±800, where σ(z) is exactly
 * 0 or 1 and the probability version gives Infinity). Equals `binaryCrossEntropy(σ(Z), Y)` wherever that is finite.
 * @example binaryCrossEntropyWithLogits(tensor([[800, -800]]), tensor([[1, 0]])).item(); // 0
 */
export function binaryCrossEntropyWithLogits(Z: Tensor, Y: Tensor): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  const m = checkPair(op, "Z", Z, Y);
  checkValues(op, "Z", Z, Number.isFinite, "finite logits");
  checkValues(op, "Y", Y, (v) => v >= 0 && v <= 1, "labels in [0, 1]");
  const terms = Y.mul(Z.logSigmoid()).add(sub(1, Y).mul(Z.neg().logSigmoid()));
  return negativeMean(terms, m);
}

/**
 * J = (1/(2m)) Σ ‖a⁽ⁱ⁾ − y⁽ⁱ⁾‖²: half the squared error summed over output units, averaged over the m examples.
 * The ½ (as in the course's regression cost) makes ∂J/∂A = (A − Y)/m, so a linear output layer has the
 * same dZ[L] = A[L] − Y as sigmoid + cross-entropy. For n_y = 1 this is half of "mean over all elements".
 * @example meanSquaredError(tensor([[1, 2]]), tensor([[0, 0]])).item(); // (1 + 4)/(2·2) = 1.25
 */
export function meanSquaredError(A: Tensor, Y: Tensor): Tensor {
  const op = "meanSquaredError";
  const m = checkPair(op, "A", A, Y);
  checkValues(op, "A", A, (v) => !Number.isNaN(v), "numbers (not NaN)");
  checkValues(op, "Y", Y, Number.isFinite, "finite targets");
  return A.sub(Y)
    .square()
    .sum()
    .div(2 * m)
    .named("J");
}

/**
 * Softmax cross-entropy of logits Z (classes, m) against one-hot Y (classes, m), classes as rows:
 * J = −(1/m) Σ y ∗ logSoftmax(z) over axis 0, stable for any finite logits (logSoftmax subtracts the column max).
 * Each column of Y must be a probability distribution (one-hot, or soft targets summing to 1).
 * @example softmaxCrossEntropy(tensor([[2], [0]]), tensor([[1], [0]])).item(); // log(1 + e⁻²) ≈ 0.127
 */
export function softmaxCrossEntropy(Z: Tensor, Y: Tensor): Tensor {
  const op = "softmaxCrossEntropy";
  const m = checkPair(op, "Z", Z, Y);
  checkValues(op, "Z", Z, Number.isFinite, "finite logits");
  checkTargetValues(op, Y, "oneHot");
  return negativeMean(Y.mul(Z.logSoftmax(0)), m);
}

/** A loss as a function of the network output, and whether that output is the logits Z[L] or the activations A[L]. */
export interface LossFunction {
  readonly name: LossName;
  /** The cost J of the network output against the labels Y. */
  readonly fn: (output: Tensor, Y: Tensor) => Tensor;
  /** True when the loss takes logits (it applies the sigmoid/softmax itself). */
  readonly takesLogits: boolean;
}

/**
 * The loss for a name.
 * @example lossFunction("softmaxCrossEntropy").takesLogits; // true
 */
export function lossFunction(name: LossName): LossFunction {
  return lossFunctionFor("lossFunction", name);
}

/**
 * `lossFunction(name)` for a model constructor: an unknown name's error names `op` (e.g. "mlp"), the function called.
 * @example const loss = lossFunctionFor("Sequential", options.loss ?? "meanSquaredError");
 */
export function lossFunctionFor(op: string, name: unknown): LossFunction {
  switch (name) {
    case "binaryCrossEntropy":
      return { name, fn: binaryCrossEntropy, takesLogits: false };
    case "binaryCrossEntropyWithLogits":
      return { name, fn: binaryCrossEntropyWithLogits, takesLogits: true };
    case "meanSquaredError":
      return { name, fn: meanSquaredError, takesLogits: false };
    case "softmaxCrossEntropy":
      return { name, fn: softmaxCrossEntropy, takesLogits: true };
    default:
      throw new ValueError(op, `unknown loss "${String(name)}": expected one of ${lossNames.join(", ")}`);
  }
}
