/** Runs products in the WebAssembly SIMD128 GEMM module: on this thread, or split with one worker over shared memory. */
import { ValueError } from "../../errors.js";
import { applyEpilogue, type Epilogue } from "../epilogue.js";
import type { FloatArray } from "../floatArray.js";
import { CONTROL_BYTES, type CreateGemmWorker, GemmWorker } from "./gemmWorker.js";
import {
  type GemmExports,
  instantiateOwnMemory,
  instantiateShared,
  KERNEL,
  WASM_PAGE,
  type WasmMemory,
} from "./wasmModule.js";

export type { CreateGemmWorker, GemmWorkerHandle } from "./gemmWorker.js";

/** Options of `startGemmWorker`. */
export interface GemmWorkerOptions {
  /** How long to wait for the worker to start (default 10,000 ms); it resolves false after that. */
  startTimeoutMs?: number;
  /**
   * How long a product waits for the worker's half beyond 4× the time the main thread took for its own
   * half (default 1,000 ms). A worker that has not answered by then is taken as dead or hung.
   */
  answerTimeoutMs?: number;
  /**
   * Called once if the worker dies (error or exit) or stops answering; the worker is then stopped and
   * every product runs on the calling thread. Default: one `console.warn`.
   */
  onFailure?: (reason: string) => void;
}

// wasm32 addresses end at 4 GiB; engines may refuse earlier, which growMemory reports as failure.
const MAX_BYTES = 4 * 1024 * 1024 * 1024;
/** Row tile of the wasm kernels (MR in wasm/blocking.ts): row splits fall on whole tiles. */
const ROW_TILE = 5;
/** Widest column tile of the wasm kernels (NR of the float32 kernel): column splits fall on whole tiles. */
const COLUMN_TILE = 8;

/**
 * Products with at least this many multiply-adds are split between the main thread and the worker.
 * Measured on the project's 2-vCPU machine: the hand-off costs tens of µs, two threads ran a 128³
 * product ×1.3–1.8 faster when the second vCPU was free, and smaller ones gained little.
 */
let splitWork = 128 * 128 * 128;

/** Test and measurement hook: moves the split threshold (multiply-adds). */
export function setSplitWork(work: number): void {
  splitWork = work;
}

/**
 * Up to this many multiply-adds the unpacked kernels run instead of the packed
 * ones: below it, packing and zero-padded tiles cost more than they save. Measured on the
 * project's machine: unpacked 0.8–0.9× the packed time at 8³–16³, 1.1–1.3× at 20³–24³ (up to 2×
 * for transB); the course's products (800–3,200 multiply-adds) ran 3–6× faster unpacked.
 */
let unpackedWork = 16 * 16 * 16;

/** Test hook: moves the unpacked/packed crossover (0 forces packing, Infinity forbids it). */
export function setUnpackedWork(work: number): void {
  unpackedWork = work;
}

/** One instance with the views the host copies through (re-made whenever the memory grows). */
class Engine {
  private f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private viewedBuffer: ArrayBuffer | SharedArrayBuffer | undefined;

  constructor(
    readonly exports: GemmExports,
    readonly memory: WasmMemory,
    /** First byte the host may use (after the module's own data and any control block). */
    readonly base: number,
  ) {}

  /** Makes the memory at least `bytes` long; false if the engine refuses to grow it. */
  reserve(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      if (bytes > MAX_BYTES) return false;
      try {
        this.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
      } catch {
        return false;
      }
    }
    const buffer = this.memory.buffer; // growth replaces the buffer (and detaches it if not shared)
    if (buffer !== this.viewedBuffer) {
      this.f64 = new Float64Array(buffer);
      this.f32 = new Float32Array(buffer);
      this.viewedBuffer = buffer;
    }
    return true;
  }

  /** The whole memory viewed in the dtype of `like`. */
  view(like: FloatArray): Float64Array<ArrayBufferLike> | Float32Array<ArrayBufferLike> {
    return like instanceof Float64Array ? this.f64 : this.f32;
  }
}

let own: Engine | undefined;
let ownState: "unloaded" | "ready" | "unavailable" = "unloaded";
let shared: Engine | undefined;
let worker: GemmWorker | undefined;
let threadLimit = 2;
let answerTimeoutMs = 1000;
let reportFailure: (reason: string) => void = warnOnce;
/** The factory the Node entry arms (gemmAutoStart.ts): used once, after AUTO_START_WORK of products worth splitting. */
let autoStart: CreateGemmWorker | undefined;
/**
 * Multiply-adds of products worth splitting a process runs on one thread before the worker starts by
 * itself: 512 products of 128³, about 0.35 s in float64 on the project's machine (0.12 s in float32).
 * Starting costs the main thread ~11 ms once, and a process that ends while the worker is still
 * booting waits for it (measured +20–75 ms under load; nothing once it is up), so only a process that
 * has already spent this long in large products pays either. The 784→256→10 MLP step (batch 128)
 * gets there in about 21 steps.
 */
export const AUTO_START_WORK = 512 * 128 * 128 * 128;
let autoStartAfter = AUTO_START_WORK;

function warnOnce(reason: string): void {
  globalThis.console?.warn(`backprop: the GEMM worker failed (${reason}); products now run on one thread`);
}

/** Gives up on the worker (dead or hung): stops it, reports once, and leaves later products on this thread. */
function abandonWorker(failed: GemmWorker | undefined, reason: string): void {
  if (failed === undefined || worker !== failed) return; // a worker that dies while starting: startGemmWorker says false
  stopGemmWorker();
  reportFailure(reason);
}

function align64(x: number): number {
  return Math.ceil(x / 64) * 64; // arithmetic, not bit operations: offsets may exceed 2^31
}

/**
 * Whether the SIMD128 module could be instantiated here (loads it on first call). Where WebAssembly exists but
 * refuses the module (no SIMD128; a virtual-memory limit such as `ulimit -v`, since V8 reserves several GB of
 * address space per wasm memory) one console warning says so; without WebAssembly (`node --jitless`) nothing is said.
 */
export function wasmGemmAvailable(): boolean {
  if (ownState === "unloaded") {
    try {
      const exports = instantiateOwnMemory();
      own = new Engine(exports, exports.memory, align64(exports.heapBase()));
      ownState = "ready";
    } catch (error) {
      ownState = "unavailable";
      // No WebAssembly at all (node --jitless, --no-expose-wasm) is the user's choice: silent. One that is there
      // but refuses the module is not, and it slows products down and changes float32 bits: said once.
      if ((globalThis as { WebAssembly?: unknown }).WebAssembly !== undefined) warnUnavailable(error);
    }
  }
  return ownState === "ready";
}

function warnUnavailable(error: unknown): void {
  globalThis.console?.warn(
    `backprop: the WebAssembly matrix-multiply kernel is unavailable here (${String(error)}); products run in the ` +
      "TypeScript kernels: slower, with the same float64 bits and float32 bits rounded once from float64. Under a " +
      "virtual-memory limit (ulimit -v) node --disable-wasm-trap-handler lets WebAssembly allocate its memory",
  );
}

/**
 * Starts one worker thread that takes half of every large product (from splitWork multiply-adds
 * on), in a shared WebAssembly memory. `create` makes the worker from a classic worker script's
 * source text, e.g. `(s) => new Worker(URL.createObjectURL(new Blob([s])))` in a browser (the page
 * must be cross-origin isolated for shared memory); in Node, `startGemmWorkerThread` from
 * `@backprop/core/node` does it with worker_threads. Resolves true once the
 * worker runs, false where shared memory (SharedArrayBuffer), WebAssembly or SIMD128 is unavailable or the worker
 * never starts (`create` throws, as Node's permission model does without --allow-worker);
 * products keep running on the main thread meanwhile, and results are bit-identical either way.
 * A worker that dies (its error/exit events) or does not answer within `answerTimeoutMs` (beyond 4×
 * the main thread's own time) is stopped: the product in progress is finished on the calling thread
 * with the same bits, later ones run there, and `onFailure` (default: one console warning) says so once.
 * A number as second argument is `startTimeoutMs`.
 */
export async function startGemmWorker(
  create: CreateGemmWorker,
  options: GemmWorkerOptions | number = {},
): Promise<boolean> {
  const opts = typeof options === "number" ? { startTimeoutMs: options } : options;
  const timeoutMs = opts.startTimeoutMs ?? 10_000;
  const started = launchWorker(create, opts);
  if (started === undefined) return false;
  const deadline = Date.now() + timeoutMs;
  while (!started.ready && started.deathReason === null && Date.now() < deadline && worker === started) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (worker !== started) return false; // stopped, replaced or dead while starting
  if (!started.ready) stopGemmWorker();
  return started.ready;
}

/** Creates the worker and sends it the module without waiting: products use it once it says READY. */
function launchWorker(create: CreateGemmWorker, opts: GemmWorkerOptions): GemmWorker | undefined {
  stopGemmWorker();
  answerTimeoutMs = opts.answerTimeoutMs ?? 1000;
  if (!(answerTimeoutMs >= 0)) {
    throw new ValueError("startGemmWorker", `answerTimeoutMs must be a non-negative number, got ${answerTimeoutMs}`);
  }
  reportFailure = opts.onFailure ?? warnOnce;
  let started: GemmWorker | undefined;
  try {
    const s = instantiateShared();
    const control = align64(s.exports.heapBase());
    const engine = new Engine(s.exports, s.memory, control + CONTROL_BYTES);
    if (!engine.reserve(engine.base)) return undefined;
    const onDeath = (reason: string) => abandonWorker(started, `the worker died: ${reason}`);
    started = GemmWorker.start(create, s.module, s.memory, s.memory.buffer as SharedArrayBuffer, control, onDeath);
    shared = engine;
    worker = started;
    return started;
  } catch {
    return undefined;
  }
}

/**
 * Arms (or with undefined disarms) the automatic start: once products of at least splitWork
 * multiply-adds, run while no worker runs and setGemmThreads allows two, add up to `afterWork`
 * multiply-adds, the next one launches `create`'s worker without waiting (products keep running on
 * one thread until it says READY). Used once; starting or stopping a worker by hand disarms it.
 */
export function setGemmAutoStart(create: CreateGemmWorker | undefined, afterWork = AUTO_START_WORK): void {
  autoStart = create;
  autoStartAfter = afterWork;
}

/** Whether the automatic start is armed (not yet used or disarmed). */
export function gemmAutoStartArmed(): boolean {
  return autoStart !== undefined;
}

/** Stops the worker; later products run on the main thread only. */
export function stopGemmWorker(): void {
  autoStart = undefined;
  worker?.stop();
  worker = undefined;
  shared = undefined;
}

/** Threads a large product runs on now: 2 while a started worker is ready (and allowed), else 1. */
export function gemmThreadCount(): number {
  return threadLimit >= 2 && worker?.ready === true ? 2 : 1;
}

/**
 * Caps the threads large products may use: 1 keeps every product on the calling thread while a
 * started worker stays idle (to compare, or to leave the core to other work); 2 (the default) uses
 * the worker when one is started.
 */
export function setGemmThreads(count: 1 | 2): void {
  if (count !== 1 && count !== 2) throw new ValueError("setGemmThreads", `count must be 1 or 2, got ${String(count)}`);
  threadLimit = count;
}

/** Bytes of linear memory the module instances hold (test hook: a long run must not grow it past its first steps). */
export function wasmMemoryBytes(): number {
  return (own?.memory.buffer.byteLength ?? 0) + (shared?.memory.buffer.byteLength ?? 0);
}

/** Jobs the worker has finished since it started (0 without one): lets tests see that products were split. */
export function gemmWorkerJobs(): number {
  return worker?.jobsDone ?? 0;
}

/**
 * out (m×n) = op(A)·op(B) with the SIMD128 kernel; returns false (out untouched) when wasm is
 * unavailable or memory cannot grow, so the caller falls back to the TS path. Inputs are copied
 * into linear memory and the result copied back: O(n²) traffic against O(n³) arithmetic.
 * Linear memory stays at its high-water mark (wasm memory cannot shrink). An `epilogue` (bias,
 * activation) runs in that copy back, so C is read once.
 */
export function wasmGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  epilogue?: Epilogue,
): boolean {
  const helper = gemmThreadCount() === 2 ? worker : undefined;
  if (autoStart !== undefined && m * n * k >= splitWork && threadLimit >= 2 && worker === undefined) {
    if (autoStartAfter <= 0) launchWorker(autoStart, {}); // one attempt: launching disarms it
    autoStartAfter -= m * n * k;
  }
  const engine = helper !== undefined ? shared : wasmGemmAvailable() ? own : undefined;
  if (engine === undefined) return false;
  const es = out instanceof Float64Array ? 8 : 4;
  const offA = engine.base;
  const offB = align64(offA + m * k * es);
  const offC = align64(offB + k * n * es);
  const offWs = align64(offC + m * n * es);
  const wsBytes = align64(engine.exports.workspaceBytes(n, k, es));
  const unpacked = m * n * k <= unpackedWork;
  const split = !unpacked && helper !== undefined && m * n * k >= splitWork && Math.max(m, n) >= 2 * COLUMN_TILE;
  if (!engine.reserve(offWs + (split ? 2 : 1) * wsBytes)) return false;
  const view = engine.view(out);
  view.set(a.length === m * k ? a : a.subarray(0, m * k), offA / es);
  view.set(b.length === k * n ? b : b.subarray(0, k * n), offB / es);
  const exports = engine.exports;
  const kernel = unpacked
    ? es === 8
      ? KERNEL.unpackedF64
      : KERNEL.unpackedF32
    : es === 8
      ? KERNEL.packedF64
      : KERNEL.packedF32;
  const tA = transA ? 1 : 0;
  const tB = transB ? 1 : 0;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  if (split && helper !== undefined) {
    // The worker takes the second block of C's rows (or columns, for wide C); same sums per element.
    const rows = m >= n;
    const cut = rows ? splitPoint(m, ROW_TILE) : splitPoint(n, COLUMN_TILE);
    const aPart = rows ? offA + cut * (transA ? 1 : lda) * es : offA;
    const bPart = rows ? offB : offB + cut * (transB ? ldb : 1) * es;
    const cPart = offC + cut * (rows ? n : 1) * es;
    const mPart = rows ? m - cut : m;
    const nPart = rows ? n : n - cut;
    helper.post([kernel, tA, tB, mPart, nPart, k, aPart, lda, bPart, ldb, cPart, n, offWs + wsBytes]);
    const began = Date.now();
    exports.gemm(kernel, tA, tB, rows ? cut : m, rows ? n : cut, k, offA, lda, offB, ldb, offC, n, offWs);
    // The worker's half is no bigger than ours: 4× our time is slack for a busy second core.
    const patience = answerTimeoutMs + 4 * (Date.now() - began);
    if (!helper.finish(patience)) {
      abandonWorker(helper, helper.deathReason ?? `the worker did not answer within ${patience} ms`);
      // The whole product again on this thread's own memory (a hung worker may still write into the
      // shared one): every element is summed in the same order, so the bits are the two-thread ones.
      return wasmGemm(transA, transB, m, n, k, a, b, out, epilogue);
    }
  } else {
    exports.gemm(kernel, tA, tB, m, n, k, offA, lda, offB, ldb, offC, n, offWs);
  }
  if (epilogue === undefined) out.set(view.subarray(offC / es, offC / es + m * n));
  else applyEpilogue(view, offC / es, out, m, n, epilogue);
  return true;
}

/** Half of `size`, rounded up to a whole tile (so each thread gets full tiles but at the edge). */
function splitPoint(size: number, tile: number): number {
  return Math.min(size, Math.ceil(size / 2 / tile) * tile);
}
