/** pow: aᵇ with broadcasting (scalar or tensor exponent). */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { equal } from "./compare.js";
import { binaryOp } from "./elementwiseOp.js";
import { log } from "./log.js";
import { mul } from "./mul.js";
import { sub } from "./sub.js";
import { where } from "./where.js";

/**
 * d aᵇ = dz ∗ b ∗ aᵇ⁻¹ for a; dz ∗ aᵇ ∗ log a for b, taken as 0 where a = 0 (the limit used
 * by PyTorch and JAX, so x⁰-style graphs stay finite).
 */
export const powOp: OpDef<undefined> = {
  name: "pow",
  saves: { inputs: true, output: true },
  formula: "dz ∗ b ∗ a^(b−1), dz ∗ a^b ∗ log a",
  broadcasts: "all",
  backward: (g, { inputs: [a, b], output }) => [
    a.requiresGrad ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    b.requiresGrad ? mul(g, where(equal(a, 0), 0, mul(output, log(a)))) : null,
  ],
};

/**
 * aᵇ elementwise with numpy broadcasting.
 * @example pow(x, 2)
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(powOp, "pow", a, b);
}
