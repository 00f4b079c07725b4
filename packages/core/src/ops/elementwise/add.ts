/** add: a + b with broadcasting. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { binaryOp } from "./elementwiseOp.js";

/** d(a + b) = dz for a and for b (summed back over broadcast axes by the engine). */
export const addOp: OpDef<undefined> = {
  name: "add",
  saves: { inputs: false, output: false },
  formula: "dz",
  broadcasts: "all",
  backward: (g) => [g, g],
  jvpFormula: "ż = ȧ + ḃ",
  jvp: ([ta, tb]) => addOptional(ta, tb),
};

/**
 * a + b elementwise with numpy broadcasting.
 * @example add(W.matmul(X), b) // Z = W·X + b, b of shape (n, 1) broadcast over the m columns
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(addOp, "add", a, b);
}

/** a + b where either may be absent (null): sums the terms of a JVP rule, skipping inputs without a tangent. */
export function addOptional(a: Tensor | null, b: Tensor | null): Tensor | null {
  if (a === null) return b;
  return b === null ? a : add(a, b);
}
