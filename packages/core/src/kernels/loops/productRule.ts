/** The product rule's tangent in one pass: ȧ ∗ b + a ∗ ḃ, bit-identical to the three ops it replaces. */
import type { FloatArray } from "../floatArray.js";

/** out[i] = ta[i] ∗ b[i] + a[i] ∗ tb[i] for same-length arrays (each product rounded, then the sum: the ops' order). */
export function productRule(ta: FloatArray, b: FloatArray, a: FloatArray, tb: FloatArray, out: FloatArray): FloatArray {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = ta[i] * b[i] + a[i] * tb[i];
  return out;
}
