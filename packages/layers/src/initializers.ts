/** Weight initializers (zeros, small, xavier, he), drawn from core's numpy-compatible RandomState. */

import { type DType, formatShape, RandomState, ShapeError, type Tensor, ValueError, zeros } from "@backprop/core";
import { checkDType } from "./dataChecks.js";

/** The built-in initializers: `zeros` (shows the symmetry problem), `small` (randn·0.01, the course's), `xavier`, `he`. */
export type InitializerName = "zeros" | "small" | "xavier" | "he";

/** The names `initialize()` accepts, for error messages. */
export const initializerNames: readonly InitializerName[] = ["zeros", "small", "xavier", "he"];

/**
 * A weight matrix W of `shape` = (n[l], n[l−1]) as a fresh leaf that requires grad:
 * - `zeros`: all 0, no draws (every hidden unit then computes the same function: the symmetry problem);
 * - `small`: randn·0.01, the course's `np.random.randn(n_h, n_x) * 0.01`;
 * - `xavier`: randn / sqrt(n[l−1]), written as the course's week-4 and regularization helpers write it
 *   (`np.random.randn(n[l], n[l−1]) / np.sqrt(n[l−1])`): randn·sqrt(1/n[l−1]) rounds differently in the last bit
 *   for about a third of the weights;
 * - `he`: randn·sqrt(2/n[l−1]) (for relu layers).
 * Draws are row-major from `rng`, so the values equal numpy's for the same seed and draw order.
 * Biases are not drawn: the course initializes b = 0. `dtype` "float32" rounds the float64 draws once.
 * @example
 * const rng = new RandomState(2);
 * const W1 = initialize("small", [4, 2], rng); // = np.random.seed(2); np.random.randn(4, 2) * 0.01
 */
export function initialize(
  name: InitializerName,
  shape: [number, number],
  rng: RandomState,
  dtype: DType = "float64",
): Tensor {
  return initializeFor("initialize", name, shape, rng, dtype);
}

/**
 * `initialize` for a layer or model constructor: errors name `op` (e.g. "Dense", "mlp"), the function called.
 * @example const W = initializeFor("Dense", "he", [4, 2], rng);
 */
export function initializeFor(
  op: string,
  name: unknown,
  shape: [number, number],
  rng: RandomState,
  dtype: unknown = "float64",
): Tensor {
  if (
    !Array.isArray(shape) ||
    shape.length !== 2 ||
    !shape.every((d) => typeof d === "number" && Number.isInteger(d) && d > 0)
  ) {
    throw new ShapeError(
      op,
      `shape must be [n_out, n_in] with positive integers, got ${Array.isArray(shape) ? formatShape(shape) : String(shape)}`,
    );
  }
  if (!initializerNames.includes(name as InitializerName)) {
    throw new ValueError(op, `unknown initializer "${String(name)}": expected one of ${initializerNames.join(", ")}`);
  }
  if (name !== "zeros" && !(rng instanceof RandomState)) {
    throw new ValueError(op, `rng must be a RandomState, got ${rng === null ? "null" : typeof rng}`);
  }
  const type = checkDType(op, dtype);
  const [nOut, nIn] = shape;
  let W: Tensor;
  switch (name) {
    case "zeros":
      W = zeros([nOut, nIn]);
      break;
    case "small":
      W = rng.randn(nOut, nIn).mul(0.01);
      break;
    case "xavier":
      // Divide by √n (the course's helpers' form), not multiply by √(1/n): the two differ in the last bit.
      W = rng.randn(nOut, nIn).div(Math.sqrt(nIn));
      break;
    default: // "he"
      W = rng.randn(nOut, nIn).mul(Math.sqrt(2 / nIn));
      break;
  }
  if (type !== "float64") W = W.astype(type);
  // The draws never require grad, so W is an untracked result: make it a parameter leaf.
  return W.requiresGrad_(true);
}

/**
 * The RandomState for a seed, or the given RandomState itself (so several layers share one stream).
 * @example const rng = toRng(options.rng ?? 3, "Dense");
 */
export function toRng(seedOrRng: RandomState | number, op: string): RandomState {
  if (seedOrRng instanceof RandomState) return seedOrRng;
  if (typeof seedOrRng !== "number" || !Number.isInteger(seedOrRng) || seedOrRng < 0 || seedOrRng > 2 ** 32 - 1) {
    throw new ValueError(op, `seed must be an integer in [0, 2^32 − 1] or a RandomState, got ${String(seedOrRng)}`);
  }
  return new RandomState(seedOrRng);
}
