/** sqrt: √x. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { div } from "./div.js";
import { unaryOp } from "./elementwiseOp.js";
import { mul } from "./mul.js";

/** d √x = dz / (2√x) (reuses the output; infinite at x = 0). */
export const sqrtOp: OpDef<undefined> = {
  name: "sqrt",
  saves: { inputs: false, output: true },
  formula: "dz / (2 √x)",
  backward: (g, { output }) => [div(g, mul(output, 2))],
  jvpFormula: "ż = ẋ / (2 z)",
  jvp: ([t], { output }) => t && div(t, mul(output, 2)),
};

/** √x elementwise (NaN for negative x, as in numpy). */
export function sqrt(x: TensorLike): Tensor {
  return unaryOp(sqrtOp, "sqrt", x);
}
