/** Activations composed from primitives (no backward code of their own): leaky relu, softplus, softmax, log-softmax. */
import { describeValue, ValueError } from "../../errors.js";
import { normalizeAxes } from "../../shape.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { greater } from "../elementwise/compare.js";
import { exp } from "../elementwise/exp.js";
import { mul } from "../elementwise/mul.js";
import { neg } from "../elementwise/neg.js";
import { sub } from "../elementwise/sub.js";
import { where } from "../elementwise/where.js";
import { toTensor } from "../operand.js";
import { logSumExp } from "../reduce/composites.js";
import { logSigmoid } from "./logSigmoid.js";

/**
 * z where z > 0, else slope ∗ z; its derivative is 1 or slope (slope at z = 0).
 * @example leakyRelu(Z1, 0.01)
 */
export function leakyRelu(z: TensorLike, slope = 0.01): Tensor {
  if (typeof slope !== "number" || !Number.isFinite(slope)) {
    throw new ValueError("leakyRelu", `slope must be a finite number, got ${String(slope)}`);
  }
  const t = toTensor("leakyRelu", z);
  return where(greater(t, 0), t, mul(t, slope));
}

/** log(1 + eᶻ) = 0 − log σ(−z): softplus(800) is 800, softplus(−800) is e⁻⁸⁰⁰ (+0; `0 −` rather than negation avoids −0). */
export function softplus(z: TensorLike): Tensor {
  return sub(0, logSigmoid(neg(toTensor("softplus", z))));
}

/**
 * e^z / Σ e^z along `axis` (default: the last axis; use 0 for the course's column-per-example layout),
 * computed as exp(z − logSumExp(z)) so large logits cannot overflow.
 */
export function softmax(z: TensorLike, axis = -1): Tensor {
  return exp(shiftedLogits("softmax", z, axis));
}

/** z − logSumExp(z) along `axis` (default: the last axis). */
export function logSoftmax(z: TensorLike, axis = -1): Tensor {
  return shiftedLogits("logSoftmax", z, axis);
}

/** z − logSumExp(z) along one axis, checked under the name of the op the user called. */
function shiftedLogits(op: string, z: TensorLike, axis: number): Tensor {
  const t = toTensor(op, z);
  if (typeof axis !== "number")
    throw new ValueError(op, `axis must be a number (one axis), got ${describeValue(axis)}`);
  const [ax] = normalizeAxes(op, axis, t.shape);
  return sub(t, logSumExp(t, ax, true));
}
