/** log: natural logarithm. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { div } from "./div.js";
import { unaryOp } from "./elementwiseOp.js";

/** d log x = dz / x. */
export const logOp: OpDef<undefined> = {
  name: "log",
  saves: { inputs: true, output: false },
  formula: "dz / x",
  backward: (g, { inputs: [x] }) => [div(g, x)],
  jvpFormula: "ż = ẋ / x",
  jvp: ([t], { inputs: [x] }) => t && div(t, x),
};

/** Natural logarithm elementwise: log(0) = −Infinity, log of a negative number is NaN (as in numpy). */
export function log(x: TensorLike): Tensor {
  return unaryOp(logOp, "log", x);
}
