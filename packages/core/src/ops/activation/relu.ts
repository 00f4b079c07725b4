/** relu: max(z, 0), a primitive for speed; its derivative at z = 0 is 0, as the course defines it. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { greater } from "../elementwise/compare.js";
import { fusedGradValue, recordsGraph, unaryOp } from "../elementwise/elementwiseOp.js";
import { mul } from "../elementwise/mul.js";

/** dz = da ∗ [z > 0] (0 at z = 0). */
export const reluOp: OpDef<undefined> = {
  name: "relu",
  saves: { inputs: true, output: false },
  formula: "da ∗ relu′(z) = da ∗ [z > 0]",
  // Fused into one pass unless the rule itself is being recorded (createGraph): same values.
  backward: (g, { inputs: [z] }) => [recordsGraph(g, z) ? mul(g, greater(z, 0)) : fusedGradValue("reluGrad", g, z)],
};

/** max(z, 0) elementwise. */
export function relu(z: TensorLike): Tensor {
  return unaryOp(reluOp, "relu", z);
}
