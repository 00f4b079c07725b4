/** numpy's legacy `np.random.RandomState(seed)` reproduced bit for bit: MT19937, 53-bit doubles, polar-method normals. */

import { describeValue, ValueError } from "../errors.js";
import { allocateFor, type FloatArray } from "../kernels/floatArray.js";
import { glibcLog } from "../math/glibcLog.js";
import { checkShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { MT19937 } from "./mt19937.js";

/** A new float64 buffer for `rs.rand(d0, d1, …)`/`rs.randn(…)`, its shape checked (dimensions, not a shape array). */
function shapeBuffer(method: string, shape: number[]): FloatArray {
  const op = `RandomState.${method}`;
  if (shape.length === 1 && Array.isArray(shape[0])) {
    const dims = (shape[0] as unknown[]).map(String).join(", ");
    throw new ValueError(
      op,
      `takes the dimensions as separate arguments, as numpy's: rs.${method}(${dims}), not an array`,
    );
  }
  checkShape(op, shape);
  return allocateFor(op, "float64", shape);
}

function checkSeed(seed: number, op = "RandomState"): void {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 4294967295)) {
    const got =
      seed === undefined
        ? "undefined: the seed is required"
        : typeof seed === "number"
          ? String(seed)
          : describeValue(seed);
    throw new ValueError(op, `seed must be an integer in [0, 2**32 - 1], got ${got}`);
  }
}

/** Throws naming the method unless `out` is a Float64Array or Float32Array (what the fill methods write into). */
function checkOut(method: string, out: unknown): void {
  if (!(out instanceof Float64Array) && !(out instanceof Float32Array)) {
    throw new ValueError(
      `RandomState.${method}`,
      `out must be a Float64Array or a Float32Array, got ${describeValue(out)}`,
    );
  }
}

function checkUniform(method: string, low: number, high: number): void {
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    throw new ValueError(`RandomState.${method}`, `low and high must be finite numbers, got low=${low}, high=${high}`);
  }
  if (!Number.isFinite(high - low)) {
    throw new ValueError(`RandomState.${method}`, `high - low overflows, got low=${low}, high=${high}`);
  }
}

function checkNormal(method: string, loc: number, scale: number): void {
  if (!Number.isFinite(loc) || !Number.isFinite(scale) || scale < 0) {
    throw new ValueError(
      `RandomState.${method}`,
      `loc must be finite and scale a finite number >= 0, got loc=${loc}, scale=${scale}`,
    );
  }
}

/**
 * A seeded random number generator that reproduces numpy's legacy `RandomState` streams exactly.
 * @example
 * const rs = new RandomState(0);
 * rs.randomSample(); // 0.5488135039273248, like np.random.RandomState(0).random_sample()
 * rs.standardNormal(); // like the next np.random.RandomState randn() call
 */
export class RandomState {
  private readonly mt: MT19937;
  private hasGauss = false;
  private gauss = 0;

  /**
   * Seeds like `np.random.RandomState(seed)` / `np.random.seed(seed)` for an integer seed in [0, 2**32 - 1].
   * @example const rs = new RandomState(42);
   */
  constructor(seed: number) {
    checkSeed(seed);
    this.mt = new MT19937(seed);
  }

  /**
   * Re-seeds (like `np.random.seed(seed)`), discarding any cached normal value.
   * @example rs.seed(1); rs.randomSample(); // 0.417022004702574
   */
  seed(seed: number): void {
    checkSeed(seed);
    this.mt.seed(seed);
    this.hasGauss = false;
    this.gauss = 0;
  }

  /**
   * The next raw MT19937 output, an integer in [0, 2**32 - 1].
   * @example new RandomState(0).randomUint32(); // 2357136044
   */
  randomUint32(): number {
    return this.mt.nextUint32();
  }

  /**
   * A double in [0, 1) from two 32-bit outputs (53 random bits), like `random_sample()` / `rand()`.
   * @example new RandomState(0).randomSample(); // 0.5488135039273248
   */
  randomSample(): number {
    const a = this.mt.nextUint32() >>> 5;
    const b = this.mt.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A standard normal draw like `randn()`: the legacy polar (Marsaglia) method, which draws pairs and returns the
   * cached second value on the next call. Its log is glibc's as numpy calls it on x86-64 (`glibcLog`: not correctly
   * rounded, and ~1 in 2,500 draws would differ in the last bit with a correctly rounded log).
   * @example new RandomState(0).standardNormal(); // 1.764052345967664
   */
  standardNormal(): number {
    if (this.hasGauss) {
      const cached = this.gauss;
      this.hasGauss = false;
      this.gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * glibcLog(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /**
   * A uniform draw on [low, high) computed as `low + (high - low) * randomSample()`, like legacy `uniform`.
   * @example new RandomState(7).uniform(-2, 3); // -1.618458553130214
   */
  uniform(low = 0, high = 1): number {
    checkUniform("uniform", low, high);
    return low + (high - low) * this.randomSample();
  }

  /**
   * A normal draw computed as `loc + scale * standardNormal()`, like legacy `normal`.
   * @example new RandomState(7).normal(1.5, 2); // 4.881051407600712
   */
  normal(loc = 0, scale = 1): number {
    checkNormal("normal", loc, scale);
    return loc + scale * this.standardNormal();
  }

  /**
   * `rand()` is one uniform draw in [0, 1); `rand(d0, d1, ...)` is a float64 tensor of that shape
   * filled row-major, exactly as `np.random.rand(d0, d1, ...)`.
   * @example new RandomState(0).rand(2, 3)
   */
  rand(): number;
  rand(...shape: number[]): Tensor;
  rand(...shape: number[]): number | Tensor {
    if (shape.length === 0) return this.randomSample();
    const out = shapeBuffer("rand", shape);
    this.fillRandomSample(out);
    return new Tensor(out, shape);
  }

  /**
   * `randn()` is one standard normal draw; `randn(d0, d1, ...)` is a float64 tensor of that shape
   * filled row-major, exactly as `np.random.randn(d0, d1, ...)` (the course's `W1 = randn(n_h, n_x) * 0.01`).
   * @example const rs = new RandomState(2); const W1 = rs.randn(4, 2).mul(0.01);
   */
  randn(): number;
  randn(...shape: number[]): Tensor;
  randn(...shape: number[]): number | Tensor {
    if (shape.length === 0) return this.standardNormal();
    const out = shapeBuffer("randn", shape);
    this.fillStandardNormal(out);
    return new Tensor(out, shape);
  }

  /**
   * Fills `out` with `randomSample()` draws in index (row-major) order, like `rand(...shape)`.
   * @example const a = new Float64Array(5); new RandomState(0).fillRandomSample(a); // np.random.RandomState(0).rand(5)
   */
  fillRandomSample(out: FloatArray): void {
    checkOut("fillRandomSample", out);
    for (let i = 0; i < out.length; i++) out[i] = this.randomSample();
  }

  /**
   * Fills `out` with standard normal draws in index (row-major) order, like `randn(...shape)`.
   * @example const w = new Float64Array(12); new RandomState(2).fillStandardNormal(w); // np.random.RandomState(2).randn(3, 4)
   */
  fillStandardNormal(out: FloatArray): void {
    checkOut("fillStandardNormal", out);
    for (let i = 0; i < out.length; i++) out[i] = this.standardNormal();
  }

  /**
   * Fills `out` with uniform draws on [low, high), like `uniform(low, high, size)`.
   * @example const a = new Float64Array(3); rs.fillUniform(a, -1, 1);
   */
  fillUniform(out: FloatArray, low = 0, high = 1): void {
    checkOut("fillUniform", out);
    checkUniform("fillUniform", low, high);
    const range = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.randomSample();
  }

  /**
   * Fills `out` with normal draws `loc + scale * standardNormal()`, like `normal(loc, scale, size)`.
   * @example const a = new Float64Array(3); rs.fillNormal(a, 0, 0.01);
   */
  fillNormal(out: FloatArray, loc = 0, scale = 1): void {
    checkOut("fillNormal", out);
    checkNormal("fillNormal", loc, scale);
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.standardNormal();
  }
}

/**
 * Returns the given RandomState, or a new one seeded with the given integer seed.
 * @example toRandomState(3).randomSample() === new RandomState(3).randomSample(); // true
 * @example const rs = new RandomState(1); toRandomState(rs) === rs; // true
 */
export function toRandomState(seedOrState: number | RandomState, op = "RandomState"): RandomState {
  if (seedOrState instanceof RandomState) return seedOrState;
  checkSeed(seedOrState, op); // named for the function called (randn, rand)
  return new RandomState(seedOrState);
}
