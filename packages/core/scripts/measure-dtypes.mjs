/** Measures whether float32 elementwise kernels slow down after float64 ran in the same process, with the loops shared by both dtypes or one copy per dtype: `node scripts/measure-dtypes.mjs [pairs]`. */
// Needs `pnpm build` (it loads dist/kernels). Each child process times an elementwise workload in float32 — binary
// ops flat and broadcast, relu, two fused gradients, a transpose gather, a row sum — either fresh ("alone") or
// after the same workload ran in float64 ("after float64"), through the loops shared by both dtypes
// (dist/kernels/loops/*.js, what every dtype ran before the per-dtype copies) or through the dispatchers
// (dist/kernels/*.js, one copy per dtype). Time is the child's CPU time (a low quantile of 15 rounds), so other
// processes on the machine disturb it less; the parent alternates the four kinds of child and prints medians.
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const N = 256 * 128;

async function kernels(kind) {
  const dir = kind === "shared" ? "../dist/kernels/loops/" : "../dist/kernels/";
  const load = (name) => import(new URL(`${dir}${name}.js`, import.meta.url).href);
  const [binary, unary, fused, strided] = await Promise.all(["binary", "unary", "fused", "strided"].map(load));
  return { ...binary, ...unary, ...fused, ...strided };
}

function work(k, T, reps) {
  const a = new T(N).map((_, i) => Math.sin(i));
  const b = new T(N).map((_, i) => Math.cos(i));
  const o = new T(N);
  const bias = new T(256).fill(0.1);
  const half = new T([0.5]);
  const rows = new T(256);
  for (let r = 0; r < reps; r++) {
    k.binaryFlat("add", a, b, o);
    k.binaryFlat("mul", o, b, o);
    k.binaryFlat("sub", o, half, o);
    k.binary("add", o, [128, 1], bias, [1, 0], [256, 128], o);
    k.unary("relu", o, o);
    k.fusedGrad("reluGrad", b, o, o);
    k.fusedGrad("tanhGrad", b, o, o);
    k.gather(o, 0, [1, 128], [128, 256], a);
    rows.fill(0);
    k.reduce("sum", o, [256, 128], [1, 0], rows);
  }
}

function cpuMs(k, T) {
  const times = [];
  for (let j = 0; j < 15; j++) {
    const t = process.cpuUsage();
    work(k, T, 50);
    times.push(process.cpuUsage(t).user / 1000);
  }
  times.sort((x, y) => x - y);
  return times[2];
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

if (process.argv[2] === "--child") {
  const k = await kernels(process.argv[3]);
  if (process.argv[4] === "after") cpuMs(k, Float64Array);
  process.stdout.write(`${cpuMs(k, Float32Array)}\n`);
} else {
  const pairs = Number(process.argv[2] ?? 5);
  const self = fileURLToPath(import.meta.url);
  const child = (...args) =>
    Number(spawnSync(process.execPath, [self, "--child", ...args], { encoding: "utf8" }).stdout);
  console.log(`loadavg before ${loadavg().map((x) => x.toFixed(2))}; ${pairs} processes of each kind, alternating`);
  const kinds = ["shared alone", "shared after", "split alone", "split after"];
  const t = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let p = 0; p < pairs; p++) for (const kind of kinds) t[kind].push(child(...kind.split(" ")));
  for (const kind of ["shared", "split"]) {
    const alone = median(t[`${kind} alone`]);
    const after = median(t[`${kind} after`]);
    const label = kind === "shared" ? "loops shared by both dtypes" : "one copy per dtype        ";
    console.log(
      `${label}: float32 alone ${alone.toFixed(1)} ms, after float64 ${after.toFixed(1)} ms: ×${(after / alone).toFixed(2)}`,
    );
  }
  console.log(`loadavg after ${loadavg().map((x) => x.toFixed(2))}`);
}
