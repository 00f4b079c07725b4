/** Tests of the gemm kernels: TS and wasm paths against a naive triple loop, and float64 bit-identity between them. */
import { propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { afterEach, describe, expect, it } from "vitest";
import type { DType, FloatArray } from "../../src/kernels/floatArray.js";
import { type GemmBackend, gemm, setGemmBackend, wasmGemmAvailable } from "../../src/kernels/gemm.js";
import { setUnpackedWork } from "../../src/kernels/wasm/gemmWasm.js";
import { type Dims, firstBitDifference, inputs } from "./gemmInputs.js";

const TRANS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Naive float64 reference and, per element, Σ|a·b| (the scale of the rounding error). */
function reference(tA: boolean, tB: boolean, [m, n, k]: Dims, a: FloatArray, b: FloatArray) {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
        s += x;
        t += Math.abs(x);
      }
      value[i * n + j] = s;
      scale[i * n + j] = t;
    }
  }
  return { value, scale };
}

function run(backend: GemmBackend, tA: boolean, tB: boolean, [m, n, k]: Dims, a: FloatArray, b: FloatArray) {
  setGemmBackend(backend);
  const out = a instanceof Float64Array ? new Float64Array(m * n) : new Float32Array(m * n);
  out.fill(Number.NaN); // gemm must overwrite, not accumulate
  gemm(tA, tB, m, n, k, a, b, out);
  return out;
}

/** Largest error relative to Σ|a·b| (plus the element's own size), so exact zeros stay exact. */
function maxRelError(got: FloatArray, ref: { value: Float64Array; scale: Float64Array }): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - ref.value[i]);
    if (err === 0) continue;
    const rel = err / (ref.scale[i] + Math.abs(ref.value[i]));
    if (!(rel <= worst)) worst = rel; // NaN propagates as a failure
  }
  return worst;
}

// Tile sizes: TS 4×4, wasm 5×4 (f64) / 5×8 (f32); KC 256; MC 128 (TS) / 120 (wasm); NC 2048.
const SHAPES: Dims[] = [
  [0, 0, 0],
  [0, 3, 2],
  [3, 0, 2],
  [3, 4, 0],
  [1, 1, 1],
  [1, 1, 7],
  [1, 7, 1],
  [7, 1, 1],
  [4, 400, 2], // the course's (4,2)·(2,400)
  [1, 400, 4], // (1,4)·(4,400)
  [2, 3, 5],
  [5, 4, 3],
  [5, 8, 16],
  [6, 9, 11],
  [13, 17, 19],
  [31, 29, 37],
  [40, 40, 40],
  [64, 64, 64],
  [67, 71, 73],
  [121, 33, 9],
  [131, 127, 129],
  [100, 90, 257], // crosses one k-block boundary
  [37, 41, 600], // several k-blocks, ragged last block
  [1, 1, 1000],
  [250, 11, 300], // crosses MC of both kernels
  [3, 2053, 5], // crosses NC
  [2, 2051, 270], // crosses NC and KC
  [10, 16, 7], // full A and B panels packed by vectors, kc mod 4 = 3 left one by one
  [15, 24, 262], // the same after a k-block of 256: kc = 6 leaves a float32 tail of 2, none in float64
  [20, 8, 4], // kc equal to one float32 vector: no tail
];

const haveWasm = wasmGemmAvailable();

describe("gemm", () => {
  afterEach(() => setGemmBackend("auto"));

  it("has the SIMD128 module available in Node", () => {
    expect(haveWasm).toBe(true);
  });

  for (const dims of SHAPES) {
    for (const [tA, tB] of TRANS) {
      const label = `${dims.join("×")} transA=${tA} transB=${tB}`;

      it(`float64 ${label}: TS matches the naive loop; wasm and auto are bit-identical to TS`, () => {
        const { a, b } = inputs("float64", dims, 17);
        const ref = reference(tA, tB, dims, a, b);
        const js = run("js", tA, tB, dims, a, b);
        expect(maxRelError(js, ref)).toBeLessThan(1e-12);
        const wasm = run("wasm", tA, tB, dims, a, b);
        expect(firstBitDifference(wasm, js)).toBe(-1);
        const auto = run("auto", tA, tB, dims, a, b);
        expect(firstBitDifference(auto, js)).toBe(-1);
      });

      it(`float32 ${label}: TS rounds once; wasm within float32 accumulation error`, () => {
        const { a, b } = inputs("float32", dims, 29);
        const ref = reference(tA, tB, dims, a, b);
        const js = run("js", tA, tB, dims, a, b);
        // One rounding of a float64-accurate sum: half an ulp of float32.
        expect(maxRelError(js, ref)).toBeLessThanOrEqual(2 ** -24 + 1e-12);
        const wasm = run("wasm", tA, tB, dims, a, b);
        // k f32 additions (KC-blocked): the classic (k+1)·u bound.
        expect(maxRelError(wasm, ref)).toBeLessThanOrEqual((dims[2] + 2) * 2 ** -24);
      });
    }
  }

  it("writes zeros when k = 0 and leaves out alone when m·n = 0", () => {
    const out = new Float64Array([5, 5, 5, 5, 5, 5]);
    gemm(false, false, 2, 3, 0, new Float64Array(0), new Float64Array(0), out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    const untouched = new Float32Array([7]);
    gemm(true, true, 0, 4, 3, new Float32Array(0), new Float32Array(12), untouched);
    expect(untouched[0]).toBe(7);
  });

  it("computes a small product exactly", () => {
    // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]
    for (const backend of ["js", "wasm"] as const) {
      for (const dtype of ["float64", "float32"] as const) {
        setGemmBackend(backend);
        const make = (v: number[]) => (dtype === "float64" ? new Float64Array(v) : new Float32Array(v));
        const out = make([0, 0, 0, 0]);
        gemm(false, false, 2, 2, 2, make([1, 2, 3, 4]), make([5, 6, 7, 8]), out);
        expect(Array.from(out)).toEqual([19, 22, 43, 50]);
        // Aᵀ·Bᵀ with the same buffers: A read as [[1,3],[2,4]], B as [[5,7],[6,8]].
        gemm(true, true, 2, 2, 2, make([1, 2, 3, 4]), make([5, 6, 7, 8]), out);
        expect(Array.from(out)).toEqual([23, 31, 34, 46]);
      }
    }
  });

  it("propagates NaN and infinities only to the affected elements", () => {
    const a = new Float64Array(6 * 7).fill(1);
    const b = new Float64Array(7 * 9).fill(1);
    a[2 * 7 + 3] = Number.NaN; // row 2 of A
    b[4 * 9 + 5] = Number.POSITIVE_INFINITY; // column 5 of B
    for (const backend of ["js", "wasm"] as const) {
      const out = run(backend, false, false, [6, 9, 7], a, b);
      for (let i = 0; i < 6; i++) {
        for (let j = 0; j < 9; j++) {
          const expected = i === 2 ? Number.NaN : j === 5 ? Number.POSITIVE_INFINITY : 7;
          expect(out[i * 9 + j]).toBe(expected);
        }
      }
    }
  });
});

describe.runIf(haveWasm)("wasm kernels: packed and unpacked", () => {
  afterEach(() => {
    setUnpackedWork(16 * 16 * 16);
    setGemmBackend("auto");
  });

  /** The wasm product with the crossover moved so that every product takes one kernel. */
  function withKernel(
    kernel: "packed" | "unpacked",
    tA: boolean,
    tB: boolean,
    dims: Dims,
    a: FloatArray,
    b: FloatArray,
  ) {
    setUnpackedWork(kernel === "packed" ? 0 : Number.POSITIVE_INFINITY);
    return run("wasm", tA, tB, dims, a, b);
  }

  for (const dims of SHAPES) {
    for (const [tA, tB] of TRANS) {
      it(`${dims.join("×")} transA=${tA} transB=${tB}: both kernels give the same bits (float64 also the TS bits)`, () => {
        const d64 = inputs("float64", dims, 41);
        const js = run("js", tA, tB, dims, d64.a, d64.b);
        expect(firstBitDifference(withKernel("packed", tA, tB, dims, d64.a, d64.b), js)).toBe(-1);
        expect(firstBitDifference(withKernel("unpacked", tA, tB, dims, d64.a, d64.b), js)).toBe(-1);
        const d32 = inputs("float32", dims, 43);
        const packed32 = withKernel("packed", tA, tB, dims, d32.a, d32.b);
        expect(firstBitDifference(withKernel("unpacked", tA, tB, dims, d32.a, d32.b), packed32)).toBe(-1);
      });
    }
  }
});

describe("gemm property", () => {
  afterEach(() => setGemmBackend("auto"));

  test.prop(
    [
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 300 }),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom<DType>("float64", "float32"),
      fc.integer(),
    ],
    propertyParams(150),
  )("TS and wasm agree with the naive loop for random shapes", (m, n, k, tA, tB, dtype, seed) => {
    const dims: Dims = [m, n, k];
    const { a, b } = inputs(dtype, dims, seed);
    const ref = reference(tA, tB, dims, a, b);
    const js = run("js", tA, tB, dims, a, b);
    const wasm = run("wasm", tA, tB, dims, a, b);
    if (dtype === "float64") {
      expect(maxRelError(js, ref)).toBeLessThan(1e-12);
      expect(firstBitDifference(wasm, js)).toBe(-1);
    } else {
      expect(maxRelError(js, ref)).toBeLessThanOrEqual(2 ** -24 + 1e-12);
      expect(maxRelError(wasm, ref)).toBeLessThanOrEqual((k + 2) * 2 ** -24);
    }
  });
});
