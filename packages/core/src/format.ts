/** Turning tensor data into nested arrays and readable text. */

import { readData } from "./autodiff/tracing.js";
import { formatShape, ShapeError } from "./errors.js";
import type { Shape } from "./shape.js";
import type { NestedArray, Tensor } from "./tensor.js";

/** Nested arrays (a number for a scalar) from flat row-major data. */
export function toNestedArray(data: ArrayLike<number>, shape: Shape): NestedArray {
  if (shape.length === 0) return data[0];
  const build = (axis: number, offset: number, stride: number): NestedArray[] => {
    const n = shape[axis];
    const inner = stride / (n || 1);
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = axis === shape.length - 1 ? data[offset + i] : build(axis + 1, offset + i * inner, inner);
    }
    return out;
  };
  let size = 1;
  for (const d of shape) size *= d;
  return build(0, 0, size);
}

/**
 * `tensor([[1,2],[3,4]], shape=(2,2), dtype=float64, name=W)`, eliding the middle of large tensors. Values print as JS
 * literals — `NaN`, `Infinity`, `-Infinity`, `-0` (JSON's `null` hid them) — and a float32 value as the shortest
 * decimal that reads back as the same float32 (`0.1`, not its double `0.10000000149011612`), as numpy's repr does.
 */
export function formatTensor(t: Tensor): string {
  const data = readData(t, "printing (toString)");
  const number = t.dtype === "float32" ? formatFloat32 : formatNumber;
  const values =
    t.size <= 100 ? nested(data, t.shape, number) : `[${Array.from(data.subarray(0, 6), number).join(", ")}, …]`;
  const name = t.name ? `, name=${t.name}` : "";
  const op = t.op ? `, op=${t.op}` : "";
  return `tensor(${values}, shape=${formatShape(t.shape)}, dtype=${t.dtype}${name}${op})`;
}

/** The values as nested brackets without spaces, `[[1,2],[3,4]]` (a bare number for a 0-d tensor). */
function nested(data: ArrayLike<number>, shape: Shape, number: (v: number) => string): string {
  const text = (value: NestedArray): string =>
    typeof value === "number" ? number(value) : `[${value.map(text).join(",")}]`;
  return text(toNestedArray(data, shape));
}

/** A double as JS prints it, keeping the sign of −0. */
function formatNumber(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

/** A float32 value as the shortest decimal that rounds back to it in float32. */
function formatFloat32(v: number): string {
  if (!Number.isFinite(v) || v === 0) return formatNumber(v);
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(v.toPrecision(digits));
    if (Math.fround(shortest) === v) return String(shortest);
  }
  return String(Number(v.toPrecision(9))); // 9 significant digits always identify a float32
}

/**
 * What Node's `console.log` and `util.inspect` print for a tensor (`Tensor.prototype[Symbol.for("nodejs.util.inspect.custom")]`):
 * the `toString()` text rather than the internal fields; inside jit, like `toString()`, a JitError for a traced tensor.
 */
export function inspectTensor(this: Tensor): string {
  return formatTensor(this);
}

/** The values of a tensor that must have rank `rank` as nested arrays (`op` names the caller in the ShapeError). */
export function toArrayOfRank(op: string, data: ArrayLike<number>, shape: Shape, rank: number): NestedArray {
  if (shape.length !== rank) throw new ShapeError(op, `needs a ${rank}-d tensor, got shape ${formatShape(shape)}`);
  return toNestedArray(data, shape);
}
