/** Elementwise one-input kernels: one tight loop per function, chosen once per call (no per-element closures). */
import type { FloatArray } from "../floatArray.js";
import { stableSigmoid } from "../sigmoid.js";

/** The one-input functions the kernels compute. */
export type UnaryKernel = "neg" | "exp" | "log" | "sqrt" | "abs" | "sign" | "sigmoid" | "tanh" | "relu" | "logSigmoid";

/** out[i] = f(x[i]) for the named function; `out` may alias `x`. */
export function unary(kind: UnaryKernel, x: FloatArray, out: FloatArray): FloatArray {
  const n = x.length;
  switch (kind) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -x[i];
      break;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      break;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      break;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      break;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      break;
    case "sign":
      // Math.sign keeps -0 and NaN; the derivative rules want sign(±0) = 0 either way.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : Number.NaN;
      }
      break;
    case "sigmoid":
      for (let i = 0; i < n; i++) out[i] = stableSigmoid(x[i]);
      break;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      break;
    case "relu":
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 ? v : v === v ? 0 : v; // NaN stays NaN so anomalies are not hidden
      }
      break;
    case "logSigmoid":
      // log σ(x) = min(x, 0) − log1p(exp(−|x|)): no overflow and no cancellation at |x| = 800.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v)));
      }
      break;
  }
  return out;
}
