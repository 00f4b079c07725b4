/** The GEMM worker in the bench: started once per workload process, switched on per contender so 1- and 2-thread runs interleave. */
import { setGemmThreads } from "@backprop/core";
import { startGemmWorkerThread } from "@backprop/core/node";
import type { Contender } from "./harness.js";

/** Starts the worker and leaves products on one thread until a `twoThreads` contender runs; false if it did not start. */
export async function startBenchWorker(): Promise<boolean> {
  const started = await startGemmWorkerThread();
  setGemmThreads(1);
  return started;
}

/** The same contender with large products split over the main thread and the worker. */
export function twoThreads(c: Contender): Contender {
  return {
    ...c,
    name: `${c.name}, 2 threads`,
    run() {
      setGemmThreads(2);
      try {
        return c.run();
      } finally {
        setGemmThreads(1);
      }
    },
  };
}

/** The note a workload adds when the worker did not start (its 2-thread rows are then missing). */
export const NO_WORKER_NOTE = "the GEMM worker did not start here: no 2-thread rows";
