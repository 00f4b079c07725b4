/** Compiles the embedded GEMM modules (own memory, or imported shared memory) without Node-only APIs. */
import { GEMM_SHARED_WASM_BASE64, GEMM_WASM_BASE64 } from "./gemmWasm.generated.js";

// The project's TypeScript lib is ES2022 without DOM, so the few WebAssembly pieces used are typed here.
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
/** The module's exports; addresses and strides are i32 (addresses ≥ 2^31 wrap and read back as u32). */
export interface GemmExports {
  memory: WasmMemory;
  heapBase(): number;
  workspaceBytes(n: number, k: number, elemBytes: number): number;
  /**
   * C (m×n) = op(A)·op(B) with one of the KERNEL codes; a, b, c, ws are byte addresses, lda, ldb,
   * ldc row strides in elements.
   */
  gemm(
    kernel: number,
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    ws: number,
  ): void;
}

/** The kernel codes of the module's gemm (wasm/gemm.ts): packed or unpacked, float64 or float32 — the same bits either way. */
export const KERNEL = { packedF64: 0, packedF32: 1, unpackedF64: 2, unpackedF32: 3 } as const;

/** A compiled module, as WebAssembly.Module (opaque here; it can be posted to a worker). */
export type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

export const WASM_PAGE = 65536;
/** Pages of the shared memory's declared maximum (4 GiB); must equal --maximumMemory in build-wasm. */
const SHARED_MAX_PAGES = 65536;

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

function wasmApi(): WasmApi {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) throw new Error("no WebAssembly");
  return api;
}

/**
 * Compiles and instantiates the own-memory module synchronously. Throws where WebAssembly or
 * SIMD128 is missing, or where a browser main thread refuses synchronous compiles (the module is
 * ~9 KB: Chrome's main-thread limit is 8 MB now, 4 KB in old versions); callers fall back to the TypeScript kernels.
 */
export function instantiateOwnMemory(): GemmExports {
  const api = wasmApi();
  const module = new api.Module(decodeBase64(GEMM_WASM_BASE64));
  return new api.Instance(module, { env: { abort: () => {} } }).exports as GemmExports;
}

/** The shared-memory module, a fresh shared memory, and the main thread's instance over it. */
export interface SharedGemm {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly exports: GemmExports;
}

/**
 * Throws where shared memory is unavailable: no SharedArrayBuffer (a browser page that is not cross-origin isolated,
 * `node --no-harmony-sharedarraybuffer`) — there a shared WebAssembly memory may still be made, but posting it to a
 * worker aborts the whole process in V8, so it is refused here.
 */
export function instantiateShared(): SharedGemm {
  if (typeof globalThis.SharedArrayBuffer !== "function") throw new Error("no SharedArrayBuffer");
  const api = wasmApi();
  const module = new api.Module(decodeBase64(GEMM_SHARED_WASM_BASE64));
  const memory = new api.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
  const exports = new api.Instance(module, { env: { memory, abort: () => {} } }).exports as GemmExports;
  return { module, memory, exports };
}
