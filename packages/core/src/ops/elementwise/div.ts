/** div: a / b elementwise with broadcasting. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { addOptional } from "./add.js";
import { binaryOp } from "./elementwiseOp.js";
import { mul } from "./mul.js";
import { neg } from "./neg.js";

/** d(a / b) = dz / b for a, −dz ∗ a / b² for b. */
export const divOp: OpDef<undefined> = {
  name: "div",
  saves: { inputs: true, output: false },
  formula: "dz / b, −dz ∗ a / b²",
  broadcasts: "all",
  backward: (g, { inputs: [a, b] }) => [
    a.requiresGrad ? div(g, b) : null,
    b.requiresGrad ? neg(div(mul(g, a), mul(b, b))) : null,
  ],
  jvpFormula: "ż = ȧ / b − ḃ ∗ a / b²",
  jvp: ([ta, tb], { inputs: [a, b] }) => addOptional(ta && div(ta, b), tb && neg(div(mul(tb, a), mul(b, b)))),
};

/**
 * a / b elementwise with numpy broadcasting.
 * @example div(x, 400)
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(divOp, "div", a, b);
}
