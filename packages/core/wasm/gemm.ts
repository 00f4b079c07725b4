/** WebAssembly SIMD128 matrix multiply (AssemblyScript): the module's exports, over packed.ts and unpacked.ts. */

// The host (src/kernels/wasm/gemmWasm.ts) copies A and B into linear memory, passes their addresses,
// row strides and a workspace address, and copies C back out; with a worker it hands one block of
// C's rows or columns to each thread (each with its own workspace). Everything here is raw pointer
// arithmetic: no runtime, no allocation, no bounds checks, no globals written — so two instances
// can run over one shared memory at once.
//
// Numerics: per C element and k-block of KC terms, s = 0; s = s + a·b (separate multiply and add,
// no FMA) in increasing p; C = s for the first block, C = C + s after (blocking.ts). Every kernel
// here and in src/kernels/gemm.ts follows it, so float64 results are bit-identical across them, and
// float32 results across the wasm kernels (the TS kernels sum float32 inputs in float64).

import { packedGemm, packedWorkspaceBytes } from "./packed";
import { unpackedGemm } from "./unpacked";

/** First 64-byte-aligned address the host may use. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** Workspace bytes the packed kernels need (the unpacked ones need none). */
export function workspaceBytes(n: i32, k: i32, elemBytes: i32): usize {
  return packedWorkspaceBytes(n, k, elemBytes);
}

// Kernel codes of gemm; KERNEL in src/kernels/wasm/wasmModule.ts mirrors them.
const PACKED_F64 = 0;
const PACKED_F32 = 1;
const UNPACKED_F64 = 2;

/**
 * C (m×n) = op(A)·op(B) with the kernel `kernel`: packed panels (packed.ts) or operands read in
 * place (unpacked.ts, for small products), in float64 or float32 lanes — the same bits either way.
 * a, b, c, ws are byte addresses (ws from workspaceBytes); lda, ldb, ldc row strides in elements,
 * so a caller can hand a block of C's rows or columns to another thread.
 */
export function gemm(
  kernel: i32,
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  ws: usize,
): void {
  if (kernel === PACKED_F64) packedGemm<f64>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, ws);
  else if (kernel === PACKED_F32) packedGemm<f32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, ws);
  else if (kernel === UNPACKED_F64) unpackedGemm<f64>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
  else unpackedGemm<f32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
}
