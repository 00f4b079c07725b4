/** Tests of the GEMM worker: products split between the main thread and a worker_threads worker are bit-identical to one thread's. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValueError } from "../../src/errors.js";
import { applyEpilogue, type Epilogue, type EpilogueActivation } from "../../src/kernels/epilogue.js";
import type { DType, FloatArray } from "../../src/kernels/floatArray.js";
import {
  gemm,
  gemmThreadCount,
  setGemmBackend,
  setGemmThreads,
  startGemmWorker,
  stopGemmWorker,
  wasmGemmAvailable,
} from "../../src/kernels/gemm.js";
import { gemmWorkerJobs } from "../../src/kernels/wasm/gemmWasm.js";
import { startGemmWorkerThread } from "../../src/node.js";
import { type Dims, firstBitDifference, inputs, randomArray } from "./gemmInputs.js";

// Large enough to be split (≥ 128³ multiply-adds): tall C splits by rows, wide C by columns, with
// ragged edges against the 5-row and 8-column tiles and several k-blocks.
const SPLIT_SHAPES: Dims[] = [
  [130, 129, 131],
  [257, 64, 300],
  [17, 611, 420],
  [9, 2100, 130], // wider than NC (2048)
];
const TRANS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

function product(dtype: DType, tA: boolean, tB: boolean, [m, n, k]: Dims, a: FloatArray, b: FloatArray): FloatArray {
  const out = dtype === "float64" ? new Float64Array(m * n) : new Float32Array(m * n);
  out.fill(Number.NaN);
  gemm(tA, tB, m, n, k, a, b, out);
  return out;
}

interface Case {
  label: string;
  run: () => FloatArray;
  oneThread: FloatArray;
}

describe.runIf(wasmGemmAvailable())("gemm worker", () => {
  const cases: Case[] = [];

  beforeAll(async () => {
    setGemmBackend("wasm");
    // One-thread results first, then the same products with the worker.
    let seed = 3;
    for (const dims of SPLIT_SHAPES) {
      for (const [tA, tB] of TRANS) {
        for (const dtype of ["float64", "float32"] as const) {
          const { a, b } = inputs(dtype, dims, seed++);
          const run = () => product(dtype, tA, tB, dims, a, b);
          cases.push({ label: `${dtype} ${dims.join("×")} tA=${tA} tB=${tB}`, run, oneThread: run() });
        }
      }
    }
    expect(await startGemmWorkerThread()).toBe(true);
  });

  afterAll(() => {
    stopGemmWorker();
    setGemmThreads(2);
    setGemmBackend("auto");
  });

  it("runs on two threads once started", () => {
    expect(gemmThreadCount()).toBe(2);
  });

  it("splits large products and gives the one-thread bits", () => {
    for (const c of cases) {
      const before = gemmWorkerJobs();
      const twoThreads = c.run();
      expect(gemmWorkerJobs(), c.label).toBe(before + 1);
      expect(firstBitDifference(twoThreads, c.oneThread), c.label).toBe(-1);
    }
  });

  it("stores both threads' blocks through an epilogue with the one-thread bits", () => {
    // Bias (m, 1) on tall C (rows split) and (1, n) on wide C (columns split), each activation.
    const activations: EpilogueActivation[] = ["relu", "tanh", "sigmoid"];
    let seed = 500;
    for (const dims of SPLIT_SHAPES) {
      const [m, n] = dims;
      for (const dtype of ["float64", "float32"] as const) {
        const activation = activations[seed % 3];
        const { a, b } = inputs(dtype, dims, seed++);
        const column = m >= n;
        const bias = randomArray(dtype, column ? m : n, seed++);
        const run = (threads: 1 | 2) => {
          setGemmThreads(threads);
          const z = dtype === "float64" ? new Float64Array(m * n) : new Float32Array(m * n);
          const e: Epilogue = { bias, rowStride: column ? 1 : 0, colStride: column ? 0 : 1, activation, a: z.slice() };
          const before = gemmWorkerJobs();
          gemm(false, true, m, n, dims[2], a, b, z, e);
          return { z, a: e.a as FloatArray, jobs: gemmWorkerJobs() - before };
        };
        const one = run(1);
        const two = run(2);
        const label = `${dtype} ${dims.join("×")} ${activation}`;
        expect([one.jobs, two.jobs], label).toEqual([0, 1]);
        expect(firstBitDifference(two.z, one.z), label).toBe(-1);
        expect(firstBitDifference(two.a, one.a), label).toBe(-1);
        // And the one-thread result is the plain product with the epilogue applied afterwards.
        const plain = dtype === "float64" ? new Float64Array(m * n) : new Float32Array(m * n);
        gemm(false, true, m, n, dims[2], a, b, plain);
        const expected = { bias, rowStride: column ? 1 : 0, colStride: column ? 0 : 1, activation, a: plain.slice() };
        applyEpilogue(plain, 0, plain, m, n, expected);
        expect(firstBitDifference(one.z, plain), label).toBe(-1);
        expect(firstBitDifference(one.a, expected.a), label).toBe(-1);
      }
    }
    setGemmThreads(2);
  });

  it("keeps small products on the calling thread", () => {
    const dims: Dims = [4, 400, 2]; // the course's W1·X
    const { a, b } = inputs("float64", dims, 99);
    const before = gemmWorkerJobs();
    product("float64", false, false, dims, a, b);
    expect(gemmWorkerJobs()).toBe(before);
  });

  it("setGemmThreads(1) leaves the worker idle without changing results", () => {
    setGemmThreads(1);
    expect(gemmThreadCount()).toBe(1);
    const before = gemmWorkerJobs();
    const c = cases[0];
    expect(firstBitDifference(c.run(), c.oneThread)).toBe(-1);
    expect(gemmWorkerJobs()).toBe(before);
    setGemmThreads(2);
    expect(gemmThreadCount()).toBe(2);
    expect(() => setGemmThreads(3 as 2)).toThrow(new ValueError("setGemmThreads", "count must be 1 or 2, got 3"));
  });

  it("goes back to one thread after stopGemmWorker", () => {
    stopGemmWorker();
    expect(gemmThreadCount()).toBe(1);
    expect(gemmWorkerJobs()).toBe(0);
    const c = cases[cases.length - 1];
    expect(firstBitDifference(c.run(), c.oneThread)).toBe(-1);
  });

  it("reports false when the worker cannot be created or never starts", async () => {
    await expect(
      startGemmWorker(() => {
        throw new Error("no workers here");
      }),
    ).resolves.toBe(false);
    let terminated = false;
    const silent = { postMessage() {}, terminate: () => (terminated = true) };
    await expect(startGemmWorker(() => silent, 50)).resolves.toBe(false);
    expect(terminated).toBe(true);
    expect(gemmThreadCount()).toBe(1);
  });
});
