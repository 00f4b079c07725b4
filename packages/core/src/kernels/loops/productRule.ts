/** The product rule's tangent in one pass: ȧ ∗ b + a ∗ ḃ, bit-identical to the three ops it replaces. */
import type { FloatArray } from "../floatArray.js";

/**
 * out[i] = ta[i] ∗ b[i] + a[i] ∗ tb[i] for same-length arrays of one dtype (each product rounded, then the sum: the
 * ops' order; in float32 each product is rounded to float32, as mul stores it).
 */
export function productRule(ta: FloatArray, b: FloatArray, a: FloatArray, tb: FloatArray, out: FloatArray): FloatArray {
  const n = out.length;
  if (out instanceof Float32Array) {
    const f = Math.fround;
    for (let i = 0; i < n; i++) out[i] = f(ta[i] * b[i]) + f(a[i] * tb[i]);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = ta[i] * b[i] + a[i] * tb[i];
  return out;
}
