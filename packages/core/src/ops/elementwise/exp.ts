/** exp: eˣ. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { unaryOp } from "./elementwiseOp.js";
import { mul } from "./mul.js";

/** d eˣ = dz ∗ eˣ (reuses the output). */
export const expOp: OpDef<undefined> = {
  name: "exp",
  saves: { inputs: false, output: true },
  formula: "dz ∗ exp(x)",
  backward: (g, { output }) => [mul(g, output)],
  jvpFormula: "ż = ẋ ∗ z",
  jvp: ([t], { output }) => t && mul(t, output),
};

/** eˣ elementwise. */
export function exp(x: TensorLike): Tensor {
  return unaryOp(expOp, "exp", x);
}
