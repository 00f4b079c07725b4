/** Memory: peak RSS of one implementation per process, and heap growth over many planar steps (needs --expose-gc). */
import { mlpData, planarData } from "./data.js";
import { collectGarbage } from "./harness.js";
import { mlpCore, mlpFloor } from "./mlp.js";
import { planarCore, planarFloor } from "./planar.js";
import type { BenchOptions, ResultRow, WorkloadResult } from "./results.js";

/** The implementations whose peak RSS is measured, each alone in its own process. */
export const RSS_CASES = ["planar-floor", "planar-core", "mlp-floor-f64", "mlp-core-f64", "mlp-core-f32"] as const;
export type RssCase = (typeof RSS_CASES)[number];

/** Runs one implementation (planar: 10,000 steps; mlp: 10 steps) and reports the process's peak RSS in MB. */
export function runRss(which: RssCase, o: BenchOptions): WorkloadResult {
  const [workload] = which.split("-");
  const baseline = process.resourceUsage().maxRSS / 1024;
  const planarSteps = o.quick ? 2000 : 10000;
  const mlpSteps = o.quick ? 3 : 10;
  const contender =
    which === "planar-floor"
      ? planarFloor(planarData(), planarSteps)
      : which === "planar-core"
        ? planarCore(planarData(), planarSteps, "fused")
        : which === "mlp-floor-f64"
          ? mlpFloor(mlpData(), "float64", mlpSteps)
          : mlpCore(mlpData(), which === "mlp-core-f32" ? "float32" : "float64", mlpSteps);
  contender.run();
  const peak = process.resourceUsage().maxRSS / 1024;
  const row: ResultRow = {
    workload: "memory",
    case: `peak RSS, ${workload} (${workload === "planar" ? `${planarSteps} steps` : `${mlpSteps} steps`})`,
    impl: contender.name,
    dtype: contender.dtype,
    unit: "MB",
    median: peak,
    min: baseline,
    max: peak,
    repeats: 1,
  };
  return { workload: "memory", rows: [row], targets: [], notes: [] };
}

/**
 * Runs many planar steps (100,000; 20,000 with --quick) and samples heapUsed after a full GC at
 * intervals: the heap must come back to the same level (no leak through graphs, grads or caches).
 */
export function runHeap(o: BenchOptions): WorkloadResult {
  if ((globalThis as { gc?: () => void }).gc === undefined) throw new Error("runHeap needs node --expose-gc");
  const total = o.quick ? 20000 : 100000;
  const interval = total / 10;
  const step = planarCore(planarData(), interval, "fused");
  const samples: number[] = [];
  for (let done = 0; done < total; done += interval) {
    step.run();
    collectGarbage();
    collectGarbage();
    samples.push(process.memoryUsage().heapUsed / 1024 / 1024);
  }
  // The first interval warms up the JIT and its caches: growth is measured from the second sample on.
  const growth = samples[samples.length - 1] - samples[1];
  const ok = growth < 1;
  return {
    workload: "heap",
    rows: [],
    targets: [
      {
        name: `heap growth over ${total.toLocaleString("en-US")} planar steps (heapUsed after GC)`,
        target: "< 1 MB",
        measured: `${growth >= 0 ? "+" : ""}${growth.toFixed(3)} MB (samples ${samples.map((s) => s.toFixed(2)).join(", ")} MB)`,
        met: ok,
      },
    ],
    notes: [],
  };
}
