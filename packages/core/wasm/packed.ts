/** The packed kernels: BLIS-style panels and a 5-row × 2-vector register tile (5×4 float64, 5×8 float32). */
import { KC, MC, MR, NC } from "./blocking";

// T is f64 or f32; everything that depends on it (lanes, splat loads) folds at compile time.
// Panel layouts: A as MR-row panels, element (p, r) at p·MR + r; B as NR-column panels, element
// (p, c) at p·NR + c, where NR = 2 vectors = 32 bytes of a row. Edges are zero-padded: padded rows
// and columns are computed but never stored.

/** Columns of a tile: two vectors. */
function tileWidth<T>(): i32 {
  return 32 / <i32>sizeof<T>();
}

/** Workspace bytes packedGemm needs: alignment slack, the packed A and B blocks, the edge tile. */
export function packedWorkspaceBytes(n: i32, k: i32, size: i32): usize {
  const kc = min(k, KC);
  const nc = min((n + 7) & ~7, NC);
  return 64 + <usize>(MC * kc + nc * kc + MR * 8) * size;
}

/** Packs rows i0..i0+mc of op(A), columns p0..p0+kc, into MR-row panels at dst. */
function packA<T>(trans: bool, a: usize, lda: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const size = sizeof<T>();
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (trans && mr === MR) {
      // A is k×m: for fixed p a panel's five values are contiguous (one or two vectors and a scalar).
      for (let p = 0; p < kc; p++) {
        const src = a + (<usize>(p0 + p) * lda + i0 + ir) * size;
        const d = dst + <usize>(p * MR) * size;
        v128.store(d, v128.load(src));
        if (size === 8) v128.store(d, v128.load(src, 16), 16);
        store<T>(d + 4 * size, load<T>(src + 4 * size));
      }
    } else if (trans) {
      for (let p = 0; p < kc; p++) {
        const src = a + (<usize>(p0 + p) * lda + i0 + ir) * size;
        const d = dst + <usize>(p * MR) * size;
        for (let r = 0; r < MR; r++) store<T>(d + <usize>r * size, r < mr ? load<T>(src + <usize>r * size) : <T>0);
      }
    } else if (mr === MR) {
      packRows<T>(a + (<usize>(i0 + ir) * lda + p0) * size, <usize>lda * size, kc, dst);
    } else {
      for (let r = 0; r < MR; r++) {
        const d = dst + <usize>r * size;
        if (r < mr) {
          const src = a + (<usize>(i0 + ir + r) * lda + p0) * size;
          for (let p = 0; p < kc; p++) store<T>(d + <usize>(p * MR) * size, load<T>(src + <usize>p * size));
        } else {
          for (let p = 0; p < kc; p++) store<T>(d + <usize>(p * MR) * size, <T>0);
        }
      }
    }
    dst += <usize>(MR * kc) * size;
  }
}

/**
 * One full A panel from five contiguous rows (stride `ld` bytes): element (p, r) to p·MR + r. Rows
 * 0–3 are transposed in registers a vector at a time (2×2 blocks of float64, 4×4 of float32) and
 * stored as vectors, row 4 by lane stores; the last kc mod lanes columns one by one.
 */
function packRows<T>(src: usize, ld: usize, kc: i32, dst: usize): void {
  const size = sizeof<T>();
  const lanes = 16 / <i32>size;
  const step = <usize>(MR * lanes) * size;
  let p = 0;
  for (; p + lanes <= kc; p += lanes) {
    const x0 = v128.load(src);
    const x1 = v128.load(src + ld);
    const x2 = v128.load(src + 2 * ld);
    const x3 = v128.load(src + 3 * ld);
    const x4 = v128.load(src + 4 * ld);
    if (size === 8) {
      v128.store(dst, v128.shuffle<i64>(x0, x1, 0, 2));
      v128.store(dst, v128.shuffle<i64>(x2, x3, 0, 2), 16);
      v128.store64_lane(dst, x4, 0, 32);
      v128.store(dst, v128.shuffle<i64>(x0, x1, 1, 3), 40);
      v128.store(dst, v128.shuffle<i64>(x2, x3, 1, 3), 56);
      v128.store64_lane(dst, x4, 1, 72);
    } else {
      const t0 = v128.shuffle<i32>(x0, x1, 0, 4, 1, 5);
      const t1 = v128.shuffle<i32>(x0, x1, 2, 6, 3, 7);
      const t2 = v128.shuffle<i32>(x2, x3, 0, 4, 1, 5);
      const t3 = v128.shuffle<i32>(x2, x3, 2, 6, 3, 7);
      v128.store(dst, v128.shuffle<i64>(t0, t2, 0, 2));
      v128.store32_lane(dst, x4, 0, 16);
      v128.store(dst, v128.shuffle<i64>(t0, t2, 1, 3), 20);
      v128.store32_lane(dst, x4, 1, 36);
      v128.store(dst, v128.shuffle<i64>(t1, t3, 0, 2), 40);
      v128.store32_lane(dst, x4, 2, 56);
      v128.store(dst, v128.shuffle<i64>(t1, t3, 1, 3), 60);
      v128.store32_lane(dst, x4, 3, 76);
    }
    src += 16;
    dst += step;
  }
  for (; p < kc; p++) {
    for (let r = 0; r < MR; r++) store<T>(dst + <usize>r * size, load<T>(src + <usize>r * ld));
    src += size;
    dst += <usize>MR * size;
  }
}

/** Packs columns j0..j0+nc of op(B), rows p0..p0+kc, into tile-wide panels at dst. */
function packB<T>(trans: bool, b: usize, ldb: i32, j0: i32, nc: i32, p0: i32, kc: i32, dst: usize): void {
  const size = sizeof<T>();
  const nr = tileWidth<T>();
  for (let jr = 0; jr < nc; jr += nr) {
    const width = min(nr, nc - jr);
    if (!trans && width === nr) {
      // Rows of B: two panels at a time where two fit, so each step reads a whole 64-byte line.
      const ld = <usize>ldb * size;
      const panel = (<usize>kc) << 5;
      let src = b + (<usize>p0 * ldb + j0 + jr) * size;
      let d = dst;
      if (jr + 2 * nr <= nc) {
        for (let p = 0; p < kc; p++) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          v128.store(d + panel, v128.load(src, 32));
          v128.store(d + panel, v128.load(src, 48), 16);
          src += ld;
          d += 32;
        }
        jr += nr;
        dst += panel;
      } else {
        for (let p = 0; p < kc; p++) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          src += ld;
          d += 32;
        }
      }
    } else if (width === nr) {
      // B is n×k (dW = dZ·Xᵀ): each panel column is a contiguous run of a row of B.
      packColumns<T>(b + (<usize>(j0 + jr) * ldb + p0) * size, <usize>ldb * size, kc, dst);
    } else {
      for (let col = 0; col < nr; col++) {
        const d = dst + <usize>col * size;
        for (let p = 0; p < kc; p++) {
          let v: T = 0;
          if (col < width) {
            const j = j0 + jr + col;
            v = trans ? load<T>(b + (<usize>j * ldb + p0 + p) * size) : load<T>(b + (<usize>(p0 + p) * ldb + j) * size);
          }
          store<T>(d + ((<usize>p) << 5), v);
        }
      }
    }
    dst += (<usize>kc) << 5;
  }
}

/**
 * One full B panel from its columns, contiguous rows of B (stride `ld` bytes): element (p, c) to
 * p·NR + c. Transposed in registers as in packRows: 2×2 blocks of float64 (columns 0–1, 2–3), 4×4
 * blocks of float32 (columns 0–3, 4–7); the last kc mod lanes rows one by one.
 */
function packColumns<T>(src: usize, ld: usize, kc: i32, dst: usize): void {
  const size = sizeof<T>();
  const lanes = 16 / <i32>size;
  const nr = tileWidth<T>();
  let p = 0;
  for (; p + lanes <= kc; p += lanes) {
    if (size === 8) {
      const y0 = v128.load(src);
      const y1 = v128.load(src + ld);
      const y2 = v128.load(src + 2 * ld);
      const y3 = v128.load(src + 3 * ld);
      v128.store(dst, v128.shuffle<i64>(y0, y1, 0, 2));
      v128.store(dst, v128.shuffle<i64>(y2, y3, 0, 2), 16);
      v128.store(dst, v128.shuffle<i64>(y0, y1, 1, 3), 32);
      v128.store(dst, v128.shuffle<i64>(y2, y3, 1, 3), 48);
    } else {
      transpose4(src, ld, dst);
      transpose4(src + 4 * ld, ld, dst + 16);
    }
    src += 16;
    dst += (<usize>lanes) << 5;
  }
  for (; p < kc; p++) {
    for (let c = 0; c < nr; c++) store<T>(dst + <usize>c * size, load<T>(src + <usize>c * ld));
    src += size;
    dst += 32;
  }
}

/** Four float32 vectors at src, src + ld, … (rows) stored transposed as four vectors 32 bytes apart from dst. */
function transpose4(src: usize, ld: usize, dst: usize): void {
  const x0 = v128.load(src);
  const x1 = v128.load(src + ld);
  const x2 = v128.load(src + 2 * ld);
  const x3 = v128.load(src + 3 * ld);
  const t0 = v128.shuffle<i32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(x0, x1, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(x2, x3, 0, 4, 1, 5);
  const t3 = v128.shuffle<i32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i64>(t0, t2, 0, 2));
  v128.store(dst, v128.shuffle<i64>(t0, t2, 1, 3), 32);
  v128.store(dst, v128.shuffle<i64>(t1, t3, 0, 2), 64);
  v128.store(dst, v128.shuffle<i64>(t1, t3, 1, 3), 96);
}

/** Stores one row of a tile (two vectors) as C = acc or C = C + acc (binaryen inlines it). */
function putRow<T>(c: usize, lo: v128, hi: v128, accumulate: bool): void {
  if (accumulate) {
    lo = v128.add<T>(v128.load(c), lo);
    hi = v128.add<T>(v128.load(c, 16), hi);
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/**
 * The MR×NR micro-kernel over one packed A panel and one packed B panel; ldc in bytes; mr×nr is
 * the valid part of the tile. Ten accumulators: V8 keeps them, the two B vectors, A's splat and a
 * product in its 15 allocatable xmm registers (one more and it spills).
 */
function kernel<T>(
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
  const z = v128.splat<T>(0);
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
  const step = <usize>MR * sizeof<T>();
  // The loop is shaped like clang's for the reference kernel (../shared/perf/wasm-reference), and V8
  // then emits the same x86 for both (node --print-wasm-code): A's elements splat with immediate
  // offsets; bottom-tested and counting down (kc ≥ 1 here), so a step ends in one decrement and one
  // jump; rows in descending order, b1 before b0. V8's scheduler keeps wasm loads in source order and
  // is blind to register pressure: with rows ascending (or a top-tested for loop) it hoisted all five
  // splats and spilled three accumulators, or recomputed three addresses per step. Each accumulator
  // still sums its products in increasing p, so the bits are unchanged.
  let left = kc;
  do {
    let a = sizeof<T>() === 8 ? v128.load64_splat(pa, 32) : v128.load32_splat(pa, 16);
    const b1 = v128.load(pb, 16);
    c41 = v128.add<T>(c41, v128.mul<T>(a, b1));
    const b0 = v128.load(pb);
    c40 = v128.add<T>(c40, v128.mul<T>(a, b0));
    a = sizeof<T>() === 8 ? v128.load64_splat(pa, 24) : v128.load32_splat(pa, 12);
    c31 = v128.add<T>(c31, v128.mul<T>(a, b1));
    c30 = v128.add<T>(c30, v128.mul<T>(a, b0));
    a = sizeof<T>() === 8 ? v128.load64_splat(pa, 16) : v128.load32_splat(pa, 8);
    c21 = v128.add<T>(c21, v128.mul<T>(a, b1));
    c20 = v128.add<T>(c20, v128.mul<T>(a, b0));
    a = sizeof<T>() === 8 ? v128.load64_splat(pa, 8) : v128.load32_splat(pa, 4);
    c11 = v128.add<T>(c11, v128.mul<T>(a, b1));
    c10 = v128.add<T>(c10, v128.mul<T>(a, b0));
    a = sizeof<T>() === 8 ? v128.load64_splat(pa, 0) : v128.load32_splat(pa, 0);
    c01 = v128.add<T>(c01, v128.mul<T>(a, b1));
    c00 = v128.add<T>(c00, v128.mul<T>(a, b0));
    pa += step;
    pb += 32;
  } while (--left);
  if (nr === tileWidth<T>()) {
    // Full-width tile: vector stores for the valid rows (the course's 4-row products end here).
    putRow<T>(c, c00, c01, accumulate);
    if (mr > 1) putRow<T>(c + ldc, c10, c11, accumulate);
    if (mr > 2) putRow<T>(c + 2 * ldc, c20, c21, accumulate);
    if (mr > 3) putRow<T>(c + 3 * ldc, c30, c31, accumulate);
    if (mr > 4) putRow<T>(c + 4 * ldc, c40, c41, accumulate);
    return;
  }
  // Narrow edge tile: spill to the scratch tile, then copy the valid part element by element.
  putRow<T>(tile, c00, c01, false);
  putRow<T>(tile + 32, c10, c11, false);
  putRow<T>(tile + 64, c20, c21, false);
  putRow<T>(tile + 96, c30, c31, false);
  putRow<T>(tile + 128, c40, c41, false);
  const size = sizeof<T>();
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const dst = c + <usize>i * ldc + <usize>j * size;
      const t = load<T>(tile + ((<usize>i) << 5) + <usize>j * size);
      store<T>(dst, accumulate ? load<T>(dst) + t : t);
    }
  }
}

/** C (m×n) = op(A)·op(B) through packed blocks; see gemm in gemm.ts for the arguments. */
export function packedGemm<T>(
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
  const size = sizeof<T>();
  if (k === 0) {
    for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldc * size, 0, <usize>n * size);
    return;
  }
  const nr = tileWidth<T>();
  const kcMax = min(k, KC);
  const packedA = (ws + 63) & ~(<usize>63);
  const packedB = packedA + <usize>(MC * kcMax) * size;
  const tile = packedB + <usize>(min((n + 7) & ~7, NC) * kcMax) * size;
  const ldcBytes = <usize>ldc * size;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0;
      packB<T>(transB, b, ldb, jc, nc, pc, kc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA<T>(transA, a, lda, ic, mc, pc, kc, packedA);
        for (let jr = 0; jr < nc; jr += nr) {
          const pb = packedB + <usize>(jr * kc) * size;
          for (let ir = 0; ir < mc; ir += MR) {
            const cp = c + <usize>(ic + ir) * ldcBytes + <usize>(jc + jr) * size;
            const pa = packedA + <usize>(ir * kc) * size;
            kernel<T>(kc, pa, pb, cp, ldcBytes, accumulate, min(MR, mc - ir), min(nr, nc - jr), tile);
          }
        }
      }
    }
  }
}
