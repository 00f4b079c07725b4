/** General matrix multiply on contiguous row-major typed arrays: tight loop for tiny sizes, blocked TS kernel, WebAssembly SIMD128 for large sizes. */
import { describeValue, ValueError } from "../errors.js";
import { applyEpilogue, type Epilogue } from "./epilogue.js";
import type { FloatArray } from "./floatArray.js";
import { wasmGemm } from "./wasm/gemmWasm.js";

export {
  type CreateGemmWorker,
  type GemmWorkerHandle,
  type GemmWorkerOptions,
  gemmThreadCount,
  setGemmThreads,
  startGemmWorker,
  stopGemmWorker,
  wasmGemmAvailable,
} from "./wasm/gemmWasm.js";

// Numerics. Every path computes each C element per k-block of KC terms as acc = 0, acc = acc + a·b
// in increasing p (separate multiply and add; JS never fuses, and the wasm kernel uses f64x2.mul +
// f64x2.add), then C = acc for the first block and C = C + acc after. So in float64 the tiny
// loops, the blocked TS kernel and the wasm kernel give bit-identical results. In float32 the TS
// paths compute in float64 and round once at the store, while the wasm path accumulates in f32
// lanes: the two differ by float32 rounding (tests compare each with a float64 reference).

/** k-block length; must equal KC in wasm/blocking.ts (it fixes the float64 summation order). */
const KC = 256;
const MC = 128; // rows of A per packed block (multiple of MR)
const NC = 2048; // columns of B per packed block (multiple of NR)
const MR = 4;
const NR = 4;

// Thresholds in multiply-adds (m·n·k), measured on the project's machine: the wasm call with its
// copies costs about a microsecond, so wasm wins from a few hundred multiply-adds on (the planar
// net's (4,2)·(2,400) takes ~2 µs in the wasm module's unpacked kernel against ~8–13 µs in the plain loop).
/** Up to this size the plain loops beat packing (TS path, i.e. without wasm or below WASM_WORK). */
const SMALL_WORK = 512;
/** From this size gemm uses the wasm kernel when available. */
const WASM_WORK = 256;

/** Which implementation gemm uses: "auto" picks by size; "js" and "wasm" force one (for tests and benchmarks). */
export type GemmBackend = "js" | "wasm" | "auto";

let backend: GemmBackend = "auto";

/** Selects the implementation; "wasm" still falls back to TS where wasm is unavailable. */
export function setGemmBackend(choice: GemmBackend): void {
  if (choice !== "js" && choice !== "wasm" && choice !== "auto") {
    throw new ValueError("setGemmBackend", `choice must be "js", "wasm" or "auto", got ${describeValue(choice)}`);
  }
  backend = choice;
}

/** The implementation selected with setGemmBackend. */
export function getGemmBackend(): GemmBackend {
  return backend;
}

/**
 * out (m×n) = op(A) · op(B), overwriting out. A is (m×k) row-major, or (k×m) when transA;
 * B is (k×n), or (n×k) when transB. All three arrays share one dtype. With `epilogue`, out is
 * Z = op(A)·op(B) + bias (and the epilogue's `a` = g(Z)), computed as C is stored where the kernel allows.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  epilogue?: Epilogue,
): void {
  if (m === 0 || n === 0) return;
  const work = m * n * k;
  if (k === 0) out.fill(0, 0, m * n);
  else if (
    (backend === "wasm" || (backend === "auto" && work >= WASM_WORK)) &&
    wasmGemm(transA, transB, m, n, k, a, b, out, epilogue)
  ) {
    return; // the epilogue ran in the copy out of wasm memory
  } else if (work <= SMALL_WORK) smallGemm(transA, transB, m, n, k, a, b, out);
  else blockedGemm(transA, transB, m, n, k, a, b, out);
  if (epilogue !== undefined) applyEpilogue(out, 0, out, m, n, epilogue);
}

/** Plain loops for tiny products: no packing; float64 rows, so float32 outputs round once. */
function smallGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
): void {
  const aRow = transA ? 1 : k; // step between rows i of op(A)
  const aStep = transA ? m : 1; // step along p
  if (transB || n < 8) {
    // One dot product per element, k-blocked like the kernels: B rows are contiguous along p when
    // transB, and for narrow B the axpy form below would spend its time on loop overhead.
    const bCol = transB ? k : 1; // step between columns j of op(B)
    const bStep = transB ? 1 : n; // step along p
    for (let i = 0; i < m; i++) {
      const ai = i * aRow;
      for (let j = 0; j < n; j++) {
        const bj = j * bCol;
        let total = 0;
        for (let p0 = 0; p0 < k; p0 += KC) {
          const pEnd = Math.min(p0 + KC, k);
          let s = 0;
          for (let p = p0; p < pEnd; p++) s += a[ai + p * aStep] * b[bj + p * bStep];
          total = p0 === 0 ? s : total + s;
        }
        out[i * n + j] = total;
      }
    }
    return;
  }
  // Rows of B are contiguous along j: accumulate a row of C (axpy form); later k-blocks go to a
  // second row that is then added, to keep the kernels' summation order.
  if (smallRow.length < n) {
    smallRow = new Float64Array(n);
    smallBlock = new Float64Array(n);
  }
  const row = smallRow;
  const blk = smallBlock;
  for (let i = 0; i < m; i++) {
    const ai = i * aRow;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const pEnd = Math.min(p0 + KC, k);
      const acc = p0 === 0 ? row : blk;
      acc.fill(0, 0, n);
      for (let p = p0; p < pEnd; p++) {
        const aip = a[ai + p * aStep];
        const bp = p * n;
        for (let j = 0; j < n; j++) acc[j] += aip * b[bp + j];
      }
      if (p0 > 0) for (let j = 0; j < n; j++) row[j] += blk[j];
    }
    const oi = i * n;
    for (let j = 0; j < n; j++) out[oi + j] = row[j];
  }
}

let smallRow = new Float64Array(0);
let smallBlock = new Float64Array(0);

// Reused scratch (grown on demand): packed A block, packed B block, and a float64 C for float32 outputs.
let packA = new Float64Array(0);
let packB = new Float64Array(0);
let scratchC = new Float64Array(0);
const tile = new Float64Array(MR * NR);

/** Blocked TS kernel: packed MR×KC A panels and KC×NR B panels (zero-padded), 4×4 register tile. */
function blockedGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
): void {
  const kcMax = Math.min(k, KC);
  const mcMax = Math.min(Math.ceil(m / MR) * MR, MC);
  const ncMax = Math.min(Math.ceil(n / NR) * NR, NC);
  if (packA.length < mcMax * kcMax) packA = new Float64Array(mcMax * kcMax);
  if (packB.length < ncMax * kcMax) packB = new Float64Array(ncMax * kcMax);
  let c: Float64Array;
  if (out instanceof Float64Array) c = out;
  else {
    if (scratchC.length < m * n) scratchC = new Float64Array(m * n);
    c = scratchC;
  }
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const accumulate = pc > 0;
      packPanelsB(transB, b, ldb, jc, nc, pc, kc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelsA(transA, a, lda, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const cOff = (ic + ir) * n + jc + jr;
            microKernel(kc, packA, ir * kc, packB, jr * kc, c, cOff, n, mr, nr, accumulate);
          }
        }
      }
    }
  }
  if (c !== out) out.set(c.subarray(0, m * n)); // float32: one rounding per element
}

/** Packs rows i0..i0+mc of op(A), columns p0..p0+kc, as MR-row panels: element (p, r) at p*MR + r. */
function packPanelsA(
  trans: boolean,
  a: FloatArray,
  lda: number,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  dst: Float64Array,
): void {
  let d = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = Math.min(MR, mc - ir);
    for (let r = 0; r < MR; r++) {
      let o = d + r;
      if (r >= mr) {
        for (let p = 0; p < kc; p++, o += MR) dst[o] = 0;
      } else if (trans) {
        let s = p0 * lda + i0 + ir + r; // A is k×m
        for (let p = 0; p < kc; p++, o += MR, s += lda) dst[o] = a[s];
      } else {
        let s = (i0 + ir + r) * lda + p0;
        for (let p = 0; p < kc; p++, o += MR, s++) dst[o] = a[s];
      }
    }
    d += MR * kc;
  }
}

/** Packs columns j0..j0+nc of op(B), rows p0..p0+kc, as NR-column panels: element (p, c) at p*NR + c. */
function packPanelsB(
  trans: boolean,
  b: FloatArray,
  ldb: number,
  j0: number,
  nc: number,
  p0: number,
  kc: number,
  dst: Float64Array,
): void {
  let d = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    for (let c = 0; c < NR; c++) {
      let o = d + c;
      if (c >= nr) {
        for (let p = 0; p < kc; p++, o += NR) dst[o] = 0;
      } else if (trans) {
        let s = (j0 + jr + c) * ldb + p0; // B is n×k
        for (let p = 0; p < kc; p++, o += NR, s++) dst[o] = b[s];
      } else {
        let s = p0 * ldb + j0 + jr + c;
        for (let p = 0; p < kc; p++, o += NR, s += ldb) dst[o] = b[s];
      }
    }
    d += NR * kc;
  }
}

/** 4×4 register tile over one A panel and one B panel; C = acc, or C = C + acc when accumulating. */
function microKernel(
  kc: number,
  pa: Float64Array,
  ia: number,
  pb: Float64Array,
  ib: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
  mr: number,
  nr: number,
  accumulate: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = pb[ib];
    const b1 = pb[ib + 1];
    const b2 = pb[ib + 2];
    const b3 = pb[ib + 3];
    let a = pa[ia];
    c00 += a * b0;
    c01 += a * b1;
    c02 += a * b2;
    c03 += a * b3;
    a = pa[ia + 1];
    c10 += a * b0;
    c11 += a * b1;
    c12 += a * b2;
    c13 += a * b3;
    a = pa[ia + 2];
    c20 += a * b0;
    c21 += a * b1;
    c22 += a * b2;
    c23 += a * b3;
    a = pa[ia + 3];
    c30 += a * b0;
    c31 += a * b1;
    c32 += a * b2;
    c33 += a * b3;
    ia += MR;
    ib += NR;
  }
  if (mr === MR && nr === NR) {
    let o = cOff;
    if (accumulate) {
      c[o] += c00;
      c[o + 1] += c01;
      c[o + 2] += c02;
      c[o + 3] += c03;
      o += ldc;
      c[o] += c10;
      c[o + 1] += c11;
      c[o + 2] += c12;
      c[o + 3] += c13;
      o += ldc;
      c[o] += c20;
      c[o + 1] += c21;
      c[o + 2] += c22;
      c[o + 3] += c23;
      o += ldc;
      c[o] += c30;
      c[o + 1] += c31;
      c[o + 2] += c32;
      c[o + 3] += c33;
    } else {
      c[o] = c00;
      c[o + 1] = c01;
      c[o + 2] = c02;
      c[o + 3] = c03;
      o += ldc;
      c[o] = c10;
      c[o + 1] = c11;
      c[o + 2] = c12;
      c[o + 3] = c13;
      o += ldc;
      c[o] = c20;
      c[o + 1] = c21;
      c[o + 2] = c22;
      c[o + 3] = c23;
      o += ldc;
      c[o] = c30;
      c[o + 1] = c31;
      c[o + 2] = c32;
      c[o + 3] = c33;
    }
    return;
  }
  // Edge tile: only the valid mr×nr corner is written.
  tile[0] = c00;
  tile[1] = c01;
  tile[2] = c02;
  tile[3] = c03;
  tile[4] = c10;
  tile[5] = c11;
  tile[6] = c12;
  tile[7] = c13;
  tile[8] = c20;
  tile[9] = c21;
  tile[10] = c22;
  tile[11] = c23;
  tile[12] = c30;
  tile[13] = c31;
  tile[14] = c32;
  tile[15] = c33;
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const o = cOff + i * ldc + j;
      c[o] = accumulate ? c[o] + tile[i * NR + j] : tile[i * NR + j];
    }
  }
}
