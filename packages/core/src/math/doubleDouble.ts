/** Double-double arithmetic (error-free transformations, no FMA needed) used by the correctly rounded functions. */

/**
 * Result register: every operation below writes its double-double result here, hi in dd[0] and lo in dd[1].
 * A typed array keeps the doubles unboxed (no allocation per operation).
 */
export const dd = new Float64Array(2);

const SPLIT = 134217729; // 2**27 + 1 (Veltkamp splitting)

/**
 * Exact sum: dd[0] + dd[1] === a + b exactly, dd[0] = fl(a + b).
 * @example twoSum(1, 2 ** -60); // dd[0] === 1, dd[1] === 2 ** -60
 */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  dd[0] = s;
  dd[1] = a - (s - bb) + (b - bb);
}

/**
 * Exact sum when |a| >= |b| (or a === 0).
 * @example fastTwoSum(1, 2 ** -60); // dd[0] === 1, dd[1] === 2 ** -60
 */
export function fastTwoSum(a: number, b: number): void {
  const s = a + b;
  dd[0] = s;
  dd[1] = b - (s - a);
}

/**
 * Exact product (Dekker): dd[0] + dd[1] === a * b exactly (barring overflow/underflow).
 * @example twoProd(1 + 2 ** -30, 1 + 2 ** -30); // dd[0] === 1 + 2 ** -29, dd[1] === 2 ** -60
 */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  dd[0] = p;
  dd[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * Double-double product (ah + al) * (bh + bl), relative error about 2**-104.
 * @example mul22(1, 0, 3, 0); // dd[0] === 3, dd[1] === 0
 */
export function mul22(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  let t = SPLIT * ah;
  const ahh = t - (t - ah);
  const ahl = ah - ahh;
  t = SPLIT * bh;
  const bhh = t - (t - bh);
  const bhl = bh - bhh;
  const e = ahh * bhh - p + ahh * bhl + ahl * bhh + ahl * bhl + (ah * bl + al * bh);
  const s = p + e;
  dd[0] = s;
  dd[1] = e - (s - p);
}

/**
 * Sum of two double-doubles when they do not cancel (same sign or |b| much smaller than |a|).
 * @example add22Fast(1, 0, 2 ** -60, 0); // dd[0] === 1, dd[1] === 2 ** -60
 */
export function add22Fast(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const bb = s - ah;
  const e = ah - (s - bb) + (bh - bb) + (al + bl);
  const h = s + e;
  dd[0] = h;
  dd[1] = e - (h - s);
}

/**
 * Accurate double-double sum (relative error about 3 * 2**-106 even under cancellation).
 * @example add22(1, 0, -1, 2 ** -80); // dd[0] === 2 ** -80, dd[1] === 0
 */
export function add22(ah: number, al: number, bh: number, bl: number): void {
  let s = ah + bh;
  let bb = s - ah;
  let t = ah - (s - bb) + (bh - bb);
  const u = al + bl;
  bb = u - al;
  const v = al - (u - bb) + (bl - bb);
  t += u;
  let h = s + t;
  t -= h - s;
  s = h;
  t += v;
  h = s + t;
  dd[0] = h;
  dd[1] = t - (h - s);
}
