/** A GEMM worker that dies or hangs never stalls a product: it is finished on the calling thread with the same bits. */
import { afterEach, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { FloatArray } from "../../src/kernels/floatArray.js";
import {
  gemm,
  gemmThreadCount,
  setGemmBackend,
  startGemmWorker,
  stopGemmWorker,
  wasmGemmAvailable,
} from "../../src/kernels/gemm.js";
import type { CreateGemmWorker, GemmWorkerHandle } from "../../src/kernels/wasm/gemmWasm.js";
import { gemmWorkerJobs } from "../../src/kernels/wasm/gemmWasm.js";
import { nodeGemmWorker } from "../../src/node.js";
import { type Dims, firstBitDifference, inputs } from "./gemmInputs.js";

// A large product, split by rows between the threads (≥ 128³ multiply-adds).
const DIMS: Dims = [400, 300, 350];
const { a, b } = inputs("float64", DIMS, 17);

function product(): FloatArray {
  const [m, n, k] = DIMS;
  const out = new Float64Array(m * n).fill(Number.NaN);
  gemm(false, false, m, n, k, a, b, out);
  return out;
}

/**
 * Worker-side code run before the worker script: it wraps the module's gemm so the worker misbehaves
 * on its first job — `exit` computes its rows, then ends the worker thread without answering; `hang`
 * blocks forever (alive, but never answers).
 */
function sabotage(mode: "exit" | "hang"): string {
  return `{
  const RealInstance = WebAssembly.Instance;
  WebAssembly.Instance = function (module, imports) {
    const exports = new RealInstance(module, imports).exports;
    const gemm = (...args) => {
      ${mode === "exit" ? "exports.gemm(...args); process.exit(3);" : "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);"}
    };
    return { exports: { ...exports, gemm } };
  };
}
`;
}

describe.runIf(wasmGemmAvailable())("a GEMM worker that fails", () => {
  let oneThread: FloatArray;
  let handle: GemmWorkerHandle | undefined;
  const failures: string[] = [];

  /** Starts a worker_threads GEMM worker (misbehaving as told), keeping its handle and recording failures. */
  async function start(mode: "exit" | "hang" | "healthy", answerTimeoutMs = 1000): Promise<void> {
    failures.length = 0;
    const create = (script: string, onDeath: (reason: string) => void) => {
      handle = nodeGemmWorker(mode === "healthy" ? script : sabotage(mode) + script, onDeath);
      return handle;
    };
    expect(await startGemmWorker(create, { answerTimeoutMs, onFailure: (r) => failures.push(r) })).toBe(true);
    expect(gemmThreadCount()).toBe(2);
  }

  beforeAll(() => {
    setGemmBackend("wasm");
    oneThread = product();
  });

  afterEach(() => stopGemmWorker());

  it("dies in the middle of a product: the product is finished here, bit-identical, and later ones run on one thread", async () => {
    await start("exit");
    expect(firstBitDifference(product(), oneThread)).toBe(-1);
    expect(gemmThreadCount()).toBe(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^the worker did not answer within \d+ ms$/);
    // Later products: correct, on this thread, and no second report when the worker's exit event arrives.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(firstBitDifference(product(), oneThread)).toBe(-1);
    expect(gemmWorkerJobs()).toBe(0);
    expect(failures).toHaveLength(1);
  });

  it("hangs: the product waits a bounded time, then finishes here with the same bits", async () => {
    await start("hang", 50);
    const began = Date.now();
    const result = product();
    const waited = Date.now() - began;
    expect(firstBitDifference(result, oneThread)).toBe(-1);
    expect(failures).toEqual([expect.stringMatching(/^the worker did not answer within \d+ ms$/)]);
    // The bound: 50 ms + 4× the main thread's half, then the product again on one thread — far below 30 s.
    expect(waited).toBeLessThan(30_000);
    expect(gemmThreadCount()).toBe(1);
  });

  it("terminated between products: its exit event stops the split, once, and products stay correct", async () => {
    await start("healthy");
    expect(firstBitDifference(product(), oneThread)).toBe(-1);
    expect(gemmWorkerJobs()).toBe(1);
    await handle?.terminate();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the exit event is delivered
    expect(failures).toEqual(["the worker died: exited with code 1"]);
    expect(gemmThreadCount()).toBe(1);
    const began = Date.now();
    expect(firstBitDifference(product(), oneThread)).toBe(-1);
    expect(Date.now() - began).toBeLessThan(30_000);
    expect(failures).toHaveLength(1);
  });

  it("a normal stop is not a failure", async () => {
    await start("healthy");
    stopGemmWorker();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failures).toEqual([]);
    expect(firstBitDifference(product(), oneThread)).toBe(-1);
  });

  it("a worker that dies while starting makes startGemmWorker resolve false at once", async () => {
    const began = Date.now();
    const create = (script: string, onDeath: (reason: string) => void) =>
      nodeGemmWorker(`process.exit(5);\n${script}`, onDeath);
    await expect(startGemmWorker(create, { startTimeoutMs: 20_000, onFailure: (r) => failures.push(r) })).resolves.toBe(
      false,
    );
    expect(Date.now() - began).toBeLessThan(10_000); // not the 20 s start timeout
    expect(gemmThreadCount()).toBe(1);
  });

  it("the browser's Blob-URL Worker still fits (checked when the tests type-check, with the DOM lib)", () => {
    expectTypeOf<Worker>().toExtend<GemmWorkerHandle>();
    // @ts-expect-error a handle without terminate() does not fit
    expectTypeOf<{ postMessage(m: unknown): void }>().toExtend<GemmWorkerHandle>();
    expectTypeOf<(script: string) => Worker>().toExtend<CreateGemmWorker>();
  });
});
