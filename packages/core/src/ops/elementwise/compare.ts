/** Comparisons: masks of 1 and 0 with broadcasting; not differentiable (they record a node only in tracing mode). */
import { traceOnly } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { operands } from "../operand.js";
import { type ComparisonKind, compareOp } from "../trace/nonDifferentiable.js";
import { binaryValue } from "./elementwiseOp.js";

function compare(op: ComparisonKind, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(op, a, b);
  return traceOnly(compareOp, binaryValue(op, op, ta, tb), [ta, tb], { kind: op });
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
