/** abs: |x|. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { signOf } from "../trace/nonDifferentiable.js";
import { unaryOp } from "./elementwiseOp.js";
import { mul } from "./mul.js";

/** d|x| = dz ∗ sign(x), with sign(0) = 0 (the subgradient PyTorch and JAX use). */
export const absOp: OpDef<undefined> = {
  name: "abs",
  saves: { inputs: true, output: false },
  formula: "dz ∗ sign(x)",
  backward: (g, { inputs: [x] }) => [mul(g, signOf(x))],
  jvpFormula: "ż = ẋ ∗ sign(x)",
  jvp: ([t], { inputs: [x] }) => t && mul(t, signOf(x)),
};

/** |x| elementwise. */
export function abs(x: TensorLike): Tensor {
  return unaryOp(absOp, "abs", x);
}
