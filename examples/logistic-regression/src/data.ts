/** A small deterministic data set for logistic regression: two Gaussian clouds in the plane, drawn with numpy's RNG. */
import { RandomState, Tensor, ValueError } from "@backprop/core";

/** Examples as columns, as the course stores them. */
export interface Clouds {
  /** Inputs (2, m). */
  readonly X: Tensor;
  /** Labels 0/1 (1, m). */
  readonly Y: Tensor;
}

/**
 * m/2 points around (−1, −0.5) labelled 0, then m/2 around (1, 1) labelled 1, each coordinate with standard
 * deviation 1: `x = centre + randn()` from `RandomState(seed)`, point by point (x₁ then x₂), class 0 first.
 * The clouds overlap, so no line separates them perfectly (the best accuracy is about 90%).
 * @example const { X, Y } = gaussianClouds(200, 0); // X (2, 200), Y (1, 200)
 */
export function gaussianClouds(m: number, seed: number): Clouds {
  if (!Number.isInteger(m) || m < 2 || m % 2 !== 0) {
    throw new ValueError("gaussianClouds", `m must be an even integer >= 2, got ${m}`);
  }
  const rs = new RandomState(seed);
  const centres = [
    [-1, -0.5],
    [1, 1],
  ];
  const X = new Float64Array(2 * m);
  const Y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const label = i < m / 2 ? 0 : 1;
    X[i] = centres[label][0] + rs.standardNormal();
    X[m + i] = centres[label][1] + rs.standardNormal();
    Y[i] = label;
  }
  return { X: new Tensor(X, [2, m]), Y: new Tensor(Y, [1, m]) };
}
