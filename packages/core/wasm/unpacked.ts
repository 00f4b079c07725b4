/** The unpacked kernels for small products: operands read in place, no packing, no zero-padded tiles. */
import { KC } from "./blocking";

// For small products packing costs more than the arithmetic (the course's (4,2)·(2,400) and the
// (4,400)·(400,2) of its dW1 spent ~80% of their time packing and in zero-padded 5-row tiles).
// These kernels keep the packed kernels' summation order (see KC in blocking.ts), so their
// results are bit-identical to packedGemm's (and, in float64, to the TS kernels').

/**
 * C (m×n) = op(A)·op(B) straight from the operands. Columns whose op(B) rows are contiguous (not
 * transB) go through SIMD lanes; the others (transB, and the last n mod lanes columns) through
 * scalar dot products.
 */
export function unpackedGemm<T>(
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
): void {
  // op(A)(i, p) is a[i·aRow + p·aCol]; op(B)(p, j) is b[p·bRow + j·bCol].
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const bRow = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;
  const lanes = 16 / <i32>sizeof<T>();
  const vectorCols = transB ? 0 : n - (n % lanes);
  if (vectorCols > 0) smallRows<T>(m, vectorCols, k, a, aRow, aCol, b, bRow, c, ldc);
  if (vectorCols < n) smallDots<T>(m, vectorCols, n, k, a, aRow, aCol, b, bRow, bCol, c, ldc);
}

// Columns 0..cols (a multiple of the lane count) of C, one row at a time: four vectors per block
// (four independent sums in flight), then single vectors.
function smallRows<T>(
  m: i32,
  cols: i32,
  k: i32,
  a: usize,
  aRow: i32,
  aCol: i32,
  b: usize,
  bRow: i32,
  c: usize,
  ldc: i32,
): void {
  const size = sizeof<T>();
  const lanes = 16 / <i32>size;
  const zero = v128.splat<T>(0);
  for (let i = 0; i < m; i++) {
    const ai = a + <usize>i * aRow * size;
    const ci = c + <usize>i * ldc * size;
    let j = 0;
    for (; j + 4 * lanes <= cols; j += 4 * lanes) {
      let t0 = zero,
        t1 = zero,
        t2 = zero,
        t3 = zero;
      for (let p0 = 0; p0 < k; p0 += KC) {
        const pEnd = min(p0 + KC, k);
        let s0 = zero,
          s1 = zero,
          s2 = zero,
          s3 = zero;
        for (let p = p0; p < pEnd; p++) {
          const x = v128.splat<T>(load<T>(ai + <usize>p * aCol * size));
          const row = b + (<usize>p * bRow + j) * size;
          s0 = v128.add<T>(s0, v128.mul<T>(x, v128.load(row)));
          s1 = v128.add<T>(s1, v128.mul<T>(x, v128.load(row, 16)));
          s2 = v128.add<T>(s2, v128.mul<T>(x, v128.load(row, 32)));
          s3 = v128.add<T>(s3, v128.mul<T>(x, v128.load(row, 48)));
        }
        if (p0 === 0) {
          t0 = s0;
          t1 = s1;
          t2 = s2;
          t3 = s3;
        } else {
          t0 = v128.add<T>(t0, s0);
          t1 = v128.add<T>(t1, s1);
          t2 = v128.add<T>(t2, s2);
          t3 = v128.add<T>(t3, s3);
        }
      }
      const out = ci + <usize>j * size;
      v128.store(out, t0);
      v128.store(out, t1, 16);
      v128.store(out, t2, 32);
      v128.store(out, t3, 48);
    }
    for (; j < cols; j += lanes) {
      let t = zero;
      for (let p0 = 0; p0 < k; p0 += KC) {
        const pEnd = min(p0 + KC, k);
        let s = zero;
        for (let p = p0; p < pEnd; p++) {
          const x = v128.splat<T>(load<T>(ai + <usize>p * aCol * size));
          s = v128.add<T>(s, v128.mul<T>(x, v128.load(b + (<usize>p * bRow + j) * size)));
        }
        t = p0 === 0 ? s : v128.add<T>(t, s);
      }
      v128.store(ci + <usize>j * size, t);
    }
  }
}

// Columns j0..n of C as scalar dot products in 2×2 blocks (four independent sums in flight). At
// an odd last row or column the block's second index repeats the first: the duplicate computes
// and stores the same value again, which keeps the loop free of edge cases.
function smallDots<T>(
  m: i32,
  j0: i32,
  n: i32,
  k: i32,
  a: usize,
  aRow: i32,
  aCol: i32,
  b: usize,
  bRow: i32,
  bCol: i32,
  c: usize,
  ldc: i32,
): void {
  const size = sizeof<T>();
  for (let i = 0; i < m; i += 2) {
    const i1 = min(i + 1, m - 1);
    const a0 = a + <usize>i * aRow * size;
    const a1 = a + <usize>i1 * aRow * size;
    for (let j = j0; j < n; j += 2) {
      const j1 = min(j + 1, n - 1);
      const b0 = b + <usize>j * bCol * size;
      const b1 = b + <usize>j1 * bCol * size;
      let t00: T = 0,
        t01: T = 0,
        t10: T = 0,
        t11: T = 0;
      for (let p0 = 0; p0 < k; p0 += KC) {
        const pEnd = min(p0 + KC, k);
        let s00: T = 0,
          s01: T = 0,
          s10: T = 0,
          s11: T = 0;
        for (let p = p0; p < pEnd; p++) {
          const x0 = load<T>(a0 + <usize>p * aCol * size);
          const x1 = load<T>(a1 + <usize>p * aCol * size);
          const y0 = load<T>(b0 + <usize>p * bRow * size);
          const y1 = load<T>(b1 + <usize>p * bRow * size);
          s00 = s00 + x0 * y0;
          s01 = s01 + x0 * y1;
          s10 = s10 + x1 * y0;
          s11 = s11 + x1 * y1;
        }
        if (p0 === 0) {
          t00 = s00;
          t01 = s01;
          t10 = s10;
          t11 = s11;
        } else {
          t00 = t00 + s00;
          t01 = t01 + s01;
          t10 = t10 + s10;
          t11 = t11 + s11;
        }
      }
      const r0 = c + <usize>i * ldc * size;
      const r1 = c + <usize>i1 * ldc * size;
      store<T>(r0 + <usize>j * size, t00);
      store<T>(r0 + <usize>j1 * size, t01);
      store<T>(r1 + <usize>j * size, t10);
      store<T>(r1 + <usize>j1 * size, t11);
    }
  }
}
