/** The GEMM kernels with k = 0, m = 0 or n = 0: C = 0 (m×n) and nothing written outside C, in TS and in both wasm kernels. */
import { afterEach, describe, expect, it } from "vitest";
import { gemm, setGemmBackend, wasmGemmAvailable } from "../../src/kernels/gemm.js";
import { setUnpackedWork, wasmGemm } from "../../src/kernels/wasm/gemmWasm.js";

/** Outputs pre-filled with NaN, one element longer than C: a kernel must overwrite C with zeros and leave the rest. */
function garbage(dtype: "float64" | "float32", m: number, n: number) {
  const out = dtype === "float64" ? new Float64Array(m * n + 1) : new Float32Array(m * n + 1);
  return out.fill(Number.NaN);
}

const dims: [number, number, number][] = [
  [40, 50, 0], // k = 0: the zero matrix (2,0)·(0,3) at a size the packed kernel would take
  [2, 3, 0],
  [0, 7, 5], // m = 0
  [6, 0, 5], // n = 0
];

describe("gemm with zero-size dimensions", () => {
  afterEach(() => {
    setUnpackedWork(16 * 16 * 16);
    setGemmBackend("auto");
  });

  for (const [m, n, k] of dims) {
    for (const dtype of ["float64", "float32"] as const) {
      const ones = (len: number) => (dtype === "float64" ? new Float64Array(len) : new Float32Array(len)).fill(1);
      for (const [tA, tB] of [
        [false, false],
        [true, true],
      ] as const) {
        it(`${m}×${n}×${k} ${dtype} transA=${tA} transB=${tB}: C is zeros, nothing past it is written`, () => {
          const check = (out: Float64Array | Float32Array) => {
            expect(Array.from(out.subarray(0, m * n))).toEqual(Array(m * n).fill(0));
            expect(out[m * n]).toBeNaN();
          };
          for (const backend of ["js", "wasm"] as const) {
            setGemmBackend(backend);
            const out = garbage(dtype, m, n);
            gemm(tA, tB, m, n, k, ones(m * k), ones(k * n), out);
            check(out);
          }
          // The wasm kernels themselves (gemm() answers k = 0 before reaching them): packed and unpacked.
          if (!wasmGemmAvailable() || m === 0 || n === 0) return;
          for (const crossover of [-1, Number.POSITIVE_INFINITY]) {
            setUnpackedWork(crossover); // −1: packed even for 0 multiply-adds; ∞: unpacked
            const out = garbage(dtype, m, n);
            expect(wasmGemm(tA, tB, m, n, k, ones(m * k), ones(k * n), out.subarray(0, m * n))).toBe(true);
            check(out);
          }
        });
      }
    }
  }
});
