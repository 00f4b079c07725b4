/** TwoLayerNet (week 3): one hidden layer (tanh by default) and a sigmoid output, with the course's names and conventions. */
import { type DType, enableGrad, gradients, linearActivation, noGrad, type Tensor, zeros } from "@backprop/core";
import { type Activation, type ActivationSpec, activationFor, linearThen } from "./activations.js";
import type { TwoLayerGradients, TwoLayerParams } from "./closedForm.js";
import { checkDType, checkModelData, checkOptionKeys } from "./dataChecks.js";
import { type InitializerName, initializeFor, toRng } from "./initializers.js";
import { binaryCrossEntropy } from "./losses.js";
import { accuracyPercent, checkLayerInput, checkSize, type Model, zeroGrad } from "./model.js";

export type { TwoLayerGradients, TwoLayerParams } from "./closedForm.js";

/** Options of TwoLayerNet. */
export interface TwoLayerNetOptions {
  /** n_x, input features. */
  nx: number;
  /** n_h, hidden units. */
  nh: number;
  /** n_y, output units (sigmoid each). */
  ny: number;
  /** Seed (default 2): W1 then W2 are drawn from one RandomState(seed), as the course's initialize_parameters. */
  seed?: number;
  /** The hidden activation g[1] (default "tanh"). */
  hiddenActivation?: ActivationSpec;
  /** How W1 and W2 are drawn (default "small": randn·0.01); b1, b2 start at 0. */
  init?: InitializerName;
  /** The parameters' dtype (default "float64"); "float32" rounds the float64 draws once. */
  dtype?: DType;
}

/**
 * The week-3 planar classifier: Z1 = W1·X + b1, A1 = g(Z1), Z2 = W2·A1 + b2, A2 = σ(Z2),
 * J = −(1/m) Σ (y log a2 + (1 − y) log(1 − a2)).
 * With the defaults, `new TwoLayerNet({ nx: 2, nh: 4, ny: 1 })` holds exactly the course's
 * `np.random.seed(2); W1 = np.random.randn(4, 2)*0.01; W2 = np.random.randn(1, 4)*0.01`.
 * @example
 * const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
 * fit(net, X, Y, { iterations: 10000, learningRate: 1.2 });
 * net.accuracy(X, Y); // ≈ 90
 */
export class TwoLayerNet implements Model {
  W1: Tensor;
  b1: Tensor;
  W2: Tensor;
  b2: Tensor;
  readonly hiddenActivation: Activation;

  constructor(options: TwoLayerNetOptions) {
    const op = "TwoLayerNet";
    checkOptionKeys(op, options ?? null, ["nx", "nh", "ny", "seed", "hiddenActivation", "init", "dtype"]);
    const nx = checkSize(op, "nx", options.nx);
    const nh = checkSize(op, "nh", options.nh);
    const ny = checkSize(op, "ny", options.ny);
    this.hiddenActivation = activationFor(op, options.hiddenActivation ?? "tanh");
    const init = options.init ?? "small";
    // One stream, W1's draws first, then W2's: the course's draw order.
    const rng = toRng(options.seed ?? 2, op);
    const dtype = checkDType(op, options.dtype);
    this.W1 = initializeFor(op, init, [nh, nx], rng, dtype).named("W1");
    this.b1 = zeros([nh, 1], { requiresGrad: true, name: "b1", dtype });
    this.W2 = initializeFor(op, init, [ny, nh], rng, dtype).named("W2");
    this.b2 = zeros([ny, 1], { requiresGrad: true, name: "b2", dtype });
  }

  /**
   * Forward propagation, recorded on the graph; every tensor carries its course name.
   * @example const { A2 } = net.forward(X);
   */
  forward(X: Tensor): { Z1: Tensor; A1: Tensor; Z2: Tensor; A2: Tensor } {
    const x = checkLayerInput("TwoLayerNet.forward", X, "X", this.W1, "n_x");
    // linear: W·X + b in one graph node, bit-identical to matmul then add; the activation is computed
    // in the same pass over the product for sigmoid, tanh and relu (bit-identical to the separate op).
    const { Z: Z1, A: A1 } = linearThen(this.hiddenActivation, this.W1, x, this.b1);
    Z1.named("Z1");
    if (A1 !== Z1) A1.named("A1");
    const { Z: Z2, A: A2 } = linearActivation(this.W2, A1, this.b2, "sigmoid");
    Z2.named("Z2");
    A2.named("A2");
    return { Z1, A1, Z2, A2 };
  }

  /**
   * J = −(1/m) Σ (y log a2 + (1 − y) log(1 − a2)), a scalar named "J" (see binaryCrossEntropy for a2 = 0 or 1).
   * @example const J = net.cost(net.forward(X).A2, Y);
   */
  cost(A2: Tensor, Y: Tensor): Tensor {
    return binaryCrossEntropy(A2, Y);
  }

  /**
   * The cost of a forward pass on X, recorded on the graph (what `fit` differentiates).
   * @example net.loss(X, Y).backward();
   */
  loss(X: Tensor, Y: Tensor): Tensor {
    const x = this.checkData("TwoLayerNet.loss", X, Y);
    return this.cost(this.forward(x).A2, Y);
  }

  /**
   * The backward pass by autodiff (core's `gradients` of J with respect to W1, b1, W2, b2, Z1, A1, Z2, A2), in the
   * course's convention.
   * The parameters' `.grad` is left exactly as it was.
   * @example
   * const grads = net.gradients(X, Y);
   * grads.dZ2; // = A2 − Y
   */
  gradients(X: Tensor, Y: Tensor): TwoLayerGradients {
    const op = "TwoLayerNet.gradients";
    const x = this.checkData(op, X, Y);
    // enableGrad: the graph is needed even when called inside noGrad. `gradients` leaves every `.grad` untouched.
    const [dW1, db1, dW2, db2, gZ1, gA1, gZ2, gA2] = enableGrad(() => {
      const { Z1, A1, Z2, A2 } = this.forward(x);
      const J = this.cost(A2, Y);
      return gradients(J, [this.W1, this.b1, this.W2, this.b2, Z1, A1, Z2, A2]);
    });
    // J is the mean over the m examples, so autodiff's ∂J/∂Z2 is (A2 − Y)/m. The course's dZ2, dA1,
    // dZ1, dA2 are per-example quantities without that 1/m (it is applied once, in dW and db): scale by m.
    const m = x.shape[1];
    const perExample = (g: Tensor, name: string) => g.mul(m).named(name);
    return {
      dA2: perExample(gA2, "dA2"),
      dZ2: perExample(gZ2, "dZ2"),
      dW2: dW2.named("dW2"),
      db2: db2.named("db2"),
      dA1: perExample(gA1, "dA1"),
      dZ1: perExample(gZ1, "dZ1"),
      dW1: dW1.named("dW1"),
      db1: db1.named("db1"),
    };
  }

  /**
   * 1 where A2 > 0.5, else 0, shape (n_y, m).
   * @example net.predict(X).toArray(); // [[1, 0, ...]]
   */
  predict(X: Tensor): Tensor {
    const x = this.checkData("TwoLayerNet.predict", X);
    return noGrad(() => this.forward(x).A2.gt(0.5));
  }

  /**
   * The percentage of labels predicted right.
   * @example net.accuracy(X, Y); // e.g. 90.5
   */
  accuracy(X: Tensor, Y: Tensor): number {
    const x = this.checkData("TwoLayerNet.accuracy", X, Y);
    return accuracyPercent(this.predict(x), Y);
  }

  /**
   * Throws a typed error starting with `op` unless X is finite (n_x, m) and Y, when given, holds 0/1 labels (n_y, m).
   * @example net.checkData("train", X, Y);
   */
  checkData(op: string, X: unknown, Y?: unknown): Tensor {
    return checkModelData(op, X, Y, { W: this.W1, rowsLabel: "n_x", outputs: this.W2.shape[0], targets: "binary" });
  }

  /** [["W1", W1], ["b1", b1], ["W2", W2], ["b2", b2]]. */
  /**
   * Clears `.grad` of W1, b1, W2, b2.
   * @example net.zeroGrad(); net.loss(X, Y).backward();
   */
  zeroGrad(): void {
    zeroGrad(this.namedParameters());
  }

  namedParameters(): ReadonlyArray<readonly [string, Tensor]> {
    return [
      ["W1", this.W1],
      ["b1", this.b1],
      ["W2", this.W2],
      ["b2", this.b2],
    ];
  }

  /** The current parameters as a plain object (the same tensors), e.g. for `closedFormGradients`. */
  get params(): TwoLayerParams {
    return { W1: this.W1, b1: this.b1, W2: this.W2, b2: this.b2 };
  }
}
