/** pow: aᵇ with broadcasting (scalar or tensor exponent). */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { addOptional } from "./add.js";
import { equal, greaterEqual } from "./compare.js";
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
  backward: (g, { inputs: [a, b], output }) => [
    a.requiresGrad ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    b.requiresGrad ? mul(g, where(equal(a, 0), 0, mul(output, log(a)))) : null,
  ],
  // PyTorch's values in both terms: no ȧ term where b = 0 (0 ∗ ∞ at a = 0 otherwise; masked only
  // where a = 0 too, so that the term's derivative in b stays a^(b−1) elsewhere), no ḃ term where
  // a = 0 and b ≥ 0 (the limit of aᵇ log a); for b < 0 at a = 0 the ḃ term is ±∞ ∗ ḃ.
  jvpFormula: "ż = ȧ ∗ b ∗ a^(b−1) [b ≠ 0] + ḃ ∗ z ∗ log a [a ≠ 0 or b < 0]",
  jvp: ([ta, tb], { inputs: [a, b], output }) =>
    addOptional(
      ta && mul(ta, where(mul(equal(b, 0), equal(a, 0)), 0, mul(b, pow(a, sub(b, 1))))),
      tb && mul(tb, where(mul(equal(a, 0), greaterEqual(b, 0)), 0, mul(output, log(a)))),
    ),
};

/**
 * aᵇ elementwise with numpy broadcasting.
 * @example pow(x, 2)
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(powOp, "pow", a, b);
}
