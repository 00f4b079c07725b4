/** Tests for RandomState: numpy's legacy RandomState streams bit for bit (shared/fixtures made by generate.py). */
// Fixtures: numpy-rng.json, planar-dataset.json (flower data set, uses crSin/crCos), planar-init.json.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ValueError } from "../../src/errors.js";
import { crCos, crSin } from "../../src/math/correctlyRounded.js";
import { MT19937 } from "../../src/random/mt19937.js";
import { RandomState, toRandomState } from "../../src/random/randomState.js";

// The repository lives at <root>/main (or a CI clone) with shared/ beside it: packages/core/test/random -> <root>/shared.
const fixtures = new URL("../../../../../shared/fixtures/", import.meta.url);

interface NdArray {
  shape: number[];
  data: number[];
}
interface RngCase {
  seed: number;
  raw_uint32: number[];
  random_sample_20: number[];
  randn_one_at_a_time_20: number[];
  randn_3x4: NdArray;
  rand_5: number[];
}
interface RngFixture {
  cases: RngCase[];
  interleaved: { seed: number; calls: [string, number][] };
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixtures), "utf8")) as T;
}

/** Exact (bitwise, -0 aware) comparison of two arrays, reporting the first mismatch. */
function expectExact(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${what}[${i}]: got ${actual[i]}, numpy has ${expected[i]}`);
    }
  }
}

const rng = load<RngFixture>("numpy-rng.json");

describe("RandomState vs numpy-rng.json", () => {
  it("covers all six seeds, including 3 and 4294967295", () => {
    expect(rng.cases.map((c) => c.seed)).toEqual([0, 1, 2, 3, 42, 4294967295]);
  });

  for (const c of rng.cases) {
    describe(`seed ${c.seed}`, () => {
      it("raw MT19937 outputs", () => {
        const rs = new RandomState(c.seed);
        expectExact(
          c.raw_uint32.map(() => rs.randomUint32()),
          c.raw_uint32,
          "raw_uint32",
        );
        const mt = new MT19937(c.seed);
        expectExact(
          c.raw_uint32.map(() => mt.nextUint32()),
          c.raw_uint32,
          "MT19937",
        );
      });

      it("random_sample(20) and rand(5)", () => {
        const rs = new RandomState(c.seed);
        expectExact(
          c.random_sample_20.map(() => rs.randomSample()),
          c.random_sample_20,
          "random_sample_20",
        );
        const five = new Float64Array(5);
        new RandomState(c.seed).fillRandomSample(five);
        expectExact(five, c.rand_5, "rand_5");
      });

      it("20 single randn() calls", () => {
        const rs = new RandomState(c.seed);
        expectExact(
          c.randn_one_at_a_time_20.map(() => rs.standardNormal()),
          c.randn_one_at_a_time_20,
          "randn_one_at_a_time_20",
        );
      });

      it("randn(3, 4) in row-major draw order", () => {
        expect(c.randn_3x4.shape).toEqual([3, 4]);
        const out = new Float64Array(12);
        new RandomState(c.seed).fillStandardNormal(out);
        expectExact(out, c.randn_3x4.data, "randn_3x4");
      });
    });
  }

  it("interleaved random_sample / randn calls keep the cached normal", () => {
    const rs = new RandomState(rng.interleaved.seed);
    const got = rng.interleaved.calls.map(([kind]) => (kind === "randn" ? rs.standardNormal() : rs.randomSample()));
    expectExact(
      got,
      rng.interleaved.calls.map(([, v]) => v),
      "interleaved",
    );
  });
});

describe("flower data set (planar-dataset.json) with crSin/crCos", () => {
  const fixture = load<{ X: NdArray; Y: NdArray }>("planar-dataset.json");

  /** np.linspace(a, b, n): a + i * step with step = (b - a) / (n - 1), the last point exactly b. */
  function linspace(a: number, b: number, n: number): Float64Array {
    const out = new Float64Array(n);
    const step = (b - a) / (n - 1);
    for (let i = 0; i < n; i++) out[i] = i * step + a;
    out[n - 1] = b;
    return out;
  }

  it("reproduces X (2, 400) and Y (1, 400) bit for bit", () => {
    const m = 400;
    const N = 200;
    const rs = new RandomState(1);
    const X = new Float64Array(2 * m); // (2, 400) row-major: X[0, i] = r sin t, X[1, i] = r cos t
    const Y = new Float64Array(m);
    for (let j = 0; j < 2; j++) {
      const t = linspace(3.12 * j, 3.12 * (j + 1), N);
      const noiseT = new Float64Array(N);
      rs.fillStandardNormal(noiseT);
      for (let i = 0; i < N; i++) t[i] = t[i] + noiseT[i] * 0.2;
      const noiseR = new Float64Array(N);
      rs.fillStandardNormal(noiseR);
      for (let i = 0; i < N; i++) {
        const r = 4 * crSin(4 * t[i]) + noiseR[i] * 0.2;
        X[N * j + i] = r * crSin(t[i]);
        X[m + N * j + i] = r * crCos(t[i]);
        Y[N * j + i] = j;
      }
    }
    expect(fixture.X.shape).toEqual([2, 400]);
    expect(fixture.Y.shape).toEqual([1, 400]);
    expectExact(X, fixture.X.data, "X");
    expectExact(Y, fixture.Y.data, "Y");
  });
});

describe("course initial parameters (planar-init.json)", () => {
  const fixture = load<{
    cases: { n_x: number; n_h: number; n_y: number; W1: NdArray; b1: NdArray; W2: NdArray; b2: NdArray }[];
  }>("planar-init.json");

  it("covers n_h = 1, 2, 3, 4, 5, 20, 50", () => {
    expect(fixture.cases.map((c) => c.n_h)).toEqual([1, 2, 3, 4, 5, 20, 50]);
  });

  for (const c of fixture.cases) {
    it(`n_h = ${c.n_h}: W1 = randn(n_h, 2) * 0.01, W2 = randn(1, n_h) * 0.01`, () => {
      const rs = new RandomState(2);
      const W1 = new Float64Array(c.n_h * c.n_x);
      rs.fillStandardNormal(W1);
      for (let i = 0; i < W1.length; i++) W1[i] *= 0.01;
      const W2 = new Float64Array(c.n_y * c.n_h);
      rs.fillStandardNormal(W2);
      for (let i = 0; i < W2.length; i++) W2[i] *= 0.01;
      expect(c.W1.shape).toEqual([c.n_h, c.n_x]);
      expect(c.W2.shape).toEqual([c.n_y, c.n_h]);
      expectExact(W1, c.W1.data, "W1");
      expectExact(W2, c.W2.data, "W2");
      expect(c.b1.data.every((v) => v === 0) && c.b2.data.every((v) => v === 0)).toBe(true);
    });
  }
});

describe("RandomState API", () => {
  it("rejects seeds outside [0, 2**32 - 1] or non-integers with a ValueError", () => {
    for (const bad of [-1, 4294967296, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new RandomState(bad)).toThrow(ValueError);
      expect(() => new RandomState(bad)).toThrow(`RandomState: seed must be an integer in [0, 2**32 - 1], got ${bad}`);
      expect(() => new RandomState(0).seed(bad)).toThrow(ValueError);
    }
    expect(() => new RandomState(0)).not.toThrow();
    expect(() => new RandomState(4294967295)).not.toThrow();
  });

  it("seed() restarts the stream and clears the cached normal", () => {
    const rs = new RandomState(5);
    rs.standardNormal(); // caches the pair's second value
    rs.seed(3);
    const fresh = new RandomState(3);
    for (let i = 0; i < 6; i++) expect(rs.standardNormal()).toBe(fresh.standardNormal());
    expect(rs.randomUint32()).toBe(fresh.randomUint32());
  });

  it("uniform and normal follow numpy's legacy formulas", () => {
    // np.random.RandomState(7).uniform(-2, 3) and .normal(1.5, 2.0)
    expect(new RandomState(7).uniform(-2, 3)).toBe(-1.618458553130214);
    expect(new RandomState(7).normal(1.5, 2)).toBe(4.881051407600712);
    const a = new RandomState(11);
    const b = new RandomState(11);
    for (let i = 0; i < 10; i++) {
      expect(a.uniform()).toBe(b.randomSample());
      expect(a.normal()).toBe(b.standardNormal());
      expect(a.uniform(10, 12)).toBe(10 + 2 * b.randomSample());
      expect(a.normal(-3, 0.5)).toBe(-3 + 0.5 * b.standardNormal());
    }
  });

  it("fill methods draw in order and round into Float32Array like astype(float32)", () => {
    const a = new RandomState(9);
    const b = new RandomState(9);
    const f64 = new Float64Array(7);
    const f32 = new Float32Array(7);
    a.fillUniform(f64, -1, 1);
    b.fillUniform(f32, -1, 1);
    expectExact(f32, Array.from(f64, Math.fround), "fillUniform f32");
    a.fillNormal(f64, 2, 3);
    b.fillNormal(f32, 2, 3);
    expectExact(f32, Array.from(f64, Math.fround), "fillNormal f32");
    const c = new RandomState(9);
    const seq = [...Array.from({ length: 7 }, () => c.uniform(-1, 1))];
    const d = new RandomState(9);
    const g = new Float64Array(7);
    d.fillUniform(g, -1, 1);
    expectExact(g, seq, "fillUniform order");
  });

  it("validates distribution parameters with ValueErrors naming the method and values", () => {
    const rs = new RandomState(0);
    expect(() => rs.normal(0, -1)).toThrow(ValueError);
    expect(() => rs.normal(0, -1)).toThrow(
      "RandomState.normal: loc must be finite and scale a finite number >= 0, got loc=0, scale=-1",
    );
    expect(() => rs.normal(Number.NaN, 1)).toThrow(ValueError);
    expect(() => rs.fillNormal(new Float64Array(2), 0, Number.NaN)).toThrow("RandomState.fillNormal");
    expect(() => rs.uniform(0, Number.POSITIVE_INFINITY)).toThrow(
      "RandomState.uniform: low and high must be finite numbers, got low=0, high=Infinity",
    );
    expect(() => rs.uniform(-1.7e308, 1.7e308)).toThrow("high - low overflows");
    expect(() => rs.fillUniform(new Float64Array(2), Number.NaN, 1)).toThrow(ValueError);
    expect(rs.normal(4, 0)).toBe(4); // scale 0 is allowed, as in numpy
  });

  it("toRandomState passes a RandomState through and seeds from a number", () => {
    const rs = new RandomState(1);
    expect(toRandomState(rs)).toBe(rs);
    expect(toRandomState(3).randomSample()).toBe(new RandomState(3).randomSample());
    expect(() => toRandomState(-5)).toThrow(ValueError);
  });
});
