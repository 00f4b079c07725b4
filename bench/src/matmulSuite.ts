/** The matmul workload's cases (n 256 and 1024, float64 and float32; the ceiling cases of ceiling.ts first) and the GFLOP/s targets. */
import type { DType } from "@backprop/core";
import { runCeiling } from "./ceiling.js";
import { assertAgree, type Contender, measureRounds } from "./harness.js";
import { gemmFlops, matmulCore, matmulData, matmulTf } from "./matmul.js";
import type { BenchOptions, ResultRow, TargetResult, WorkloadResult } from "./results.js";
import { fmt, rowsFor } from "./rows.js";
import { loadTf } from "./tfjs.js";
import { NO_WORKER_NOTE, startBenchWorker, twoThreads } from "./threads.js";

/** Numpy's single-thread GFLOP/s at n = 1024 on this machine kind (PERFORMANCE.md), halved: the targets. */
const TARGET_GFLOPS: Record<DType, number> = { float64: 23, float32: 48 };

/** matmul: each size and dtype; repetitions per run sized so each run lasts tens of milliseconds. */
export async function runMatmul(o: BenchOptions): Promise<WorkloadResult> {
  const tf = await loadTf();
  const rows: ResultRow[] = [];
  const targets: TargetResult[] = [];
  const notes: string[] = [];
  const worker = await startBenchWorker();
  if (!worker) notes.push(NO_WORKER_NOTE);
  // The ceiling cases first: against the reference kernel, one block each in turn (more rounds than the rest).
  const ceiling = runCeiling(o.quick ? 5 : Math.max(o.repeats, 7), worker);
  rows.push(...ceiling.rows);
  targets.push(...ceiling.targets);
  notes.push(...ceiling.notes);
  for (const n of [256, 1024]) {
    const d = matmulData(n);
    const big = n >= 1024;
    for (const dtype of ["float64", "float32"] as const) {
      const wasmReps = big ? 2 : 20;
      const tsReps = big ? 1 : 4;
      const contenders: { c: Contender; reps: number }[] = [
        { c: matmulCore(d, dtype, "wasm", wasmReps), reps: wasmReps },
        { c: matmulCore(d, dtype, "js", tsReps), reps: tsReps },
      ];
      if (worker) contenders.push({ c: twoThreads(matmulCore(d, dtype, "wasm", wasmReps)), reps: wasmReps });
      if (dtype === "float32") {
        contenders.push({ c: matmulTf(tf, "wasm", d, wasmReps), reps: wasmReps });
        // tfjs-cpu runs ~1 GFLOP/s: one product of 1024 takes seconds, so it gets fewer repeats (none in --quick).
        if (!(big && o.quick)) {
          const reps = big ? 1 : 2;
          contenders.push({ c: matmulTf(tf, "cpu", d, reps, big ? 2 : undefined), reps });
        } else notes.push("tfjs-cpu at n = 1024 is skipped in --quick (several seconds per product)");
      }
      const cs = contenders.map((x) => x.c);
      const t = measureRounds(cs, 1, big ? Math.min(o.repeats, 3) : o.repeats);
      for (const c of cs) c.dispose?.();
      // The float64 paths agree to 1e-9; float32 ones within float32 rounding of a 1024-term sum.
      assertAgree(`matmul n=${n} ${dtype}`, t[0], t.slice(1), 1e-4);
      const scales = contenders.map((x) => ({ unit: "GFLOP/s", flops: gemmFlops(n) * x.reps }) as const);
      const caseRows = rowsFor("matmul", `n=${n} ${dtype}`, t, scales, t[0]);
      rows.push(...caseRows);
      if (big) {
        for (const row of caseRows.filter((r) => r.impl.startsWith("backprop (wasm SIMD)"))) {
          const threads = row.impl.endsWith("2 threads") ? "2 threads" : "1 thread";
          targets.push({
            name: `matmul 1024 ${dtype} (wasm path, ${threads})`,
            target: `≥ ${TARGET_GFLOPS[dtype]} GFLOP/s`,
            measured: `${fmt(row.median)} GFLOP/s`,
            met: row.median >= TARGET_GFLOPS[dtype],
          });
        }
      }
    }
  }
  notes.push("matmul ratios are time ratios against backprop's wasm path (> 1: slower than it)");
  return { workload: "matmul", rows, targets, notes };
}
