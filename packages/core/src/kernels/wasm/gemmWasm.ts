/** Loads the embedded WebAssembly SIMD128 GEMM module synchronously on first use and runs products in its linear memory. */
import type { FloatArray } from "../floatArray.js";
import { GEMM_WASM_BASE64 } from "./gemmWasm.generated.js";

// The project's TypeScript lib is ES2022 without DOM, so the few WebAssembly pieces used are typed here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface GemmExports {
  memory: WasmMemory;
  heapBase(): number;
  workspaceBytes(n: number, k: number, elemBytes: number): number;
  gemm64(tA: number, tB: number, m: number, n: number, k: number, a: number, b: number, c: number, ws: number): void;
  gemm32(tA: number, tB: number, m: number, n: number, k: number, a: number, b: number, c: number, ws: number): void;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const PAGE = 65536;
// wasm32 addresses end at 4 GiB; engines may refuse earlier, which growMemory reports as failure.
const MAX_BYTES = 4 * 1024 * 1024 * 1024;

let state: "unloaded" | "ready" | "unavailable" = "unloaded";
let wasm: GemmExports | undefined;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes base64 without Buffer or atob, so the same code runs in Node and browsers. */
function decodeBase64(text: string): Uint8Array {
  const lookup = new Uint8Array(128);
  for (let i = 0; i < B64.length; i++) lookup[B64.charCodeAt(i)] = i;
  let len = text.length;
  while (len > 0 && text[len - 1] === "=") len--;
  const out = new Uint8Array((len * 3) >> 2);
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    acc = (acc << 6) | lookup[text.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

function load(): void {
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (api === undefined) throw new Error("no WebAssembly");
    // Synchronous compile: a browser main thread may refuse it for large modules (this one is ~4 KB),
    // and engines without SIMD128 reject it at validation; either way the TS path takes over.
    const module = new api.Module(decodeBase64(GEMM_WASM_BASE64));
    wasm = new api.Instance(module, { env: { abort: () => {} } }).exports as GemmExports;
    state = "ready";
  } catch {
    wasm = undefined;
    state = "unavailable";
  }
}

/** Whether the SIMD128 module could be instantiated here (loads it on first call). */
export function wasmGemmAvailable(): boolean {
  if (state === "unloaded") load();
  return state === "ready";
}

// Arithmetic, not bit operations: offsets may exceed 2^31.
function align64(x: number): number {
  return Math.ceil(x / 64) * 64;
}

/** Makes linear memory at least `bytes` long; false if the engine refuses to grow it. */
function growMemory(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  if (bytes > MAX_BYTES) return false;
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE));
    return true;
  } catch {
    return false;
  }
}

/**
 * out (m×n) = op(A)·op(B) with the SIMD128 kernel; returns false (out untouched) when wasm is
 * unavailable or memory cannot grow, so the caller falls back to the TS path. Inputs are copied
 * into linear memory and the result copied back: O(n²) traffic against O(n³) arithmetic.
 * Linear memory stays at its high-water mark (wasm memory cannot shrink).
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
): boolean {
  if (!wasmGemmAvailable() || wasm === undefined) return false;
  const f64 = out instanceof Float64Array;
  const es = f64 ? 8 : 4;
  const offA = align64(wasm.heapBase());
  const offB = align64(offA + m * k * es);
  const offC = align64(offB + k * n * es);
  const offWs = align64(offC + m * n * es);
  const end = offWs + wasm.workspaceBytes(n, k, es);
  if (!growMemory(wasm.memory, end)) return false;
  const buffer = wasm.memory.buffer; // read after growing: growth detaches the old buffer
  const tA = transA ? 1 : 0;
  const tB = transB ? 1 : 0;
  if (f64) {
    new Float64Array(buffer, offA, m * k).set(a.subarray(0, m * k));
    new Float64Array(buffer, offB, k * n).set(b.subarray(0, k * n));
    wasm.gemm64(tA, tB, m, n, k, offA, offB, offC, offWs);
    out.set(new Float64Array(buffer, offC, m * n));
  } else {
    new Float32Array(buffer, offA, m * k).set(a.subarray(0, m * k));
    new Float32Array(buffer, offB, k * n).set(b.subarray(0, k * n));
    wasm.gemm32(tA, tB, m, n, k, offA, offB, offC, offWs);
    out.set(new Float32Array(buffer, offC, m * n));
  }
  return true;
}
