/** The "ceiling" rows: one-thread `Tensor.matmul` against the reference SIMD128 GEMM of ../shared/perf/wasm-reference, same process, blocks alternating. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DType, Tensor } from "@backprop/core";
import type { MlpData } from "./data.js";
import { assertAgree, type Contender, measureRounds, median, pairedRatio, type Timing } from "./harness.js";
import { gemmFlops, type MatmulData, matmulData, productChecksum } from "./matmul.js";
import type { ResultRow, TargetResult } from "./results.js";
import { fmt, rowsFor } from "./rows.js";
import { twoThreads } from "./threads.js";

/** The reference kernel's folder: <root>/shared beside the checkout (bench/dist → <root>), or BACKPROP_WASM_REFERENCE. */
function referenceDir(): string {
  return (
    process.env.BACKPROP_WASM_REFERENCE ??
    fileURLToPath(new URL("../../../shared/perf/wasm-reference/", import.meta.url))
  );
}

// The project's lib is ES2022 without DOM: the few WebAssembly pieces used here are typed by hand.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: SharedArrayBuffer };
}
/** gemm_64_5x2 / gemm_32_5x2: (m0, m1, n, K, A, B, C, workspace, MC, KC, NC) over byte offsets. */
type ReferenceGemm = (...args: number[]) => void;

/** The reference's block sizes, as its README runs it (MC a multiple of its 5-row tile). */
const MC = 120;
const KC = 128;
const NC = 4096;
const MIB = 1 << 20;
/** Its operands start at 4 MiB, as in its bench.mjs (the module keeps no stack or data above that). */
const BASE = 4 * MIB;
/** 64 MiB of shared memory: n = 1024 needs 4 + 3·8 MiB of operands and ~4.2 MiB of packed blocks. */
const PAGES = 1024;

/** One product C (m×n) = A (m×k) · B (k×n) for the reference, with its operands (row-major). */
export interface ReferenceProduct {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: ArrayLike<number>;
  readonly b: ArrayLike<number>;
}

/** The reference GEMM instantiated over its own shared memory, or the reason it is not there. */
export interface Reference {
  /**
   * Copies the operands in (once, untimed) and returns the contender that times the kernel alone; make
   * one at a time (every contender uses the same addresses).
   */
  contender(d: MatmulData, dtype: DType, reps: number): Contender;
  /**
   * The same for a list of products run in turn, `reps` times, named `name`: the kernel alone on
   * operands already in its memory (a transposed operand must be passed transposed: the reference
   * has no transposed form). The check value is a checksum of the last product.
   */
  products(list: readonly ReferenceProduct[], dtype: DType, reps: number, name: string): Contender;
}

/** Loads gemm_plain.wasm; a string says why it could not (no ../shared, no shared memory, no SIMD128). */
export function loadReference(): Reference | string {
  const file = join(referenceDir(), "gemm_plain.wasm");
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return `no reference kernel at ${file} (../shared absent): ceiling rows skipped`;
  }
  try {
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const memory = new api.Memory({ initial: PAGES, maximum: PAGES, shared: true });
    const { exports } = new api.Instance(new api.Module(bytes), { env: { memory } });
    const products: Reference["products"] = (list, dtype, reps, name) => {
      const es = dtype === "float64" ? 8 : 4;
      const gemm = exports[es === 8 ? "gemm_64_5x2" : "gemm_32_5x2"] as ReferenceGemm;
      const view = (offset: number, size: number) =>
        es === 8 ? new Float64Array(memory.buffer, offset, size) : new Float32Array(memory.buffer, offset, size);
      // Each product's A, B and C in whole MiBs from BASE, one workspace after them all.
      let next = BASE;
      const take = (size: number) => {
        const at = next;
        next += Math.ceil((size * es) / MIB) * MIB;
        return at;
      };
      const placed = list.map((p) => {
        const [a, b, c] = [take(p.m * p.k), take(p.k * p.n), take(p.m * p.n)];
        // The operands go in once, untimed: the reference is the kernel alone on data already in wasm memory.
        view(a, p.m * p.k).set(p.a);
        view(b, p.k * p.n).set(p.b);
        return { ...p, at: { a, b, c } };
      });
      const ws = next;
      if (ws + 8 * MIB > PAGES * 64 * 1024) throw new Error("the products do not fit the reference's memory");
      const last = placed[placed.length - 1];
      return {
        name,
        dtype,
        run() {
          for (let r = 0; r < reps; r++) {
            for (const p of placed) gemm(0, p.m, p.n, p.k, p.at.a, p.at.b, p.at.c, ws, MC, KC, NC);
          }
          return productChecksum(view(last.at.c, last.m * last.n));
        },
      };
    };
    return {
      products,
      contender: (d, dtype, reps) =>
        products([{ m: d.n, n: d.n, k: d.n, a: d.A, b: d.B }], dtype, reps, "reference SIMD128 kernel"),
    };
  } catch (e) {
    return `the reference kernel did not instantiate here (${(e as Error).message}): ceiling rows skipped`;
  }
}

/** backprop's one-thread `Tensor.matmul` (default backend: the wasm kernel at these sizes), C = A·B `reps` times. */
function tensorMatmul(d: MatmulData, dtype: DType, reps: number): Contender {
  const data = (a: Float64Array) => (dtype === "float64" ? new Float64Array(a) : Float32Array.from(a));
  const A = new Tensor(data(d.A), [d.n, d.n]);
  const B = new Tensor(data(d.B), [d.n, d.n]);
  return {
    name: "backprop Tensor.matmul",
    dtype,
    run() {
      let C = A;
      for (let r = 0; r < reps; r++) C = A.matmul(B);
      return productChecksum(C.data);
    },
  };
}

/** CPU ticks (user + system) and last vCPU of each thread of this process (Linux /proc), keyed by thread id. */
function threadStats(): Map<string, { ticks: number; cpu: number }> {
  const stats = new Map<string, { ticks: number; cpu: number }>();
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      // Fields after "(comm) ": state is field 3, so utime (14), stime (15), processor (39) sit at 11, 12, 36.
      const f = readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1].split(" ");
      stats.set(tid, { ticks: Number(f[11]) + Number(f[12]), cpu: Number(f[36]) });
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return stats;
}

/** Process CPU time (user + system) of each run of the contenders it watches: steadier than wall time on a busy host. */
class CpuClock {
  private readonly runs = new Map<string, number[]>();

  watch(c: Contender): Contender {
    const runs: number[] = [];
    this.runs.set(c.name, runs);
    return {
      ...c,
      run() {
        const cpu0 = process.cpuUsage();
        const check = c.run();
        const cpu = process.cpuUsage(cpu0);
        runs.push((cpu.user + cpu.system) / 1000);
        return check;
      },
    };
  }

  /** Median over rounds of a's CPU time ÷ b's, the warm-up runs left out. */
  ratio(a: string, b: string, warmup: number): number {
    const x = this.runs.get(a)?.slice(warmup) ?? [];
    const y = this.runs.get(b)?.slice(warmup) ?? [];
    const ratios = x.slice(0, y.length).map((v, i) => v / y[i]);
    return ratios.length > 0 ? median(ratios) : Number.NaN;
  }
}

/** What the two-thread runs used: process CPU time over wall time, and per-thread ticks with the last vCPU. */
class ThreadUse {
  private wallMs = 0;
  private cpuUs = 0;
  private readonly ticks = new Map<string, { ticks: number; cpu: number }>();

  /** The contender with each run's CPU and wall time added up. */
  watch(c: Contender): Contender {
    return {
      ...c,
      run: () => {
        const before = threadStats();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const check = c.run();
        this.wallMs += performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        this.cpuUs += cpu.user + cpu.system;
        for (const [tid, s] of threadStats()) {
          const total = (this.ticks.get(tid)?.ticks ?? 0) + s.ticks - (before.get(tid)?.ticks ?? s.ticks);
          this.ticks.set(tid, { ticks: total, cpu: s.cpu });
        }
        return check;
      },
    };
  }

  /** "CPU/wall 1.93; busiest threads 0.98 s on vCPU 0, 0.95 s on vCPU 1" (ticks are 10 ms on Linux). */
  /** CPU ticks of the busiest thread (the main thread, with the copies): what bounds the wall time on free vCPUs. */
  busiest(): number {
    return Math.max(0, ...[...this.ticks.values()].map((t) => t.ticks));
  }

  describe(): string {
    const busy = [...this.ticks.values()].sort((x, y) => y.ticks - x.ticks).slice(0, 2);
    const threads = busy.map((t) => `${fmt(t.ticks / 100)} s CPU, last on vCPU ${t.cpu}`).join("; ");
    return `CPU/wall ${fmt(this.cpuUs / 1000 / this.wallMs)}${threads ? ` (two busiest threads: ${threads})` : ""}`;
  }
}

function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

/** The ceiling cases' rows, targets and notes. */
export interface CeilingResult {
  readonly rows: ResultRow[];
  readonly targets: TargetResult[];
  readonly notes: string[];
}

/** Throughput of one-thread Tensor.matmul ÷ the reference's (same process, per-round medians): the issue's floor. */
const CEILING_TARGET = 0.9;
/** Two threads ÷ one thread at n = 1024 when the second vCPU is free. */
const TWO_THREAD_TARGET = 1.7;
/** Untimed runs of each contender before the rounds. */
const WARMUP = 1;

/**
 * n = 256 and 1024, float64 and float32: the reference kernel, one-thread Tensor.matmul and (with a
 * worker) two-thread Tensor.matmul, one block each in turn per round. `twoThreadsReady`: the GEMM
 * worker started (products stay on one thread unless a contender asks for two).
 */
export function runCeiling(rounds: number, twoThreadsReady: boolean): CeilingResult {
  const reference = loadReference();
  if (typeof reference === "string") return { rows: [], targets: [], notes: [reference] };
  const rows: ResultRow[] = [];
  const targets: TargetResult[] = [];
  const notes: string[] = [];
  const loadBefore = loadAverage();
  for (const n of [256, 1024]) {
    const d = matmulData(n);
    for (const dtype of ["float64", "float32"] as const) {
      const reps = n >= 1024 ? 2 : 20;
      const use = new ThreadUse();
      const oneThread = new ThreadUse();
      const clock = new CpuClock();
      const ours = tensorMatmul(d, dtype, reps);
      const contenders = [
        clock.watch(reference.contender(d, dtype, reps)),
        clock.watch(n >= 1024 && twoThreadsReady ? oneThread.watch(ours) : ours),
      ];
      if (twoThreadsReady) contenders.push(use.watch(twoThreads(tensorMatmul(d, dtype, reps))));
      const t = measureRounds(contenders, WARMUP, rounds);
      assertAgree(`ceiling n=${n} ${dtype}`, t[0], t.slice(1), 1e-4);
      rows.push(
        ...rowsFor("matmul", `ceiling n=${n} ${dtype}`, t, { unit: "GFLOP/s", flops: gemmFlops(n) * reps }, t[0]),
      );
      targets.push(ceilingTarget(n, dtype, t[0], t[1], clock.ratio(t[0].name, t[1].name, WARMUP)));
      if (n >= 1024 && t[2] !== undefined) {
        const speedup = pairedRatio(t[1], t[2]);
        targets.push({
          name: `matmul n=1024 ${dtype}: two threads ÷ one thread (Tensor.matmul, same process)`,
          target: `≥ ${TWO_THREAD_TARGET}×`,
          measured: `${fmt(speedup)}× by wall time (main thread + 1 GEMM worker, rows of C split at a 5-row tile; ${use.describe()}; ${fmt(oneThread.busiest() / use.busiest())}× by the busiest thread's CPU time, the figure on two free vCPUs; loadavg ${loadAverage()})`,
          met: speedup >= TWO_THREAD_TARGET,
        });
      }
    }
  }
  notes.push(
    `ceiling rows: the reference kernel (../shared/perf/wasm-reference/gemm_plain.wasm: gemm_64_5x2 / gemm_32_5x2, MC 120, KC 128, NC 4096, operands already in its memory) and backprop's Tensor.matmul (copies in and out of wasm memory included) take turns, one block each per round, ${rounds} rounds; loadavg ${loadBefore} before, ${loadAverage()} after`,
  );
  if (!twoThreadsReady) notes.push("ceiling: the GEMM worker did not start, so no two-thread figure");
  return { rows, targets, notes };
}

/** Tensor.matmul's throughput as a fraction of the reference's, median of per-round ratios. */
function ceilingTarget(n: number, dtype: DType, reference: Timing, ours: Timing, byCpu: number): TargetResult {
  const fraction = pairedRatio(reference, ours); // reference time ÷ ours = our GFLOP/s ÷ its GFLOP/s
  return {
    name: `ceiling n=${n} ${dtype}: one-thread Tensor.matmul ÷ reference SIMD128 kernel (same process)`,
    target: `≥ ${CEILING_TARGET}×`,
    measured: `${fmt(fraction)}× by wall time (${fmt(byCpu)}× by process CPU time)`,
    met: fraction >= CEILING_TARGET,
  };
}

/** Name of the MLP row that times the step's two large products alone on the reference kernel. */
export const MLP_BOUND_NAME = "SIMD128 bound: the two large products alone on the reference kernel";

/**
 * The MLP step's two large products (Z1 = W1·X forward, dW1 = dZ1·Xᵀ backward: ≈ 103 MFLOP of
 * the step's ≈ 105) `steps` times on the reference kernel, operands already in its memory, X
 * transposed beforehand. No step can run faster on one thread at SIMD128 speed, so its time over
 * numpy's says how far below the issue's 2× line one thread can go on this host.
 */
export function mlpProductsBound(reference: Reference, d: MlpData, dtype: DType, steps: number): Contender {
  const { nx, nh, m } = d;
  const xT = new Float64Array(m * nx);
  for (let i = 0; i < nx; i++) for (let j = 0; j < m; j++) xT[j * nx + i] = d.X[i * m + j];
  const dZ1 = d.W1.subarray(0, nh * m); // values of a gradient's size and sign mix: timing only
  return reference.products(
    [
      { m: nh, n: m, k: nx, a: d.W1, b: d.X },
      { m: nh, n: nx, k: m, a: dZ1, b: xT },
    ],
    dtype,
    steps,
    MLP_BOUND_NAME,
  );
}
