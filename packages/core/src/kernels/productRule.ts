/** The product rule's tangent ȧ ∗ b + a ∗ ḃ in one pass: loops/productRule.ts runs float64, its generated copy float32. */
import * as f32 from "./loops/productRule.f32.generated.js";
import * as f64 from "./loops/productRule.js";

/** out[i] = ta[i] ∗ b[i] + a[i] ∗ tb[i] for same-length arrays, bit-identical to the three ops (loops/productRule.ts). */
export const productRule: typeof f64.productRule = (ta, b, a, tb, out) =>
  out instanceof Float32Array ? f32.productRule(ta, b, a, tb, out) : f64.productRule(ta, b, a, tb, out);
