/** The planar data sets: the course's "flower" and its optional extras, as X (2, m) and Y (1, m) tensors. */
import { crCos, crSin, RandomState, Tensor, ValueError } from "@backprop/core";
import { makeBlobs, makeCircles, makeGaussianQuantiles, makeMoons, type PointSet } from "./sklearnLike.js";

/** A binary classification data set in the course's layout: examples are columns. */
export interface Dataset {
  /** The name used on the command line (`flower`, `circles`, ...). */
  readonly name: string;
  /** Inputs, shape (2, m). */
  readonly X: Tensor;
  /** Labels 0/1, shape (1, m). */
  readonly Y: Tensor;
  /** The seed the generator used. */
  readonly seed: number;
}

/** The data sets `--dataset` accepts, in the order the course lists them. */
export const datasetNames = ["flower", "circles", "moons", "blobs", "quantiles"] as const;
/** One of {@link datasetNames}. */
export type DatasetName = (typeof datasetNames)[number];

/** The course's names for the extra data sets, accepted as aliases. */
const aliases: Record<string, DatasetName> = {
  planar: "flower",
  noisy_circles: "circles",
  noisy_moons: "moons",
  gaussian_quantiles: "quantiles",
};

/** Each generator's default seed: 1 as the course's `np.random.seed(1)`, 5 for blobs (`random_state=5` in the course). */
export const defaultDataSeeds: Record<DatasetName, number> = {
  flower: 1,
  circles: 1,
  moons: 1,
  blobs: 5,
  quantiles: 1,
};

/**
 * Resolves a data set name or one of the course's aliases (`noisy_moons`, ...); throws a ValueError otherwise.
 * @example resolveDatasetName("noisy_circles"); // "circles"
 */
export function resolveDatasetName(name: string): DatasetName {
  if ((datasetNames as readonly string[]).includes(name)) return name as DatasetName;
  const alias = aliases[name];
  if (alias) return alias;
  throw new ValueError("dataset", `unknown data set "${name}"; expected one of ${datasetNames.join(", ")}`);
}

/**
 * The course's `load_planar_dataset()` reproduced bit for bit: with `np.random.seed(1)`, m = 400 points
 * (200 per class) on the petals of r = 4·sin(4t), t and r jittered by 0.2·randn.
 * Uses correctly rounded sin/cos (numpy calls the C library's, which V8's Math.sin/cos differ from in the last bit).
 * @example const { X, Y } = planarDataset(); // X (2, 400), Y (1, 400), equal to the numpy arrays
 */
export function planarDataset(seed = 1, noise = 0.2): Dataset {
  const rs = new RandomState(seed);
  const N = 200; // points per class
  const m = 2 * N;
  const a = 4; // maximum ray of the flower
  const X = new Float64Array(2 * m);
  const Y = new Float64Array(m);
  const draws = new Float64Array(N);
  for (let j = 0; j < 2; j++) {
    const start = j * 3.12;
    const step = ((j + 1) * 3.12 - start) / (N - 1);
    // t = linspace(3.12·j, 3.12·(j+1), N) + randn(N)·0.2, as numpy: start + i·step, the last point exactly the stop.
    const t = new Float64Array(N);
    rs.fillStandardNormal(draws);
    for (let i = 0; i < N; i++) t[i] = (i === N - 1 ? (j + 1) * 3.12 : start + i * step) + draws[i] * noise;
    rs.fillStandardNormal(draws);
    for (let i = 0; i < N; i++) {
      const r = a * crSin(4 * t[i]) + draws[i] * noise;
      const col = j * N + i;
      X[col] = r * crSin(t[i]); // row 0 of the transposed (2, m) layout
      X[m + col] = r * crCos(t[i]); // row 1
      Y[col] = j;
    }
  }
  return { name: "flower", X: new Tensor(X, [2, m]), Y: new Tensor(Y, [1, m]), seed };
}

/** Rows (m, 2) and labels from a point-set generator, turned into the course's (2, m) and (1, m). */
function toDataset(name: DatasetName, seed: number, points: PointSet, binarize = false): Dataset {
  const m = points.labels.length;
  const X = new Float64Array(2 * m);
  const Y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    X[i] = points.rows[2 * i];
    X[m + i] = points.rows[2 * i + 1];
    // The course makes blobs binary with `Y = Y % 2`.
    Y[i] = binarize ? points.labels[i] % 2 : points.labels[i];
  }
  return { name, X: new Tensor(X, [2, m]), Y: new Tensor(Y, [1, m]), seed };
}

/**
 * Each generator's noise parameter as the course sets it: the flower's jitter of t and r (0.2), circles' and moons'
 * coordinate noise (0.3, 0.2), blobs' cluster standard deviation (1) and quantiles' covariance (0.5).
 */
export const defaultNoise: Record<DatasetName, number> = {
  flower: 0.2,
  circles: 0.3,
  moons: 0.2,
  blobs: 1,
  quantiles: 0.5,
};

/**
 * Generates a data set by name with the course's parameters (N = 200 for the extras):
 * circles (factor .5, noise .3), moons (noise .2), blobs (6 centres, labels mod 2), quantiles (cov .5, 2 classes).
 * `noise` replaces the generator's noise parameter (see {@link defaultNoise}).
 * @example const { X, Y } = loadDataset("moons"); // X (2, 200)
 */
export function loadDataset(
  name: DatasetName,
  seed: number = defaultDataSeeds[name],
  noise: number = defaultNoise[name],
): Dataset {
  const N = 200;
  const rng = new RandomState(seed);
  switch (name) {
    case "flower":
      return planarDataset(seed, noise);
    case "circles":
      return toDataset(name, seed, makeCircles({ nSamples: N, factor: 0.5, noise, rng }));
    case "moons":
      return toDataset(name, seed, makeMoons({ nSamples: N, noise, rng }));
    case "blobs":
      return toDataset(name, seed, makeBlobs({ nSamples: N, centers: 6, clusterStd: noise, rng }), true);
    case "quantiles":
      return toDataset(name, seed, makeGaussianQuantiles({ nSamples: N, cov: noise, nClasses: 2, rng }));
  }
}
