/** Fused elementwise kernels for the hot backward rules: loops/fused.ts runs float64, its generated copy float32. */
import * as f32 from "./loops/fused.f32.generated.js";
import * as f64 from "./loops/fused.js";

export type { FusedGradKernel } from "./loops/fused.js";

/** out[i] = rule(g[i], x[i]) for same-length g, x and out (loops/fused.ts). */
export const fusedGrad: typeof f64.fusedGrad = (kind, g, x, out) =>
  out instanceof Float32Array ? f32.fusedGrad(kind, g, x, out) : f64.fusedGrad(kind, g, x, out);

/** Binary cross-entropy from logits, keeping e^(−|z|) for the backward pass (loops/fused.ts). */
export const sigmoidCrossEntropyLoss: typeof f64.sigmoidCrossEntropyLoss = (z, y, expNegAbs, out) =>
  out instanceof Float32Array
    ? f32.sigmoidCrossEntropyLoss(z, y, expNegAbs, out)
    : f64.sigmoidCrossEntropyLoss(z, y, expNegAbs, out);

/** out[i] = g·(σ(z) − y) from the saved e^(−|z|) (loops/fused.ts). */
export const sigmoidCrossEntropyGrad: typeof f64.sigmoidCrossEntropyGrad = (g, z, expNegAbs, y, out) =>
  out instanceof Float32Array
    ? f32.sigmoidCrossEntropyGrad(g, z, expNegAbs, y, out)
    : f64.sigmoidCrossEntropyGrad(g, z, expNegAbs, y, out);
