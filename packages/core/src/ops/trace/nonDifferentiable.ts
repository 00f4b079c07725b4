/** Non-differentiable primitives: comparisons, sign, stop-gradient and element counts, recorded only in tracing mode so a traced graph is complete. */
import { type OpDef, traceOnly } from "../../autodiff/node.js";
import type { BinaryKernel } from "../../kernels/binary.js";
import type { Tensor } from "../../tensor.js";
import { unaryValue } from "../elementwise/elementwiseOp.js";
import { scalar } from "../operand.js";
import type { OpName } from "../registry.js";

/** The comparison a `compare` node made. */
export type ComparisonKind = Extract<
  BinaryKernel,
  "greater" | "greaterEqual" | "less" | "lessEqual" | "equal" | "notEqual"
>;

/**
 * The definition of a primitive whose output is a constant to every transform: no gradient flows back through it and
 * it has no tangent (its rules are never reached: its outputs never require grad nor carry a tangent).
 */
function constantOp<A>(name: OpName, formula: string, inputs: number): OpDef<A> {
  return {
    name,
    saves: { inputs: false, output: false },
    formula,
    backward: () => new Array<null>(inputs).fill(null),
    jvpFormula: "ż = 0 (not differentiable)",
    jvp: () => null,
  };
}

/** A mask of 1/0 from comparing a and b (broadcast); gradients do not flow through it. */
export const compareOp = constantOp<{ readonly kind: ComparisonKind }>("compare", "none (a mask)", 2);

/** sign(x) ∈ {−1, 0, 1} (NaN stays NaN), the local derivative of |x|; not differentiable itself. */
export const signOp = constantOp<undefined>("sign", "none (a step function)", 1);

/** The value of x with no gradient flowing back (what `detach()` records while tracing). */
export const stopGradientOp = constantOp<undefined>("stopGradient", "none (gradient stopped)", 1);

/** The number of elements of x along `axes` as a scalar of x's dtype (mean's divisor): read from x's shape when run. */
export const sizeOp = constantOp<{ readonly axes: readonly number[] }>("size", "none (a count)", 1);

/** sign(x) elementwise, recorded while tracing (abs's backward rule). */
export function signOf(x: Tensor): Tensor {
  return traceOnly(signOp, unaryValue("sign", x), [x], undefined);
}

/** The product of x's dimensions along `axes`, as a scalar of x's dtype, recorded while tracing (mean's count). */
export function countOf(x: Tensor, axes: readonly number[]): Tensor {
  let count = 1;
  for (const a of axes) count *= x.shape[a];
  return traceOnly(sizeOp, scalar(count, x.dtype), [x], { axes });
}
