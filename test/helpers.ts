/** Shared support for the cross-package property tests: error-bound scales for gradient comparisons, network set-up, fixtures. */
import { readFileSync } from "node:fs";
import { noGrad, type Tensor, tensor } from "@backprop/core";
import { type ActivationSpec, activation, mlp, type Sequential, TwoLayerNet } from "@backprop/layers";

/**
 * Per-element magnitude scales for the closed-form gradients of an L-layer net with sigmoid output
 * and cross-entropy (index 0 = layer 1): the same recurrences as the closed forms, evaluated on
 * absolute values, so every entry is Σ|terms| of the sums that produce the gradient entry:
 *   S_dZ[L] = |A[L]| + |Y|,  S_dW[l] = (1/m) S_dZ[l] |A[l−1]|ᵀ,  S_db[l] = (1/m) Σ S_dZ[l],
 *   S_dA[l−1] = |W[l]|ᵀ S_dZ[l],  S_dZ[l−1] = S_dA[l−1] ∗ |g′(Z[l−1])|.
 * Rounding error of a sum is bounded by a multiple of Σ|terms|, not of |Σ terms|, so
 * |a − e| ≤ rtol·max(|e|, S) is a relative tolerance that stays meaningful when an entry is tiny by cancellation.
 */
export function gradientScales(
  params: { W: Tensor[]; b: Tensor[] },
  activations: readonly ActivationSpec[],
  X: Tensor,
  Y: Tensor,
): { dZ: Tensor[]; dW: Tensor[]; db: Tensor[]; dA: Tensor[] } {
  return noGrad(() => {
    const L = params.W.length;
    const m = X.shape[1];
    const g = activations.map((a) => activation(a));
    const Z: Tensor[] = [];
    const A: Tensor[] = [];
    for (let l = 0; l < L; l++) {
      Z.push(params.W[l].matmul(l === 0 ? X : A[l - 1]).add(params.b[l]));
      A.push(g[l].forward(Z[l]));
    }
    const dZ: Tensor[] = new Array(L);
    const dW: Tensor[] = new Array(L);
    const db: Tensor[] = new Array(L);
    const dA: Tensor[] = new Array(L);
    dZ[L - 1] = A[L - 1].abs().add(Y.abs());
    for (let l = L - 1; l >= 0; l--) {
      const APrev = l === 0 ? X : A[l - 1];
      dW[l] = dZ[l].matmul(APrev.abs().T).div(m);
      db[l] = dZ[l].sum(1, true).div(m);
      if (l > 0) {
        dA[l - 1] = params.W[l].abs().T.matmul(dZ[l]);
        dZ[l - 1] = dA[l - 1].mul(g[l - 1].derivative(Z[l - 1], A[l - 1]).abs());
      }
    }
    return { dZ, dW, db, dA };
  });
}

/** A TwoLayerNet holding copies of the given parameters. */
export function twoLayerNetWith(
  params: { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor },
  hiddenActivation: ActivationSpec,
): TwoLayerNet {
  const [nh, nx] = params.W1.shape;
  const net = new TwoLayerNet({ nx, nh, ny: params.W2.shape[0], hiddenActivation });
  net.W1.copy_(params.W1);
  net.b1.copy_(params.b1);
  net.W2.copy_(params.W2);
  net.b2.copy_(params.b2);
  return net;
}

/** An L-layer Sequential (binary cross-entropy on a sigmoid output) holding copies of the given parameters. */
export function sequentialWith(
  params: { W: Tensor[]; b: Tensor[] },
  activations: readonly ActivationSpec[],
): Sequential {
  const sizes = [params.W[0].shape[1], ...params.W.map((W) => W.shape[0])];
  const net = mlp(sizes, [...activations]);
  net.layers.forEach((layer, l) => {
    layer.W.copy_(params.W[l]);
    layer.b.copy_(params.b[l]);
  });
  return net;
}

/** One-hot columns (classes, m) for class indices, the course's layout for softmax targets. */
export function oneHot(classes: readonly number[], k: number): Tensor {
  const data = new Float64Array(k * classes.length);
  classes.forEach((c, j) => {
    data[c * classes.length + j] = 1;
  });
  return tensor(data, { shape: [k, classes.length] });
}

// The repository root's parent holds shared/ (this file is <root>/test/helpers.ts).
const fixtures = new URL("../../shared/fixtures/", import.meta.url);

/** A numpy array as the fixtures store it. */
export interface NdArray {
  shape: number[];
  data: number[];
}

/** Reads a fixture file from shared/fixtures. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixtures), "utf8")) as T;
}

/** A fixture array as a float64 tensor. */
export function nd(a: NdArray): Tensor {
  return tensor(Float64Array.from(a.data), { shape: a.shape });
}

/** One case of shared/fixtures/deep-net-cases.json (PyTorch autograd, float64; see its README). */
export interface DeepNetCase {
  name: string;
  sizes: number[];
  activations: ("relu" | "tanh" | "sigmoid" | "leakyRelu" | "softmax" | "linear")[];
  output: "sigmoid_bce" | "softmax_ce" | "linear_mse";
  m: number;
  X: NdArray;
  Y: NdArray;
  W: NdArray[];
  b: NdArray[];
  Z: NdArray[];
  A: NdArray[];
  cost: number;
  dW: NdArray[];
  db: NdArray[];
  dZ: NdArray[];
  dA: NdArray[];
}
