/** Node-only helpers (`@backprop/core/node`): the GEMM worker as a `worker_threads` worker. */
import { Worker } from "node:worker_threads";
import { type GemmWorkerHandle, type GemmWorkerOptions, startGemmWorker } from "./kernels/gemm.js";

/**
 * Makes the GEMM worker as a `worker_threads` worker (unref'd, so it never keeps the process alive),
 * reporting its "error" and "exit" events to `onDeath`: the `create` function `startGemmWorkerThread`
 * passes to `startGemmWorker`. Wrap it to keep a handle on the worker.
 * @example await startGemmWorker((script, onDeath) => nodeGemmWorker(script, onDeath));
 */
export function nodeGemmWorker(script: string, onDeath: (reason: string) => void): GemmWorkerHandle {
  // The script is written for browser workers; here its `self` is the parent port (an EventTarget).
  // import(), not require: eval'd code runs as an ES module under `node --input-type=module` (which
  // workers inherit, as they do NODE_OPTIONS). Messages posted meanwhile wait in the port.
  const source = `import("node:worker_threads").then((threads) => (function (self) {\n${script}\n})(threads.parentPort));`;
  const worker = new Worker(source, { eval: true });
  worker.on("error", (error: Error) => onDeath(`error: ${error.message}`));
  worker.on("exit", (code: number) => onDeath(`exited with code ${code}`));
  worker.unref();
  return worker;
}

/**
 * Starts one `worker_threads` worker that takes half of every large matrix product (two cores for
 * W·X-sized products; small ones stay on the calling thread). Resolves true once the worker runs, false
 * where it cannot (no WebAssembly under `node --jitless`, no SharedArrayBuffer, or the permission model
 * without `--allow-worker`), without a warning.
 * The worker is unref'd, so it never keeps the process alive; `stopGemmWorker()` ends it.
 * Results are bit-identical with and without it. If the worker dies or stops answering, the product
 * in progress finishes on the calling thread and later ones stay there (see `startGemmWorker`'s options).
 * Call it once, early; on a machine whose second core is busy it may not pay — `pnpm bench` reports both.
 */
export function startGemmWorkerThread(options: GemmWorkerOptions = {}): Promise<boolean> {
  return startGemmWorker(nodeGemmWorker, options);
}
