/** Elementwise one-input kernels: loops/unary.ts runs float64, its generated copy float32 (each with its own type feedback). */
import * as f32 from "./loops/unary.f32.generated.js";
import * as f64 from "./loops/unary.js";

export type { UnaryKernel } from "./loops/unary.js";

/** out[i] = f(x[i]) for the named function; `out` may alias `x` (loops/unary.ts). */
export const unary: typeof f64.unary = (kind, x, out) =>
  out instanceof Float32Array ? f32.unary(kind, x, out) : f64.unary(kind, x, out);
