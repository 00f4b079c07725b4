/** fit: the course's training loop (forward, cost, backward, update) with minibatches, schedules, progress and early stopping. */
import { BackpropError, formatShape, noGrad, RandomState, ShapeError, Tensor, ValueError } from "@backprop/core";
import { checkLearningRate, checkOptionKeys, checkTrainingData, withCheckedData } from "./dataChecks.js";
import { divergenceGuard } from "./divergence.js";
import type { Model } from "./model.js";
import { type Optimizer, sgd } from "./optimizers.js";
import type { Schedule } from "./schedules.js";

/**
 * Options of `fit`. Give exactly one of `iterations` and `epochs`, and a `learningRate` or an `optimizer`. A key not
 * listed here (e.g. `batch_size`, `lr`) throws a ValueError rather than being ignored.
 */
export interface FitOptions {
  /** Number of gradient steps (one per minibatch). */
  iterations?: number;
  /** Number of passes over the data: epochs × ⌈m / batchSize⌉ gradient steps (= epochs when full batch). */
  epochs?: number;
  /** Examples (columns) per minibatch; full batch by default, as in the course. The last minibatch of an epoch may be smaller. */
  batchSize?: number;
  /** How to update the parameters; default `sgd(parameters, { learningRate })`. */
  optimizer?: Optimizer;
  /** α, or a Schedule of the iteration number that sets `optimizer.learningRate` before every update. */
  learningRate?: number | Schedule;
  /** Call `onProgress` every `printEvery` iterations (0, printEvery, 2·printEvery, ...) and at the last one; default every iteration. */
  printEvery?: number;
  /**
   * Progress callback (the library prints nothing itself). It runs after the iteration's update: `cost` is from
   * the forward pass before it, the validation numbers are computed with the updated parameters.
   */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * [Xv, Yv], examples as columns: each `onProgress` event then carries `validationCost` (the model's
   * `validationLoss`, else `loss`, outside the graph) and, for a model with `accuracy(X, Y)`, `validationAccuracy`.
   */
  validationData?: readonly [Tensor, Tensor];
  /** Stop once the cost has not improved on its best by more than `minDelta` (default 0) for `patience` iterations. */
  earlyStopping?: { patience: number; minDelta?: number };
  /**
   * Seed of the minibatch shuffling (default 0): epoch e takes the (e + 1)-th permutation of one RandomState(seed).
   * A function gives each epoch e a fresh RandomState(seed(e)), as the course's `model()` reseeds
   * `random_mini_batches` every epoch: its `seed = 10` then `seed = seed + 1` before each epoch is `(e) => 11 + e`.
   */
  seed?: number | ((epoch: number) => number);
  /**
   * What a NaN or ±Infinity in the cost, a gradient or an updated parameter does: "throw" (default) stops with a
   * `TrainingDivergedError` naming the iteration and the parameter, keeping the parameters from before that update;
   * "continue" trains on.
   */
  nonFinite?: "throw" | "continue";
}

/** What `onProgress` receives. */
export interface ProgressEvent {
  /** The iteration index (0 for the first). */
  iteration: number;
  /** The number of iterations planned. */
  total: number;
  /** The cost from the forward pass before this iteration's update (of this iteration's minibatch). */
  cost: number;
  /** Milliseconds since `fit` started. */
  elapsedMs: number;
  /** The cost on `validationData` after this iteration's update (without dropout). */
  validationCost?: number;
  /** The accuracy (percent) on `validationData` after this iteration's update, for models with `accuracy`. */
  validationAccuracy?: number;
}

/** A model that can also report its accuracy (TwoLayerNet, LogisticRegression, Sequential). */
interface Classifier {
  accuracy(X: Tensor, Y: Tensor): number;
}

/** The validation cost (and accuracy, when the model has one) on [Xv, Yv], outside the graph. */
function validate(
  model: Model,
  data: readonly [Tensor, Tensor],
): { validationCost: number; validationAccuracy?: number } {
  const [Xv, Yv] = data;
  const cost = noGrad(() => (model.validationLoss ?? model.loss).call(model, Xv, Yv)).item();
  const accuracy = (model as Partial<Classifier>).accuracy;
  if (typeof accuracy !== "function") return { validationCost: cost };
  return { validationCost: cost, validationAccuracy: accuracy.call(model, Xv, Yv) };
}

/** What `fit` returns. */
export interface FitResult {
  /** costs[i]: the cost computed by iteration i's forward pass, before its update (as the course prints it). */
  costs: number[];
  /** Whether early stopping ended the run before `total` iterations. */
  stoppedEarly: boolean;
  /** The number of iterations (updates) done: costs.length. */
  iterations: number;
}

function checkPositiveInteger(what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ValueError("fit", `${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Throws unless a shuffling seed is an integer in [0, 2^32 − 1], what numpy's RandomState takes. */
function checkSeed(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 2 ** 32 - 1) {
    throw new ValueError("fit", `${what} must be an integer in [0, 2^32 − 1], got ${String(value)}`);
  }
  return value;
}

/**
 * The numbers 0..n−1 shuffled exactly as numpy's legacy `RandomState.permutation(n)`: Fisher–Yates from
 * the end, j drawn in [0, i] by masked rejection sampling of 32-bit outputs (numpy's `random_interval`).
 */
function permutation(rs: RandomState, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    let mask = i;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let j: number;
    do j = (rs.randomUint32() & mask) >>> 0;
    while (j > i);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/** Columns order[start..end) of a 2-d tensor, as a new (rows, end − start) tensor. */
function takeColumns(x: Tensor, order: Int32Array, start: number, end: number): Tensor {
  const [rows, cols] = x.shape;
  const width = end - start;
  const src = x.data;
  const out = x.dtype === "float64" ? new Float64Array(rows * width) : new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    const to = r * width;
    for (let k = 0; k < width; k++) out[to + k] = src[from + order[start + k]];
  }
  return new Tensor(out, [rows, width]);
}

/**
 * The minibatches of one epoch: the course's `random_mini_batches` — shuffle the columns of X and Y with
 * one permutation, then cut them into batches of `batchSize` (the last one holds the rest).
 */
function minibatches(X: Tensor, Y: Tensor, batchSize: number, rs: RandomState): [Tensor, Tensor][] {
  const m = X.shape[1];
  const order = permutation(rs, m);
  const batches: [Tensor, Tensor][] = [];
  for (let start = 0; start < m; start += batchSize) {
    const end = Math.min(m, start + batchSize);
    batches.push([takeColumns(X, order, start, end), takeColumns(Y, order, start, end)]);
  }
  return batches;
}

/** Checks that X and Y are 2-d with the same number of columns (examples), which minibatching needs. */
function checkExamples(X: Tensor, Y: Tensor): number {
  if (X.rank !== 2 || Y.rank !== 2 || X.shape[1] !== Y.shape[1]) {
    throw new ShapeError(
      "fit",
      `minibatches need 2-d X and Y with one example per column and the same number of columns, got X ${formatShape(X.shape)}, Y ${formatShape(Y.shape)}`,
    );
  }
  return X.shape[1];
}

/** The number of iterations to run, and the minibatch size (null for full batch). */
function plan(X: Tensor, Y: Tensor, options: FitOptions): { total: number; batchSize: number | null } {
  const { iterations, epochs } = options;
  if ((iterations === undefined) === (epochs === undefined)) {
    throw new ValueError(
      "fit",
      "give exactly one of `iterations` (gradient steps) and `epochs` (passes over the data)",
    );
  }
  let batchSize: number | null = null;
  let perEpoch = 1;
  if (options.batchSize !== undefined) {
    const size = checkPositiveInteger("batchSize", options.batchSize);
    const m = checkExamples(X, Y);
    // A batch of all m examples is full batch: no shuffling needed.
    if (size < m) {
      batchSize = size;
      perEpoch = Math.ceil(m / size);
    }
  }
  const total =
    iterations !== undefined
      ? checkPositiveInteger("iterations", iterations)
      : checkPositiveInteger("epochs", epochs) * perEpoch;
  return { total, batchSize };
}

/** The keys FitOptions takes (any other key is a misspelling and throws). */
const fitOptionNames = [
  "iterations",
  "epochs",
  "batchSize",
  "optimizer",
  "learningRate",
  "printEvery",
  "onProgress",
  "validationData",
  "earlyStopping",
  "seed",
  "nonFinite",
];

/**
 * Throws unless every tensor the optimizer updates is one of the model's parameters: an optimizer built for
 * another model (or for a model rebuilt since) would step tensors the loss never reaches, and the model
 * would silently not train. An optimizer over a subset of the parameters (the others frozen) is allowed.
 */
function checkOptimizerParameters(model: Model, optimizer: Optimizer): void {
  if (optimizer === null || typeof optimizer !== "object" || typeof optimizer.step !== "function") {
    throw new ValueError("fit", "optimizer must be an Optimizer (sgd, momentum, rmsprop, adam)");
  }
  const own = new Set(model.namedParameters().map(([, p]) => p));
  const params = Array.isArray(optimizer.parameters) ? optimizer.parameters : [];
  const foreign = params.findIndex((p) => !own.has(p));
  if (foreign >= 0) {
    const p = params[foreign];
    throw new ValueError(
      "fit",
      `the optimizer's parameters[${foreign}]${p.name ? ` ('${p.name}')` : ""} ${formatShape(p.shape)} is not a parameter of this model (an optimizer built for another model?): the model would not train; build the optimizer from this model's namedParameters()`,
    );
  }
}

/**
 * The model's data checks on validationData, before any update, as "fit: validationData: …" (the same error class),
 * so a wrong Xv or Yv is not found only after the first iteration, or never when there is no onProgress.
 */
function checkValidationData(model: Model, [Xv, Yv]: readonly [Tensor, Tensor]): void {
  try {
    checkTrainingData(model, Xv, Yv);
  } catch (e) {
    if (!(e instanceof BackpropError) || e.op !== "fit") throw e;
    const Type = e.constructor as new (op: string, message: string) => BackpropError;
    const detail = e.message.slice("fit: ".length).replace(/\bX\b/g, "Xv").replace(/\bY\b/g, "Yv");
    throw new Type("fit", `validationData [Xv, Yv]: ${detail}`);
  }
}

/** The optimizer to use and the schedule (if any) that drives its learning rate. */
function setUp(parameters: Tensor[], options: FitOptions): { optimizer: Optimizer; schedule: Schedule | null } {
  const rate = options.learningRate;
  if (rate !== undefined && typeof rate !== "number" && typeof rate !== "function") {
    throw new ValueError("fit", `learningRate must be a number or a Schedule function, got ${typeof rate}`);
  }
  if (typeof rate === "number") checkLearningRate("fit", rate);
  const schedule = typeof rate === "function" ? rate : null;
  if (options.optimizer !== undefined) {
    if (typeof rate === "number") options.optimizer.learningRate = rate;
    return { optimizer: options.optimizer, schedule };
  }
  if (rate === undefined) {
    throw new ValueError("fit", "needs a learningRate (a number or a Schedule) or an optimizer");
  }
  const first = typeof rate === "function" ? checkLearningRate("fit", rate(0), "learningRate(0)") : rate;
  return { optimizer: sgd(parameters, { learningRate: first }), schedule };
}

/**
 * Trains `model` on X (n_x, m) and Y (n_y, m), examples as columns: each iteration computes the cost on
 * the (mini)batch, back-propagates, and updates the parameters. Full batch gradient descent by default,
 * as in the course; `batchSize` shuffles the columns each epoch (seeded, reproducing numpy's
 * `RandomState(seed).permutation`) and steps once per minibatch.
 * @example
 * const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
 * const { costs } = fit(net, X, Y, {
 *   iterations: 10000, learningRate: 1.2, printEvery: 1000,
 *   onProgress: ({ iteration, cost }) => console.log(`Cost after iteration ${iteration}: ${cost}`),
 * });
 */
export function fit(model: Model, X: Tensor, Y: Tensor, options: FitOptions): FitResult {
  if (model === null || typeof model !== "object" || typeof model.namedParameters !== "function") {
    throw new ValueError("fit", "model must have namedParameters() and loss(X, Y) (the Model interface)");
  }
  if (typeof model.loss !== "function") throw new ValueError("fit", "model has no loss(X, Y) method");
  if (!(X instanceof Tensor) || !(Y instanceof Tensor)) throw new ValueError("fit", "X and Y must be Tensors");
  if (options === null || typeof options !== "object") throw new ValueError("fit", "needs an options object");
  checkOptionKeys("fit", options, fitOptionNames);
  if (options.earlyStopping !== undefined && options.earlyStopping !== null) {
    checkOptionKeys("fit", options.earlyStopping, ["patience", "minDelta"], "earlyStopping");
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new ValueError("fit", `onProgress must be a function (event) => void, got ${typeof options.onProgress}`);
  }

  const { total, batchSize } = plan(X, Y, options);
  checkTrainingData(model, X, Y); // the whole data set, once, before any update
  const parameters = model.namedParameters().map(([, p]) => p);
  if (parameters.length === 0)
    throw new ValueError("fit", "model.namedParameters() is empty: there is nothing to train");
  const { optimizer, schedule } = setUp(parameters, options);
  checkOptimizerParameters(model, optimizer);
  const printEvery = options.printEvery === undefined ? 1 : checkPositiveInteger("printEvery", options.printEvery);
  const onProgress = options.onProgress;
  const patience = options.earlyStopping
    ? checkPositiveInteger("earlyStopping.patience", options.earlyStopping.patience)
    : 0;
  const minDelta = options.earlyStopping?.minDelta ?? 0;
  if (typeof minDelta !== "number" || !(minDelta >= 0)) {
    throw new ValueError("fit", `earlyStopping.minDelta must be a non-negative number, got ${String(minDelta)}`);
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== "function") checkSeed(seed, "seed");
  const stream = batchSize === null || typeof seed === "function" ? null : new RandomState(seed);
  let epoch = 0;
  const validation = options.validationData;
  if (
    validation !== undefined &&
    !(Array.isArray(validation) && validation.length === 2 && validation.every((t) => t instanceof Tensor))
  ) {
    throw new ValueError("fit", "validationData must be [Xv, Yv], two Tensors with examples as columns");
  }
  if (validation !== undefined) checkValidationData(model, validation);
  const guard = divergenceGuard(model.namedParameters(), options.nonFinite);

  const start = Date.now();
  const costs: number[] = [];
  let batches: [Tensor, Tensor][] = [[X, Y]];
  let next = batches.length;
  let best = Number.POSITIVE_INFINITY;
  let sinceBest = 0;
  let stoppedEarly = false;

  for (let i = 0; i < total; i++) {
    if (batchSize !== null && next === batches.length) {
      const rs = typeof seed === "function" ? new RandomState(checkSeed(seed(epoch), `seed(${epoch})`)) : stream;
      batches = minibatches(X, Y, batchSize, rs as RandomState);
      next = 0;
      epoch++;
    }
    const [Xb, Yb] = batches[batchSize === null ? 0 : next++];
    if (schedule !== null) optimizer.learningRate = checkLearningRate("fit", schedule(i), `learningRate(${i})`);
    // Clear every model parameter's gradient, also those a user-supplied optimizer does not update.
    for (const p of parameters) p.grad = null;
    optimizer.zeroGrad();

    const J = withCheckedData([Xb, Yb], () => model.loss(Xb, Yb)); // checked above; no second scan
    if (!(J instanceof Tensor) || J.size !== 1) {
      throw new ValueError(
        "fit",
        `model.loss must return a scalar Tensor, got ${J instanceof Tensor ? `shape ${formatShape(J.shape)}` : typeof J}`,
      );
    }
    if (!J.requiresGrad) {
      throw new ValueError(
        "fit",
        "model.loss(X, Y) does not depend on any tensor that requires grad: are the parameters created with requiresGrad?",
      );
    }
    const cost = J.data[0];
    J.backward();
    guard.beforeStep(i, cost);
    optimizer.step();
    guard.afterStep(i);
    costs.push(cost);

    if (patience > 0) {
      if (cost < best - minDelta) {
        best = cost;
        sinceBest = 0;
      } else if (++sinceBest >= patience) {
        stoppedEarly = i < total - 1;
      }
    }
    const last = stoppedEarly || i === total - 1;
    if (onProgress !== undefined && (i % printEvery === 0 || last)) {
      const checked = validation === undefined ? {} : validate(model, validation);
      onProgress({ iteration: i, total, cost, elapsedMs: Date.now() - start, ...checked });
    }
    if (stoppedEarly) break;
  }
  return { costs, stoppedEarly, iterations: costs.length };
}
