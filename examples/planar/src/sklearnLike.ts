/** Deterministic 2-d point generators modelled on sklearn's make_circles, make_moons, make_blobs and make_gaussian_quantiles. */
import { crCos, crSin, type RandomState, ValueError } from "@backprop/core";

/**
 * Points as sklearn returns them: `rows` is (m, 2) row-major (x₀, x₁ of example i at 2i, 2i+1) and `labels` has m integers.
 * Unlike sklearn, the rows are not shuffled: full-batch training does not depend on their order, and skipping the
 * shuffle keeps the draws simple to reproduce with numpy (see reference/planar_numpy.py).
 */
export interface PointSet {
  readonly rows: Float64Array;
  readonly labels: Int32Array;
}

function checkCount(fn: string, nSamples: number, min = 2): void {
  if (!Number.isInteger(nSamples) || nSamples < min) {
    throw new ValueError(fn, `nSamples must be an integer >= ${min}, got ${nSamples}`);
  }
}

/** `count` points of numpy's `linspace(0, stop, count, endpoint)`: i·step (+ 0), the last one exactly `stop` with the endpoint. */
function angles(stop: number, count: number, endpoint: boolean): Float64Array {
  const out = new Float64Array(count);
  const step = stop / (endpoint ? count - 1 : count);
  for (let i = 0; i < count; i++) out[i] = i * step;
  if (endpoint && count > 1) out[count - 1] = stop;
  return out;
}

/** Adds `noise · standardNormal()` to every coordinate, row-major, as sklearn's `X += generator.normal(scale=noise, size=X.shape)`. */
function addNoise(rows: Float64Array, noise: number, rng: RandomState): void {
  for (let i = 0; i < rows.length; i++) rows[i] += rng.normal(0, noise);
}

/**
 * Two concentric circles: ⌊n/2⌋ points evenly spaced on the unit circle (label 0), the rest on a circle of
 * radius `factor` (label 1), then Gaussian noise of standard deviation `noise` on every coordinate.
 * @example makeCircles({ nSamples: 200, factor: 0.5, noise: 0.3, rng: new RandomState(1) })
 */
export function makeCircles(options: { nSamples: number; factor: number; noise: number; rng: RandomState }): PointSet {
  const { nSamples, factor, noise, rng } = options;
  checkCount("makeCircles", nSamples);
  if (!(factor >= 0 && factor < 1)) throw new ValueError("makeCircles", `factor must be in [0, 1), got ${factor}`);
  const nOut = Math.floor(nSamples / 2);
  const nIn = nSamples - nOut;
  const rows = new Float64Array(2 * nSamples);
  const labels = new Int32Array(nSamples);
  const outer = angles(2 * Math.PI, nOut, false);
  const inner = angles(2 * Math.PI, nIn, false);
  for (let i = 0; i < nOut; i++) {
    rows[2 * i] = crCos(outer[i]);
    rows[2 * i + 1] = crSin(outer[i]);
  }
  for (let i = 0; i < nIn; i++) {
    rows[2 * (nOut + i)] = crCos(inner[i]) * factor;
    rows[2 * (nOut + i) + 1] = crSin(inner[i]) * factor;
    labels[nOut + i] = 1;
  }
  addNoise(rows, noise, rng);
  return { rows, labels };
}

/**
 * Two interleaving half circles: the upper one (cos θ, sin θ) for θ ∈ [0, π] (label 0) and the lower one
 * (1 − cos θ, 1 − sin θ − 0.5) (label 1), then Gaussian noise of standard deviation `noise`.
 * @example makeMoons({ nSamples: 200, noise: 0.2, rng: new RandomState(1) })
 */
export function makeMoons(options: { nSamples: number; noise: number; rng: RandomState }): PointSet {
  const { nSamples, noise, rng } = options;
  checkCount("makeMoons", nSamples, 4);
  const nOut = Math.floor(nSamples / 2);
  const nIn = nSamples - nOut;
  const rows = new Float64Array(2 * nSamples);
  const labels = new Int32Array(nSamples);
  const outer = angles(Math.PI, nOut, true);
  const inner = angles(Math.PI, nIn, true);
  for (let i = 0; i < nOut; i++) {
    rows[2 * i] = crCos(outer[i]);
    rows[2 * i + 1] = crSin(outer[i]);
  }
  for (let i = 0; i < nIn; i++) {
    rows[2 * (nOut + i)] = 1 - crCos(inner[i]);
    rows[2 * (nOut + i) + 1] = 1 - crSin(inner[i]) - 0.5;
    labels[nOut + i] = 1;
  }
  addNoise(rows, noise, rng);
  return { rows, labels };
}

/**
 * Isotropic Gaussian blobs: `centers` centres drawn uniformly in the box [-10, 10)², then for each centre in turn
 * its ⌊n/centers⌋ points (one more for the first n mod centers) drawn as centre + clusterStd · N(0, 1); label = centre index.
 * @example makeBlobs({ nSamples: 200, centers: 6, rng: new RandomState(5) })
 */
export function makeBlobs(options: {
  nSamples: number;
  centers: number;
  clusterStd?: number;
  rng: RandomState;
}): PointSet {
  const { nSamples, centers, clusterStd = 1, rng } = options;
  checkCount("makeBlobs", nSamples, 1);
  if (!Number.isInteger(centers) || centers < 1) {
    throw new ValueError("makeBlobs", `centers must be a positive integer, got ${centers}`);
  }
  const centre = new Float64Array(2 * centers);
  for (let i = 0; i < centre.length; i++) centre[i] = rng.uniform(-10, 10);
  const rows = new Float64Array(2 * nSamples);
  const labels = new Int32Array(nSamples);
  let row = 0;
  for (let c = 0; c < centers; c++) {
    const count = Math.floor(nSamples / centers) + (c < nSamples % centers ? 1 : 0);
    for (let k = 0; k < count; k++, row++) {
      rows[2 * row] = rng.normal(centre[2 * c], clusterStd);
      rows[2 * row + 1] = rng.normal(centre[2 * c + 1], clusterStd);
      labels[row] = c;
    }
  }
  return { rows, labels };
}

/**
 * Classes split by quantiles of a Gaussian: m points from N(0, cov·I) (numpy's multivariate_normal: √cov · randn),
 * sorted by squared distance from the mean; the nearest ⌊m/nClasses⌋ get label 0, the next label 1, and so on.
 * @example makeGaussianQuantiles({ nSamples: 200, cov: 0.5, nClasses: 2, rng: new RandomState(1) })
 */
export function makeGaussianQuantiles(options: {
  nSamples: number;
  cov: number;
  nClasses: number;
  rng: RandomState;
}): PointSet {
  const { nSamples, cov, nClasses, rng } = options;
  checkCount("makeGaussianQuantiles", nSamples, 1);
  if (!Number.isInteger(nClasses) || nClasses < 1 || nClasses > nSamples) {
    throw new ValueError("makeGaussianQuantiles", `nClasses must be an integer in [1, ${nSamples}], got ${nClasses}`);
  }
  if (!(cov > 0)) throw new ValueError("makeGaussianQuantiles", `cov must be > 0, got ${cov}`);
  const scale = Math.sqrt(cov);
  const drawn = new Float64Array(2 * nSamples);
  for (let i = 0; i < drawn.length; i++) drawn[i] = rng.standardNormal() * scale;
  const distance = (i: number) => drawn[2 * i] * drawn[2 * i] + drawn[2 * i + 1] * drawn[2 * i + 1];
  const order = Array.from({ length: nSamples }, (_, i) => i).sort((p, q) => distance(p) - distance(q));
  const rows = new Float64Array(2 * nSamples);
  const labels = new Int32Array(nSamples);
  const step = Math.floor(nSamples / nClasses);
  order.forEach((source, k) => {
    rows[2 * k] = drawn[2 * source];
    rows[2 * k + 1] = drawn[2 * source + 1];
    labels[k] = Math.min(Math.floor(k / step), nClasses - 1);
  });
  return { rows, labels };
}
