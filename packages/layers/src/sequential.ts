/** Sequential and mlp: L-layer networks of Dense layers exposing W[l], b[l], Z[l], A[l] (index 0 = layer 1). */
import {
  type DType,
  enableGrad,
  gradients,
  noGrad,
  type RandomState,
  type Tensor,
  tensor,
  ValueError,
} from "@backprop/core";
import { type ActivationSpec, activationFor } from "./activations.js";
import { checkDType, checkModelData, checkOptionKeys, type TargetKind } from "./dataChecks.js";
import { Dense } from "./dense.js";
import { type InitializerName, initializerNames, toRng } from "./initializers.js";
import { type LossFunction, type LossName, lossFunctionFor } from "./losses.js";
import { accuracyPercent, checkLayerInput, checkSize, type Model, zeroGrad } from "./model.js";
import { applyDropout, checkKeepProb, checkLambd, dropoutMask, l2Cost } from "./regularization.js";

/** Options of a Sequential network (and of `mlp`). */
export interface SequentialOptions {
  /** The cost; by default the one matching the output activation. */
  loss?: LossName;
  /** λ of the course's L2 regularization: `loss` adds λ/(2m)·Σ‖W[l]‖² (W's only). Default 0. */
  lambd?: number;
  /**
   * Inverted dropout on the hidden layers' activations in `loss` (the training cost), as the course's
   * forward_propagation_with_dropout: D = rand < keepProb, A := A ∗ D / keepProb, masks drawn from one
   * RandomState (`seed`, default 1, or `rng`) in layer order. `forward`, `predict`, `accuracy` and
   * `validationLoss` never drop units.
   */
  dropout?: { keepProb: number; seed?: number; rng?: RandomState };
}

/** The keys of SequentialOptions and of its dropout option. */
const sequentialOptionNames = ["loss", "lambd", "dropout"];
const dropoutOptionNames = ["keepProb", "seed", "rng"];

/** A hidden (symbol) option mlp passes: the op its Sequential's errors name (mlp, the function called). */
const callerOp = Symbol("callerOp");

/** Checks the option keys of Sequential (and its dropout option); returns the op to name in errors. */
function checkSequentialOptions(op: string, options: unknown, extra: readonly string[] = []): string {
  const caller = (options as { [callerOp]?: string } | null | undefined)?.[callerOp];
  const name = caller ?? op;
  const o = checkOptionKeys(name, options as object, [...extra, ...sequentialOptionNames]) as SequentialOptions;
  if (o.dropout !== undefined) {
    checkOptionKeys(name, o.dropout ?? (null as never), dropoutOptionNames, "dropout");
  }
  return name;
}

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
  /** λ of the L2 cost (0: none). */
  readonly lambd: number;
  /** keep_prob of dropout (1: none). */
  readonly keepProb: number;
  /** The dropout masks D[l] of the hidden layers drawn by the last `loss` (index 0 = layer 1). */
  D: Tensor[] = [];
  readonly #dropoutRng: RandomState | null;
  /** The function the user called, for constructor errors: "Sequential", or "mlp" when mlp builds it. */
  readonly #checked: string;

  constructor(layers: Dense[], options: SequentialOptions = {}) {
    this.#checked = checkSequentialOptions("Sequential", options);
    const op = this.#checked;
    this.lambd = checkLambd(op, options.lambd ?? 0);
    this.keepProb = options.dropout === undefined ? 1 : checkKeepProb(op, options.dropout.keepProb);
    if (options.dropout?.seed !== undefined && options.dropout.rng !== undefined) {
      throw new ValueError(op, "dropout: pass either seed or rng, not both");
    }
    this.#dropoutRng =
      options.dropout === undefined ? null : toRng(options.dropout.rng ?? options.dropout.seed ?? 1, op);
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
    this.lossFunction = lossFunctionFor(op, options.loss ?? defaultLoss(output));
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
    return this.#cost("Sequential.loss", X, Y, this.keepProb < 1);
  }

  /**
   * The cost without dropout (with the L2 term when λ > 0): what `fit` reports for validation data.
   * @example net.validationLoss(Xdev, Ydev).item();
   */
  validationLoss(X: Tensor, Y: Tensor): Tensor {
    return this.#cost("Sequential.validationLoss", X, Y, false);
  }

  #cost(op: string, X: Tensor, Y: Tensor, dropout: boolean): Tensor {
    const x = this.checkData(op, X, Y);
    let A = x;
    this.D = [];
    const L = this.layers.length;
    for (const [l, layer] of this.layers.entries()) {
      A = layer.forward(A);
      if (dropout && l < L - 1) {
        const D = dropoutMask(this.#dropoutRng as RandomState, [A.shape[0], A.shape[1]], this.keepProb, A.dtype);
        this.D.push(D.named(`D${layer.name}`));
        A = applyDropout(A, D, this.keepProb).named(`A${layer.name}`);
      }
    }
    const last = this.layers[L - 1];
    const J = this.lossFunction.fn(this.lossFunction.takesLogits ? last.Z! : A, Y);
    if (this.lambd === 0) return J;
    // compute_cost_with_regularization: cross-entropy cost + λ/(2m)·Σ‖W‖².
    return J.named("crossEntropyCost")
      .add(l2Cost(this.W, this.lambd, x.shape[1]))
      .named("J");
  }

  /**
   * Predictions for X without dropout: 0/1 labels (A[L] > 0.5, or Z[L] > 0 with a logits loss) for a sigmoid
   * output, one-hot columns (the largest A[L] per column) for softmax, and A[L] itself otherwise (regression).
   * @example net.predict(X); // (n_y, m) of 0/1
   */
  predict(X: Tensor): Tensor {
    const x = this.checkData("Sequential.predict", X);
    return noGrad(() => {
      const AL = this.forward(x);
      const kind = this.#outputKind();
      if (kind === "binary")
        return this.lossFunction.takesLogits ? this.layers[this.layers.length - 1].Z!.gt(0) : AL.gt(0.5);
      return kind === "classes" ? oneHotOfMax(AL) : AL;
    });
  }

  /**
   * The percentage of correct predictions: per label for a sigmoid output, per example (column) for softmax.
   * @example net.accuracy(X, Y); // e.g. 94.5
   */
  accuracy(X: Tensor, Y: Tensor): number {
    const op = "Sequential.accuracy";
    const x = this.checkData(op, X, Y);
    const y = Y;
    const kind = this.#outputKind();
    if (kind === "regression") {
      throw new ValueError(
        op,
        `needs a classifier (a sigmoid or softmax output); this network's cost is ${this.lossFunction.name}`,
      );
    }
    const P = this.predict(x);
    if (kind === "binary") return accuracyPercent(P, y);
    const predicted = oneHotOfMax(P).data;
    const truth = oneHotOfMax(y).data;
    const [rows, m] = y.shape;
    let correct = 0;
    for (let j = 0; j < m; j++) {
      let same = true;
      for (let i = 0; i < rows; i++) if (predicted[i * m + j] !== truth[i * m + j]) same = false;
      if (same) correct++;
    }
    return (100 * correct) / m;
  }

  /** What the output predicts: 0/1 labels, one class per column, or numbers. */
  #outputKind(): "binary" | "classes" | "regression" {
    const output = this.layers[this.layers.length - 1].activation.name;
    const loss = this.lossFunction.name;
    if (output === "softmax" || loss === "softmaxCrossEntropy") return "classes";
    if (output === "sigmoid" || loss === "binaryCrossEntropyWithLogits" || loss === "binaryCrossEntropy")
      return "binary";
    return "regression";
  }

  /**
   * Clears `.grad` of every W and b.
   * @example net.zeroGrad(); net.loss(X, Y).backward();
   */
  zeroGrad(): void {
    zeroGrad(this.parameters());
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

/** 1 at the largest entry of each column (the first on ties), 0 elsewhere. */
function oneHotOfMax(A: Tensor): Tensor {
  const [rows, m] = A.shape;
  const a = A.data;
  const out = new Float64Array(rows * m);
  for (let j = 0; j < m; j++) {
    let best = 0;
    for (let i = 1; i < rows; i++) if (a[i * m + j] > a[best * m + j]) best = i;
    out[best * m + j] = 1;
  }
  return tensor(out, [rows, m]);
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
  options: { seed?: number; rng?: RandomState; init?: InitializerName; dtype?: DType } & SequentialOptions = {},
): Sequential {
  const op = "mlp";
  checkSequentialOptions(op, options, ["seed", "rng", "init", "dtype"]);
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
  const dtype = checkDType(op, options.dtype);
  const init = options.init ?? "small";
  if (!initializerNames.includes(init)) {
    throw new ValueError(op, `unknown initializer "${String(init)}": expected one of ${initializerNames.join(", ")}`);
  }
  // Resolved here, so an unknown name's error says mlp, the function called (Dense keeps built-ins fused).
  const gs = activations.map((g) => activationFor(op, g));
  const layers = gs.map(
    (g, l) =>
      new Dense({ nIn: layerSizes[l], nOut: layerSizes[l + 1], activation: g, init, rng, name: String(l + 1), dtype }),
  );
  const sequentialOptions = { loss: options.loss, lambd: options.lambd, dropout: options.dropout, [callerOp]: op };
  return new Sequential(layers, sequentialOptions);
}
