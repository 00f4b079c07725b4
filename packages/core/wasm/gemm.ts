/** WebAssembly SIMD128 matrix multiply (AssemblyScript): BLIS-style packed panels with 5×4 f64 / 5×8 f32 register tiles. */

// The host (src/kernels/wasm/gemmWasm.ts) copies A and B into linear memory, passes their addresses,
// row strides and a workspace address, and copies C back out; with a worker it hands one block of
// C's rows or columns to each thread (each with its own workspace). Everything here is raw pointer
// arithmetic: no runtime, no allocation, no bounds checks, no globals written — so two instances
// can run over one shared memory at once.
//
// Summation order (float64 bit-identity with the TypeScript path in src/kernels/gemm.ts): every
// C element is computed per k-block of KC terms as acc = 0; acc = acc + a·b (separate multiply and
// add, no FMA) in increasing p, then C = acc for the first block and C = C + acc for the later ones.
// KC must equal KC in src/kernels/gemm.ts. Zero-padded tile edges never touch valid elements.

// Block sizes: a 5×KC A micro-panel and a KC×4 B micro-panel fit L1; an MC×KC A block fits L2.
// PERFORMANCE.md measured these to move results by only a few percent.
const KC: i32 = 256;
const MC: i32 = 120; // multiple of MR = 5
const NC: i32 = 2048; // multiple of NR = 4 (f64) and 8 (f32)
const MR: i32 = 5;

/** First 64-byte-aligned address the host may use. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** Workspace bytes gemm64/gemm32 need for their packed panels and edge tile. */
export function workspaceBytes(n: i32, k: i32, elemBytes: i32): usize {
  // Layout as in gemm64/gemm32: 64-byte alignment slack, packed A block, packed B block, 5×8 edge tile.
  const kc = min(k, KC);
  const nc = min((n + 7) & ~7, NC);
  return 64 + <usize>(MC * kc + nc * kc + 64) * elemBytes;
}

// ---------------------------------------------------------------- float64

// Packs rows i0..i0+mc of A, columns p0..p0+kc, into MR-row panels: panel element (p, r) at p*MR + r.
function packA64(trans: bool, a: usize, lda: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (trans) {
      // A is k×m: for fixed p the rows of a panel are contiguous.
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>(p0 + p) * lda + i0 + ir) << 3);
        const d = dst + ((<usize>(p * MR)) << 3);
        for (let r = 0; r < MR; r++) store<f64>(d + (r << 3), r < mr ? load<f64>(src + (r << 3)) : 0.0);
      }
    } else {
      for (let r = 0; r < MR; r++) {
        const d = dst + ((<usize>r) << 3);
        if (r < mr) {
          const src = a + ((<usize>(i0 + ir + r) * lda + p0) << 3);
          for (let p = 0; p < kc; p++) store<f64>(d + ((<usize>(p * MR)) << 3), load<f64>(src + ((<usize>p) << 3)));
        } else {
          for (let p = 0; p < kc; p++) store<f64>(d + ((<usize>(p * MR)) << 3), 0.0);
        }
      }
    }
    dst += (<usize>(MR * kc)) << 3;
  }
}

// Packs columns j0..j0+nc of B, rows p0..p0+kc, into 4-column panels: panel element (p, c) at p*4 + c.
function packB64(trans: bool, b: usize, ldb: i32, j0: i32, nc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += 4) {
    const nr = min(4, nc - jr);
    if (!trans && nr === 4) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p0 + p) * ldb + j0 + jr) << 3);
        const d = dst + ((<usize>p) << 5);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else {
      for (let c = 0; c < 4; c++) {
        const d = dst + ((<usize>c) << 3);
        for (let p = 0; p < kc; p++) {
          let v = 0.0;
          if (c < nr) {
            const col = j0 + jr + c;
            v = trans
              ? load<f64>(b + ((<usize>col * ldb + p0 + p) << 3))
              : load<f64>(b + ((<usize>(p0 + p) * ldb + col) << 3));
          }
          store<f64>(d + ((<usize>p) << 5), v);
        }
      }
    }
    dst += (<usize>(4 * kc)) << 3;
  }
}

// Stores one accumulator pair (a C row of 4) as C = acc or C = C + acc (binaryen inlines it).
function put64(c: usize, lo: v128, hi: v128, accumulate: bool): void {
  if (accumulate) {
    lo = f64x2.add(v128.load(c), lo);
    hi = f64x2.add(v128.load(c, 16), hi);
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

// 5×4 micro-kernel over one packed A panel and one packed B panel; ldc in bytes.
function kernel64(
  kc: i32,
  pa: usize,
  pb: usize,
  c: usize,
  ldc: usize,
  accumulate: bool,
  mr: i32,
  nr: i32,
  tile: usize,
): void {
  const z = f64x2.splat(0.0);
  let c00 = z,
    c01 = z,
    c10 = z,
    c11 = z,
    c20 = z,
    c21 = z,
    c30 = z,
    c31 = z,
    c40 = z,
    c41 = z;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 32);
    c40 = f64x2.add(c40, f64x2.mul(a, b0));
    c41 = f64x2.add(c41, f64x2.mul(a, b1));
    pa += 40;
    pb += 32;
  }
  if (mr === MR && nr === 4) {
    put64(c, c00, c01, accumulate);
    put64(c + ldc, c10, c11, accumulate);
    put64(c + 2 * ldc, c20, c21, accumulate);
    put64(c + 3 * ldc, c30, c31, accumulate);
    put64(c + 4 * ldc, c40, c41, accumulate);
    return;
  }
  // Edge tile: spill to the scratch tile, then copy the valid part element by element.
  put64(tile, c00, c01, false);
  put64(tile + 32, c10, c11, false);
  put64(tile + 64, c20, c21, false);
  put64(tile + 96, c30, c31, false);
  put64(tile + 128, c40, c41, false);
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const dst = c + <usize>i * ldc + ((<usize>j) << 3);
      const t = load<f64>(tile + ((<usize>(i * 4 + j)) << 3));
      store<f64>(dst, accumulate ? load<f64>(dst) + t : t);
    }
  }
}

/**
 * C (m×n) = op(A)·op(B) in float64; a, b, c, ws are byte addresses (ws from workspaceBytes) and
 * lda, ldb, ldc the row strides in elements, so a caller can hand a block of C's rows or columns
 * to another thread.
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
  if (k === 0) {
    for (let i = 0; i < m; i++) memory.fill(c + ((<usize>i * ldc) << 3), 0, (<usize>n) << 3);
    return;
  }
  const kcMax = min(k, KC);
  const packA = (ws + 63) & ~(<usize>63);
  const packB = packA + ((<usize>(MC * kcMax)) << 3);
  const tile = packB + ((<usize>(min((n + 7) & ~7, NC) * kcMax)) << 3);
  const ldcBytes = (<usize>ldc) << 3;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0;
      packB64(transB, b, ldb, jc, nc, pc, kc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA64(transA, a, lda, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = min(4, nc - jr);
          const pb = packB + ((<usize>(jr * kc)) << 3);
          for (let ir = 0; ir < mc; ir += MR) {
            const cp = c + <usize>(ic + ir) * ldcBytes + ((<usize>(jc + jr)) << 3);
            kernel64(kc, packA + ((<usize>(ir * kc)) << 3), pb, cp, ldcBytes, accumulate, min(MR, mc - ir), nr, tile);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- float32

function packA32(trans: bool, a: usize, lda: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (trans) {
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>(p0 + p) * lda + i0 + ir) << 2);
        const d = dst + ((<usize>(p * MR)) << 2);
        for (let r = 0; r < MR; r++) store<f32>(d + (r << 2), r < mr ? load<f32>(src + (r << 2)) : <f32>0);
      }
    } else {
      for (let r = 0; r < MR; r++) {
        const d = dst + ((<usize>r) << 2);
        if (r < mr) {
          const src = a + ((<usize>(i0 + ir + r) * lda + p0) << 2);
          for (let p = 0; p < kc; p++) store<f32>(d + ((<usize>(p * MR)) << 2), load<f32>(src + ((<usize>p) << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(d + ((<usize>(p * MR)) << 2), <f32>0);
        }
      }
    }
    dst += (<usize>(MR * kc)) << 2;
  }
}

function packB32(trans: bool, b: usize, ldb: i32, j0: i32, nc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += 8) {
    const nr = min(8, nc - jr);
    if (!trans && nr === 8) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p0 + p) * ldb + j0 + jr) << 2);
        const d = dst + ((<usize>p) << 5);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else {
      for (let c = 0; c < 8; c++) {
        const d = dst + ((<usize>c) << 2);
        for (let p = 0; p < kc; p++) {
          let v: f32 = 0;
          if (c < nr) {
            const col = j0 + jr + c;
            v = trans
              ? load<f32>(b + ((<usize>col * ldb + p0 + p) << 2))
              : load<f32>(b + ((<usize>(p0 + p) * ldb + col) << 2));
          }
          store<f32>(d + ((<usize>p) << 5), v);
        }
      }
    }
    dst += (<usize>(8 * kc)) << 2;
  }
}

function put32(c: usize, lo: v128, hi: v128, accumulate: bool): void {
  if (accumulate) {
    lo = f32x4.add(v128.load(c), lo);
    hi = f32x4.add(v128.load(c, 16), hi);
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

// 5×8 micro-kernel in f32 lanes; ldc in bytes.
function kernel32(
  kc: i32,
  pa: usize,
  pb: usize,
  c: usize,
  ldc: usize,
  accumulate: bool,
  mr: i32,
  nr: i32,
  tile: usize,
): void {
  const z = f32x4.splat(0);
  let c00 = z,
    c01 = z,
    c10 = z,
    c11 = z,
    c20 = z,
    c21 = z,
    c30 = z,
    c31 = z,
    c40 = z,
    c41 = z;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 16);
    c40 = f32x4.add(c40, f32x4.mul(a, b0));
    c41 = f32x4.add(c41, f32x4.mul(a, b1));
    pa += 20;
    pb += 32;
  }
  if (mr === MR && nr === 8) {
    put32(c, c00, c01, accumulate);
    put32(c + ldc, c10, c11, accumulate);
    put32(c + 2 * ldc, c20, c21, accumulate);
    put32(c + 3 * ldc, c30, c31, accumulate);
    put32(c + 4 * ldc, c40, c41, accumulate);
    return;
  }
  put32(tile, c00, c01, false);
  put32(tile + 32, c10, c11, false);
  put32(tile + 64, c20, c21, false);
  put32(tile + 96, c30, c31, false);
  put32(tile + 128, c40, c41, false);
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const dst = c + <usize>i * ldc + ((<usize>j) << 2);
      const t = load<f32>(tile + ((<usize>(i * 8 + j)) << 2));
      store<f32>(dst, accumulate ? load<f32>(dst) + t : t);
    }
  }
}

/** C (m×n) = op(A)·op(B) in float32 lanes; arguments as for gemm64. */
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
  if (k === 0) {
    for (let i = 0; i < m; i++) memory.fill(c + ((<usize>i * ldc) << 2), 0, (<usize>n) << 2);
    return;
  }
  const kcMax = min(k, KC);
  const packA = (ws + 63) & ~(<usize>63);
  const packB = packA + ((<usize>(MC * kcMax)) << 2);
  const tile = packB + ((<usize>(min((n + 7) & ~7, NC) * kcMax)) << 2);
  const ldcBytes = (<usize>ldc) << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0;
      packB32(transB, b, ldb, jc, nc, pc, kc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA32(transA, a, lda, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += 8) {
          const nr = min(8, nc - jr);
          const pb = packB + ((<usize>(jr * kc)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const cp = c + <usize>(ic + ir) * ldcBytes + ((<usize>(jc + jr)) << 2);
            kernel32(kc, packA + ((<usize>(ir * kc)) << 2), pb, cp, ldcBytes, accumulate, min(MR, mc - ir), nr, tile);
          }
        }
      }
    }
  }
}
