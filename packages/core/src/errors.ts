/** Typed errors thrown by backprop: each names the op and the shapes or values involved. */

/** Base class of every error backprop throws on bad input or misuse. */
export class BackpropError extends Error {
  /** The op (or API function) that rejected its input, e.g. `"matmul"`. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = new.target.name;
    this.op = op;
  }
}

/** Shapes that do not fit the op: broadcasting, matmul inner dimensions, reshape sizes, axes. */
export class ShapeError extends BackpropError {}

/** A dtype the op cannot take (e.g. an unknown dtype name). */
export class DTypeError extends BackpropError {}

/** Input data or arguments that are not what the op needs: non-numbers, ragged arrays, bad seeds, bad options. */
export class ValueError extends BackpropError {}

/** Misuse of the autodiff engine: backward without a grad, backward twice, a mutated saved tensor. */
export class AutodiffError extends BackpropError {}

/**
 * Misuse of `jit`: reading a traced tensor's values inside the jitted function (`item()`, `toArray()`, `data`,
 * printing), or a primitive the compiler does not handle. The message says what was read and how to fix it.
 */
export class JitError extends BackpropError {}

/**
 * Throws a ValueError naming `op` unless `options` is an object whose keys are all in `names` (a misspelt option must
 * not be ignored and its default silently used). `example` shows a valid object in the message, e.g. "{ argnums: 1 }".
 */
export function checkOptionKeys(op: string, options: unknown, names: readonly string[], example: string): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ValueError(op, `options must be an object such as ${example}, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) throw new ValueError(op, `unknown option '${key}': ${op} takes { ${names.join(", ")} }`);
  }
}

/** Describes a bad argument for an error message: `null`, `the string "x"`, `an array (wrap it with tensor())` … */
export function describeValue(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return "an array (wrap it with tensor())";
  if (typeof x === "string") return `the string "${x}"`;
  if (typeof x === "object") {
    const tag = Object.prototype.toString.call(x).slice(8, -1);
    // A class instance (a Tensor, say) shows its class rather than "Object".
    const ctor = tag === "Object" ? (x as { constructor?: { name?: unknown } }).constructor?.name : undefined;
    return `an object (${typeof ctor === "string" && ctor !== "" ? ctor : tag})`;
  }
  return `${typeof x} ${String(x)}`;
}

/** Formats a shape the way error messages print it: `(4,3)`, `()` for a scalar. */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(",")})`;
}

/**
 * The multi-index of flat (row-major) position `i` in `shape`, as error messages print it: `(row,col)` for a
 * matrix, `(i)` for a vector, `()` for a scalar.
 * @example formatIndex(5, [2, 3]); // "(1,2)"
 */
export function formatIndex(i: number, shape: readonly number[]): string {
  const idx: number[] = new Array(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return `(${idx.join(",")})`;
}
