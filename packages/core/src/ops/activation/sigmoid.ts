/** sigmoid: σ(z) = 1 / (1 + e⁻ᶻ). A primitive (not exp/div composed) so σ(±800) is exact 1 or 0, never NaN. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { unaryOp } from "../elementwise/elementwiseOp.js";
import { mul } from "../elementwise/mul.js";
import { sub } from "../elementwise/sub.js";

/** dz = da ∗ a(1 − a), with a = σ(z) the saved output. */
export const sigmoidOp: OpDef<undefined> = {
  name: "sigmoid",
  saves: { inputs: false, output: true },
  formula: "da ∗ σ′(z) = da ∗ a(1 − a)",
  backward: (g, { output: a }) => [mul(g, mul(a, sub(1, a)))],
  fusedBackward: { kernel: "sigmoidGrad", reads: "output" },
  jvpFormula: "ż = ẋ ∗ z(1 − z)",
  // The engine runs fusedBackward's kernel instead when the tangent is not itself recorded (same bits).
  jvp: ([t], { output: a }) => t && mul(t, mul(a, sub(1, a))),
};

/** σ(z) = 1 / (1 + e⁻ᶻ) elementwise, stable for any z. */
export function sigmoid(z: TensorLike): Tensor {
  return unaryOp(sigmoidOp, "sigmoid", z);
}
