/** Comparisons: masks of 1 and 0 with broadcasting; not differentiable (they record no node). */
import type { BinaryKernel } from "../../kernels/binary.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { operands } from "../operand.js";
import { binaryValue } from "./elementwiseOp.js";

function compare(op: BinaryKernel, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(op, a, b);
  return binaryValue(op, op, ta, tb);
}

/** Mask of a > b (1 where true, 0 elsewhere). */
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare("greater", a, b);
/** Mask of a ≥ b. */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare("greaterEqual", a, b);
/** Mask of a < b. */
export const less = (a: TensorLike, b: TensorLike): Tensor => compare("less", a, b);
/** Mask of a ≤ b. */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare("lessEqual", a, b);
/** Mask of a = b. */
export const equal = (a: TensorLike, b: TensorLike): Tensor => compare("equal", a, b);
/** Mask of a ≠ b. */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare("notEqual", a, b);
