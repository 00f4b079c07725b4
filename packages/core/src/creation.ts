/** Creating tensors: from nested arrays or typed arrays, constant fills, ranges, identity, random draws. */
import { checkOptionKeys, describeValue, formatShape, ShapeError, ValueError } from "./errors.js";
import { allocateFor, checkDType as checkDTypeName, type DType, type FloatArray } from "./kernels/floatArray.js";
import { type RandomState, toRandomState } from "./random/randomState.js";
import { checkShape, checkSize, type Shape, sizeOf } from "./shape.js";
import { type NestedArray, Tensor } from "./tensor.js";

/** Options shared by the creation functions. */
export interface TensorOptions {
  /** `"float64"` (default) or `"float32"`. */
  dtype?: DType;
  /** Make the tensor a leaf that gradients flow to. */
  requiresGrad?: boolean;
  /** A label for errors and graph output. */
  name?: string;
}

/** Options of `tensor()`: the shape is needed for flat typed-array data. */
export interface TensorDataOptions extends TensorOptions {
  shape?: readonly number[];
}

/** Numeric typed arrays accepted as data. */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Uint8ClampedArray;

function checkDType(op: string, dtype: unknown): DType {
  return dtype === undefined ? "float64" : checkDTypeName(op, dtype);
}

const OPTION_KEYS = ["dtype", "requiresGrad", "name"];

/**
 * Checks an options argument: an object whose keys the op knows (numpy's TypeError for an unexpected keyword), with a
 * boolean `requiresGrad` and a string `name`. A misspelt key (`requires_grad`) or a bare dtype string was ignored.
 */
function checkOptions(op: string, options: unknown, keys: readonly string[] = OPTION_KEYS): void {
  if (options === undefined) return;
  checkOptionKeys(op, options, keys, '{ dtype: "float32" }');
  const { requiresGrad, name } = options as TensorOptions;
  if (requiresGrad !== undefined && typeof requiresGrad !== "boolean") {
    throw new ValueError(op, `requiresGrad must be true or false, got ${describeValue(requiresGrad)}`);
  }
  if (name !== undefined && typeof name !== "string") {
    throw new ValueError(op, `name must be a string, got ${describeValue(name)}`);
  }
}

function make(data: FloatArray, shape: Shape, options: TensorOptions | undefined): Tensor {
  return new Tensor(data, shape, options?.requiresGrad === true, options?.name);
}

/** An array, or a numeric typed array as a row of nested data (`tensor([f32row, f32row])`, as np.array of arrays). */
function isRow(v: unknown): v is ArrayLike<unknown> {
  return (
    Array.isArray(v) ||
    (ArrayBuffer.isView(v) && !(v instanceof DataView || v instanceof BigInt64Array || v instanceof BigUint64Array))
  );
}

/** Infers the shape of nested arrays, checking they are rectangular and hold only numbers. */
function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: unknown = data;
  while (isRow(level)) {
    shape.push(level.length);
    level = level[0];
    // numpy's limit (NPY_MAXDIMS); deeper nesting would overflow the stack of the recursive copy below.
    if (shape.length > 64)
      throw new ValueError("tensor", "nested arrays more than 64 deep (numpy's limit on dimensions)");
  }
  return shape;
}

function flattenInto(
  op: string,
  value: unknown,
  shape: Shape,
  axis: number,
  out: FloatArray,
  offset: number,
  path: number[],
): number {
  if (axis === shape.length) {
    if (typeof value === "number") out[offset] = value;
    else if (typeof value === "boolean") out[offset] = value ? 1 : 0;
    else {
      const where = path.length ? ` at [${path.join("][")}]` : "";
      const hint = value instanceof Tensor ? "; join tensors with stack() or concat()" : "";
      throw new ValueError(op, `data must hold numbers; found ${describeValue(value)}${where}${hint}`);
    }
    return offset + 1;
  }
  if (!isRow(value) || value.length !== shape[axis]) {
    const got = isRow(value) ? `length ${value.length}` : describeValue(value);
    throw new ValueError(
      op,
      `ragged nested array: at [${path.join("][")}] expected an array of length ${shape[axis]}, got ${got}`,
    );
  }
  let next = offset;
  for (let i = 0; i < value.length; i++) {
    path.push(i);
    next = flattenInto(op, value[i], shape, axis + 1, out, next, path);
    path.pop();
  }
  return next;
}

/**
 * A tensor from nested arrays, a number, or a typed array (flat row-major; pass its shape). Nested arrays may hold
 * numeric typed arrays as rows (`tensor([row0, row1])` with Float32Array rows is (2,n) float64 unless `dtype` says).
 * @example
 * const X = tensor([[1, 2, 3], [4, 5, 6]]);                  // (2,3) float64
 * const b = tensor(new Float32Array(4), [4, 1]);             // (4,1) float32
 * const W = tensor([[0.1, 0.2]], { requiresGrad: true, name: "W" });
 */
export function tensor(
  data: NestedArray | NumericArray | readonly NumericArray[],
  shapeOrOptions?: readonly number[] | TensorDataOptions,
): Tensor {
  if (shapeOrOptions != null && typeof shapeOrOptions !== "object") {
    throw new ValueError(
      "tensor",
      `the second argument must be a shape or an options object ({ shape, dtype, requiresGrad, name }), got ${describeValue(shapeOrOptions)}`,
    );
  }
  if (shapeOrOptions != null && !Array.isArray(shapeOrOptions)) {
    checkOptions("tensor", shapeOrOptions, ["shape", ...OPTION_KEYS]);
  }
  const options: TensorDataOptions = Array.isArray(shapeOrOptions)
    ? { shape: shapeOrOptions as readonly number[] }
    : ((shapeOrOptions as TensorDataOptions | undefined) ?? {});
  const explicit = options.shape;
  if (ArrayBuffer.isView(data)) {
    if (data instanceof DataView || data instanceof BigInt64Array || data instanceof BigUint64Array) {
      throw new ValueError(
        "tensor",
        `data must be a numeric typed array (not BigInt or DataView), got ${describeValue(data)}`,
      );
    }
    const dtype = options.dtype
      ? checkDType("tensor", options.dtype)
      : data instanceof Float32Array
        ? "float32"
        : "float64";
    const shape = explicit ?? [data.length];
    checkShape("tensor", shape);
    if (sizeOf(shape) !== data.length) {
      throw new ShapeError(
        "tensor",
        `typed array of ${data.length} elements does not fit shape ${formatShape(shape)} (${sizeOf(shape)} elements)`,
      );
    }
    const out = allocateFor("tensor", dtype, shape);
    out.set(data);
    return make(out, shape.slice(), options);
  }
  if (data instanceof Tensor) {
    throw new ValueError(
      "tensor",
      "data must be nested arrays of numbers, a number or a typed array; got a Tensor: copy it with x.clone() (x.detach() to drop its graph)",
    );
  }
  if (typeof data !== "number" && typeof data !== "boolean" && !Array.isArray(data)) {
    throw new ValueError(
      "tensor",
      `data must be nested arrays of numbers, a number or a typed array; got ${describeValue(data)}`,
    );
  }
  const dtype = checkDType("tensor", options.dtype);
  const inferred = inferShape(data);
  const out = allocateFor("tensor", dtype, inferred);
  flattenInto("tensor", data, inferred, 0, out, 0, []);
  if (explicit) {
    checkShape("tensor", explicit);
    if (sizeOf(explicit) !== out.length) {
      throw new ShapeError(
        "tensor",
        `data of shape ${formatShape(inferred)} (${out.length} elements) does not fit shape ${formatShape(explicit)}`,
      );
    }
  }
  return make(out, explicit ? explicit.slice() : inferred, options);
}

/**
 * A tensor of `shape` filled with `value`.
 * @example full([4, 1], 0.5)
 */
export function full(shape: readonly number[], value: number, options?: TensorOptions): Tensor {
  return filled("full", shape, value, options);
}

/** full, its checks naming `op` (the function the user called: full, zeros or ones). */
function filled(op: string, shape: readonly number[], value: number, options?: TensorOptions): Tensor {
  checkShape(op, shape);
  checkOptions(op, options);
  if (typeof value !== "number") throw new ValueError(op, `fill value must be a number, got ${describeValue(value)}`);
  const out = allocateFor(op, checkDType(op, options?.dtype), shape);
  if (!Object.is(value, 0)) out.fill(value); // −0 fills too, as np.full(shape, -0.0)
  return make(out, shape.slice(), options);
}

/** Zeros of `shape` (e.g. the course's b = zeros((n_h, 1))). */
export function zeros(shape: readonly number[], options?: TensorOptions): Tensor {
  return filled("zeros", shape, 0, options);
}

/** Ones of `shape`. */
export function ones(shape: readonly number[], options?: TensorOptions): Tensor {
  return filled("ones", shape, 1, options);
}

/** Zeros with x's shape (and dtype unless given). */
export function zerosLike(x: Tensor, options?: TensorOptions): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError("zerosLike", `expected a Tensor, got ${describeValue(x)}`);
  checkOptions("zerosLike", options);
  return zeros(x.shape, { ...options, dtype: options?.dtype ?? x.dtype }); // { dtype: undefined } keeps x's
}

/** Ones with x's shape (and dtype unless given). */
export function onesLike(x: Tensor, options?: TensorOptions): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError("onesLike", `expected a Tensor, got ${describeValue(x)}`);
  checkOptions("onesLike", options);
  return ones(x.shape, { ...options, dtype: options?.dtype ?? x.dtype });
}

/**
 * Evenly spaced values in [start, stop) with `step`, as numpy.arange: arange(5), arange(1, 4), arange(0, 1, 0.25).
 * Computed as numpy does, bit for bit: the first two values are start and start + step, and the rest
 * start + i·δ with δ = (start + step) − start (which may differ from step in the last bit), in the dtype's arithmetic.
 */
export function arange(start: number, stop?: number, step = 1, options?: TensorOptions): Tensor {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (![from, to, step].every(Number.isFinite) || step === 0) {
    const got = [from, to, step].map(describeNumber).join(", ");
    const hint = [stop, step].some((v) => typeof v === "object" && v !== null)
      ? `; options go fourth: arange(0, ${describeNumber(from)}, 1, { dtype })`
      : "";
    throw new ValueError("arange", `needs finite start, stop and a non-zero step, got ${got}${hint}`);
  }
  checkOptions("arange", options);
  const quotient = (to - from) / step;
  // numpy: a non-zero span whose quotient underflows to ±0 is one element (+0) or none (−0).
  const n = quotient === 0 && to !== from ? (Object.is(quotient, 0) ? 1 : 0) : Math.max(0, Math.ceil(quotient));
  const dtype = checkDType("arange", options?.dtype);
  checkSize("arange", [n]);
  const out = allocateFor("arange", dtype, [n]);
  if (n > 0) out[0] = from;
  if (n > 1) out[1] = from + step;
  // numpy's fill (arraytypes.c.src): δ = buffer[1] − buffer[0] and buffer[i] = buffer[0] + i·δ, in the dtype.
  const first = out[0];
  const delta = dtype === "float32" ? Math.fround(out[1] - first) : out[1] - first;
  if (dtype === "float32") for (let i = 2; i < n; i++) out[i] = first + Math.fround(Math.fround(i) * delta);
  else for (let i = 2; i < n; i++) out[i] = first + i * delta;
  return make(out, [n], options);
}

/** Options of `linspace`: the creation options and numpy's `endpoint`. */
export interface LinspaceOptions extends TensorOptions {
  /** Include `stop` as the last point (default true); false gives numpy's `endpoint=False`: step (stop − start)/num. */
  endpoint?: boolean;
}

/**
 * `num` evenly spaced values from start to stop inclusive, computed as numpy does
 * (start + i·step, the last point exactly `stop`), so data generators reproduce numpy bit for bit.
 * With `{ endpoint: false }` the values stop short of `stop`, as `np.linspace(start, stop, num, endpoint=False)`.
 * @example linspace(0, 1, 5, { endpoint: false }) // [0, 0.2, 0.4, 0.6000000000000001, 0.8]
 */
export function linspace(start: number, stop: number, num = 50, options?: LinspaceOptions): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError("linspace", `num must be a non-negative integer, got ${describeNumber(num)}`);
  if (typeof start !== "number" || typeof stop !== "number") {
    throw new ValueError(
      "linspace",
      `start and stop must be numbers, got ${describeValue(start)} and ${describeValue(stop)}`,
    );
  }
  checkOptions("linspace", options, ["endpoint", ...OPTION_KEYS]);
  const endpoint = options?.endpoint ?? true;
  if (typeof endpoint !== "boolean")
    throw new ValueError("linspace", `endpoint must be true or false, got ${describeValue(endpoint)}`);
  checkSize("linspace", [num]);
  const out = allocateFor("linspace", checkDType("linspace", options?.dtype), [num]);
  // numpy's function_base.linspace: i·step + start, or (i/div)·delta + start when step underflows to 0; stop last.
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = delta / div;
  if (div > 0 && step !== 0) for (let i = 0; i < num; i++) out[i] = i * step + start;
  else if (div > 0) for (let i = 0; i < num; i++) out[i] = (i / div) * delta + start;
  else if (num === 1) out[0] = 0 * delta + start;
  if (endpoint && num > 1) out[num - 1] = stop;
  return make(out, [num], options);
}

/** A number as itself, anything else described (so a string "3" does not print as 3). */
function describeNumber(v: unknown): string {
  return typeof v === "number" ? String(v) : describeValue(v);
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, options?: TensorOptions): Tensor {
  checkShape("eye", [n, m]);
  checkOptions("eye", options);
  const out = allocateFor("eye", checkDType("eye", options?.dtype), [n, m]);
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return make(out, [n, m], options);
}

/**
 * Standard normal draws of `shape`, row-major, from numpy's legacy generator: `randn([4, 2], 2)`
 * equals `np.random.seed(2); np.random.randn(4, 2)` bit for bit. Pass a RandomState to continue its stream.
 */
export function randn(shape: readonly number[], seedOrState: number | RandomState, options?: TensorOptions): Tensor {
  checkShape("randn", shape);
  checkOptions("randn", options);
  const out = allocateFor("randn", checkDType("randn", options?.dtype), shape);
  toRandomState(seedOrState, "randn").fillStandardNormal(out);
  return make(out, shape.slice(), options);
}

/** Uniform draws in [0, 1) of `shape`, as `np.random.rand`. */
export function rand(shape: readonly number[], seedOrState: number | RandomState, options?: TensorOptions): Tensor {
  checkShape("rand", shape);
  checkOptions("rand", options);
  const out = allocateFor("rand", checkDType("rand", options?.dtype), shape);
  toRandomState(seedOrState, "rand").fillRandomSample(out);
  return make(out, shape.slice(), options);
}
