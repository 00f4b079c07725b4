/** Tests of the GEMM worker's automatic start: armed by the Node entry's default, started after enough large products, off by BACKPROP_GEMM_THREADS=1 or setGemmThreads(1), same bits. */
import { availableParallelism } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import type { DType, FloatArray } from "../../src/kernels/floatArray.js";
import {
  gemm,
  gemmThreadCount,
  setGemmBackend,
  setGemmThreads,
  stopGemmWorker,
  wasmGemmAvailable,
} from "../../src/kernels/gemm.js";
import { applyGemmThreadsDefault } from "../../src/kernels/wasm/gemmAutoStart.js";
import {
  AUTO_START_WORK,
  gemmAutoStartArmed,
  gemmWorkerJobs,
  setGemmAutoStart,
} from "../../src/kernels/wasm/gemmWasm.js";
import { nodeGemmWorker } from "../../src/node.js";
import { type Dims, firstBitDifference, inputs } from "./gemmInputs.js";

const LARGE: Dims = [130, 129, 131]; // ≥ 128³ multiply-adds: worth splitting
const SMALL: Dims = [4, 400, 2]; // the course's W1·X

function product(dtype: DType, [m, n, k]: Dims, a: FloatArray, b: FloatArray): FloatArray {
  const out = dtype === "float64" ? new Float64Array(m * n) : new Float32Array(m * n);
  out.fill(Number.NaN);
  gemm(false, false, m, n, k, a, b, out);
  return out;
}

/** Waits (at most 10 s) until the worker says READY. */
async function untilTwoThreads(): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (gemmThreadCount() !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return gemmThreadCount() === 2;
}

describe.runIf(wasmGemmAvailable())("the GEMM worker's automatic start", () => {
  afterEach(() => {
    stopGemmWorker(); // also disarms
    setGemmThreads(2);
    setGemmBackend("auto");
  });

  it("the Node entry arms it where there are two cores and BACKPROP_GEMM_THREADS is not 1", async () => {
    const setting = process.env.BACKPROP_GEMM_THREADS;
    await import("../../src/index.node.js");
    expect(gemmAutoStartArmed()).toBe(
      setting?.trim() === "2" || (setting?.trim() !== "1" && availableParallelism() >= 2),
    );
  });

  it("small products never start it; large ones do after AUTO_START_WORK, not waiting for it, and later ones split with the same bits", async () => {
    setGemmBackend("wasm");
    for (const dtype of ["float64", "float32"] as const) {
      stopGemmWorker();
      const large = inputs(dtype, LARGE, 7);
      const oneThread = product(dtype, LARGE, large.a, large.b); // before arming: the reference bits
      expect(applyGemmThreadsDefault(undefined, 2, nodeGemmWorker)).toBe(true);
      const small = inputs(dtype, SMALL, 8);
      product(dtype, SMALL, small.a, small.b);
      expect(gemmAutoStartArmed()).toBe(true); // still waiting for a large product
      expect(gemmThreadCount()).toBe(1);
      // AUTO_START_WORK of large products on one thread, then the one that starts the worker without waiting for it.
      const [m, n, k] = LARGE;
      const products = Math.ceil(AUTO_START_WORK / (m * n * k)) + 1;
      for (let i = 0; i < products; i++) {
        expect(gemmAutoStartArmed(), `product ${i}`).toBe(true);
        expect(firstBitDifference(product(dtype, LARGE, large.a, large.b), oneThread)).toBe(-1);
      }
      expect(gemmAutoStartArmed()).toBe(false);
      expect(await untilTwoThreads()).toBe(true);
      const before = gemmWorkerJobs();
      expect(firstBitDifference(product(dtype, LARGE, large.a, large.b), oneThread)).toBe(-1);
      expect(gemmWorkerJobs()).toBe(before + 1);
    }
  });

  it("BACKPROP_GEMM_THREADS=1 turns it off: setGemmThreads(1), nothing armed, no worker after a large product", () => {
    expect(applyGemmThreadsDefault("1", 2, nodeGemmWorker)).toBe(false);
    expect(gemmAutoStartArmed()).toBe(false);
    expect(gemmThreadCount()).toBe(1);
    const { a, b } = inputs("float64", LARGE, 9);
    setGemmThreads(2);
    product("float64", LARGE, a, b);
    expect(gemmThreadCount()).toBe(1);
    expect(gemmWorkerJobs()).toBe(0);
  });

  it("is armed on one core only by BACKPROP_GEMM_THREADS=2, and a bad value is reported and ignored", () => {
    expect(applyGemmThreadsDefault(undefined, 1, nodeGemmWorker)).toBe(false);
    expect(applyGemmThreadsDefault("", 1, nodeGemmWorker)).toBe(false);
    expect(gemmAutoStartArmed()).toBe(false);
    expect(applyGemmThreadsDefault(" 2 ", 1, nodeGemmWorker)).toBe(true);
    expect(gemmAutoStartArmed()).toBe(true);
    setGemmAutoStart(undefined);
    const warnings: string[] = [];
    expect(applyGemmThreadsDefault("four", 2, nodeGemmWorker, (m) => warnings.push(m))).toBe(true);
    expect(warnings).toEqual(["backprop: BACKPROP_GEMM_THREADS must be 1 or 2, got 'four'; ignored"]);
  });

  it.each(["0", "3", "abc", "1.5", "-1", "02"])(
    "BACKPROP_GEMM_THREADS=%s is reported once by name and leaves the default (armed on two cores only)",
    (setting) => {
      for (const cores of [1, 2]) {
        const warnings: string[] = [];
        expect(applyGemmThreadsDefault(setting, cores, nodeGemmWorker, (m) => warnings.push(m))).toBe(cores >= 2);
        expect(gemmAutoStartArmed()).toBe(cores >= 2);
        expect(warnings).toEqual([`backprop: BACKPROP_GEMM_THREADS must be 1 or 2, got '${setting}'; ignored`]);
        setGemmAutoStart(undefined);
      }
    },
  );

  it("setGemmThreads(1) holds it back until setGemmThreads(2); stopGemmWorker() disarms it", async () => {
    const { a, b } = inputs("float64", LARGE, 10);
    setGemmAutoStart(nodeGemmWorker, 0); // the first large product starts it
    setGemmThreads(1);
    product("float64", LARGE, a, b);
    expect(gemmAutoStartArmed()).toBe(true);
    setGemmThreads(2);
    product("float64", LARGE, a, b);
    expect(gemmAutoStartArmed()).toBe(false);
    expect(await untilTwoThreads()).toBe(true);
    stopGemmWorker();
    setGemmAutoStart(nodeGemmWorker, 0);
    stopGemmWorker();
    product("float64", LARGE, a, b);
    expect(gemmAutoStartArmed()).toBe(false);
    expect(gemmThreadCount()).toBe(1);
  });
});
