/** tanh: the hyperbolic tangent, a primitive so its derivative reuses the output. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { unaryOp } from "../elementwise/elementwiseOp.js";
import { mul } from "../elementwise/mul.js";
import { sub } from "../elementwise/sub.js";

/** dz = da ∗ (1 − a²), with a = tanh(z) the saved output. */
export const tanhOp: OpDef<undefined> = {
  name: "tanh",
  saves: { inputs: false, output: true },
  formula: "da ∗ tanh′(z) = da ∗ (1 − a²)",
  backward: (g, { output: a }) => [mul(g, sub(1, mul(a, a)))],
  fusedBackward: { kernel: "tanhGrad", reads: "output" },
  jvpFormula: "ż = ẋ ∗ (1 − z²)",
  // The engine runs fusedBackward's kernel instead when the tangent is not itself recorded (same bits).
  jvp: ([t], { output: a }) => t && mul(t, sub(1, mul(a, a))),
};

/** tanh(z) elementwise. */
export function tanh(z: TensorLike): Tensor {
  return unaryOp(tanhOp, "tanh", z);
}
