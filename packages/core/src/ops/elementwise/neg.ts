/** neg: −x. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { unaryOp } from "./elementwiseOp.js";

/** d(−x) = −dz. */
export const negOp: OpDef<undefined> = {
  name: "neg",
  saves: { inputs: false, output: false },
  formula: "−dz",
  backward: (g) => [neg(g)],
  jvpFormula: "ż = −ẋ",
  jvp: ([t]) => t && neg(t),
};

/** −x elementwise. */
export function neg(x: TensorLike): Tensor {
  return unaryOp(negOp, "neg", x);
}
