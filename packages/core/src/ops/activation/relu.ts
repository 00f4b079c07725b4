/** relu: max(z, 0), a primitive for speed; its derivative at z = 0 is 0, as the course defines it. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { unaryOp, unaryValue } from "../elementwise/elementwiseOp.js";
import { mul } from "../elementwise/mul.js";

/** dz = da ∗ [z > 0] (0 at z = 0). */
export const reluOp: OpDef<undefined> = {
  name: "relu",
  saves: { inputs: true, output: false },
  formula: "da ∗ relu′(z) = da ∗ [z > 0]",
  backward: (g, { inputs: [z] }) => [mul(g, unaryValue("reluMask", z))],
  fusedBackward: { kernel: "reluGrad", reads: "input" },
  jvpFormula: "ż = ẋ ∗ [x > 0]",
  // The engine runs fusedBackward's kernel instead when the tangent is not itself recorded (same bits).
  jvp: ([t], { inputs: [z] }) => t && mul(t, unaryValue("reluMask", z)),
};

/** max(z, 0) elementwise. */
export function relu(z: TensorLike): Tensor {
  return unaryOp(reluOp, "relu", z);
}
