/** mul: a ∗ b elementwise with broadcasting. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { addOptional } from "./add.js";
import { binaryOp, productRuleValue } from "./elementwiseOp.js";

/** d(a ∗ b) = dz ∗ b for a, dz ∗ a for b. */
export const mulOp: OpDef<undefined> = {
  name: "mul",
  saves: { inputs: true, output: false },
  formula: "dz ∗ b, dz ∗ a",
  broadcasts: "all",
  backward: (g, { inputs: [a, b] }) => [a.requiresGrad ? mul(g, b) : null, b.requiresGrad ? mul(g, a) : null],
  jvpFormula: "ż = ȧ ∗ b + a ∗ ḃ",
  // Fused into one pass when nothing records it and the shapes agree (the chain rule's common case): same values.
  jvp: ([ta, tb], { inputs: [a, b] }) =>
    (ta && tb && productRuleValue(ta, b, a, tb)) ?? addOptional(ta && mul(ta, b), tb && mul(a, tb)),
};

/**
 * a ∗ b elementwise with numpy broadcasting.
 * @example mul(x, 0.01)
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(mulOp, "mul", a, b);
}
