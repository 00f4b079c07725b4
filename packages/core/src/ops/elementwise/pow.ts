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
 * d aᵇ = dz ∗ b ∗ aᵇ⁻¹ for a, taken as 0 where a = b = 0 (so x⁰ at x = 0 gives 0, not 0·∞ = NaN;
 * elsewhere b = 0 already gives 0, and masking only the point a = 0 keeps ∂²/∂a∂b = 1/a there);
 * dz ∗ aᵇ ∗ log a for b, taken as 0 where a = 0 and b ≥ 0 (there aᵇ ∗ log a would be 0·(−∞)).
 * Where a = 0 and b < 0 it stays aᵇ ∗ log a = ∞·(−∞) = −∞ (times dz). Both masks are PyTorch's
 * (`pow_backward_self`, `pow_backward_exponent`).
 */
export const powOp: OpDef<undefined> = {
  name: "pow",
  saves: { inputs: true, output: true },
  formula: "dz ∗ b ∗ a^(b−1), dz ∗ a^b ∗ log a",
  broadcasts: "all",
  backward: (g, { inputs: [a, b], output }) => [
    a.requiresGrad ? mul(g, where(mul(equal(a, 0), equal(b, 0)), 0, mul(b, pow(a, sub(b, 1))))) : null,
    b.requiresGrad ? mul(g, where(mul(equal(a, 0), greaterEqual(b, 0)), 0, mul(output, log(a)))) : null,
  ],
  // PyTorch's conventions in both terms, as in the backward rule: no ȧ term where a = b = 0 (0 ∗ ∞), no ḃ
  // term where a = 0 and b ≥ 0 (the limit of aᵇ log a); for b < 0 at a = 0 the ḃ term is ±∞ ∗ ḃ.
  jvpFormula: "ż = ȧ ∗ b ∗ a^(b−1) [a ≠ 0 or b ≠ 0] + ḃ ∗ z ∗ log a [a ≠ 0 or b < 0]",
  jvp: ([ta, tb], { inputs: [a, b], output }) =>
    addOptional(
      ta && mul(ta, where(mul(equal(a, 0), equal(b, 0)), 0, mul(b, pow(a, sub(b, 1))))),
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
