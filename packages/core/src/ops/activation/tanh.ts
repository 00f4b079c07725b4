/** tanh: the hyperbolic tangent, a primitive so its derivative reuses the output. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { fusedGradValue, recordsGraph, unaryOp } from "../elementwise/elementwiseOp.js";
import { mul } from "../elementwise/mul.js";
import { sub } from "../elementwise/sub.js";

/** dz = da ∗ (1 − a²), with a = tanh(z) the saved output. */
export const tanhOp: OpDef<undefined> = {
  name: "tanh",
  saves: { inputs: false, output: true },
  formula: "da ∗ tanh′(z) = da ∗ (1 − a²)",
  // Fused into one pass unless the rule itself is being recorded (createGraph): same values.
  backward: (g, { output: a }) => [recordsGraph(g, a) ? mul(g, sub(1, mul(a, a))) : fusedGradValue("tanhGrad", g, a)],
  jvpFormula: "ż = ẋ ∗ (1 − z²)",
  jvp: ([t], { output: a }) => t && (recordsGraph(t, a) ? mul(t, sub(1, mul(a, a))) : fusedGradValue("tanhGrad", t, a)),
};

/** tanh(z) elementwise. */
export function tanh(z: TensorLike): Tensor {
  return unaryOp(tanhOp, "tanh", z);
}
