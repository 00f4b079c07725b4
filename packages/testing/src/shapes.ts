/** Arbitraries for tensor shapes: bounded rank and size, and tuples of broadcast-compatible shapes. */
import { ValueError } from "@backprop/core";
import fc from "fast-check";

/** Bounds of a generated shape. */
export interface ShapeOptions {
  /** Smallest rank (default 0, a scalar). */
  minRank?: number;
  /** Largest rank (default 3). */
  maxRank?: number;
  /** Smallest dimension (default 1; 0 allows empty tensors). */
  minDim?: number;
  /** Largest dimension (default 4). */
  maxDim?: number;
  /** Largest number of elements (default: unbounded); larger shapes are repaired by shrinking their biggest dims. */
  maxSize?: number;
}

/** @internal A bad argument as error messages print it: `null`, `the string "x"`, `an array`, `number 3`. */
export function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return "an array";
  if (typeof x === "string") return `the string "${x}"`;
  if (typeof x === "object") return `an object (${Object.prototype.toString.call(x).slice(8, -1)})`;
  return `${typeof x} ${String(x)}`;
}

/**
 * @internal Throws a ValueError naming `op` unless `options` is an object whose keys are all in `names`: a misspelt
 * option (`maxrank`) would otherwise be ignored and the default silently used.
 */
export function checkOptionNames(op: string, options: unknown, names: readonly string[], what = "options"): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ValueError(op, `${what} must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!names.includes(key))
      throw new ValueError(op, `unknown option '${key}' in ${what}: ${op} takes { ${names.join(", ")} }`);
  }
}

/** The names of `ShapeOptions`. */
export const shapeOptionNames = ["minRank", "maxRank", "minDim", "maxDim", "maxSize"] as const;

/** @internal Throws a ValueError naming `op` unless `shape` is an array of non-negative integers. */
export function checkShape(op: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
    const got = Array.isArray(shape) ? `[${shape.map((d) => String(d)).join(",")}]` : describe(shape);
    throw new ValueError(op, `shape must be an array of non-negative integers, got ${got}`);
  }
  return shape;
}

export function checkShapeBounds(op: string, options: ShapeOptions, what = "options"): Required<ShapeOptions> {
  checkOptionNames(op, options, shapeOptionNames, what);
  const { minRank = 0, maxRank = 3, minDim = 1, maxDim = 4, maxSize = Number.POSITIVE_INFINITY } = options;
  const ints = { minRank, maxRank, minDim, maxDim };
  for (const [name, v] of Object.entries(ints)) {
    if (!Number.isInteger(v) || v < 0) throw new ValueError(op, `${name} must be a non-negative integer, got ${v}`);
  }
  if (minRank > maxRank) throw new ValueError(op, `minRank ${minRank} exceeds maxRank ${maxRank}`);
  if (minDim > maxDim) throw new ValueError(op, `minDim ${minDim} exceeds maxDim ${maxDim}`);
  if (!(maxSize >= Math.max(minDim, 1) ** minRank)) {
    throw new ValueError(op, `maxSize ${maxSize} is below the smallest possible size ${minDim ** minRank}`);
  }
  return { minRank, maxRank, minDim, maxDim, maxSize };
}

/** @internal Lowers the largest dims (never below minDim) until the size fits; keeps shrinking monotone. */
export function fitSize(shape: number[], minDim: number, maxSize: number): number[] {
  const out = shape.slice();
  const size = () => out.reduce((a, b) => a * b, 1);
  while (size() > maxSize) {
    let k = 0;
    for (let i = 1; i < out.length; i++) if (out[i] > out[k]) k = i;
    if (out[k] <= Math.max(minDim, 1)) break;
    out[k] -= 1;
  }
  return out;
}

/**
 * A shape (list of dims). Dims are drawn first and independently, so a failing case shrinks to a
 * low rank with dims of 1.
 * @example fc.sample(shape({ maxRank: 2, maxDim: 3 }), 3) // e.g. [[2, 3], [], [1]]
 */
export function shape(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank, maxRank, minDim, maxDim, maxSize } = checkShapeBounds("shape", options);
  const dims = fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
  return Number.isFinite(maxSize) ? dims.map((s) => fitSize(s, minDim, maxSize)) : dims;
}

/**
 * `count` shapes that broadcast together (numpy rules): a result shape is drawn, then each operand
 * drops some leading axes and sets some dims to 1 (shrinking goes back to the full shape).
 * @example fc.sample(broadcastableShapes(2), 1) // e.g. [[[3, 2], [1, 2]]]
 */
export function broadcastableShapes(count = 2, options: ShapeOptions = {}): fc.Arbitrary<number[][]> {
  if (!Number.isInteger(count) || count < 1) {
    throw new ValueError("broadcastableShapes", `count must be a positive integer, got ${count}`);
  }
  return shape(options).chain((full) =>
    fc
      .array(
        fc.tuple(
          fc.integer({ min: 0, max: full.length }),
          fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
        ),
        { minLength: count, maxLength: count },
      )
      .map((reductions) => reductions.map(([drop, ones]) => full.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)))),
  );
}

/**
 * A pair of broadcast-compatible shapes, as a tuple.
 * @example test.prop([broadcastablePair()])("add broadcasts", ([a, b]) => { ... });
 */
export function broadcastablePair(options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return broadcastableShapes(2, options).map(([a, b]) => [a, b]);
}

/** The number of elements of a shape. */
export function sizeOfShape(shape: readonly number[]): number {
  return checkShape("sizeOfShape", shape).reduce((a, b) => a * b, 1);
}
