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

/** Workspace bytes gemm64/gemm32 need (small64/small32 need none). */
export function workspaceBytes(n: i32, k: i32, elemBytes: i32): usize {
  return packedWorkspaceBytes(n, k, elemBytes);
}

/**
 * C (m×n) = op(A)·op(B) in float64 through packed panels. a, b, c, ws are byte addresses (ws from
 * workspaceBytes); lda, ldb, ldc row strides in elements, so a caller can hand a block of C's rows
 * or columns to another thread.
 */
export function gemm64(
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
  packedGemm<f64>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, ws);
}

/** As gemm64, in float32 lanes. */
export function gemm32(
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
  packedGemm<f32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, ws);
}

/** As gemm64 for small products: operands read in place (no packing; ws unused), bit-identical results. */
export function small64(
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
  _ws: usize,
): void {
  unpackedGemm<f64>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
}

/** As small64, in float32 lanes. */
export function small32(
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
  _ws: usize,
): void {
  unpackedGemm<f32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
}
