/**
 * Packaging program: in plain Node, `@backprop/core` starts the GEMM worker by itself after enough large products (two
 * cores), with the one-thread bits, and the process still ends at once; the worker also starts in a process whose
 * eval'd code runs as an ES module (`node --input-type=module -e`, a flag workers inherit).
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { gemmThreadCount, setGemmThreads, type Tensor, tensor, wasmGemmAvailable } from "@backprop/core";

const n = 160; // 160³ multiply-adds: above the split threshold; 262 of them reach the automatic start
const values = (seed: number) => Array.from({ length: n * n }, (_, i) => Math.sin(seed + 0.37 * i));
const a = tensor(values(1), { shape: [n, n] });
const b = tensor(values(2), { shape: [n, n] });
const setting = process.env.BACKPROP_GEMM_THREADS?.trim();
const expected = wasmGemmAvailable() && setting !== "1" && (setting === "2" || availableParallelism() >= 2) ? 2 : 1;

// The worker starts (not waited for) once the process has run 512 × 128³ multiply-adds of large products.
const first = a.matmul(b);
for (let i = 0; i < 300 && gemmThreadCount() < expected; i++) a.matmul(b);
const deadline = Date.now() + 10_000;
while (gemmThreadCount() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
if (gemmThreadCount() !== expected) {
  throw new Error(`expected ${expected} GEMM threads by default here, got ${gemmThreadCount()}`);
}
const split: Tensor = a.matmul(b);
setGemmThreads(1);
const single = a.matmul(b);
for (const [name, t] of [
  ["the first product", first],
  ["the split product", split],
] as const) {
  const i = t.data.findIndex((v, j) => !Object.is(v, single.data[j]));
  if (i >= 0) throw new Error(`${name} differs from the one-thread product at ${i}`);
}
// Workers inherit --input-type=module: the worker's eval'd script must not rely on CommonJS's `require`.
if (wasmGemmAvailable()) {
  const code = `import { startGemmWorkerThread } from "@backprop/core/node";
const warnings = [];
console.warn = (message) => warnings.push(message);
const started = await startGemmWorkerThread();
console.log(JSON.stringify({ started, warnings }));`;
  const answer = execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
  if (answer.trim() !== JSON.stringify({ started: true, warnings: [] })) {
    throw new Error(`under node --input-type=module the GEMM worker did not start: ${answer}`);
  }
}
// Nothing else to do: the unref'd worker must not keep the process alive (check-packages would time out).
