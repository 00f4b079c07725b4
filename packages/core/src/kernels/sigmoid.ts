/** The one stable sigmoid every kernel uses: two branches on the sign of z, so e^… never overflows. */

/**
 * σ(z) from e = e^(−|z|): 1/(1 + e) for z ≥ 0 and e/(1 + e) below, so σ(−800) is 0, not NaN.
 * Kernels that already hold e^(−|z|) (binary cross-entropy's backward) call this directly.
 */
export function sigmoidOfExpNegAbs(z: number, e: number): number {
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** σ(z) = 1/(1 + e^(−z)), stable for every z (NaN stays NaN). */
export function stableSigmoid(z: number): number {
  return sigmoidOfExpNegAbs(z, Math.exp(-Math.abs(z)));
}
