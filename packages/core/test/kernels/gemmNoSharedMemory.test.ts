/** Where SharedArrayBuffer is absent (node --no-harmony-sharedarraybuffer, a page that is not cross-origin isolated) the GEMM worker is never created: false, one thread, the same bits. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FloatArray } from "../../src/kernels/floatArray.js";
import {
  gemm,
  gemmThreadCount,
  setGemmBackend,
  startGemmWorker,
  stopGemmWorker,
  wasmGemmAvailable,
} from "../../src/kernels/gemm.js";
import { type CreateGemmWorker, gemmAutoStartArmed, setGemmAutoStart } from "../../src/kernels/wasm/gemmWasm.js";
import { type Dims, firstBitDifference, inputs } from "./gemmInputs.js";

const DIMS: Dims = [130, 129, 131]; // ≥ 128³ multiply-adds: worth splitting
const { a, b } = inputs("float64", DIMS, 5);

function product(): FloatArray {
  const [m, n, k] = DIMS;
  const out = new Float64Array(m * n).fill(Number.NaN);
  gemm(false, false, m, n, k, a, b, out);
  return out;
}

// Posting shared memory to a worker when the engine has SharedArrayBuffer turned off aborts the whole process in V8
// (node --no-harmony-sharedarraybuffer: "Check failed: i::v8_flags.harmony_sharedarraybuffer"), so the worker must
// not even be created there. Here the global is removed, as that flag (or a browser page) leaves it.
describe.runIf(wasmGemmAvailable())("the GEMM worker without SharedArrayBuffer", () => {
  const global = globalThis as { SharedArrayBuffer?: SharedArrayBufferConstructor };
  const original = global.SharedArrayBuffer;
  const created: string[] = [];
  const create: CreateGemmWorker = (script) => {
    created.push(script);
    throw new Error("the worker must not be created without SharedArrayBuffer");
  };

  beforeEach(() => {
    setGemmBackend("wasm");
    created.length = 0;
    delete global.SharedArrayBuffer;
  });
  afterEach(() => {
    global.SharedArrayBuffer = original;
    stopGemmWorker();
    setGemmAutoStart(undefined);
    setGemmBackend("auto");
  });

  it("startGemmWorker resolves false without creating a worker", async () => {
    const oneThread = (() => {
      global.SharedArrayBuffer = original;
      try {
        return product();
      } finally {
        delete global.SharedArrayBuffer;
      }
    })();
    expect(await startGemmWorker(create)).toBe(false);
    expect(created).toEqual([]);
    expect(gemmThreadCount()).toBe(1);
    expect(firstBitDifference(product(), oneThread)).toBe(-1);
  });

  it("the automatic start makes no worker either, and is used up", () => {
    setGemmAutoStart(create, 0);
    product(); // launches at once (afterWork 0): the one attempt
    expect(created).toEqual([]);
    expect(gemmAutoStartArmed()).toBe(false);
    expect(gemmThreadCount()).toBe(1);
  });
});
