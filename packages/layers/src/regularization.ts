/** Regularization in the course's forms (course 2, week 1): the L2 cost λ/(2m)·Σ‖W[l]‖² and inverted dropout masks. */
import { type DType, formatShape, RandomState, ShapeError, Tensor, ValueError } from "@backprop/core";

/** How a non-list is printed in an error. */
function describeList(x: unknown): string {
  if (x === null || typeof x !== "object") return String(x);
  return Array.isArray(x)
    ? `an array holding ${x.map((v) => (v instanceof Tensor ? "Tensor" : typeof v)).join(", ")}`
    : "an object";
}

/**
 * The course's L2 regularization cost λ/(2m)·Σ_l ‖W[l]‖²_F (the W's only, never the b's), on the graph, so
 * its gradient adds (λ/m)·W[l] to each dW[l]. `m` is the number of examples the cost averages over.
 * @example const J = binaryCrossEntropy(AL, Y).add(l2Cost(net.W, 0.7, m)); // compute_cost_with_regularization
 */
export function l2Cost(W: readonly Tensor[], lambd: number, m: number): Tensor {
  checkLambd("l2Cost", lambd);
  if (!Array.isArray(W) || !W.every((w) => w instanceof Tensor)) {
    throw new ValueError("l2Cost", `W must be an array of weight Tensors [W1, W2, …], got ${describeList(W)}`);
  }
  if (!Number.isInteger(m) || m <= 0) throw new ValueError("l2Cost", `m must be a positive integer, got ${String(m)}`);
  if (W.length === 0) throw new ValueError("l2Cost", "needs at least one weight matrix");
  let sum = W[0].square().sum();
  for (let l = 1; l < W.length; l++) sum = sum.add(W[l].square().sum());
  return sum.mul(lambd / (2 * m)).named("L2RegularizationCost");
}

/** Throws unless λ is a finite number ≥ 0. */
export function checkLambd(op: string, lambd: unknown): number {
  if (typeof lambd !== "number" || !Number.isFinite(lambd) || lambd < 0) {
    throw new ValueError(op, `lambd (λ) must be a finite number ≥ 0, got ${String(lambd)}`);
  }
  return lambd;
}

/** Throws unless keep_prob is in (0, 1]. */
export function checkKeepProb(op: string, keepProb: unknown): number {
  if (typeof keepProb !== "number" || !(keepProb > 0 && keepProb <= 1)) {
    throw new ValueError(op, `keepProb must be a number in (0, 1], got ${String(keepProb)}`);
  }
  return keepProb;
}

/**
 * The course's dropout mask D = (np.random.rand(*shape) < keep_prob) as 1/0, drawn row-major from `rng`
 * (numpy's legacy `rand`, bit for bit), in `dtype`.
 * @example const D1 = dropoutMask(new RandomState(1), [4, 400], 0.86); // np.random.seed(1); (np.random.rand(4, 400) < 0.86)
 */
export function dropoutMask(
  rng: RandomState,
  shape: readonly [number, number],
  keepProb: number,
  dtype: DType = "float64",
): Tensor {
  checkKeepProb("dropoutMask", keepProb);
  if (!(rng instanceof RandomState)) {
    throw new ValueError("dropoutMask", `rng must be a RandomState, got ${rng === null ? "null" : typeof rng}`);
  }
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ShapeError(
      "dropoutMask",
      `shape must be [rows, columns] of positive integers, got ${Array.isArray(shape) ? `[${shape.join(", ")}]` : String(shape)}`,
    );
  }
  return rng.rand(shape[0], shape[1]).lt(keepProb).astype(dtype);
}

/**
 * Inverted dropout as the course writes it: A := A ∗ D, then A := A / keep_prob, so the expected value of each
 * unit is unchanged and nothing needs rescaling at test time. Recorded on the graph: dA = dA_next ∗ D / keep_prob.
 * @example const A1dropped = applyDropout(A1, D1, 0.86).named("A1");
 */
export function applyDropout(A: Tensor, D: Tensor, keepProb: number): Tensor {
  checkKeepProb("applyDropout", keepProb);
  if (!(A instanceof Tensor) || !(D instanceof Tensor)) throw new ValueError("applyDropout", "A and D must be Tensors");
  if (A.rank !== D.rank || A.shape.some((d, i) => d !== D.shape[i])) {
    throw new ShapeError(
      "applyDropout",
      `the mask D ${formatShape(D.shape)} must have A's shape ${formatShape(A.shape)} (draw it with dropoutMask(rng, A.shape, keepProb))`,
    );
  }
  return A.mul(D).div(keepProb);
}
