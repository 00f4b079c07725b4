/** sub: a − b with broadcasting. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { binaryOp } from "./elementwiseOp.js";
import { neg } from "./neg.js";

/** d(a − b) = dz for a, −dz for b. */
export const subOp: OpDef<undefined> = {
  name: "sub",
  saves: { inputs: false, output: false },
  formula: "dz, −dz",
  broadcasts: "all",
  backward: (g, { inputs }) => [g, inputs[1].requiresGrad ? neg(g) : null],
  jvpFormula: "ż = ȧ − ḃ",
  jvp: ([ta, tb]) => (tb === null ? ta : ta === null ? neg(tb) : sub(ta, tb)),
};

/**
 * a − b elementwise with numpy broadcasting.
 * @example sub(A2, Y) // dZ2 = A2 − Y
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(subOp, "sub", a, b);
}
