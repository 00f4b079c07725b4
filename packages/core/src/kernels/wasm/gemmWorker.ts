/** A second thread for large products: one worker running the GEMM module over the main thread's shared memory. */

// Protocol. A control block of CONTROL_WORDS int32 in shared memory. The main thread writes a
// job's arguments, bumps JOB and notifies; the worker runs the module's gemm on its block of C, stores
// the job number in DONE and notifies. One job at a time, and the main thread never returns from a
// product before DONE says so, so nothing else touches the memory meanwhile. JOB = -1 stops it.
const JOB = 0;
const DONE = 1;
const READY = 2;
const ARGS = 3; // kernel, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, ws
const ARG_COUNT = 13;
/** Bytes of the control block (64-byte aligned by the caller). */
export const CONTROL_BYTES = 64;

/**
 * The worker's source: a classic browser-worker script (Node's adapter defines `self` as the
 * `worker_threads` parent port). It instantiates the posted module over the posted memory, says
 * READY, then blocks in Atomics.wait between jobs (no CPU while idle).
 */
const WORKER_SCRIPT = `"use strict";
self.addEventListener("message", (event) => {
  const { module, memory, control } = event.data;
  const gemm = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
  const ctrl = new Int32Array(memory.buffer, control, ${CONTROL_BYTES / 4});
  Atomics.store(ctrl, ${READY}, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, ${JOB}, seen);
    seen = Atomics.load(ctrl, ${JOB});
    if (seen < 0) return;
    gemm.gemm(...ctrl.subarray(${ARGS}, ${ARGS + ARG_COUNT}));
    Atomics.store(ctrl, ${DONE}, seen);
    Atomics.notify(ctrl, ${DONE});
  }
}, { once: true });
`;

/** What startGemmWorker needs of a worker: Node's `worker_threads.Worker` and the browser's `Worker` both fit. */
export interface GemmWorkerHandle {
  /** Sends the worker its module, memory and control block. */
  postMessage(message: unknown): void;
  /** Ends the worker. */
  terminate(): unknown;
  /** A browser Worker's: its "error" event marks the worker dead (Node's adapter reports through `onDeath` instead). */
  addEventListener?(type: string, listener: (event: unknown) => void): void;
}

/**
 * Creates a worker running `script`, a classic worker script's source text that listens on `self`.
 * Call `onDeath(reason)` when the platform says the worker died (Node: its "error" and "exit" events);
 * a browser Worker's "error" event is listened to without it.
 */
export type CreateGemmWorker = (script: string, onDeath: (reason: string) => void) => GemmWorkerHandle;

/** A started worker over one shared memory. */
export class GemmWorker {
  private readonly control: Int32Array;
  private job = 0;
  private readonly canBlock: boolean;
  private stopped = false;
  /** Why the worker is known dead (its error or exit), or null while it may still answer. */
  deathReason: string | null = null;

  constructor(
    private readonly handle: GemmWorkerHandle,
    buffer: SharedArrayBuffer,
    controlOffset: number,
  ) {
    this.control = new Int32Array(buffer, controlOffset, CONTROL_BYTES / 4);
    this.canBlock = mayBlock(this.control);
  }

  /** Sends the module and memory; the worker says READY once instantiated. `onDeath` hears of its death once. */
  static start(
    create: CreateGemmWorker,
    module: object,
    memory: object,
    buffer: SharedArrayBuffer,
    controlOffset: number,
    onDeath: (reason: string) => void,
  ): GemmWorker {
    let started: GemmWorker | undefined;
    let early: string | null = null;
    const died = (reason: string) => {
      if (started === undefined) early ??= reason;
      else started.died(reason, onDeath);
    };
    const handle = create(WORKER_SCRIPT, died);
    if (typeof handle.addEventListener === "function") {
      handle.addEventListener("error", (event) =>
        died(`error: ${(event as { message?: string }).message ?? "unknown"}`),
      );
    }
    handle.postMessage({ module, memory, control: controlOffset });
    started = new GemmWorker(handle, buffer, controlOffset);
    if (early !== null) started.died(early, onDeath);
    return started;
  }

  private died(reason: string, onDeath: (reason: string) => void): void {
    if (this.stopped || this.deathReason !== null) return; // an exit we asked for, or already reported
    this.deathReason = reason;
    onDeath(reason);
  }

  /** Whether the worker has instantiated the module and waits for jobs (false once it is known dead). */
  get ready(): boolean {
    return this.deathReason === null && Atomics.load(this.control, READY) === 1;
  }

  /** Jobs finished so far. */
  get jobsDone(): number {
    return Atomics.load(this.control, DONE);
  }

  /** Starts the module's gemm on the worker (its 13 arguments, the kernel code first); pair with finish(). */
  post(args: readonly number[]): void {
    const ctrl = this.control;
    for (let i = 0; i < ARG_COUNT; i++) ctrl[ARGS + i] = args[i];
    this.job = this.job === 0x7fffffff ? 1 : this.job + 1;
    Atomics.store(ctrl, JOB, this.job);
    Atomics.notify(ctrl, JOB);
  }

  /**
   * Waits until the posted job is done, at most `patienceMs`: blocking where the thread may block,
   * spinning elsewhere (a browser's main thread). False if the job is not done by then (the worker
   * died or hangs): its part of C must then be computed by someone else.
   */
  finish(patienceMs: number): boolean {
    const ctrl = this.control;
    const deadline = Date.now() + patienceMs;
    for (;;) {
      const done = Atomics.load(ctrl, DONE);
      if (done === this.job) return true;
      const left = deadline - Date.now();
      if (left <= 0 || this.deathReason !== null) return false;
      if (this.canBlock) Atomics.wait(ctrl, DONE, done, left);
    }
  }

  /** Lets the worker's loop end, then terminates it (a hung worker is terminated where it is). */
  stop(): void {
    this.stopped = true;
    Atomics.store(this.control, JOB, -1);
    Atomics.notify(this.control, JOB);
    this.handle.terminate();
  }
}

/** Atomics.wait throws on threads that must not block (a browser's main thread), even with a zero timeout. */
function mayBlock(ctrl: Int32Array): boolean {
  try {
    Atomics.wait(ctrl, DONE, -2, 0); // DONE is never -2: returns "not-equal" at once
    return true;
  } catch {
    return false;
  }
}
