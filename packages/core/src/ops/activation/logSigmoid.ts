/** logSigmoid: log σ(z), a primitive for stability: log σ(−800) is −800, not −Infinity. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { unaryOp } from "../elementwise/elementwiseOp.js";
import { mul } from "../elementwise/mul.js";
import { neg } from "../elementwise/neg.js";
import { sigmoid } from "./sigmoid.js";

/** d log σ(z) = dz ∗ (1 − σ(z)) = dz ∗ σ(−z). */
export const logSigmoidOp: OpDef<undefined> = {
  name: "logSigmoid",
  saves: { inputs: true, output: false },
  formula: "dz ∗ σ(−z)",
  backward: (g, { inputs: [z] }) => [mul(g, sigmoid(neg(z)))],
  fusedBackward: { kernel: "logSigmoidGrad", reads: "input" },
  jvpFormula: "ż = ẋ ∗ σ(−x)",
  // The engine runs fusedBackward's kernel instead when the tangent is not itself recorded (same bits).
  jvp: ([t], { inputs: [z] }) => t && mul(t, sigmoid(neg(z))),
};

/** log σ(z) = min(z, 0) − log1p(e^(−|z|)) elementwise. */
export function logSigmoid(z: TensorLike): Tensor {
  return unaryOp(logSigmoidOp, "logSigmoid", z);
}
