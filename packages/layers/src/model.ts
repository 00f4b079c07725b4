/** The `Model` interface `fit` trains, and the input checks every model shares (shapes, labels, sizes). */
import { formatIndex, formatShape, ShapeError, Tensor, ValueError } from "@backprop/core";

/**
 * Anything `fit` can train: named parameters and a scalar cost recorded on the graph.
 * @example
 * const net: Model = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
 * net.loss(X, Y).backward();
 */
export interface Model {
  /** Parameters by course name, in a stable order: W1, b1, W2, b2, ... (or w, b). */
  namedParameters(): ReadonlyArray<readonly [string, Tensor]>;
  /** The scalar cost J(X, Y), recorded on the graph. */
  loss(X: Tensor, Y: Tensor): Tensor;
  /** The cost without training-only randomness (dropout), for validation data; `fit` falls back to `loss`. */
  validationLoss?(X: Tensor, Y: Tensor): Tensor;
  /**
   * Optional: throws a typed error starting with `op` unless X (and Y, when given) are data this model takes:
   * shapes, finite values, labels that fit its cost. `fit` calls it once, before the first update.
   */
  checkData?(op: string, X: Tensor, Y?: Tensor): unknown;
}

/**
 * Clears `.grad` of every tensor given (a list of tensors, or `[name, tensor]` pairs such as `namedParameters()`).
 * @example zeroGrad(net.namedParameters()); // the same as net.zeroGrad()
 */
export function zeroGrad(parameters: ReadonlyArray<Tensor | readonly [string, Tensor]>): void {
  for (const p of parameters) {
    const t = p instanceof Tensor ? p : p[1];
    if (!(t instanceof Tensor))
      throw new ValueError("zeroGrad", `expected Tensors or [name, Tensor] pairs, got ${typeof t}`);
    t.grad = null;
  }
}

/**
 * Throws a ValueError unless `value` is a positive integer (a layer size, a number of features).
 * @example checkSize("mlp", "layerSizes[1]", 4);
 */
export function checkSize(op: string, what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(op, `${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Throws unless `x` is a 2-d Tensor (examples as columns); returns it.
 * @example checkMatrix("TwoLayerNet.forward", "X", X);
 */
export function checkMatrix(op: string, what: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) {
    throw new ValueError(op, `${what} must be a Tensor, got ${x === null ? "null" : typeof x}`);
  }
  if (x.rank !== 2) {
    throw new ShapeError(
      op,
      `${what} must be 2-d (features × examples, one example per column), got shape ${formatShape(x.shape)}`,
    );
  }
  return x;
}

/**
 * Checks that the input of a layer has as many rows as W has columns, with the course's wording:
 * `X has shape (3,400) but W1 is (4,2): X needs 2 rows (n_x)`.
 * @example checkLayerInput("TwoLayerNet.forward", X, "X", W1, "n_x");
 */
export function checkLayerInput(
  op: string,
  input: unknown,
  inputName: string,
  W: Tensor,
  rowsLabel: string,
  wName: string = W.name ?? "W",
): Tensor {
  const x = checkMatrix(op, inputName, input);
  const nIn = W.shape[1];
  if (x.shape[0] !== nIn) {
    throw new ShapeError(
      op,
      `${inputName} has shape ${formatShape(x.shape)} but ${wName} is ${formatShape(W.shape)}: ${inputName} needs ${nIn} rows (${rowsLabel})`,
    );
  }
  return x;
}

/**
 * Checks that Y is 2-d with `rows` rows and as many columns (examples) as X.
 * @example checkTargets("TwoLayerNet.loss", X, Y, 1);
 */
export function checkTargets(op: string, X: Tensor, Y: unknown, rows: number): Tensor {
  const y = checkMatrix(op, "Y", Y);
  if (y.shape[1] !== X.shape[1]) {
    throw new ShapeError(
      op,
      `X has ${X.shape[1]} columns (examples) but Y has ${y.shape[1]}: X ${formatShape(X.shape)}, Y ${formatShape(y.shape)}`,
    );
  }
  if (y.shape[0] !== rows) {
    throw new ShapeError(
      op,
      `Y has shape ${formatShape(y.shape)} but the output layer has ${rows} unit(s): Y needs ${rows} row(s)`,
    );
  }
  return y;
}

/** The (row, col) index of a flat position, as every error message prints it (core's `formatIndex`). */
export { formatIndex } from "@backprop/core";

/**
 * Throws a ValueError naming the first element of `x` that fails `ok`.
 * @example checkValues("binaryCrossEntropy", "Y", Y, (v) => v === 0 || v === 1, "0/1 labels");
 */
export function checkValues(op: string, what: string, x: Tensor, ok: (v: number) => boolean, expected: string): void {
  const data = x.data;
  for (let i = 0; i < data.length; i++) {
    if (!ok(data[i])) {
      throw new ValueError(
        op,
        `${what} must hold ${expected}, found ${data[i]} at index ${formatIndex(i, x.shape)} of ${what} ${formatShape(x.shape)}`,
      );
    }
  }
}

/**
 * Throws a ValueError unless every label in Y is exactly 0 or 1.
 * @example checkBinaryLabels("binaryCrossEntropy", Y);
 */
export function checkBinaryLabels(op: string, Y: Tensor): void {
  checkValues(op, "Y", Y, (v) => v === 0 || v === 1, "0/1 labels");
}

/**
 * Checks a stack of layer parameters: each W[l] is (n[l], n[l−1]) chaining from the one before, each b[l] is (n[l], 1).
 * @example checkLayerParameters("closedFormGradients", [W1, W2], [b1, b2], ["W1", "W2"], ["b1", "b2"]);
 */
export function checkLayerParameters(
  op: string,
  W: readonly Tensor[],
  b: readonly Tensor[],
  wNames: readonly string[],
  bNames: readonly string[],
): void {
  for (let l = 0; l < W.length; l++) {
    const w = checkMatrix(op, wNames[l], W[l]);
    const bias = checkMatrix(op, bNames[l], b[l]);
    if (l > 0 && w.shape[1] !== W[l - 1].shape[0]) {
      throw new ShapeError(
        op,
        `${wNames[l]} is ${formatShape(w.shape)} but ${wNames[l - 1]} is ${formatShape(W[l - 1].shape)}: ${wNames[l]} needs ${W[l - 1].shape[0]} columns (n[${l}])`,
      );
    }
    if (bias.shape[0] !== w.shape[0] || bias.shape[1] !== 1) {
      throw new ShapeError(
        op,
        `${bNames[l]} is ${formatShape(bias.shape)} but ${wNames[l]} is ${formatShape(w.shape)}: ${bNames[l]} needs shape (${w.shape[0]},1)`,
      );
    }
  }
}

/**
 * The percentage of positions where the 0/1 predictions equal the labels (same shapes, checked by the caller).
 * @example accuracyPercent(tensor([[1, 0, 1, 1]]), tensor([[1, 0, 0, 1]])); // 75
 */
export function accuracyPercent(predictions: Tensor, Y: Tensor): number {
  const p = predictions.data;
  const y = Y.data;
  let correct = 0;
  for (let i = 0; i < y.length; i++) if (p[i] === y[i]) correct++;
  return (100 * correct) / y.length;
}
