/** Node-only helpers (`@backprop/core/node`): the GEMM worker as a `worker_threads` worker. */
import { Worker } from "node:worker_threads";
import { startGemmWorker } from "./kernels/gemm.js";

/**
 * Starts one `worker_threads` worker that takes half of every large matrix product (two cores for
 * W·X-sized products; small ones stay on the calling thread). Resolves true once the worker runs.
 * The worker is unref'd, so it never keeps the process alive; `stopGemmWorker()` ends it.
 * Results are bit-identical with and without it. Call it once, early; on a machine whose second
 * core is busy it may not pay — `pnpm bench` reports both.
 */
export function startGemmWorkerThread(): Promise<boolean> {
  return startGemmWorker((script) => {
    // The script is written for browser workers; here its `self` is the parent port (an EventTarget).
    const worker = new Worker(`const self = require("node:worker_threads").parentPort;\n${script}`, { eval: true });
    worker.unref();
    return worker;
  });
}
