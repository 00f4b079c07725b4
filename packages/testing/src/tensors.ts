/** Arbitraries for float64/float32 tensors with controlled value ranges, kinks avoided or included, and 0/1 labels. */
import { type DType, formatShape, type Tensor, tensor, ValueError } from "@backprop/core";
import fc from "fast-check";
import { freshEachRun } from "./fresh.js";
import { PoolCursor, valuePool } from "./pool.js";
import {
  checkOptionNames,
  checkShape,
  checkShapeBounds,
  describe,
  fitSize,
  type ShapeOptions,
  sizeOfShape,
} from "./shapes.js";

/** How element values are drawn. */
export interface ValueOptions {
  /** Smallest value (default -3). */
  min?: number;
  /** Largest value (default 3). */
  max?: number;
  /**
   * Points to keep away from (kinks such as 0 for relu/abs): a value within `gap` of one is moved
   * `2·gap` to the side that stays in [min, max]. Keep kinks at least 4·gap apart.
   */
  avoid?: readonly number[];
  /** Distance kept from the `avoid` points (default 0.05). */
  gap?: number;
  /** Points to hit exactly now and then (about one element in five), to test the convention at a kink. */
  include?: readonly number[];
  /**
   * How values spread over [min, max]: "uniform" (default) draws multiples of a power-of-two step
   * about (max − min)/2²¹ (exact in float32 too), roughly uniformly, shrinking towards 0;
   * "double" uses fc.double, which strongly favours tiny magnitudes, subnormals and the bounds
   * (good for edge cases, poor as a typical input: most values drawn are below 1e-10).
   */
  spread?: "uniform" | "double";
  /** Draw multiples of 1/grid only (e.g. 8: short readable values); overrides `spread`. */
  grid?: number;
  /** `"float64"` (default) or `"float32"`: float32 values are rounded (`Math.fround`) after the repair. */
  dtype?: DType;
}

/** The names of `ValueOptions`. */
export const valueOptionNames = ["min", "max", "avoid", "gap", "include", "spread", "grid", "dtype"] as const;

/** Throws a ValueError naming `op` unless `points` (`avoid` or `include`) is an array of finite numbers. */
function checkPoints(op: string, name: string, points: unknown): void {
  if (!Array.isArray(points) || !points.every((k) => typeof k === "number" && Number.isFinite(k))) {
    const got = Array.isArray(points) ? `[${points.map((k) => String(k)).join(", ")}]` : describe(points);
    throw new ValueError(op, `${name} must be an array of finite numbers, got ${got}`);
  }
}

function checkValueOptions(op: string, options: ValueOptions) {
  const {
    min = -3,
    max = 3,
    avoid = [],
    gap = 0.05,
    include = [],
    grid,
    dtype = "float64",
    spread = "uniform",
  } = options;
  if (spread !== "uniform" && spread !== "double") {
    throw new ValueError(op, `spread must be "uniform" or "double", got ${String(spread)}`);
  }
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new ValueError(op, `needs finite min ≤ max, got min ${min}, max ${max}`);
  }
  if (!(gap > 0)) throw new ValueError(op, `gap must be positive, got ${gap}`);
  if (grid !== undefined && !(Number.isInteger(grid) && grid > 0)) {
    throw new ValueError(op, `grid must be a positive integer, got ${grid}`);
  }
  if (dtype !== "float64" && dtype !== "float32") throw new ValueError(op, `unknown dtype ${String(dtype)}`);
  checkPoints(op, "avoid", avoid);
  checkPoints(op, "include", include);
  for (const k of include) {
    if (!(k >= min && k <= max)) throw new ValueError(op, `include point ${k} lies outside [${min}, ${max}]`);
  }
  // The default "uniform" spread is a fine power-of-two grid: 2²¹ steps or more over [min, max].
  const step =
    grid ?? (spread === "uniform" ? 2 ** Math.ceil(Math.log2(2 ** 21 / Math.max(max - min, 2 ** -30))) : undefined);
  return { min, max, avoid, gap, include, grid: step, dtype };
}

/** Moves x out of every kink's neighbourhood, staying inside [min, max] when the room is there. */
function repair(x: number, min: number, max: number, avoid: readonly number[], gap: number): number {
  for (let pass = 0; pass <= avoid.length; pass++) {
    const k = avoid.find((p) => Math.abs(x - p) <= gap);
    if (k === undefined) return x;
    const up = k + 2 * gap;
    const down = k - 2 * gap;
    x = (x >= k && up <= max) || down < min ? up : down;
  }
  return x;
}

/** The raw element arbitrary of the options and the repair (kinks, float32 rounding) applied to drawn values. */
/** @internal */
export function elementsOf(op: string, options: ValueOptions) {
  const { min, max, avoid, gap, include, grid, dtype } = checkValueOptions(op, options);
  const base: fc.Arbitrary<number> =
    grid === undefined
      ? fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
      : fc.integer({ min: Math.ceil(min * grid), max: Math.floor(max * grid) }).map((k) => k / grid);
  const element =
    include.length === 0
      ? base
      : fc.oneof({ arbitrary: base, weight: 4 }, { arbitrary: fc.constantFrom(...include), weight: 1 });
  const round = dtype === "float32" ? Math.fround : (x: number) => x;
  const finish = (xs: readonly number[]) =>
    xs.map((x) => round(include.includes(x) ? x : repair(x, min, max, avoid, gap)));
  return { element, finish };
}

/**
 * Exactly `n` element values. Values away from kinks are obtained by repairing (`.map`), never by
 * filtering: fast-check's doubles favour small magnitudes and special values, so filtering whole
 * arrays would reject nearly every draw.
 * @example fc.sample(floatValues(3, { min: -1, max: 1, avoid: [0] }), 1)
 */
export function floatValues(n: number, options: ValueOptions = {}): fc.Arbitrary<number[]> {
  if (!Number.isInteger(n) || n < 0) throw new ValueError("floatValues", `n must be a non-negative integer, got ${n}`);
  checkOptionNames("floatValues", options, valueOptionNames);
  return valuesOf("floatValues", n, options);
}

/** `n` values as `options` say (which may hold floatTensor's other options too). */
function valuesOf(op: string, n: number, options: ValueOptions): fc.Arbitrary<number[]> {
  const { element, finish } = elementsOf(op, options);
  return fc.array(element, { minLength: n, maxLength: n }).map(finish);
}

/**
 * One value drawn as `ValueOptions` say (spread over [min, max] by default, kinks avoided or
 * included), for properties of scalars such as a learning rate or a coefficient.
 * @example test.prop([floatValue({ min: -3, max: 3 })])("...", (c) => { ... });
 */
export function floatValue(options: ValueOptions = {}): fc.Arbitrary<number> {
  checkOptionNames("floatValue", options, valueOptionNames);
  const { element, finish } = elementsOf("floatValue", options);
  return element.map((x) => finish([x])[0]);
}

/** Where a tensor arbitrary takes its shape from: a fixed shape, an arbitrary of shapes, or shape bounds. */
export type ShapeSource = readonly number[] | fc.Arbitrary<number[]> | ShapeOptions;

/** Duck-typed rather than instanceof: the caller's fast-check may be another copy of the package. */
function isArbitrary(source: ShapeSource): source is fc.Arbitrary<number[]> {
  return (
    typeof source === "object" && source !== null && typeof (source as { generate?: unknown }).generate === "function"
  );
}

/** Options of `floatTensor`: the shape, how values are drawn, and whether the tensor is a grad leaf. */
export interface FloatTensorOptions extends ValueOptions {
  /** A fixed shape, an arbitrary of shapes, or bounds for `shape()` (default: rank ≤ 3, dims ≤ 4). */
  shape?: ShapeSource;
  /** Make each tensor a leaf that requires grad. */
  requiresGrad?: boolean;
}

/** @internal A tensor of these values; each property run that receives it again gets a fresh copy. */
export function makeTensor(
  values: readonly number[],
  shape: readonly number[],
  dtype: DType,
  requiresGrad: boolean,
): Tensor {
  const kept = values.slice();
  return freshEachRun(() => {
    const data = dtype === "float64" ? new Float64Array(kept) : new Float32Array(kept);
    return tensor(data, { shape, requiresGrad });
  });
}

/**
 * Tensors with bounded shapes that shrink well: dims and a pool of values are drawn side by side
 * (not chained), the shape is fitted to the pool's length and the values are the pool's first
 * elements. Shrinking can then drop dims, remove any pool element (moving a culprit to the front)
 * and shrink values, so a failing case ends as a tensor of one or two elements.
 */
function pooledTensor(bounds: ShapeOptions, options: FloatTensorOptions): fc.Arbitrary<Tensor> {
  const { minRank, maxRank, minDim, maxDim, maxSize } = checkShapeBounds("floatTensor", bounds);
  const dtype = options.dtype ?? "float64";
  const largest = Math.min(maxSize, maxDim ** maxRank);
  const smallest = minDim >= 1 ? minDim ** minRank : 0;
  const dims = fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
  return fc.tuple(dims, valuePool(options, smallest, largest)).map(([d, p]) => {
    const shape = fitSize(d, minDim, Math.min(maxSize, Math.max(p.length, 1)));
    // Only when minDim is 0 or ≥ 2 can the shape need more values than the pool has: the cursor cycles.
    return new PoolCursor(p, dtype).tensor(shape, options.requiresGrad === true);
  });
}

/**
 * Tensors with a shape (bounds, a fixed shape or an arbitrary of shapes) and values drawn as
 * `ValueOptions` say. With bounds (the default: rank ≤ 3, dims ≤ 4) a failing case shrinks to a
 * tensor of one or two elements; with an arbitrary of shapes the values are drawn per shape (chain),
 * so shrinking the shape redraws them.
 * @example test.prop([floatTensor({ shape: { maxRank: 2 }, avoid: [0] })])("relu", (x) => { ... });
 */
export function floatTensor(options: FloatTensorOptions = {}): fc.Arbitrary<Tensor> {
  checkOptionNames("floatTensor", options, [...valueOptionNames, "shape", "requiresGrad"]);
  checkValueOptions("floatTensor", options);
  const dtype = options.dtype ?? "float64";
  if (options.requiresGrad !== undefined && typeof options.requiresGrad !== "boolean") {
    throw new ValueError("floatTensor", `requiresGrad must be true or false, got ${describe(options.requiresGrad)}`);
  }
  const requiresGrad = options.requiresGrad === true;
  const source: unknown = options.shape;
  if (source !== undefined && (source === null || typeof source !== "object")) {
    throw new ValueError(
      "floatTensor",
      `shape must be an array of dims, an arbitrary of shapes or shape bounds ({ maxRank, maxDim, … }), got ${describe(source)}`,
    );
  }
  if (source === undefined || (!Array.isArray(source) && !isArbitrary(source as ShapeSource))) {
    checkShapeBounds("floatTensor", (source ?? {}) as ShapeOptions, "shape");
    return pooledTensor((source ?? {}) as ShapeOptions, options);
  }
  const shapes = Array.isArray(source)
    ? fc.constant([...checkShape("floatTensor", source)])
    : (source as fc.Arbitrary<number[]>);
  return shapes.chain((s) =>
    valuesOf("floatTensor", sizeOfShape(s), options).map((values) => makeTensor(values, s, dtype, requiresGrad)),
  );
}

/**
 * float64 tensors (`floatTensor` with dtype float64).
 * @example fc.sample(float64Tensor({ shape: [2, 3], min: 0.1, max: 2 }), 1)
 */
export function float64Tensor(options: Omit<FloatTensorOptions, "dtype"> = {}): fc.Arbitrary<Tensor> {
  checkOptionNames("float64Tensor", options, [...valueOptionNames, "shape", "requiresGrad"]);
  return floatTensor({ ...options, dtype: "float64" });
}

/**
 * float32 tensors (`floatTensor` with dtype float32).
 * @example fc.sample(float32Tensor({ shape: [4], grid: 8 }), 1)
 */
export function float32Tensor(options: Omit<FloatTensorOptions, "dtype"> = {}): fc.Arbitrary<Tensor> {
  checkOptionNames("float32Tensor", options, [...valueOptionNames, "shape", "requiresGrad"]);
  return floatTensor({ ...options, dtype: "float32" });
}

/**
 * 0/1 labels Y of shape (rows, m) (course layout: one column per example); shrinks towards all zeros.
 * @example fc.sample(labels(5), 1) // e.g. tensor([[0, 1, 1, 0, 1]])
 */
export function labels(m: number, rows = 1, dtype: DType = "float64"): fc.Arbitrary<Tensor> {
  if (!Number.isInteger(m) || m < 1 || !Number.isInteger(rows) || rows < 1) {
    throw new ValueError("labels", `needs positive integer sizes, got shape ${formatShape([rows, m])}`);
  }
  if (dtype !== "float64" && dtype !== "float32") throw new ValueError("labels", `unknown dtype ${describe(dtype)}`);
  return fc
    .array(fc.integer({ min: 0, max: 1 }), { minLength: rows * m, maxLength: rows * m })
    .map((ys) => makeTensor(ys, [rows, m], dtype, false));
}
