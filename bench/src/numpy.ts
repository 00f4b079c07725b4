/** numpy as a peer in the same run: the MLP step in a python3 child (one thread), timed by itself, round by round. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DType } from "@backprop/core";
import type { MlpData } from "./data.js";
import type { Contender } from "./harness.js";
import { MLP_LR } from "./mlp.js";

/** The python interpreter the bench asks for numpy (BACKPROP_BENCH_PYTHON overrides `python3`). */
const PYTHON = process.env.BACKPROP_BENCH_PYTHON ?? "python3";

/**
 * numpy on one thread: OpenBLAS/OpenMP/MKL limited to one thread in the child's environment; the
 * machine's other OpenBLAS settings (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) are inherited as configured.
 */
function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
}

// The same step as mlpCore (bench/src/mlp.ts) from the same initial parameters: Z1 = W1·X + b1,
// A1 = relu(Z1), Z2 = W2·A1 + b2, J = −Σ Y ∗ logSoftmax(Z2, axis 0) / m, closed-form gradients,
// W −= lr·dW. It reads the data as float64, casts to the dtype, runs `warmup` untimed steps from the
// initial parameters, resets them, times `steps` steps with perf_counter, and prints the time in ms
// and the final cost (that of the last step's forward pass, as mlpCore returns).
const SCRIPT = `
import sys, time, json
import numpy as np
path, dtype, nx, nh, ny, m, steps, warmup, lr = sys.argv[1:10]
nx, nh, ny, m, steps, warmup, lr = int(nx), int(nh), int(ny), int(m), int(steps), int(warmup), float(lr)
dt = np.float64 if dtype == "float64" else np.float32
raw = np.fromfile(path, dtype=np.float64)
sizes = [nx * m, ny * m, nh * nx, nh, ny * nh, ny]
parts, o = [], 0
for s in sizes:
    parts.append(raw[o:o + s]); o += s
X = parts[0].reshape(nx, m).astype(dt); Y = parts[1].reshape(ny, m).astype(dt)
init = [parts[2].reshape(nh, nx), parts[3].reshape(nh, 1), parts[4].reshape(ny, nh), parts[5].reshape(ny, 1)]
def run(n):
    W1, b1, W2, b2 = [p.astype(dt) for p in init]
    cost = float("nan")
    for _ in range(n):
        Z1 = W1 @ X + b1
        A1 = np.maximum(Z1, 0)
        Z2 = W2 @ A1 + b2
        mx = Z2.max(axis=0, keepdims=True)
        lse = mx + np.log(np.exp(Z2 - mx).sum(axis=0, keepdims=True))
        L = Z2 - lse
        cost = float(-(Y * L).sum() / m)
        dZ2 = (np.exp(L) - Y) / m
        dW2 = dZ2 @ A1.T
        db2 = dZ2.sum(axis=1, keepdims=True)
        dZ1 = (W2.T @ dZ2) * (Z1 > 0)
        dW1 = dZ1 @ X.T
        db1 = dZ1.sum(axis=1, keepdims=True)
        W1 -= lr * dW1; b1 -= lr * db1; W2 -= lr * dW2; b2 -= lr * db2
    return cost
run(warmup)
t0 = time.perf_counter()
cost = run(steps)
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "cost": cost}))
`;

/** Whether `python3` with numpy runs here (checked once per process). */
let available: boolean | undefined;
export function numpyAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync(PYTHON, ["-c", "import numpy"], { env: childEnv(), stdio: "ignore", timeout: 30_000 });
    available = r.status === 0;
  }
  return available;
}

/** Untimed steps each numpy run does first (its process is fresh every round). */
const NUMPY_WARMUP = 5;

/**
 * The MLP step in numpy, one fresh python process per round (so rounds interleave with the other
 * contenders'); the time is what the child measured around its `steps` steps (after warm-up), not
 * the process's start-up. Undefined when python3 with numpy is missing.
 */
export function mlpNumpy(d: MlpData, dtype: DType, steps: number): Contender | undefined {
  if (!numpyAvailable()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "backprop-bench-"));
  const path = join(dir, "mlp.f64");
  const parts = [d.X, d.Y, d.W1, d.b1, d.W2, d.b2];
  const all = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  writeFileSync(path, new Uint8Array(all.buffer));
  const args = [path, dtype, d.nx, d.nh, d.ny, d.m, steps, NUMPY_WARMUP, MLP_LR].map(String);
  let lastMs = Number.NaN;
  return {
    name: "numpy (1 thread)",
    dtype,
    run() {
      const r = spawnSync(PYTHON, ["-c", SCRIPT, ...args], { env: childEnv(), encoding: "utf8", timeout: 120_000 });
      if (r.status !== 0) throw new Error(`numpy mlp failed (exit ${r.status}): ${r.stderr}`);
      const { ms, cost } = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as { ms: number; cost: number };
      lastMs = ms;
      return cost;
    },
    elapsedMs: () => lastMs,
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
