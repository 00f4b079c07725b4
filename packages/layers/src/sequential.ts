/** Sequential and mlp: L-layer networks of Dense layers exposing W[l], b[l], Z[l], A[l] (index 0 = layer 1). */
import { enableGrad, gradients, type RandomState, type Tensor, ValueError } from "@backprop/core";
import type { ActivationSpec } from "./activations.js";
import { checkModelData, type TargetKind } from "./dataChecks.js";
import { Dense } from "./dense.js";
import { type InitializerName, toRng } from "./initializers.js";
import { type LossFunction, type LossName, lossFunction } from "./losses.js";
import { checkLayerInput, checkSize, type Model } from "./model.js";

/** Which losses read the output layer's Z (logits) and which activations they pair with. */
const logitPairs: Partial<Record<LossName, readonly string[]>> = {
  binaryCrossEntropyWithLogits: ["sigmoid", "linear"],
  softmaxCrossEntropy: ["softmax", "linear"],
};

/** What each cost needs Y to hold. */
const targetsOf: Record<LossName, TargetKind> = {
  binaryCrossEntropy: "binary",
  binaryCrossEntropyWithLogits: "unitInterval",
  softmaxCrossEntropy: "oneHot",
  meanSquaredError: "finite",
};

/** The default loss for an output activation: the one whose dZ[L] is A[L] − Y. */
function defaultLoss(output: string): LossName {
  if (output === "sigmoid") return "binaryCrossEntropy";
  if (output === "softmax") return "softmaxCrossEntropy";
  return "meanSquaredError";
}

/**
 * A stack of Dense layers, examples as columns. Unnamed layers are named by position (W1, b1, Z1, A1, ...).
 * The cost defaults to binary cross-entropy for a sigmoid output, softmax cross-entropy (on Z[L]) for
 * softmax, and meanSquaredError otherwise; losses "…WithLogits" and softmaxCrossEntropy read Z[L].
 * @example
 * const net = new Sequential([
 *   new Dense({ nIn: 2, nOut: 4, activation: "relu" }),
 *   new Dense({ nIn: 4, nOut: 1, activation: "sigmoid" }),
 * ]);
 * net.loss(X, Y).backward(); // net.W[0].grad is dW1
 */
export class Sequential implements Model {
  readonly layers: Dense[];
  /** The cost this network trains on. */
  readonly lossFunction: LossFunction;

  constructor(layers: Dense[], options: { loss?: LossName } = {}) {
    const op = "Sequential";
    if (!Array.isArray(layers) || layers.length === 0) throw new ValueError(op, "needs at least one Dense layer");
    layers.forEach((layer, l) => {
      if (!(layer instanceof Dense)) throw new ValueError(op, `layers[${l}] is not a Dense layer`);
      if (l > 0 && layer.nIn !== layers[l - 1].nOut) {
        throw new ValueError(
          op,
          `layers[${l}] takes ${layer.nIn} inputs but layers[${l - 1}] has ${layers[l - 1].nOut} units: W${l + 1} needs ${layers[l - 1].nOut} columns (n[${l}])`,
        );
      }
      if (layer.name === "") layer.name = String(l + 1);
    });
    const names = new Set(layers.map((layer) => layer.name));
    if (names.size !== layers.length) {
      throw new ValueError(op, `layer names must be distinct, got [${layers.map((layer) => layer.name).join(", ")}]`);
    }
    this.layers = layers.slice();
    const output = this.layers[this.layers.length - 1].activation.name;
    this.lossFunction = lossFunction(options.loss ?? defaultLoss(output));
    const pairs = logitPairs[this.lossFunction.name];
    if (pairs && !pairs.includes(output)) {
      throw new ValueError(
        op,
        `${this.lossFunction.name} reads the logits Z[L], so the output activation must be ${pairs.join(" or ")}, got ${output}`,
      );
    }
    // The other built-in activations cannot produce probabilities (a custom one is checked at run time).
    if (this.lossFunction.name === "binaryCrossEntropy" && ["tanh", "relu", "leakyRelu", "linear"].includes(output)) {
      throw new ValueError(
        op,
        `binaryCrossEntropy needs probabilities: the output activation is ${output}, not sigmoid`,
      );
    }
  }

  /** L, the number of layers. */
  get depth(): number {
    return this.layers.length;
  }

  /** W[l] of every layer (index 0 = layer 1). */
  get W(): Tensor[] {
    return this.layers.map((layer) => layer.W);
  }

  /** b[l] of every layer (index 0 = layer 1). */
  get b(): Tensor[] {
    return this.layers.map((layer) => layer.b);
  }

  /** Z[l] of every layer from the last forward pass (index 0 = layer 1). */
  get Z(): Tensor[] {
    return this.layers.map((layer) => cached(layer.Z, "Z", layer.name));
  }

  /** A[l] of every layer from the last forward pass (index 0 = layer 1). */
  get A(): Tensor[] {
    return this.layers.map((layer) => cached(layer.A, "A", layer.name));
  }

  /**
   * A[L] for X (n[0], m), through every layer; the caches Z[l], A[l] are kept.
   * @example const AL = net.forward(X);
   */
  forward(X: Tensor): Tensor {
    checkLayerInput("Sequential.forward", X, "X", this.layers[0].W, "n[0]");
    let A = X;
    for (const layer of this.layers) A = layer.forward(A);
    return A;
  }

  /**
   * The cost J(X, Y), recorded on the graph and named "J".
   * @example net.loss(X, Y).backward();
   */
  loss(X: Tensor, Y: Tensor): Tensor {
    const x = this.checkData("Sequential.loss", X, Y);
    const AL = this.forward(x);
    const last = this.layers[this.layers.length - 1];
    return this.lossFunction.fn(this.lossFunction.takesLogits ? last.Z! : AL, Y);
  }

  /**
   * The backward pass by autodiff in the course's convention (index 0 = layer 1): dW, db are ∂J/∂W, ∂J/∂b;
   * dZ[l], dA[l] are m·∂J/∂Z[l], m·∂J/∂A[l]. dA has one entry per layer whose A the cost reads (all L,
   * or L − 1 when the loss takes logits, as A[L] is then not on the cost's graph). Leaves `.grad` untouched.
   * @example const { dW, db } = net.gradients(X, Y); // compare with deepClosedFormGradients
   */
  gradients(X: Tensor, Y: Tensor): { dZ: Tensor[]; dW: Tensor[]; db: Tensor[]; dA: Tensor[] } {
    const L = this.layers.length;
    this.checkData("Sequential.gradients", X, Y);
    const grads = enableGrad(() => {
      const J = this.loss(X, Y);
      return gradients(J, [...this.W, ...this.b, ...this.Z, ...this.A]);
    });
    // J is a mean over the m examples; the course's dZ and dA are per example, without the 1/m.
    const m = X.shape[1];
    const nA = this.lossFunction.takesLogits ? L - 1 : L;
    const name = (t: Tensor, label: string) => t.named(label);
    return {
      dW: grads.slice(0, L).map((g, l) => name(g, `dW${this.layers[l].name}`)),
      db: grads.slice(L, 2 * L).map((g, l) => name(g, `db${this.layers[l].name}`)),
      dZ: grads.slice(2 * L, 3 * L).map((g, l) => name(g.mul(m), `dZ${this.layers[l].name}`)),
      dA: grads.slice(3 * L, 3 * L + nA).map((g, l) => name(g.mul(m), `dA${this.layers[l].name}`)),
    };
  }

  /**
   * Throws a typed error starting with `op` unless X is finite (n[0], m) and Y, when given, is (n[L], m) and holds
   * what the cost needs: 0/1 labels, values in [0, 1] (on logits), one-hot columns (softmax) or finite targets.
   * @example net.checkData("train", X, Y);
   */
  checkData(op: string, X: unknown, Y?: unknown): Tensor {
    const last = this.layers[this.layers.length - 1];
    const targets = targetsOf[this.lossFunction.name];
    return checkModelData(op, X, Y, { W: this.layers[0].W, rowsLabel: "n[0]", outputs: last.nOut, targets });
  }

  /** [["W1", W1], ["b1", b1], ["W2", W2], ...]. */
  namedParameters(): ReadonlyArray<readonly [string, Tensor]> {
    return this.layers.flatMap((layer) => [[`W${layer.name}`, layer.W] as const, [`b${layer.name}`, layer.b] as const]);
  }

  /** Every W and b, in namedParameters order. */
  parameters(): Tensor[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }
}

function cached(t: Tensor | null, what: string, name: string): Tensor {
  if (t === null) throw new ValueError("Sequential", `${what}${name} is not available: call forward (or loss) first`);
  return t;
}

/**
 * An L-layer perceptron: `layerSizes` = [n[0], n[1], …, n[L]] and one activation per layer, W drawn in
 * layer order from one RandomState (seed 3 by default, as the course's initialize_parameters_deep).
 * @example
 * const net = mlp([12288, 20, 7, 5, 1], ["relu", "relu", "relu", "sigmoid"], { init: "he", seed: 1 });
 */
export function mlp(
  layerSizes: number[],
  activations: ActivationSpec[],
  options: { seed?: number; rng?: RandomState; init?: InitializerName; loss?: LossName } = {},
): Sequential {
  const op = "mlp";
  if (!Array.isArray(layerSizes) || layerSizes.length < 2) {
    throw new ValueError(op, `layerSizes must list n[0], …, n[L] (at least two sizes), got ${String(layerSizes)}`);
  }
  for (const [l, n] of layerSizes.entries()) checkSize(op, `layerSizes[${l}]`, n);
  const L = layerSizes.length - 1;
  if (!Array.isArray(activations) || activations.length !== L) {
    throw new ValueError(
      op,
      `needs one activation per layer: ${L} layer(s) from layerSizes [${layerSizes.join(", ")}], got ${Array.isArray(activations) ? activations.length : String(activations)} activation(s)`,
    );
  }
  if (options.rng !== undefined && options.seed !== undefined) {
    throw new ValueError(op, "pass either seed or rng, not both");
  }
  const rng = toRng(options.rng ?? options.seed ?? 3, op);
  const layers = activations.map(
    (g, l) =>
      new Dense({
        nIn: layerSizes[l],
        nOut: layerSizes[l + 1],
        activation: g,
        init: options.init,
        rng,
        name: String(l + 1),
      }),
  );
  return new Sequential(layers, { loss: options.loss });
}
