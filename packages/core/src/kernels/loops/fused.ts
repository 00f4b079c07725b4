/** Fused elementwise kernels for the hot backward rules: one pass and one allocation instead of two or three ops. */
import type { FloatArray } from "../floatArray.js";
import { sigmoidOfExpNegAbs, stableSigmoid } from "../sigmoid.js";

/**
 * The fused rules, each bit-identical to the op composition it replaces (same operations in the
 * same order, the same roundings): tanhGrad g ∗ (1 − a·a), sigmoidGrad g ∗ (a ∗ (1 − a)), reluGrad g ∗ [z > 0],
 * logSigmoidGrad g ∗ σ(−z).
 */
export type FusedGradKernel = "tanhGrad" | "sigmoidGrad" | "reluGrad" | "logSigmoidGrad";

/**
 * out[i] = rule(g[i], x[i]) for same-length g, x and out of one dtype. In float32 every intermediate
 * the ops would store (a·a, 1 − a·a, σ(−z)) is rounded to float32 (Math.fround) as they round it, so
 * the bits are the composed ops' in both dtypes.
 */
export function fusedGrad(kind: FusedGradKernel, g: FloatArray, x: FloatArray, out: FloatArray): FloatArray {
  if (out instanceof Float32Array) return fusedGrad32(kind, g, x, out);
  const n = out.length;
  switch (kind) {
    case "tanhGrad":
      for (let i = 0; i < n; i++) {
        const a = x[i];
        out[i] = g[i] * (1 - a * a);
      }
      break;
    case "sigmoidGrad":
      for (let i = 0; i < n; i++) {
        const a = x[i];
        out[i] = g[i] * (a * (1 - a));
      }
      break;
    case "reluGrad":
      for (let i = 0; i < n; i++) out[i] = g[i] * (x[i] > 0 ? 1 : 0);
      break;
    case "logSigmoidGrad":
      // σ(−z) by the sigmoid kernel's function, so the value matches sigmoid(neg(z)) bit for bit.
      for (let i = 0; i < n; i++) out[i] = g[i] * stableSigmoid(-x[i]);
      break;
  }
  return out;
}

/** fusedGrad's float32 loops: each intermediate rounded to float32 where the composed ops store it. */
function fusedGrad32(kind: FusedGradKernel, g: FloatArray, x: FloatArray, out: Float32Array): Float32Array {
  const n = out.length;
  const f = Math.fround;
  switch (kind) {
    case "tanhGrad":
      for (let i = 0; i < n; i++) {
        const a = x[i];
        out[i] = g[i] * f(1 - f(a * a));
      }
      break;
    case "sigmoidGrad":
      for (let i = 0; i < n; i++) {
        const a = x[i];
        out[i] = g[i] * f(a * f(1 - a));
      }
      break;
    case "reluGrad":
      for (let i = 0; i < n; i++) out[i] = g[i] * (x[i] > 0 ? 1 : 0);
      break;
    case "logSigmoidGrad":
      for (let i = 0; i < n; i++) out[i] = g[i] * f(stableSigmoid(-x[i]));
      break;
  }
  return out;
}

/**
 * Binary cross-entropy from logits: out[i] = max(z, 0) − z·y + log1p(e^(−|z|)), and e^(−|z|) kept
 * in `expNegAbs` (the op passes a Float64Array whatever z's dtype, so its backward computes σ(z) from the
 * double e^(−|z|), as the sigmoid kernel does, before any rounding to float32; the jit passes scratch).
 */
export function sigmoidCrossEntropyLoss(
  z: FloatArray,
  y: FloatArray,
  expNegAbs: FloatArray,
  out: FloatArray,
): FloatArray {
  for (let i = 0; i < out.length; i++) {
    const v = z[i];
    const e = Math.exp(-Math.abs(v));
    expNegAbs[i] = e;
    // biome-ignore lint/complexity/useMathMinMax: a branch is faster than Math.max in this loop
    out[i] = (v > 0 ? v : 0) - v * y[i] + Math.log1p(e);
  }
  return out;
}

/**
 * out[i] = g·(σ(z) − y), with σ(z) from the saved e = e^(−|z|) (double) by the sigmoid kernel's own
 * function, so the same value as sigmoid(z); in float32, σ(z) and σ(z) − y are rounded to float32
 * as the ops `mul(g, sub(sigmoid(z), y))` store them.
 */
export function sigmoidCrossEntropyGrad(
  g: FloatArray,
  z: FloatArray,
  expNegAbs: Float64Array,
  y: FloatArray,
  out: FloatArray,
): FloatArray {
  if (out instanceof Float32Array) {
    const f = Math.fround;
    for (let i = 0; i < out.length; i++) {
      out[i] = g[i] * f(f(sigmoidOfExpNegAbs(z[i], expNegAbs[i])) - y[i]);
    }
    return out;
  }
  for (let i = 0; i < out.length; i++) {
    out[i] = g[i] * (sigmoidOfExpNegAbs(z[i], expNegAbs[i]) - y[i]);
  }
  return out;
}
