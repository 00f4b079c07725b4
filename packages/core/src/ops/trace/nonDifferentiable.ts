/** Non-differentiable primitives: comparisons, sign, stop-gradient and element counts, recorded only in tracing mode so a traced graph is complete. */
import { type OpDef, traceOnly } from "../../autodiff/node.js";
import type { BinaryKernel } from "../../kernels/binary.js";
import type { Tensor } from "../../tensor.js";
import { unaryValue } from "../elementwise/elementwiseOp.js";
import { scalar } from "../operand.js";

/** The comparison a `compare` node made. */
export type ComparisonKind = Extract<
  BinaryKernel,
  "greater" | "greaterEqual" | "less" | "lessEqual" | "equal" | "notEqual"
>;

const noGradient = () => [null, null];
/** Their outputs are constants to every transform: no tangent in forward mode either. */
const zeroTangent = { jvpFormula: "ż = 0 (not differentiable)", jvp: () => null };

/** A mask of 1/0 from comparing a and b (broadcast); gradients do not flow through it. */
export const compareOp: OpDef<{ readonly kind: ComparisonKind }> = {
  name: "compare",
  saves: { inputs: false, output: false },
  formula: "none (a mask)",
  backward: noGradient,
  ...zeroTangent,
};

/** sign(x) ∈ {−1, 0, 1} (NaN stays NaN), the local derivative of |x|; not differentiable itself. */
export const signOp: OpDef<undefined> = {
  name: "sign",
  saves: { inputs: false, output: false },
  formula: "none (a step function)",
  backward: () => [null],
  ...zeroTangent,
};

/** The value of x with no gradient flowing back (what `detach()` records while tracing). */
export const stopGradientOp: OpDef<undefined> = {
  name: "stopGradient",
  saves: { inputs: false, output: false },
  formula: "none (gradient stopped)",
  backward: () => [null],
  ...zeroTangent,
};

/** The number of elements of x along `axes` as a scalar of x's dtype (mean's divisor): read from x's shape when run. */
export const sizeOp: OpDef<{ readonly axes: readonly number[] }> = {
  name: "size",
  saves: { inputs: false, output: false },
  formula: "none (a count)",
  backward: () => [null],
  ...zeroTangent,
};

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
