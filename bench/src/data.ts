/** Deterministic workload data: the course's planar "flower" set and its initial parameters, and fixed random MLP data. */
import { RandomState } from "@backprop/core";
import { planarDataset } from "@backprop/example-planar/data";

/**
 * A two-layer workload as plain row-major arrays the implementations copy into their own storage
 * (Float64Array or tfjs tensors): X (n_x, m), Y (n_y, m), W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1).
 */
interface TwoLayerData {
  readonly nx: number;
  readonly nh: number;
  readonly m: number;
  readonly X: Float64Array;
  readonly Y: Float64Array;
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

/** The planar net: n_x 2, n_h 4, one output. */
export type PlanarData = TwoLayerData;

/**
 * The course's `load_planar_dataset()` (np.random.seed(1), 400 points, two petals classes) and
 * `initialize_parameters(2, 4, 1)` (np.random.seed(2), randn·0.01, zero biases).
 */
export function planarData(): PlanarData {
  const { X: Xt, Y: Yt } = planarDataset(1); // the demo's generator: equal to numpy's bit for bit
  const m = Xt.shape[1];
  const X = Float64Array.from(Xt.data);
  const Y = Float64Array.from(Yt.data);
  const nh = 4;
  const init = new RandomState(2);
  const W1 = new Float64Array(nh * 2);
  const W2 = new Float64Array(nh);
  init.fillStandardNormal(W1);
  init.fillStandardNormal(W2);
  for (let i = 0; i < W1.length; i++) W1[i] *= 0.01;
  for (let i = 0; i < W2.length; i++) W2[i] *= 0.01;
  return { nx: 2, nh, m, X, Y, W1, b1: new Float64Array(nh), W2, b2: new Float64Array(1) };
}

/** Fixed data for the 784 → 256 relu → 10 softmax MLP: X uniform in [0, 1) like pixel intensities, Y one-hot, He-initialised W1, W2 and zero biases. */
export interface MlpData extends TwoLayerData {
  readonly ny: number;
}

/** Seeded MLP data (batch `m`, default 128). */
export function mlpData(m = 128): MlpData {
  const nx = 784;
  const nh = 256;
  const ny = 10;
  const rs = new RandomState(0);
  const X = new Float64Array(nx * m);
  rs.fillRandomSample(X);
  const Y = new Float64Array(ny * m);
  for (let j = 0; j < m; j++) Y[Math.floor(rs.randomSample() * ny) * m + j] = 1;
  const W1 = new Float64Array(nh * nx);
  const W2 = new Float64Array(ny * nh);
  rs.fillStandardNormal(W1);
  rs.fillStandardNormal(W2);
  const s1 = Math.sqrt(2 / nx);
  const s2 = Math.sqrt(2 / nh);
  for (let i = 0; i < W1.length; i++) W1[i] *= s1;
  for (let i = 0; i < W2.length; i++) W2[i] *= s2;
  return { nx, nh, ny, m, X, Y, W1, b1: new Float64Array(nh), W2, b2: new Float64Array(ny) };
}
