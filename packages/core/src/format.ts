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

/** `tensor([[1, 2], [3, 4]], shape=(2,2), dtype=float64, name=W)`, eliding the middle of large tensors. */
export function formatTensor(t: Tensor): string {
  readData(t, "printing (toString)");
  const values = t.size <= 100 ? JSON.stringify(t.toArray()) : `[${Array.from(t.data.subarray(0, 6)).join(", ")}, …]`;
  const name = t.name ? `, name=${t.name}` : "";
  const op = t.op ? `, op=${t.op}` : "";
  return `tensor(${values}, shape=${formatShape(t.shape)}, dtype=${t.dtype}${name}${op})`;
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
