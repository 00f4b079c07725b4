/** Correctly rounded (round-to-nearest) float64 log, sin and cos: double-double fast paths with a Ziv rounding test. */

import { fixedToDD, HI, LO, logFixed, slowCos, slowLog, slowSin, trigFixed } from "./bigFloat.js";
import { add22, add22Fast, dd, mul22, twoProd, twoSum } from "./doubleDouble.js";

// Strategy: evaluate in double-double with a proven-generous relative error bound EPS (the actual error of the fast
// paths is below 2**-98), then check that the whole error interval rounds to one double; if it does not (probability
// about 2**-35), fall back to bigFloat.ts, which evaluates with BigInt fixed point at growing precision until it does.
// Tables are built on first use from the BigInt code (no hand-copied constants beyond the few below).

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Relative error bound claimed for the double-double evaluations (generous: the analysis gives < 2**-98). */
const EPS = 2 ** -88;
/** Table precision (bits) for the BigInt-built tables. */
const TABLE_BITS = 256;

// ---------------------------------------------------------------- log

/** High word of the start of the reduction range: z in [0.70898..., 1.41797...), with 1 the centre of interval 74. */
const OFF_HI = 0x3fe6b000;
/** ln 2 = LN2_HI + LN2_LO + O(2**-102); LN2_HI has 42 significant bits, so k * LN2_HI is exact for |k| < 2**11. */
const LN2_HI = 0.6931471805598903;
const LN2_LO = 5.497923018708371e-14;
// log1p coefficients: 1/3, 1/5, -1/6 as double-doubles; the tail 1/7 .. -1/14 in double.
const C3H = 0.3333333333333333;
const C3L = 1.850371707708594e-17;
const C5H = 0.2;
const C5L = -1.1102230246251566e-17;
const C6H = -0.16666666666666666;
const C6L = -9.25185853854297e-18;

let logInvc: Float64Array | null = null;
const logcHi = new Float64Array(128);
const logcLo = new Float64Array(128);

/** Builds invc[i] ≈ 1/c_i (c_i the centre of interval i) and -ln(invc[i]) as a double-double. */
function initLog(): Float64Array {
  const invc = new Float64Array(128);
  for (let i = 0; i < 128; i++) {
    u32[HI] = OFF_HI + (i << 13) + 0x1000;
    u32[LO] = 0;
    const c = f64[0];
    invc[i] = i === 74 ? 1 : 1 / c;
    if (i !== 74) {
      const [h, l] = fixedToDD(-logFixed(invc[i], TABLE_BITS)[0], TABLE_BITS);
      logcHi[i] = h;
      logcLo[i] = l;
    }
  }
  logInvc = invc;
  return invc;
}

/**
 * Correctly rounded natural logarithm (equals the exactly rounded ln x for every double x).
 * @example crLog(2) // 0.6931471805599453
 * @example crLog(0) // -Infinity; crLog(-1) // NaN
 */
export function crLog(x: number): number {
  const invcTable = logInvc ?? initLog();
  let k = 0;
  f64[0] = x;
  if (!(x >= 2.2250738585072014e-308 && x < Infinity)) {
    if (x === 0) return -Infinity;
    if (!(x > 0)) return Number.NaN;
    if (x === Infinity) return x;
    f64[0] = x * 18014398509481984; // subnormal: scale by 2**54
    k = -54;
  }
  if (x === 1) return 0;
  const hi = u32[HI];
  // x = 2**k * z with z in [OFF, 2 * OFF); i = index of z's interval (top 7 bits of hi - OFF_HI below the exponent)
  const tmp = (hi - OFF_HI) | 0;
  const i = (tmp >>> 13) & 127;
  k += tmp >> 20;
  u32[HI] = hi - (tmp & 0xfff00000);
  const z = f64[0];
  // r = z * invc - 1 exactly, as a double-double (|r| <= 2**-8)
  twoProd(z, invcTable[i]);
  twoSum(dd[0] - 1, dd[1]);
  const rh = dd[0];
  const rl = dd[1];
  // log1p(r) = r * (1 - r/2 + r^2/3 - ...): terms from r^7 on in double, the rest in double-double
  const t =
    1 / 7 +
    rh * (-0.125 + rh * (1 / 9 + rh * (-0.1 + rh * (1 / 11 + rh * (-1 / 12 + rh * (1 / 13 + rh * (-1 / 14)))))));
  mul22(rh, rl, t, 0);
  add22Fast(C6H, C6L, dd[0], dd[1]);
  mul22(rh, rl, dd[0], dd[1]);
  add22Fast(C5H, C5L, dd[0], dd[1]);
  mul22(rh, rl, dd[0], dd[1]);
  add22Fast(-0.25, 0, dd[0], dd[1]);
  mul22(rh, rl, dd[0], dd[1]);
  add22Fast(C3H, C3L, dd[0], dd[1]);
  mul22(rh, rl, dd[0], dd[1]);
  add22Fast(-0.5, 0, dd[0], dd[1]);
  mul22(rh, rl, dd[0], dd[1]);
  add22Fast(1, 0, dd[0], dd[1]);
  mul22(rh, rl, dd[0], dd[1]);
  const ph = dd[0];
  const pl = dd[1];
  // k ln2 + (-ln invc) + log1p(r)
  const kh = k * LN2_HI;
  const kl = k * LN2_LO;
  const s = kh + kl;
  add22(s, kl - (s - kh), logcHi[i], logcLo[i]);
  add22(dd[0], dd[1], ph, pl);
  const h = dd[0];
  const l = dd[1];
  const e = EPS * Math.abs(h);
  if (h + (l + e) === h && h + (l - e) === h) return h;
  return slowLog(x);
}

// ---------------------------------------------------------------- sin / cos

/** pi/2 = PIO2_1 + PIO2_2 + PIO2_3 + PIO2_4 + O(2**-159); the first three have <= 33 bits (k * PIO2_i exact for k < 2**20). */
const PIO2_1 = 1.5707963267341256;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_3 = 2.0222662487111665e-21;
const PIO2_4 = 8.4784276603689e-32;
const INV_PIO2 = 0.6366197723675814;
/** Above this |x| the BigInt path reduces the argument (the fast reduction needs k < 2**20). */
const FAST_REDUCTION_LIMIT = 1048576;
const TINY = 2 ** -27;
// Double-double constants -1/6, 1/120, 1/24.
const S3H = -0.16666666666666666;
const S3L = -9.25185853854297e-18;
const S5H = 0.008333333333333333;
const S5L = 1.1564823173178714e-19;
const C4H = 0.041666666666666664;
const C4L = 2.3129646346357427e-18;

let sinHi: Float64Array | null = null;
const sinLo = new Float64Array(52);
const cosHi = new Float64Array(52);
const cosLo = new Float64Array(52);

/** Builds sin(j/64) and cos(j/64), j = 0..51, as double-doubles. */
function initTrig(): Float64Array {
  const sh = new Float64Array(52);
  for (let j = 0; j < 52; j++) {
    [sh[j], sinLo[j]] = fixedToDD(trigFixed(j / 64, TABLE_BITS, false)[0], TABLE_BITS);
    [cosHi[j], cosLo[j]] = fixedToDD(trigFixed(j / 64, TABLE_BITS, true)[0], TABLE_BITS);
  }
  sinHi = sh;
  return sh;
}

// Scratch registers (a typed array keeps doubles unboxed): the reduced argument r = RH + RL (|r| <= pi/4 + tiny)
// with absolute error at most RERR, and the results of sinPoly (SH, SL) and cosPoly (CH, CL).
const reg = new Float64Array(7);
const RH = 0;
const RL = 1;
const RERR = 2;
const SH = 3;
const SL = 4;
const CH = 5;
const CL = 6;

/** Cody-Waite reduction of 0 <= ax < 2**20: sets RH, RL, RERR and returns k with ax = k pi/2 + r. */
function reduce(ax: number): number {
  if (ax < 0.78) {
    reg[RH] = ax;
    reg[RL] = 0;
    reg[RERR] = 0;
    return 0;
  }
  const k = Math.round(ax * INV_PIO2);
  twoSum(ax, -k * PIO2_1);
  const e1 = dd[1];
  twoSum(dd[0], -k * PIO2_2);
  const e2 = dd[1];
  twoSum(dd[0], -k * PIO2_3);
  const s3 = dd[0];
  const e3 = dd[1];
  const t4 = k * PIO2_4;
  twoSum(s3, e1 + e2 + e3 - t4);
  reg[RH] = dd[0];
  reg[RL] = dd[1];
  reg[RERR] =
    k * 2 ** -159 + (Math.abs(e1) + Math.abs(e2) + Math.abs(e3) + t4) * 2 ** -50 + Math.abs(dd[0]) * 2 ** -104;
  return k;
}

/** sin(d) into (SH, SL) for |d| <= 1/128 + tiny, given u = d^2. */
function sinPoly(dh: number, dl: number, uh: number, ul: number): void {
  const t = -1 / 5040 + uh * (1 / 362880 + uh * (-1 / 39916800 + uh * (1 / 6227020800)));
  mul22(uh, ul, t, 0);
  add22Fast(S5H, S5L, dd[0], dd[1]);
  mul22(uh, ul, dd[0], dd[1]);
  add22Fast(S3H, S3L, dd[0], dd[1]);
  mul22(uh, ul, dd[0], dd[1]);
  mul22(dh, dl, dd[0], dd[1]);
  add22Fast(dh, dl, dd[0], dd[1]);
  reg[SH] = dd[0];
  reg[SL] = dd[1];
}

/** cos(d) into (CH, CL) for |d| <= 1/128 + tiny, given u = d^2. */
function cosPoly(uh: number, ul: number): void {
  const t = -1 / 720 + uh * (1 / 40320 + uh * (-1 / 3628800 + uh * (1 / 479001600)));
  mul22(uh, ul, t, 0);
  add22Fast(C4H, C4L, dd[0], dd[1]);
  mul22(uh, ul, dd[0], dd[1]);
  add22Fast(-0.5, 0, dd[0], dd[1]);
  mul22(uh, ul, dd[0], dd[1]);
  add22Fast(1, 0, dd[0], dd[1]);
  reg[CH] = dd[0];
  reg[CL] = dd[1];
}

/** sin(r) (or cos(r) if `wantCos`) of the reduced argument into dd, via r = j/64 + d and the addition formulas. */
function evalReduced(wantCos: boolean, sinTable: Float64Array): void {
  let rh = reg[RH];
  let rl = reg[RL];
  const neg = rh < 0 && !wantCos;
  if (rh < 0) {
    rh = -rh;
    rl = -rl;
  }
  const j = Math.round(rh * 64);
  twoSum(rh - j * 0.015625, rl);
  const dh = dd[0];
  const dl = dd[1];
  mul22(dh, dl, dh, dl);
  const uh = dd[0];
  const ul = dd[1];
  if (j === 0) {
    if (wantCos) cosPoly(uh, ul);
    else sinPoly(dh, dl, uh, ul);
    dd[0] = wantCos ? reg[CH] : reg[SH];
    dd[1] = wantCos ? reg[CL] : reg[SL];
  } else {
    sinPoly(dh, dl, uh, ul);
    cosPoly(uh, ul);
    // sin(a + d) = sin a cos d + cos a sin d;  cos(a + d) = cos a cos d - sin a sin d
    mul22(wantCos ? cosHi[j] : sinTable[j], wantCos ? cosLo[j] : sinLo[j], reg[CH], reg[CL]);
    const ah = dd[0];
    const al = dd[1];
    mul22(wantCos ? sinTable[j] : cosHi[j], wantCos ? sinLo[j] : cosLo[j], reg[SH], reg[SL]);
    if (wantCos) add22(ah, al, -dd[0], -dd[1]);
    else add22(ah, al, dd[0], dd[1]);
  }
  if (neg) {
    dd[0] = -dd[0];
    dd[1] = -dd[1];
  }
}

/** Shared fast path of crSin / crCos for 2**-27 <= |x| < 2**20; returns NaN when the rounding test fails. */
function trigFast(x: number, cos: boolean): number {
  const sinTable = sinHi ?? initTrig();
  const k = reduce(Math.abs(x));
  const quadrant = k & 3;
  evalReduced(cos ? (quadrant & 1) === 0 : (quadrant & 1) === 1, sinTable);
  // sin: +s, +c, -s, -c over quadrants 0..3; cos: +c, -s, -c, +s; sin is odd
  let neg = cos ? quadrant === 1 || quadrant === 2 : quadrant >= 2;
  if (!cos && x < 0) neg = !neg;
  const h = neg ? -dd[0] : dd[0];
  const l = neg ? -dd[1] : dd[1];
  const e = EPS * Math.abs(h) + 2 * reg[RERR];
  if (h + (l + e) === h && h + (l - e) === h) return h;
  return Number.NaN;
}

/**
 * Correctly rounded sine (equals the exactly rounded sin x for every double x).
 * @example crSin(1) // 0.8414709848078965
 * @example crSin(-0) // -0; crSin(Infinity) // NaN
 */
export function crSin(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY) return x; // |sin x - x| < half an ulp of x (includes ±0 and subnormals)
  if (!(ax < FAST_REDUCTION_LIMIT)) return ax === Infinity || x !== x ? Number.NaN : slowSin(x);
  const r = trigFast(x, false);
  return r === r ? r : slowSin(x);
}

/**
 * Correctly rounded cosine (equals the exactly rounded cos x for every double x).
 * @example crCos(1) // 0.5403023058681398
 * @example crCos(0) // 1; crCos(NaN) // NaN
 */
export function crCos(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY) return 1; // 1 - x^2/2 rounds to 1
  if (!(ax < FAST_REDUCTION_LIMIT)) return ax === Infinity || x !== x ? Number.NaN : slowCos(x);
  const r = trigFast(x, true);
  return r === r ? r : slowCos(x);
}

/** `crLog` under a name that explains itself: ln x, correctly rounded. */
export const correctlyRoundedLog: (x: number) => number = crLog;
/** `crSin` under a name that explains itself: sin x, correctly rounded. */
export const correctlyRoundedSin: (x: number) => number = crSin;
/** `crCos` under a name that explains itself: cos x, correctly rounded. */
export const correctlyRoundedCos: (x: number) => number = crCos;
