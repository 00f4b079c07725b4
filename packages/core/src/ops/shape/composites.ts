/** Shape ops composed from reshape and concat: flatten, squeeze, expandDims, stack. */
import { formatShape, ShapeError, ValueError } from "../../errors.js";
import { checkRank, normalizeAxes, normalizeAxis } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { toTensor } from "../operand.js";
import { concat } from "./concat.js";
import { reshape } from "./reshape.js";

/** The elements as a 1-D tensor. */
export function flatten(x: Tensor): Tensor {
  return reshape(toTensor("flatten", x), [-1]);
}

/**
 * Removes size-1 axes (all of them, or the given ones, which must have size 1).
 * @example squeeze(db2) // (1,1) → ()
 */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  x = toTensor("squeeze", x);
  const axes =
    axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes("squeeze", axis, x.shape);
  for (const a of axes) {
    if (x.shape[a] !== 1) {
      throw new ShapeError("squeeze", `axis ${a} of ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`);
    }
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/**
 * Inserts a size-1 axis at `axis` (negative counts from the end of the result).
 * @example expandDims(v, 1) // (n,) → (n,1), a column
 */
export function expandDims(x: Tensor, axis: number): Tensor {
  x = toTensor("expandDims", x);
  const at = normalizeAxis("expandDims", axis, x.rank + 1, x.shape);
  const shape = x.shape.slice();
  shape.splice(at, 0, 1);
  checkRank("expandDims", shape);
  return reshape(x, shape);
}

/**
 * Stacks same-shaped tensors along a new axis.
 * @example stack([a, b], 0) // two (3,) vectors → (2,3)
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0)
    throw new ValueError("stack", "needs a non-empty array of tensors");
  tensors = tensors.map((t) => toTensor("stack", t));
  const first = tensors[0].shape;
  for (const t of tensors) {
    if (t.shape.length !== first.length || t.shape.some((d, i) => d !== first[i])) {
      throw new ShapeError(
        "stack",
        `all tensors need the same shape, got ${tensors.map((u) => formatShape(u.shape)).join(", ")}`,
      );
    }
  }
  // Checked here so a bad axis is reported as stack's, not expandDims's.
  const at = normalizeAxis("stack", axis, first.length + 1, first);
  return concat(
    tensors.map((t) => expandDims(t, at)),
    at,
  );
}
