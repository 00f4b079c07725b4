/** The demo's experiments: the logistic baseline, the gradient checks, the main two-layer run and the hidden-layer sweep. */
import { concat, gradcheck, relativeDifference, type Tensor } from "@backprop/core";
import { closedFormGradients, fit, LogisticRegression, type ProgressEvent, TwoLayerNet } from "@backprop/layers";
import type { HiddenActivation } from "./cli.js";
import type { Dataset } from "./data.js";
import { fitJit } from "./jitTrain.js";

/** A trained two-layer net and what the demo reports about it. */
export interface NetRun {
  readonly net: TwoLayerNet;
  readonly nH: number;
  readonly iterations: number;
  readonly learningRate: number;
  /** costs[i]: the cost of iteration i's forward pass, before its update. */
  readonly costs: number[];
  /** Training accuracy, percent. */
  readonly accuracy: number;
  readonly seconds: number;
}

/** Options of one two-layer run. */
export interface NetRunOptions {
  nH: number;
  iterations: number;
  learningRate: number;
  seed: number;
  activation: HiddenActivation;
  /** Called every iteration with fit's progress event. */
  onProgress?: (event: ProgressEvent) => void;
  /** Train with the step compiled by core's `jit` (`fitJit`): the same costs, bit for bit. */
  jit?: boolean;
}

/**
 * The course's `nn_model`: a TwoLayerNet initialised as `initialize_parameters` (randn·0.01 from the seed, b = 0)
 * and trained by full-batch gradient descent with fit (or, with `jit`, by `fitJit`: the same costs, compiled).
 * @example const run = trainNet(planarDataset(), { nH: 4, iterations: 10000, learningRate: 1.2, seed: 2, activation: "tanh" });
 */
export function trainNet(data: Dataset, options: NetRunOptions): NetRun {
  const start = performance.now();
  const net = new TwoLayerNet({
    nx: data.X.shape[0],
    nh: options.nH,
    ny: 1,
    seed: options.seed,
    hiddenActivation: options.activation,
  });
  const settings = {
    iterations: options.iterations,
    learningRate: options.learningRate,
    onProgress: options.onProgress,
  };
  const costs = options.jit === true ? fitJit(net, data.X, data.Y, settings) : fit(net, data.X, data.Y, settings).costs;
  const accuracy = net.accuracy(data.X, data.Y);
  const { nH, iterations, learningRate } = options;
  return { net, nH, iterations, learningRate, costs, accuracy, seconds: (performance.now() - start) / 1000 };
}

/**
 * A safe gradient-descent step for logistic regression: 1/L, where L = ¼·λ_max(X̃X̃ᵀ/m) (X̃ = X with a row of ones
 * for b) bounds the curvature of the cost, so each step lowers J; capped at the course's 1.2. Without it, data with
 * large coordinates (blobs, up to ±10) make 1.2 overshoot until σ saturates at exactly 0 or 1 and J is infinite.
 * @example logisticLearningRate(planarDataset().X); // 0.988...
 */
export function logisticLearningRate(X: Tensor, cap = 1.2): number {
  const [n, m] = X.shape;
  const row = (i: number, k: number) => (i < n ? X.data[i * m + k] : 1);
  const S = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => {
      let sum = 0;
      for (let k = 0; k < m; k++) sum += row(i, k) * row(j, k);
      return sum / m;
    }),
  );
  // Power iteration on the small symmetric positive semi-definite S.
  let v = S.map(() => 1);
  let lambda = 0;
  for (let it = 0; it < 200; it++) {
    const w = S.map((r) => r.reduce((acc, sij, j) => acc + sij * v[j], 0));
    lambda = Math.hypot(...w);
    if (lambda === 0) return cap;
    v = w.map((x) => x / lambda);
  }
  return Math.min(cap, 1 / (0.25 * lambda));
}

/** The logistic-regression baseline's settings: zero init, full-batch gradient descent (it converges in 1000 steps here). */
export const logisticIterations = 1000;

/** The trained baseline. */
export interface LogisticRun {
  readonly model: LogisticRegression;
  readonly costs: number[];
  readonly accuracy: number;
  readonly iterations: number;
  readonly learningRate: number;
  readonly seconds: number;
}

/**
 * Logistic regression on the same data, trained with fit from zeros at the safe step (the course uses sklearn's
 * LogisticRegressionCV; plain gradient descent to convergence finds the unregularised optimum).
 * @example trainLogistic(planarDataset()).accuracy; // 47
 */
export function trainLogistic(data: Dataset, iterations = logisticIterations): LogisticRun {
  const start = performance.now();
  const model = new LogisticRegression({ nx: data.X.shape[0] });
  const learningRate = logisticLearningRate(data.X);
  const { costs } = fit(model, data.X, data.Y, { iterations, learningRate });
  const accuracy = model.accuracy(data.X, data.Y);
  return { model, costs, accuracy, iterations, learningRate, seconds: (performance.now() - start) / 1000 };
}

/** One line of the gradient check: a gradient, its size, and the course's relative differences to the references. */
export interface GradientCheckRow {
  readonly name: string;
  readonly shape: readonly number[];
  /** ‖g‖₂ of autodiff's gradient (tiny gradients are where finite differences lose digits). */
  readonly norm: number;
  /** ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖), autodiff vs the closed form. */
  readonly vsClosedForm: number;
  /** The same, autodiff vs central finite differences of J (parameters only). */
  readonly vsFiniteDifferences: number | null;
}

/** The gradient check: per-gradient rows, and the course's `gradient_check_n` number over all parameters as one vector. */
export interface GradientCheck {
  readonly rows: GradientCheckRow[];
  /** ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) with g = (dW1, db1, dW2, db2) flattened into one vector, ĝ by finite differences. */
  readonly allParameters: number;
  /** The finite-difference step. */
  readonly eps: number;
}

/**
 * Checks the net's autodiff gradients (read off the graph) at its current parameters against the closed forms
 * (dZ2, dW2, db2, dA1, dZ1, dW1, db1) and, for the parameters, against central finite differences of J with step
 * `eps` (1e-5 ≈ ∛ε_machine balances truncation and rounding error), per parameter and over all of them at once.
 * @example gradientChecks(new TwoLayerNet({ nx: 2, nh: 4, ny: 1 }), planarDataset()).allParameters; // ~1e-8
 */
export function gradientChecks(net: TwoLayerNet, data: Dataset, eps = 1e-5): GradientCheck {
  const { X, Y } = data;
  const autodiff = net.gradients(X, Y);
  const closed = closedFormGradients(net.params, X, Y, net.hiddenActivation);
  // J as a function of the four parameters: the net's own loss with its tensors swapped for gradcheck's copies.
  const params = net.params;
  const cost = (W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor): Tensor => {
    Object.assign(net, { W1, b1, W2, b2 });
    try {
      return net.loss(X, Y);
    } finally {
      Object.assign(net, params);
    }
  };
  const list = [params.W1, params.b1, params.W2, params.b2];
  const perParameter = gradcheck(cost, list, { eps, raise: false });
  // The course's dictionary_to_vector: all parameters as one vector θ, J(θ) sliced back into W1, b1, W2, b2.
  const offsets = [0];
  for (const p of list) offsets.push(offsets[offsets.length - 1] + p.size);
  const theta = concat(list.map((p) => p.reshape([-1])));
  const unpack = (t: Tensor) => list.map((p, k) => t.slice([[offsets[k], offsets[k + 1]]]).reshape([...p.shape]));
  const whole = gradcheck((t: Tensor) => cost(...(unpack(t) as [Tensor, Tensor, Tensor, Tensor])), [theta], {
    eps,
    raise: false,
  });
  const parameterIndex: Record<string, number> = { dW1: 0, db1: 1, dW2: 2, db2: 3 };
  const rows = (["dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"] as const).map((name) => {
    const index = parameterIndex[name];
    return {
      name,
      shape: autodiff[name].shape,
      norm: Math.hypot(...autodiff[name].data),
      vsClosedForm: relativeDifference(autodiff[name], closed[name]),
      vsFiniteDifferences: index === undefined ? null : perParameter.inputs[index].relativeDifference,
    };
  });
  return { rows, allParameters: whole.inputs[0].relativeDifference, eps };
}

/** The hidden-layer sizes of the course's tuning cell. */
export const sweepSizes = [1, 2, 3, 4, 5, 20, 50] as const;
