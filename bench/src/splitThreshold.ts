/** Where splitting a product with the GEMM worker pays: one- against two-thread products of growing size, same process, blocks alternating. */
// Run after `pnpm build`: node bench/dist/splitThreshold.js [--dtype float32] [--rounds 15]
// Prints, per shape, the median time of a block of products on one thread and on two, and their ratio.
import { gemmThreadCount, setGemmThreads, stopGemmWorker, type Tensor, tensor } from "@backprop/core";
import { setSplitWork } from "@backprop/core/internal";
import { startGemmWorkerThread } from "@backprop/core/node";
import { median } from "./harness.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const dtype = option("--dtype", "float64") === "float32" ? "float32" : "float64";
const rounds = Number(option("--rounds", "15"));

/** (m, n, k): square products around the old 128³ threshold, and the MLP's three products (batch 128). */
const SHAPES: [number, number, number][] = [
  [48, 48, 48],
  [64, 64, 64],
  [80, 80, 80],
  [96, 96, 96],
  [112, 112, 112],
  [128, 128, 128],
  [160, 160, 160],
  [256, 256, 256],
  [256, 128, 784],
  [256, 784, 128],
  [10, 128, 256],
];

function filled(shape: number[], seed: number): Tensor {
  const size = shape[0] * shape[1];
  const data = Array.from({ length: size }, (_, i) => Math.sin(seed + i * 0.37));
  return tensor(data, { shape, dtype });
}

/** Products per timed block, so a block lasts about 10 ms at one thread. */
function repsFor(m: number, n: number, k: number): number {
  return Math.max(1, Math.round(1.5e7 / (m * n * k)));
}

function block(a: Tensor, b: Tensor, reps: number): number {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) a.matmul(b);
  return (performance.now() - t0) / reps;
}

setSplitWork(0); // split every packed product, so sizes below the default threshold are measured too
if (!(await startGemmWorkerThread())) {
  console.log("the GEMM worker did not start here");
  process.exit(0);
}
console.log(
  `dtype ${dtype}, ${rounds} rounds, loadavg ${(await import("node:os")).loadavg().map((x) => x.toFixed(2))}`,
);
console.log("m×n×k             multiply-adds   1 thread µs   2 threads µs   2t ÷ 1t");
for (const [m, n, k] of SHAPES) {
  const a = filled([m, k], 1);
  const b = filled([k, n], 2);
  const reps = repsFor(m, n, k);
  const one: number[] = [];
  const two: number[] = [];
  for (let r = -2; r < rounds; r++) {
    // Alternate which goes first, so drift hits both alike; the first two rounds warm up.
    for (const threads of r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
      setGemmThreads(threads);
      if (gemmThreadCount() !== threads) throw new Error("the worker is not running");
      const t = block(a, b, reps);
      if (r >= 0) (threads === 1 ? one : two).push(t);
    }
  }
  const m1 = median(one) * 1000;
  const m2 = median(two) * 1000;
  const label = `${m}×${n}×${k}`.padEnd(18);
  console.log(
    `${label}${String(m * n * k).padStart(13)}   ${m1.toFixed(1).padStart(11)}   ${m2.toFixed(1).padStart(12)}   ${(m2 / m1).toFixed(2).padStart(7)}`,
  );
}
stopGemmWorker();
