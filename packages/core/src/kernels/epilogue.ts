/** A product's epilogue: Z = C + b and A = g(Z) in the pass that stores C, with the bits of the separate add and activation. */
import type { FloatArray } from "./floatArray.js";
import { stableSigmoid } from "./sigmoid.js";

/** The activations an epilogue computes (the `unary` kernels of the same names). */
export type EpilogueActivation = "relu" | "tanh" | "sigmoid";

/**
 * What to do with C (m×n) as it is stored: add `bias`, element (i, j) at i·rowStride + j·colStride
 * (strides 0 along broadcast axes: a column (m, 1) has colStride 0), and, with `activation`, also
 * write A = g(Z) into `a`.
 */
export interface Epilogue {
  readonly bias: FloatArray;
  readonly rowStride: number;
  readonly colStride: number;
  readonly activation?: EpilogueActivation;
  readonly a?: FloatArray;
}

/**
 * z[o] = src[srcOffset + o] + bias(i, j) for o = i·n + j, then a[o] = g(z[o]) reading z back, so a
 * float32 Z is rounded before g sees it, exactly as `add` then the activation op compute it (each
 * stores its result, and `unary` reads the stored value). `src` may be `z` itself (offset 0).
 */
export function applyEpilogue(
  src: FloatArray,
  srcOffset: number,
  z: FloatArray,
  m: number,
  n: number,
  e: Epilogue,
): void {
  const { bias, rowStride, colStride } = e;
  for (let i = 0; i < m; i++) {
    const s = srcOffset + i * n;
    const o = i * n;
    const b = i * rowStride;
    if (colStride === 0) {
      const bi = bias[b];
      for (let j = 0; j < n; j++) z[o + j] = src[s + j] + bi;
    } else {
      for (let j = 0; j < n; j++) z[o + j] = src[s + j] + bias[b + j * colStride];
    }
    if (e.a !== undefined) activateRow(e.activation ?? "relu", z, o, n, e.a);
  }
}

/** a[o..o+n) = g(z[o..o+n)) while the row is still in cache; the formulas of `unary`'s kernels. */
function activateRow(kind: EpilogueActivation, z: FloatArray, o: number, n: number, a: FloatArray): void {
  const end = o + n;
  switch (kind) {
    case "relu":
      for (let i = o; i < end; i++) {
        const v = z[i];
        a[i] = v > 0 ? v : v === v ? 0 : v; // as unary's relu: NaN stays NaN
      }
      break;
    case "tanh":
      for (let i = o; i < end; i++) a[i] = Math.tanh(z[i]);
      break;
    case "sigmoid":
      for (let i = o; i < end; i++) a[i] = stableSigmoid(z[i]);
      break;
  }
}
