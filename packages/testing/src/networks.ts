/** Arbitraries for the course's networks: layer sizes, 2-layer and L-layer parameters, logistic regression, data X and 0/1 labels Y. */
import { type DType, type Tensor, ValueError } from "@backprop/core";
import fc from "fast-check";
import { freshEachRun } from "./fresh.js";
import { fitDims, labelPool, PoolCursor, valuePool } from "./pool.js";
import { checkOptionNames, describe } from "./shapes.js";
import { type ValueOptions, valueOptionNames } from "./tensors.js";

/** Hidden-layer activations the closed forms cover (a subset of @backprop/layers' ActivationName). */
export type HiddenActivationName = "tanh" | "sigmoid" | "relu" | "leakyRelu";

/** Every hidden activation, in the order shrinking prefers (tanh first). */
export const hiddenActivationNames: readonly HiddenActivationName[] = ["tanh", "sigmoid", "relu", "leakyRelu"];

/** Size bounds and value ranges shared by the network arbitraries. */
export interface NetworkOptions {
  /** Largest input size n_x (default 4). */
  maxNx?: number;
  /** Largest hidden layer size (default 5). */
  maxUnits?: number;
  /** Largest number of examples m (default 6). */
  maxM?: number;
  /** Hidden activations to draw from (default: all four). */
  hiddenActivations?: readonly HiddenActivationName[];
  /** Weight values (default [-1, 1]). */
  weights?: ValueOptions;
  /** Bias values (default [-0.5, 0.5]). */
  biases?: ValueOptions;
  /** Data values X (default [-2, 2]). */
  inputs?: ValueOptions;
  /** dtype of every tensor (default float64). */
  dtype?: DType;
}

function positive(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(op, `${name} must be a positive integer, got ${v}`);
  return v;
}

/** The names of `NetworkOptions`. */
const networkOptionNames = ["maxNx", "maxUnits", "maxM", "hiddenActivations", "weights", "biases", "inputs", "dtype"];

function settings(op: string, options: NetworkOptions, names: readonly string[] = networkOptionNames) {
  checkOptionNames(op, options, names);
  for (const kind of ["weights", "biases", "inputs"] as const) {
    if (options[kind] !== undefined) checkOptionNames(op, options[kind], valueOptionNames, kind);
  }
  const activations = options.hiddenActivations ?? hiddenActivationNames;
  if (!Array.isArray(activations)) {
    throw new ValueError(op, `hiddenActivations must be an array, got ${describe(activations)}`);
  }
  if (activations.length === 0) throw new ValueError(op, "hiddenActivations must not be empty");
  for (const a of activations) {
    if (!hiddenActivationNames.includes(a)) {
      throw new ValueError(op, `unknown hidden activation ${describe(a)}; known: ${hiddenActivationNames.join(", ")}`);
    }
  }
  const dtype = options.dtype ?? "float64";
  if (dtype !== "float64" && dtype !== "float32") throw new ValueError(op, `unknown dtype ${describe(dtype)}`);
  return {
    maxNx: positive(op, "maxNx", options.maxNx ?? 4),
    maxUnits: positive(op, "maxUnits", options.maxUnits ?? 5),
    maxM: positive(op, "maxM", options.maxM ?? 6),
    activations,
    weights: { min: -1, max: 1, ...options.weights, dtype },
    biases: { min: -0.5, max: 0.5, ...options.biases, dtype },
    inputs: { min: -2, max: 2, ...options.inputs, dtype },
    dtype,
  };
}

/**
 * Layer sizes [n_x, n[1], ..., n[L]] as the course's `layer_dims`, with L in [minLayers, maxLayers]
 * and n[L] = outputUnits.
 * @example fc.sample(layerSizes({ maxLayers: 3 }), 2) // e.g. [[3, 1], [2, 4, 2, 1]]
 */
export function layerSizes(
  options: { minLayers?: number; maxLayers?: number; maxNx?: number; maxUnits?: number; outputUnits?: number } = {},
): fc.Arbitrary<number[]> {
  checkOptionNames("layerSizes", options, ["minLayers", "maxLayers", "maxNx", "maxUnits", "outputUnits"]);
  const minLayers = positive("layerSizes", "minLayers", options.minLayers ?? 1);
  const maxLayers = positive("layerSizes", "maxLayers", options.maxLayers ?? 4);
  if (minLayers > maxLayers)
    throw new ValueError("layerSizes", `minLayers ${minLayers} exceeds maxLayers ${maxLayers}`);
  const maxNx = positive("layerSizes", "maxNx", options.maxNx ?? 4);
  const maxUnits = positive("layerSizes", "maxUnits", options.maxUnits ?? 5);
  const outputUnits = positive("layerSizes", "outputUnits", options.outputUnits ?? 1);
  return fc
    .tuple(
      fc.integer({ min: 1, max: maxNx }),
      fc.array(fc.integer({ min: 1, max: maxUnits }), { minLength: minLayers - 1, maxLength: maxLayers - 1 }),
    )
    .map(([nx, hidden]) => [nx, ...hidden, outputUnits]);
}

/** A 2-layer net's parameters with its data: X (n_x, m), Y (1, m) of 0/1 labels. */
export interface TwoLayerNetCase {
  readonly nx: number;
  readonly nh: number;
  readonly m: number;
  readonly hiddenActivation: HiddenActivationName;
  /** W1 (n_h, n_x), b1 (n_h, 1), W2 (1, n_h), b2 (1, 1); plain leaves (no requiresGrad). */
  readonly params: { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor };
  readonly X: Tensor;
  readonly Y: Tensor;
}

/**
 * Random 2-layer nets (course week 3): sizes n_x, n_h, m and the hidden activation are drawn first,
 * then parameters, data and labels, so a failure shrinks to n_x = n_h = m = 1.
 * @example test.prop([twoLayerNetCase()])("closed forms", ({ params, X, Y, hiddenActivation }) => { ... });
 */
export function twoLayerNetCase(options: NetworkOptions = {}): fc.Arbitrary<TwoLayerNetCase> {
  const s = settings("twoLayerNetCase", options);
  const { maxNx, maxUnits: maxNh, maxM } = s;
  // Pools per kind of value, drawn beside the sizes (see pool.ts): W1 and W2 share the weight pool.
  const needs = ([nx, nh, m]: readonly number[]) => [nh * nx + nh, nh + 1, nx * m, m];
  return fc
    .tuple(
      fc.tuple(
        fc.integer({ min: 1, max: maxNx }),
        fc.integer({ min: 1, max: maxNh }),
        fc.integer({ min: 1, max: maxM }),
      ),
      fc.constantFrom(...s.activations),
      valuePool(s.weights, 2, maxNh * maxNx + maxNh),
      valuePool(s.biases, 2, maxNh + 1),
      valuePool(s.inputs, 1, maxNx * maxM),
      labelPool(1, maxM),
    )
    .map(([dims, hiddenActivation, w, b, x, y]) =>
      freshEachRun(() => {
        const [nx, nh, m] = fitDims(dims, [1, 1, 1], needs, [w.length, b.length, x.length, y.length]);
        const [W, B, X, Y] = [w, b, x, y].map((p) => new PoolCursor(p, s.dtype));
        const params = { W1: W.tensor([nh, nx]), b1: B.tensor([nh, 1]), W2: W.tensor([1, nh]), b2: B.tensor([1, 1]) };
        return { nx, nh, m, hiddenActivation, params, X: X.tensor([nx, m]), Y: Y.tensor([1, m]) };
      }),
    );
}

/** An L-layer net: hidden activations as drawn, output layer sigmoid with one unit, and its data. */
export interface DeepNetCase {
  /** [n_x, n[1], ..., n[L]] with n[L] = 1. */
  readonly layerSizes: readonly number[];
  /** One per layer, index 0 = layer 1; the last is "sigmoid". */
  readonly activations: readonly (HiddenActivationName | "sigmoid")[];
  /** W[l-1] is W[l] (n[l], n[l-1]); b[l-1] is b[l] (n[l], 1). */
  readonly params: { W: Tensor[]; b: Tensor[] };
  readonly m: number;
  readonly X: Tensor;
  readonly Y: Tensor;
}

/**
 * Random L-layer nets (course week 4) of depth minLayers..maxLayers (default 1..6) with mixed hidden activations.
 * @example test.prop([deepNetCase({ maxLayers: 3 })])("shapes", ({ params }) => { ... });
 */
export function deepNetCase(
  options: NetworkOptions & { minLayers?: number; maxLayers?: number } = {},
): fc.Arbitrary<DeepNetCase> {
  const s = settings("deepNetCase", options, [...networkOptionNames, "minLayers", "maxLayers"]);
  const minLayers = positive("deepNetCase", "minLayers", options.minLayers ?? 1);
  const maxLayers = positive("deepNetCase", "maxLayers", options.maxLayers ?? 6);
  if (minLayers > maxLayers)
    throw new ValueError("deepNetCase", `minLayers ${minLayers} exceeds maxLayers ${maxLayers}`);
  const { maxNx, maxUnits, maxM } = s;
  // dims = [n_x, n[1], ..., n[L−1], m] (n[L] = 1); pools as in twoLayerNetCase.
  const needs = (d: readonly number[]) => {
    const sizes = [...d.slice(0, -1), 1];
    const m = d[d.length - 1];
    let weights = 0;
    let biases = 0;
    for (let l = 1; l < sizes.length; l++) {
      weights += sizes[l] * sizes[l - 1];
      biases += sizes[l];
    }
    return [weights, biases, sizes[0] * m, m];
  };
  const maxWeights = maxUnits * maxNx + (maxLayers - 2 > 0 ? (maxLayers - 2) * maxUnits * maxUnits : 0) + maxUnits;
  return fc
    .tuple(
      layerSizes({ minLayers, maxLayers, maxNx, maxUnits }),
      fc.integer({ min: 1, max: maxM }),
      fc.array(fc.constantFrom(...s.activations), { minLength: maxLayers - 1, maxLength: maxLayers - 1 }),
      valuePool(s.weights, maxLayers, maxWeights),
      valuePool(s.biases, maxLayers, (maxLayers - 1) * maxUnits + 1),
      valuePool(s.inputs, 1, maxNx * maxM),
      labelPool(1, maxM),
    )
    .map(([drawn, mDrawn, hiddenPool, w, b, x, y]) =>
      freshEachRun(() => {
        const L = drawn.length - 1;
        const dims = [...drawn.slice(0, -1), mDrawn];
        const fitted = fitDims(
          dims,
          dims.map(() => 1),
          needs,
          [w.length, b.length, x.length, y.length],
        );
        const sizes = [...fitted.slice(0, -1), 1];
        const m = fitted[fitted.length - 1];
        const [W, B, X, Y] = [w, b, x, y].map((p) => new PoolCursor(p, s.dtype));
        return {
          layerSizes: sizes,
          activations: [...hiddenPool.slice(0, L - 1), "sigmoid" as const],
          params: {
            W: sizes.slice(1).map((n, l) => W.tensor([n, sizes[l]])),
            b: sizes.slice(1).map((n) => B.tensor([n, 1])),
          },
          m,
          X: X.tensor([sizes[0], m]),
          Y: Y.tensor([1, m]),
        };
      }),
    );
}

/** Logistic regression (course week 2): w (n_x, 1), b (1, 1), X (n_x, m), Y (1, m). */
export interface LogisticRegressionCase {
  readonly nx: number;
  readonly m: number;
  readonly params: { w: Tensor; b: Tensor };
  readonly X: Tensor;
  readonly Y: Tensor;
}

/**
 * Random logistic-regression problems.
 * @example test.prop([logisticRegressionCase()])("dw", ({ params, X, Y }) => { ... });
 */
export function logisticRegressionCase(
  options: Omit<NetworkOptions, "maxUnits" | "hiddenActivations"> = {},
): fc.Arbitrary<LogisticRegressionCase> {
  const s = settings(
    "logisticRegressionCase",
    options,
    networkOptionNames.filter((n) => n !== "maxUnits" && n !== "hiddenActivations"),
  );
  const needs = ([nx, m]: readonly number[]) => [nx, 1, nx * m, m];
  return fc
    .tuple(
      fc.tuple(fc.integer({ min: 1, max: s.maxNx }), fc.integer({ min: 1, max: s.maxM })),
      valuePool(s.weights, 1, s.maxNx),
      valuePool(s.biases, 1, 1),
      valuePool(s.inputs, 1, s.maxNx * s.maxM),
      labelPool(1, s.maxM),
    )
    .map(([dims, w, b, x, y]) =>
      freshEachRun(() => {
        const [nx, m] = fitDims(dims, [1, 1], needs, [w.length, b.length, x.length, y.length]);
        const [W, B, X, Y] = [w, b, x, y].map((p) => new PoolCursor(p, s.dtype));
        return {
          nx,
          m,
          params: { w: W.tensor([nx, 1]), b: B.tensor([1, 1]) },
          X: X.tensor([nx, m]),
          Y: Y.tensor([1, m]),
        };
      }),
    );
}
