/** Measures gemm GFLOP/s (median of repeats) for the TS and wasm paths, float64 and float32: `node scripts/measure-gemm.mjs [--threads] [sizes...]`. */
// Needs src/kernels/wasm/gemmWasm.generated.ts (run `node scripts/build-wasm.mjs` first). Every source file of
// the package is transpiled with the TypeScript API into a temp dir (whatever the kernels import comes along),
// so no build of the package is needed.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import ts from "typescript";

const srcDir = fileURLToPath(new URL("../src/", import.meta.url));
const files = readdirSync(srcDir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
  .map((entry) => relative(srcDir, join(entry.parentPath, entry.name)));
const outDir = mkdtempSync(join(tmpdir(), "measure-gemm-"));
for (const file of files) {
  const { outputText } = ts.transpileModule(readFileSync(join(srcDir, file), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  const target = join(outDir, file.replace(/\.ts$/, ".js"));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, outputText);
}
const { gemm, setGemmBackend, startGemmWorker, stopGemmWorker, wasmGemmAvailable } = await import(
  pathToFileURL(join(outDir, "kernels/gemm.js")).href
);
rmSync(outDir, { recursive: true, force: true });

if (!wasmGemmAvailable()) console.warn("wasm unavailable: the wasm rows measure the TS fallback");

function random(Ctor, size) {
  const x = new Ctor(size);
  for (let i = 0; i < size; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Median seconds per call, after warm-up long enough for V8 to tier the kernels up. */
function time(fn, flops) {
  const t0 = performance.now();
  do fn();
  while (performance.now() - t0 < 300);
  const budget = Math.max(1000, 5e-8 * flops); // ms; more repeats for the fast cases
  const samples = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < budget && samples.length < 200)) {
    const t = performance.now();
    fn();
    samples.push((performance.now() - t) / 1000);
  }
  samples.sort((x, y) => x - y);
  return samples[samples.length >> 1];
}

const threads = process.argv.includes("--threads");
const sizes = process.argv
  .slice(2)
  .filter((a) => a !== "--threads")
  .map(Number);
if (sizes.length === 0) sizes.push(256, 1024);
const rows = [];
for (const n of sizes) {
  for (const [dtype, Ctor] of [
    ["float64", Float64Array],
    ["float32", Float32Array],
  ]) {
    const a = random(Ctor, n * n);
    const b = random(Ctor, n * n);
    const out = new Ctor(n * n);
    const flops = 2 * n * n * n;
    const row = { n, dtype };
    for (const backend of ["js", "wasm"]) {
      setGemmBackend(backend);
      row[`${backend} GFLOP/s`] = +(flops / time(() => gemm(false, false, n, n, n, a, b, out), flops) / 1e9).toFixed(2);
    }
    // The backward-pass layouts, wasm only: dA = G·Bᵀ and dB = Aᵀ·G.
    row["wasm A·Bᵀ"] = +(flops / time(() => gemm(false, true, n, n, n, a, b, out), flops) / 1e9).toFixed(2);
    row["wasm Aᵀ·B"] = +(flops / time(() => gemm(true, false, n, n, n, a, b, out), flops) / 1e9).toFixed(2);
    if (threads) {
      await startGemmWorker((script) => {
        const w = new Worker(`const self = require("node:worker_threads").parentPort;\n${script}`, { eval: true });
        w.unref();
        return w;
      });
      row["wasm 2 threads"] = +(flops / time(() => gemm(false, false, n, n, n, a, b, out), flops) / 1e9).toFixed(2);
      stopGemmWorker();
    }
    setGemmBackend("auto");
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
console.table(rows);
