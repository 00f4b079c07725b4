/** The course's backward-pass formulas written out with tensor ops (sigmoid output + cross-entropy), to check autodiff against. */
import { noGrad, sub, type Tensor, ValueError } from "@backprop/core";
import { type ActivationSpec, activation } from "./activations.js";
import { checkLogisticInputs } from "./logisticRegression.js";
import { checkBinaryLabels, checkLayerInput, checkLayerParameters, checkTargets } from "./model.js";

/** Parameters of a two-layer net. */
export interface TwoLayerParams {
  W1: Tensor;
  b1: Tensor;
  W2: Tensor;
  b2: Tensor;
}

/**
 * Gradients of a two-layer net in the course's convention: dW and db are ∂J/∂W and ∂J/∂b;
 * dA2, dZ2, dA1, dZ1 are per-example quantities, m·∂J/∂(·) (so dZ2 = A2 − Y).
 */
export interface TwoLayerGradients {
  dA2: Tensor;
  dZ2: Tensor;
  dW2: Tensor;
  db2: Tensor;
  dA1: Tensor;
  dZ1: Tensor;
  dW1: Tensor;
  db1: Tensor;
}

/**
 * The week-3 backward pass, formula by formula, for a sigmoid output with mean binary cross-entropy
 * and hidden activation g (default tanh). Returns the forward cache too. Computed outside the graph.
 * @example
 * const { dW1, db1, dW2, db2 } = closedFormGradients({ W1, b1, W2, b2 }, X, Y, "tanh");
 */
export function closedFormGradients(
  params: TwoLayerParams,
  X: Tensor,
  Y: Tensor,
  hiddenActivation: ActivationSpec = "tanh",
): Omit<TwoLayerGradients, "dA2"> & { Z1: Tensor; A1: Tensor; Z2: Tensor; A2: Tensor } {
  const op = "closedFormGradients";
  const { W1, b1, W2, b2 } = params;
  checkLayerParameters(op, [W1, W2], [b1, b2], ["W1", "W2"], ["b1", "b2"]);
  checkLayerInput(op, X, "X", W1, "n_x", "W1");
  checkTargets(op, X, Y, W2.shape[0]);
  checkBinaryLabels(op, Y);
  const g = activation(hiddenActivation);
  const m = X.shape[1];
  return noGrad(() => {
    // Forward propagation.
    const Z1 = W1.matmul(X).add(b1);
    const A1 = g.forward(Z1);
    const Z2 = W2.matmul(A1).add(b2);
    const A2 = Z2.sigmoid();
    // Backward propagation.
    const dZ2 = A2.sub(Y);
    const dW2 = dZ2.matmul(A1.T).div(m);
    const db2 = dZ2.sum(1, true).div(m);
    const dA1 = W2.T.matmul(dZ2);
    const dZ1 = dA1.mul(g.derivative(Z1, A1));
    const dW1 = dZ1.matmul(X.T).div(m);
    const db1 = dZ1.sum(1, true).div(m);
    return { Z1, A1, Z2, A2, dZ2, dW2, db2, dA1, dZ1, dW1, db1 };
  });
}

/**
 * The week-2 logistic regression gradients: A = σ(wᵀX + b), dZ = A − Y, dw = (1/m) X dZᵀ, db = (1/m) Σ dZ.
 * @example const { dw, db } = logisticClosedFormGradients({ w, b }, X, Y);
 */
export function logisticClosedFormGradients(
  params: { w: Tensor; b: Tensor },
  X: Tensor,
  Y: Tensor,
): { dZ: Tensor; dw: Tensor; db: Tensor } {
  const op = "logisticClosedFormGradients";
  const { w, b } = params;
  checkLogisticInputs(op, w, b, X);
  checkTargets(op, X, Y, 1);
  checkBinaryLabels(op, Y);
  const m = X.shape[1];
  return noGrad(() => {
    const A = w.T.matmul(X).add(b).sigmoid();
    const dZ = A.sub(Y);
    const dw = X.matmul(dZ.T).div(m);
    const db = dZ.sum(1, true).div(m);
    return { dZ, dw, db };
  });
}

/**
 * The week-4 L-layer backward pass (index 0 = layer 1): forward Z[l] = W[l]A[l−1] + b[l], A[l] = g[l] (Z[l]);
 * then dZ[L] = A[L] − Y, and for l = L…1: dW[l] = (1/m) dZ[l] A[l−1]ᵀ, db[l] = (1/m) Σ dZ[l],
 * dA[l−1] = W[l]ᵀ dZ[l], dZ[l−1] = dA[l−1] ∗ g′(Z[l−1]).
 * dZ[L] = A[L] − Y holds for each output activation with its matching cost, which is what the output
 * activation selects: sigmoid → binary cross-entropy (Y 0/1), softmax → softmax cross-entropy,
 * linear → meanSquaredError (with its ½). dA has one entry per layer: dA[L] is the cost's own
 * (per-example) gradient, e.g. −(Y/A − (1 − Y)/(1 − A)) for sigmoid.
 * @example
 * const { dW, db } = deepClosedFormGradients({ W: [W1, W2, W3], b: [b1, b2, b3] }, ["relu", "relu", "sigmoid"], X, Y);
 */
export function deepClosedFormGradients(
  params: { W: Tensor[]; b: Tensor[] },
  activations: ActivationSpec[],
  X: Tensor,
  Y: Tensor,
): { dZ: Tensor[]; dW: Tensor[]; db: Tensor[]; dA: Tensor[] } {
  const op = "deepClosedFormGradients";
  const { W, b } = params;
  const L = W.length;
  if (L === 0 || b.length !== L || activations.length !== L) {
    throw new ValueError(
      op,
      `needs one W, one b and one activation per layer (at least one layer), got ${W.length} W, ${b.length} b, ${activations.length} activations`,
    );
  }
  const names = (p: string) => W.map((_, l) => `${p}${l + 1}`);
  checkLayerParameters(op, W, b, names("W"), names("b"));
  checkLayerInput(op, X, "X", W[0], "n[0]", "W1");
  checkTargets(op, X, Y, W[L - 1].shape[0]);
  const g = activations.map(activation);
  const output = g[L - 1].name;
  if (output === "sigmoid") checkBinaryLabels(op, Y);
  else if (output !== "softmax" && output !== "linear") {
    throw new ValueError(
      op,
      `the output activation must be sigmoid, softmax or linear (whose costs give dZ[L] = A[L] − Y), got ${output}`,
    );
  }
  const m = X.shape[1];
  return noGrad(() => {
    const Z: Tensor[] = [];
    const A: Tensor[] = [];
    for (let l = 0; l < L; l++) {
      Z.push(W[l].matmul(l === 0 ? X : A[l - 1]).add(b[l]));
      A.push(g[l].forward(Z[l]));
    }
    const AL = A[L - 1];
    const dA: Tensor[] = new Array(L);
    const dZ: Tensor[] = new Array(L);
    const dW: Tensor[] = new Array(L);
    const db: Tensor[] = new Array(L);
    if (output === "sigmoid")
      dA[L - 1] = Y.div(AL)
        .sub(sub(1, Y).div(sub(1, AL)))
        .neg();
    else if (output === "softmax") dA[L - 1] = Y.div(AL).neg();
    else dA[L - 1] = AL.sub(Y);
    dZ[L - 1] = AL.sub(Y);
    for (let l = L - 1; l >= 0; l--) {
      const APrev = l === 0 ? X : A[l - 1];
      dW[l] = dZ[l].matmul(APrev.T).div(m);
      db[l] = dZ[l].sum(1, true).div(m);
      if (l > 0) {
        dA[l - 1] = W[l].T.matmul(dZ[l]);
        dZ[l - 1] = dA[l - 1].mul(g[l - 1].derivative(Z[l - 1], A[l - 1]));
      }
    }
    return { dZ, dW, db, dA };
  });
}
