/** relu: max(z, 0), a primitive for speed; its derivative at z = 0 is 0, as the course defines it. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { greater } from "../elementwise/compare.js";
import { unaryOp } from "../elementwise/elementwiseOp.js";
import { mul } from "../elementwise/mul.js";

/** dz = da ∗ [z > 0] (0 at z = 0). */
export const reluOp: OpDef<undefined> = {
  name: "relu",
  saves: { inputs: true, output: false },
  formula: "da ∗ relu′(z) = da ∗ [z > 0]",
  // The mask is a recorded comparison so a traced graph (ONNX, jit) recomputes it; the engine uses fusedBackward's
  // kernel instead whenever the rule itself is not recorded (same bits).
  backward: (g, { inputs: [z] }) => [mul(g, greater(z, 0))],
  fusedBackward: { kernel: "reluGrad", reads: "input" },
  jvpFormula: "ż = ẋ ∗ [x > 0]",
  jvp: ([t], { inputs: [z] }) => t && mul(t, greater(z, 0)),
};

/** max(z, 0) elementwise. */
export function relu(z: TensorLike): Tensor {
  return unaryOp(reluOp, "relu", z);
}
