/** Dense: one fully connected layer, Z[l] = W[l]·A[l−1] + b[l], A[l] = g(Z[l]), keeping Z and A for inspection. */
import { type DType, RandomState, type Tensor, ValueError, zeros } from "@backprop/core";
import { type Activation, type ActivationSpec, activationFor, linearThen } from "./activations.js";
import { checkDType, checkOptionKeys } from "./dataChecks.js";
import { type InitializerName, initializeFor, initializerNames, toRng } from "./initializers.js";
import { checkLayerInput, checkSize } from "./model.js";

/** Options of a Dense layer (an unknown key, e.g. `activaton`, throws a ValueError naming Dense). */
export interface DenseOptions {
  /** n[l−1], the number of input rows. */
  nIn: number;
  /** n[l], the number of units. */
  nOut: number;
  /** g (default "linear"). */
  activation?: ActivationSpec;
  /** How W is drawn (default "small": randn·0.01); b starts at 0. */
  init?: InitializerName;
  /**
   * A seed or a RandomState shared with other layers. Default: one stream shared by every Dense built without
   * `rng` (seeded 3 when the first such layer is built, as the course's initialize_parameters_deep), so two
   * default layers never start equal; pass a seed or a RandomState for weights that do not depend on what
   * was built before.
   */
  rng?: RandomState | number;
  /** The layer index suffix: "1" names the tensors W1, b1, Z1, A1. */
  name?: string;
  /** The parameters' dtype (default "float64"); "float32" rounds the float64 draws once. */
  dtype?: DType;
}

/** The keys DenseOptions takes (any other key is a misspelling and throws). */
const denseOptionNames = ["nIn", "nOut", "activation", "init", "rng", "name", "dtype"];

let defaultStream: RandomState | null = null;

/** The stream every Dense built without `rng` draws from: one RandomState(3), created on first use. */
function sharedStream(): RandomState {
  defaultStream ??= new RandomState(3);
  return defaultStream;
}

/**
 * A fully connected layer with examples as columns: W (nOut, nIn) and b (nOut, 1) require grad;
 * `forward(APrev)` computes Z = W·APrev + b and A = g(Z) and keeps both (named Z1/A1, ... for graph output).
 * @example
 * const layer = new Dense({ nIn: 2, nOut: 4, activation: "tanh", rng: 2, name: "1" });
 * const A1 = layer.forward(X); // layer.Z is Z1, layer.A is A1
 */
export class Dense {
  W: Tensor;
  b: Tensor;
  readonly activation: Activation;
  /** Z = W·APrev + b from the last forward pass (null before the first). */
  Z: Tensor | null = null;
  /** A = g(Z) from the last forward pass (null before the first). */
  A: Tensor | null = null;
  #name: string;

  constructor(options: DenseOptions) {
    const op = "Dense";
    checkOptionKeys(op, options ?? null, denseOptionNames);
    const nIn = checkSize(op, "nIn", options.nIn);
    const nOut = checkSize(op, "nOut", options.nOut);
    // null is Keras's activation=None: linear.
    this.activation = activationFor(op, options.activation ?? "linear");
    const name = options.name ?? "";
    if (typeof name !== "string") throw new ValueError(op, `name must be a string such as "1", got ${typeof name}`);
    this.#name = name;
    const dtype = checkDType(op, options.dtype);
    const init = options.init ?? "small";
    if (!initializerNames.includes(init)) {
      throw new ValueError(op, `unknown initializer "${String(init)}": expected one of ${initializerNames.join(", ")}`);
    }
    const rng = options.rng === undefined ? sharedStream() : toRng(options.rng, op);
    this.W = initializeFor(op, init, [nOut, nIn], rng, dtype).named(`W${this.#name}`);
    this.b = zeros([nOut, 1], { requiresGrad: true, dtype }).named(`b${this.#name}`);
  }

  /** The index suffix of the tensor names ("1" → W1, b1, Z1, A1); setting it renames W and b. */
  get name(): string {
    return this.#name;
  }
  set name(name: string) {
    this.#name = name;
    this.W.name = `W${name}`;
    this.b.name = `b${name}`;
  }

  /** n[l−1]. */
  get nIn(): number {
    return this.W.shape[1];
  }

  /** n[l]. */
  get nOut(): number {
    return this.W.shape[0];
  }

  /**
   * Z = W·APrev + b, A = g(Z); APrev is (nIn, m). Returns A.
   * @example const A2 = layer2.forward(layer1.forward(X));
   */
  forward(APrev: Tensor): Tensor {
    // Layer "2" calls its input A1 and its size n[1]; an unnamed layer says APrev and n[l−1].
    const l = /^\d+$/.test(this.#name) ? Number(this.#name) : null;
    const prev = l === null ? "APrev" : `A${l - 1}`;
    const input = checkLayerInput("Dense.forward", APrev, prev, this.W, l === null ? "n[l−1]" : `n[${l - 1}]`);
    // linear: W·A + b in one graph node, bit-identical to matmul then add; sigmoid, tanh and relu are
    // computed in the same pass over the product (bit-identical to the separate op).
    const { Z, A } = linearThen(this.activation, this.W, input, this.b);
    this.Z = Z.named(`Z${this.#name}`);
    this.A = A;
    // linear returns Z itself: keep the name Z1 on it rather than renaming it A1.
    if (this.A !== this.Z) this.A.named(`A${this.#name}`);
    return this.A;
  }

  /** [W, b]. */
  parameters(): Tensor[] {
    return [this.W, this.b];
  }
}
