/** One workload in its own process (a clean JIT, its own peak RSS): prints its WorkloadResult as a JSON line. */
import { setGemmThreads } from "@backprop/core";
import { runJvp } from "./jvpSuite.js";
import { runMatmul } from "./matmulSuite.js";
import { RSS_CASES, type RssCase, runHeap, runRss } from "./memory.js";
import { type BenchOptions, RESULT_PREFIX, type WorkloadResult } from "./results.js";
import { runMlp, runOverhead, runPlanar } from "./suite.js";

async function run(task: string, o: BenchOptions): Promise<WorkloadResult> {
  if (task === "planar") return runPlanar(o);
  if (task === "mlp") return runMlp(o);
  if (task === "matmul") return runMatmul(o);
  if (task === "overhead") return runOverhead(o);
  if (task === "jvp") return runJvp(o);
  if (task === "heap") return runHeap(o);
  if (task.startsWith("rss:") && (RSS_CASES as readonly string[]).includes(task.slice(4))) {
    return runRss(task.slice(4) as RssCase, o);
  }
  throw new Error(`unknown bench task ${task}`);
}

const [task, options] = process.argv.slice(2);
// Rows are one-thread unless labelled "2 threads" (threads.ts switches the worker on per contender): no
// worker starts by itself in a bench process (as BACKPROP_GEMM_THREADS=1 would do).
setGemmThreads(1);
const result = await run(task, JSON.parse(options) as BenchOptions);
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
