/** Elementwise ops composed from primitives: square, clip, clone. */
import { ValueError } from "../../errors.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { toTensor } from "../operand.js";
import { add } from "./add.js";
import { greater, less } from "./compare.js";
import { mul } from "./mul.js";
import { where } from "./where.js";

/** x² elementwise (x ∗ x, so its derivative 2x comes from mul's rule). */
export function square(x: TensorLike): Tensor {
  const t = toTensor("square", x);
  return mul(t, t);
}

/**
 * x limited to [min, max]; the gradient passes where min ≤ x ≤ max (as in PyTorch), 0 outside.
 * @example clip(A2, 1e-15, 1 - 1e-15)
 */
export function clip(x: TensorLike, min: number, max: number): Tensor {
  if (typeof min !== "number" || typeof max !== "number" || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new ValueError("clip", `needs numbers min ≤ max, got min=${String(min)}, max=${String(max)}`);
  }
  const t = toTensor("clip", x);
  return where(less(t, min), min, where(greater(t, max), max, t));
}

/** A copy that stays in the graph: gradients flow through it unchanged. Bit for bit, −0 included (np.copy). */
export function clone(x: Tensor): Tensor {
  return add(toTensor("clone", x), -0); // x + (−0) is x for every x; x + 0 turned −0 into +0
}
