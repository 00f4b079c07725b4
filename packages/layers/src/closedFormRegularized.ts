/** The course's backward passes with L2 regularization and with inverted dropout (course 2, week 1), written out to check autodiff. */
import { noGrad, type Tensor, ValueError } from "@backprop/core";
import { type ActivationSpec, activation } from "./activations.js";
import { checkKeepProb, checkLambd } from "./regularization.js";

/** What the regularized backward pass uses: λ (default 0), keep_prob (default 1) and the hidden layers' masks D[l]. */
export interface RegularizationSettings {
  lambd?: number;
  keepProb?: number;
  /** D[l] for the hidden layers (index 0 = layer 1), as drawn by the forward pass; needed when keepProb < 1. */
  D?: readonly Tensor[];
}

/**
 * The L-layer backward pass of `backward_propagation_with_regularization` and `backward_propagation_with_dropout`
 * (index 0 = layer 1), for an output paired with its matching cost (dZ[L] = A[L] − Y). Forward: Z[l] = W[l]A[l−1] + b[l],
 * A[l] = g(Z[l]), and for hidden layers with dropout A[l] := A[l] ∗ D[l] / keep_prob. Backward:
 * dW[l] = (1/m) dZ[l]·A[l−1]ᵀ + (λ/m) W[l]; db[l] = (1/m) Σ dZ[l]; dA[l−1] = W[l]ᵀ·dZ[l], then with dropout
 * dA[l−1] := dA[l−1] ∗ D[l−1] / keep_prob; dZ[l−1] = dA[l−1] ∗ g′(Z[l−1]).
 * @example
 * const { dW } = regularizedClosedFormGradients({ W: net.W, b: net.b }, ["relu", "relu", "sigmoid"], X, Y, { lambd: 0.7 });
 */
export function regularizedClosedFormGradients(
  params: { W: readonly Tensor[]; b: readonly Tensor[] },
  activations: readonly ActivationSpec[],
  X: Tensor,
  Y: Tensor,
  settings: RegularizationSettings = {},
): { dW: Tensor[]; db: Tensor[]; dZ: Tensor[] } {
  const op = "regularizedClosedFormGradients";
  const { W, b } = params;
  const L = W.length;
  const lambd = checkLambd(op, settings.lambd ?? 0);
  const keepProb = checkKeepProb(op, settings.keepProb ?? 1);
  const D = settings.D ?? [];
  if (L === 0 || b.length !== L || activations.length !== L) {
    throw new ValueError(
      op,
      `needs one W, one b and one activation per layer, got ${W.length}, ${b.length}, ${activations.length}`,
    );
  }
  if (keepProb < 1 && D.length !== L - 1) {
    throw new ValueError(op, `dropout needs one mask D per hidden layer (${L - 1}), got ${D.length}`);
  }
  const g = activations.map(activation);
  const m = X.shape[1];
  return noGrad(() => {
    const Z: Tensor[] = [];
    const A: Tensor[] = []; // before dropout, for g′
    const kept: Tensor[] = []; // what the next layer reads
    for (let l = 0; l < L; l++) {
      Z.push(W[l].matmul(l === 0 ? X : kept[l - 1]).add(b[l]));
      A.push(g[l].forward(Z[l]));
      kept.push(keepProb < 1 && l < L - 1 ? A[l].mul(D[l]).div(keepProb) : A[l]);
    }
    const dZ: Tensor[] = new Array(L);
    const dW: Tensor[] = new Array(L);
    const db: Tensor[] = new Array(L);
    dZ[L - 1] = A[L - 1].sub(Y);
    for (let l = L - 1; l >= 0; l--) {
      const APrev = l === 0 ? X : kept[l - 1];
      dW[l] = dZ[l].matmul(APrev.T).div(m).add(W[l].mul(lambd).div(m));
      db[l] = dZ[l].sum(1, true).div(m);
      if (l > 0) {
        let dA = W[l].T.matmul(dZ[l]);
        if (keepProb < 1) dA = dA.mul(D[l - 1]).div(keepProb);
        dZ[l - 1] = dA.mul(g[l - 1].derivative(Z[l - 1], A[l - 1]));
      }
    }
    return { dW, db, dZ };
  });
}
