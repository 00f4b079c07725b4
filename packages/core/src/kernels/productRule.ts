/** The product rule's tangent in one pass: ȧ ∗ b + a ∗ ḃ, bit-identical to the three ops it replaces. */
import type { FloatArray } from "./floatArray.js";

/** out[i] = ta[i] ∗ b[i] + a[i] ∗ tb[i] for same-length arrays (each product rounded, then the sum: the ops' order). */
export function productRule(ta: FloatArray, b: FloatArray, a: FloatArray, tb: FloatArray, out: FloatArray): FloatArray {
  const n = out.length;
  if (out instanceof Float32Array) {
    // Each product rounded to float32 as mul stores it, then the sum (rounded by the store).
    const fr = Math.fround;
    for (let i = 0; i < n; i++) out[i] = fr(ta[i] * b[i]) + fr(a[i] * tb[i]);
  } else for (let i = 0; i < n; i++) out[i] = ta[i] * b[i] + a[i] * tb[i];
  return out;
}
