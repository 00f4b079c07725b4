/** LogisticRegression (week 2): w (n_x,1), b (1,1), A = σ(wᵀX + b), trained on mean binary cross-entropy. */
import {
  type DType,
  enableGrad,
  formatShape,
  gradients,
  noGrad,
  ShapeError,
  type Tensor,
  ValueError,
  zeros,
} from "@backprop/core";
import { checkDataDtype, checkDType, checkExampleTargets, checkFiniteData, checkOptionKeys } from "./dataChecks.js";
import { initialize, toRng } from "./initializers.js";
import { binaryCrossEntropy } from "./losses.js";
import { accuracyPercent, checkMatrix, checkSize, type Model, zeroGrad } from "./model.js";

/**
 * Checks w (n_x, 1), b (1, 1) and X (n_x, m) for logistic regression.
 * @example checkLogisticInputs("LogisticRegression.forward", w, b, X);
 */
export function checkLogisticInputs(op: string, w: Tensor, b: Tensor, X: unknown): Tensor {
  checkMatrix(op, "w", w);
  checkMatrix(op, "b", b);
  if (w.shape[1] !== 1) throw new ShapeError(op, `w must be a column (n_x,1), got ${formatShape(w.shape)}`);
  if (b.shape[0] !== 1 || b.shape[1] !== 1) throw new ShapeError(op, `b must be (1,1), got ${formatShape(b.shape)}`);
  const x = checkMatrix(op, "X", X);
  if (x.shape[0] !== w.shape[0]) {
    throw new ShapeError(
      op,
      `X has shape ${formatShape(x.shape)} but w is ${formatShape(w.shape)}: X needs ${w.shape[0]} rows (n_x)`,
    );
  }
  return x;
}

/** Options of LogisticRegression. */
export interface LogisticRegressionOptions {
  /** n_x, the number of input features. */
  nx: number;
  /** "zeros" (default, the course's initialize_with_zeros) or "small" (randn·0.01 from RandomState(seed)). */
  init?: "zeros" | "small";
  /** Seed of the "small" initialization (default 1). */
  seed?: number;
  /** The parameters' dtype (default "float64"). */
  dtype?: DType;
}

/**
 * Week 2's logistic regression as a one-unit network: A = σ(wᵀX + b), J = mean binary cross-entropy.
 * @example
 * const model = new LogisticRegression({ nx: 12288 });
 * fit(model, X, Y, { iterations: 2000, learningRate: 0.005 });
 * model.accuracy(Xtest, Ytest); // percent
 */
export class LogisticRegression implements Model {
  /** Weights (n_x, 1). */
  w: Tensor;
  /** Bias (1, 1). */
  b: Tensor;

  constructor(options: LogisticRegressionOptions) {
    checkOptionKeys("LogisticRegression", options ?? null, ["nx", "init", "seed", "dtype"]);
    const nx = checkSize("LogisticRegression", "nx", options.nx);
    const init = options.init ?? "zeros";
    if (init !== "zeros" && init !== "small") {
      throw new ValueError("LogisticRegression", `init must be "zeros" or "small", got ${String(init)}`);
    }
    // initialize() draws (n_out, n_in) = (1, n_x) row-major, the same draws as randn(n_x, 1).
    const dtype = checkDType("LogisticRegression", options.dtype);
    this.w = initialize(init, [1, nx], toRng(options.seed ?? 1, "LogisticRegression"), dtype)
      .detach()
      .reshape([nx, 1]);
    this.w.requiresGrad_(true).named("w");
    this.b = zeros([1, 1], { requiresGrad: true, name: "b", dtype });
  }

  /**
   * A = σ(wᵀX + b), shape (1, m); the intermediate Z is named "Z".
   * @example const A = model.forward(X);
   */
  forward(X: Tensor): Tensor {
    const x = checkLogisticInputs("LogisticRegression.forward", this.w, this.b, X);
    return this.w.T.matmul(x).add(this.b).named("Z").sigmoid().named("A");
  }

  /**
   * J = −(1/m) Σ (y log a + (1 − y) log(1 − a)), named "J".
   * @example const J = model.cost(model.forward(X), Y);
   */
  cost(A: Tensor, Y: Tensor): Tensor {
    return binaryCrossEntropy(A, Y);
  }

  /**
   * The cost of the forward pass on X, recorded on the graph.
   * @example model.loss(X, Y).backward();
   */
  loss(X: Tensor, Y: Tensor): Tensor {
    const x = this.checkData("LogisticRegression.loss", X, Y);
    return this.cost(this.forward(x), Y);
  }

  /**
   * dw = ∂J/∂w, db = ∂J/∂b and the course's dZ = m·∂J/∂Z (= A − Y), by autodiff; leaves no gradients behind.
   * @example const { dw, db } = model.gradients(X, Y);
   */
  gradients(X: Tensor, Y: Tensor): { dw: Tensor; db: Tensor; dZ: Tensor } {
    const x = this.checkData("LogisticRegression.gradients", X, Y);
    // core's gradients() reads ∂J/∂(·) without touching .grad; J is a mean, so dZ (per example) is m·∂J/∂Z.
    const [dw, db, dJdZ] = enableGrad(() => {
      const Z = this.w.T.matmul(x).add(this.b).named("Z");
      return gradients(this.cost(Z.sigmoid().named("A"), Y), [this.w, this.b, Z]);
    });
    return { dw: dw.named("dw"), db: db.named("db"), dZ: dJdZ.mul(x.shape[1]).named("dZ") };
  }

  /**
   * 1 where A > 0.5, else 0, shape (1, m).
   * @example model.predict(X).toArray(); // [[1, 0, ...]]
   */
  predict(X: Tensor): Tensor {
    const x = this.checkData("LogisticRegression.predict", X);
    return noGrad(() => this.forward(x)).gt(0.5);
  }

  /**
   * The percentage of examples whose prediction equals the label.
   * @example model.accuracy(X, Y); // e.g. 99.04
   */
  accuracy(X: Tensor, Y: Tensor): number {
    const x = this.checkData("LogisticRegression.accuracy", X, Y);
    return accuracyPercent(this.predict(x), Y);
  }

  /**
   * Throws a typed error starting with `op` unless X is finite (n_x, m) and Y, when given, holds 0/1 labels (1, m).
   * @example model.checkData("train", X, Y);
   */
  checkData(op: string, X: unknown, Y?: unknown): Tensor {
    const x = checkDataDtype(op, "X", checkLogisticInputs(op, this.w, this.b, X), this.w);
    checkFiniteData(op, "X", x);
    if (Y !== undefined) checkDataDtype(op, "Y", checkExampleTargets(op, x, Y, 1, "binary"), this.w);
    return x;
  }

  /** [["w", w], ["b", b]]. */
  /**
   * Clears `.grad` of w and b.
   * @example model.zeroGrad(); model.loss(X, Y).backward();
   */
  zeroGrad(): void {
    zeroGrad(this.namedParameters());
  }

  namedParameters(): ReadonlyArray<readonly [string, Tensor]> {
    return [
      ["w", this.w],
      ["b", this.b],
    ];
  }
}
