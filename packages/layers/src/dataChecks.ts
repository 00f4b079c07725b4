/** Bad data refused before it trains a wrong model: X and Y finite, labels that fit the cost, shapes that fit the model. */
import { type DType, DTypeError, type Tensor, ValueError } from "@backprop/core";
import { checkLayerInput, checkTargets, checkValues, type Model } from "./model.js";

/** What Y must hold for a cost: 0/1 labels (binary cross-entropy), values in [0, 1] (on logits), one-hot columns (softmax), or any finite numbers. */
export type TargetKind = "binary" | "unitInterval" | "oneHot" | "finite";

/**
 * Tensors already checked by the caller up the stack (fit checks the whole data set once; its
 * minibatches need no second scan). Set only inside `withCheckedData`, restored by its finally.
 */
let checked: ReadonlySet<Tensor> | null = null;

/**
 * Runs `fn` with `tensors` counted as checked, so the models' own data checks skip their scans.
 * @example withCheckedData([Xb, Yb], () => model.loss(Xb, Yb)); // fit: the data set was checked once, up front
 */
export function withCheckedData<T>(tensors: readonly Tensor[], fn: () => T): T {
  const previous = checked;
  checked = new Set(tensors);
  try {
    return fn();
  } finally {
    checked = previous;
  }
}

/**
 * Throws a ValueError naming the first NaN or ±Infinity of `x` and its (row, col) index.
 * @example checkFiniteData("fit", "X", X); // fit: X must hold finite numbers, found NaN at index (1,0) of X (2,400)
 */
export function checkFiniteData(op: string, what: string, x: Tensor): void {
  if (checked?.has(x)) return;
  checkValues(op, what, x, Number.isFinite, "finite numbers");
}

/**
 * Throws a ValueError unless Y holds what the cost needs (see `TargetKind`), naming the first bad value and its
 * (row, col) index, or the first column of a one-hot Y that does not sum to 1.
 * @example checkTargetValues("TwoLayerNet.loss", Y, "binary");
 */
export function checkTargetValues(op: string, Y: Tensor, kind: TargetKind): void {
  if (checked?.has(Y)) return;
  if (kind === "binary") checkValues(op, "Y", Y, (v) => v === 0 || v === 1, "0/1 labels");
  else if (kind === "finite") checkFiniteData(op, "Y", Y);
  else {
    const what = kind === "oneHot" ? "class probabilities in [0, 1] (one-hot columns)" : "labels in [0, 1]";
    checkValues(op, "Y", Y, (v) => v >= 0 && v <= 1, what);
  }
  if (kind !== "oneHot") return;
  const [k, m] = Y.shape;
  const y = Y.data;
  for (let j = 0; j < m; j++) {
    let total = 0;
    for (let c = 0; c < k; c++) total += y[c * m + j];
    if (Math.abs(total - 1) > 1e-9) {
      throw new ValueError(
        op,
        `Y must be one-hot (classes as rows, examples as columns), but column ${j} sums to ${total}, not 1`,
      );
    }
  }
}

/** What a model's data must look like: X's rows fit `W`, Y has `outputs` rows and holds `targets`. */
export interface DataSpec {
  /** The first layer's weights: X needs W.shape[1] rows. */
  W: Tensor;
  /** How the rows of X are called in messages, e.g. "n_x". */
  rowsLabel: string;
  /** W's name in messages (default W.name). */
  wName?: string;
  /** The output layer's units: Y needs this many rows. */
  outputs: number;
  /** What Y must hold. */
  targets: TargetKind;
}

/**
 * Throws a ValueError naming `op` unless `value` is a positive finite number.
 * @example checkLearningRate("fit", 1.2);
 */
export function checkLearningRate(op: string, value: unknown, what = "learningRate"): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(op, `${what} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * Y's checks once X is known good: 2-d with `outputs` rows and X's number of columns, holding `targets`.
 * @example checkExampleTargets("LogisticRegression.loss", x, Y, 1, "binary");
 */
export function checkExampleTargets(op: string, x: Tensor, Y: unknown, outputs: number, targets: TargetKind): Tensor {
  const y = checkTargets(op, x, Y, outputs);
  checkTargetValues(op, y, targets);
  return y;
}

/**
 * The data checks of `fit`, before anything changes: the model's own `checkData` when it has one, else
 * X and Y finite with the same number of columns (when both are 2-d).
 * @example checkTrainingData(model, X, Y);
 */
export function checkTrainingData(model: Model, X: Tensor, Y: Tensor): void {
  if (typeof model.checkData === "function") {
    model.checkData("fit", X, Y);
    return;
  }
  checkFiniteData("fit", "X", X);
  checkFiniteData("fit", "Y", Y);
  if (X.rank === 2 && Y.rank === 2) checkTargets("fit", X, Y, Y.shape[0]);
}

/**
 * The checks every model runs in `loss`, `gradients`, `predict` and `accuracy` (and `fit` through
 * `Model.checkData`), in order: X is a 2-d Tensor with W's columns as rows, X is finite; then, when Y is
 * given, Y is 2-d with `outputs` rows and X's number of columns, and holds `targets`. Each failure is a
 * typed error starting with `op`. Returns X.
 * @example const x = checkModelData("TwoLayerNet.loss", X, Y, { W: W1, rowsLabel: "n_x", outputs: 1, targets: "binary" });
 */
export function checkModelData(op: string, X: unknown, Y: unknown, spec: DataSpec): Tensor {
  const x = checkLayerInput(op, X, "X", spec.W, spec.rowsLabel, spec.wName);
  checkDataDtype(op, "X", x, spec.W);
  checkFiniteData(op, "X", x);
  if (Y !== undefined) checkDataDtype(op, "Y", checkExampleTargets(op, x, Y, spec.outputs, spec.targets), spec.W);
  return x;
}

/**
 * A float32 model takes float32 data: float64 data would promote every op to float64 (float32 with float64 gives
 * float64, as in numpy), so the model would silently train and predict in float64, rounding only the updates.
 * Float32 data into a float64 model computes in float64, as the model asks, and is allowed. Returns `data`.
 * @example checkDataDtype("TwoLayerNet.loss", "X", X, W1); // X is float64 but the model's parameters are float32 …
 */
export function checkDataDtype(op: string, what: string, data: Tensor, W: Tensor): Tensor {
  if (W.dtype !== "float32" || data.dtype === "float32") return data;
  throw new DTypeError(
    op,
    `${what} is ${data.dtype} but the model's parameters are float32, so every op would run in ${data.dtype}; convert the data once with ${what}.astype("float32")`,
  );
}

/** How a value is printed in an option error: null, an array, or its type and value. */
function describeOption(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/**
 * Throws a ValueError naming `op` unless `options` is an object whose keys are all in `names` (a misspelt option such
 * as `activaton` or `beta_1` must not be ignored silently); `undefined` counts as `{}`. `what` names a nested option
 * object (e.g. "dropout"). Returns the options.
 * @example const o = checkOptionKeys("Dense", options, ["nIn", "nOut", "activation"]);
 */
export function checkOptionKeys<T extends object>(
  op: string,
  options: T | undefined,
  names: readonly string[],
  what = "",
): T {
  if (options === undefined) return {} as T;
  const of = what === "" ? op : what;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ValueError(
      op,
      `${what === "" ? "options" : what} must be an object { ${names.join(", ")} }, got ${describeOption(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) {
      throw new ValueError(
        op,
        `unknown ${what === "" ? "" : `${what} `}option '${key}': ${of} takes { ${names.join(", ")} }`,
      );
    }
  }
  return options;
}

/**
 * Throws a DTypeError naming `op` unless `dtype` is undefined (the default, float64) or a dtype name. Returns the dtype.
 * @example const dtype = checkDType("Dense", options.dtype);
 */
export function checkDType(op: string, dtype: unknown): DType {
  if (dtype === undefined) return "float64";
  if (dtype !== "float64" && dtype !== "float32") {
    throw new DTypeError(op, `dtype must be "float64" or "float32", got ${describeOption(dtype)}`);
  }
  return dtype;
}
