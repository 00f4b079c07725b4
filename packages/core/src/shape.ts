/** Shape arithmetic shared by every op: sizes, strides, numpy broadcasting, axis normalisation. */
import { describeValue, formatShape, ShapeError, ValueError } from "./errors.js";

/** A tensor's dimensions, outermost first; `[]` is a scalar. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= shape[i];
  // Huge dimensions beside a 0 multiply to ∞·0 = NaN; such a tensor is empty.
  return size === size ? size : 0;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/** True when both shapes have the same rank and dimensions. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * numpy broadcasting: align trailing dimensions; each pair must be equal or contain a 1.
 * @example broadcastShapes("add", [4, 1], [3]) // [4, 3]
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): Shape {
  if (!Array.isArray(a) || !Array.isArray(b)) expectArray(op, "each shape", Array.isArray(a) ? b : a, "an array");
  if (shapesEqual(a, b)) return a;
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        `shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together: dimension ${da} and ${db} differ (axis ${i} of the result)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read `shape` as if broadcast to `target`: 0 along broadcast axes.
 * `shape` must already be broadcast-compatible with `target`.
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const strides = stridesOf(shape);
  const offset = target.length - shape.length;
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[i + offset] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** Normalises one possibly negative axis for a tensor of the given rank, or throws naming the op. */
export function normalizeAxis(op: string, axis: number, rank: number, shape?: Shape): number {
  if (!Number.isInteger(axis)) {
    // numpy: TypeError ('float' object cannot be interpreted as an integer); "out of range" misled for 1.5 or [0, 1].
    const got = typeof axis === "number" ? String(axis) : describeValue(axis);
    throw new ValueError(op, `axis must be an integer, got ${got}`);
  }
  if (axis < -rank || axis >= rank) {
    // numpy's convention: a 0-d tensor has no axis at all (np.sum(np.float64(1), axis=0) raises).
    if (rank === 0) throw new ShapeError(op, `axis ${axis} given for a 0-d tensor, which has no axes`);
    const where = shape ? `a tensor of shape ${formatShape(shape)}` : `rank ${rank}`;
    throw new ShapeError(op, `axis ${axis} is out of range for ${where} (valid: ${-rank}..${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises an axis option (one axis, a list, or all axes when undefined) to sorted unique axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, shape: Shape): number[] {
  const rank = shape.length;
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axis === "number") return [normalizeAxis(op, axis, rank, shape)];
  expectArray(op, "axis", axis, "a number or an array of numbers");
  const list = axis;
  if (isIncreasingAxes(list, rank)) return list.slice(); // already normalised (e.g. from sumToShape)
  const seen = new Set<number>();
  for (const a of list) {
    const n = normalizeAxis(op, a, rank, shape);
    if (seen.has(n)) throw new ShapeError(op, `axis ${a} is repeated in [${list.join(",")}]`);
    seen.add(n);
  }
  return [...seen].sort((x, y) => x - y);
}

/** True for a strictly increasing list of integer axes in [0, rank): nothing to normalise. */
function isIncreasingAxes(list: readonly number[], rank: number): boolean {
  let prev = -1;
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (!Number.isInteger(a) || a <= prev || a >= rank) return false;
    prev = a;
  }
  return true;
}

/** The shape after reducing `axes`, keeping them as size-1 dimensions or dropping them. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/** The most elements a tensor can hold: the longest typed array JavaScript engines allocate (2³² here, in V8). */
export const MAX_ELEMENTS = 2 ** 32;

/** Checks that a shape is an array of non-negative integers with at most MAX_ELEMENTS elements in all. */
export function checkShape(op: string, shape: Shape): void {
  expectArray(op, "shape", shape, "an array of non-negative integers");
  checkRank(op, shape);
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== "number") {
      throw new ShapeError(op, `invalid shape [${shape.join(",")}]: dimension ${i} is ${describeValue(d)}`);
    }
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, `invalid shape [${shape.join(",")}]: dimensions must be non-negative integers`);
    }
    if (d > Number.MAX_SAFE_INTEGER) {
      throw new ShapeError(
        op,
        `invalid shape [${shape.join(",")}]: dimension ${d} is above 2^53 - 1 (numpy: maximum allowed dimension exceeded)`,
      );
    }
  }
  checkSize(op, shape);
}

/** numpy's limit on dimensions (NPY_MAXDIMS): a shape of more than 64 is a ShapeError naming `op`. */
export function checkRank(op: string, shape: Shape): void {
  if (shape.length > 64) {
    throw new ShapeError(op, `a shape of ${shape.length} dimensions; numpy's limit is 64`);
  }
}

/** Throws naming `op` when a tensor of `shape` would hold more than MAX_ELEMENTS elements. */
export function checkSize(op: string, shape: Shape): void {
  const size = sizeOf(shape);
  if (size > MAX_ELEMENTS) {
    throw new ShapeError(op, `shape ${formatShape(shape)} has ${size} elements, more than a tensor can hold (2^32)`);
  }
}

/**
 * A reduction's `keepdims` must be a boolean: an options object (`sum(x, 1, { keepdims: false })`, Python's keyword
 * style) or a string would otherwise count as true.
 */
export function checkKeepdims(op: string, keepdims: unknown): void {
  if (typeof keepdims !== "boolean") {
    throw new ValueError(
      op,
      `keepdims must be true or false, got ${describeValue(keepdims)}: pass it as the third argument, ${op}(x, 1, true)`,
    );
  }
}

/** Throws a ValueError naming `op` unless `value` (the argument called `what`) is an array. */
export function expectArray(op: string, what: string, value: unknown, expected: string): void {
  if (!Array.isArray(value)) throw new ValueError(op, `${what} must be ${expected}, got ${describeValue(value)}`);
}

/**
 * The Tensor constructor's check: `data` a Float64Array or Float32Array, `shape` non-negative integers whose
 * product is data's length. Returns the size.
 */
export function checkedSize(op: string, data: unknown, shape: Shape): number {
  if (!(data instanceof Float64Array) && !(data instanceof Float32Array)) {
    throw new ValueError(op, `data must be a Float64Array or a Float32Array, got ${describeValue(data)}; use tensor()`);
  }
  expectArray(op, "shape", shape, "an array of non-negative integers");
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isSafeInteger(d) || d < 0) checkShape(op, shape); // throws, naming the shape
    size *= d;
  }
  if (data.length !== size) {
    throw new ShapeError(op, `data has ${data.length} elements but shape ${formatShape(shape)} needs ${size}`);
  }
  return size;
}
