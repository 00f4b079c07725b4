/** The main entry under Node (package.json's "node" condition): everything of index.ts, and the GEMM worker armed to start by itself. */
import { availableParallelism } from "node:os";
import { applyGemmThreadsDefault } from "./kernels/wasm/gemmAutoStart.js";
import { nodeGemmWorker } from "./node.js";

// The same public API as index.ts (its names are listed there); this entry only adds the default below.
export * from "./index.js";

// With two or more cores, one unref'd worker_threads worker starts (not waited for) once the process has run
// 512 products' worth of 128³ multiply-adds; later products of ≥ 128³ are split with it. BACKPROP_GEMM_THREADS=1
// turns it off (see gemmAutoStart.ts).
applyGemmThreadsDefault(process.env.BACKPROP_GEMM_THREADS, availableParallelism(), nodeGemmWorker);
