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

/** Formats a shape the way error messages print it: `(4,3)`, `()` for a scalar. */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(",")})`;
}
