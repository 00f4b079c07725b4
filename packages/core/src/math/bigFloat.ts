/** BigInt fixed-point log, sin and cos with a Ziv loop: the slow, always correctly rounded path behind correctlyRounded.ts. */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the high (sign/exponent) 32-bit word of a double in `u32` for this platform's byte order. */
export const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** Index of the low 32-bit word of a double in `u32`. */
export const LO = 1 - HI;

/** 2**e for an integer e in [-1022, 1023], built from its bits (always exact). */
function pow2(e: number): number {
  u32[HI] = (e + 1023) << 20;
  u32[LO] = 0;
  return f64[0];
}

/** m * 2**e for an integer-valued m, exact whenever the result is a normal double. */
function ldexp(m: number, e: number): number {
  let v = m;
  let k = e;
  while (k > 1000) {
    v *= pow2(1000);
    k -= 1000;
  }
  while (k < -1000) {
    v *= pow2(-1000);
    k += 1000;
  }
  return v * pow2(k);
}

/**
 * Splits a finite nonzero double into |x| = m * 2**e with m a (BigInt) integer below 2**53.
 * @example decompose(1.5) // [6755399441055744n, -52]
 */
export function decompose(x: number): [bigint, number] {
  f64[0] = x;
  const hi = u32[HI];
  const lo = u32[LO];
  const bexp = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * 4294967296 + lo;
  if (bexp === 0) return [BigInt(frac), -1074];
  return [BigInt(frac + 4503599627370496), bexp - 1075];
}

/** Number of bits of a positive BigInt. */
function bitLength(a: bigint): number {
  return a.toString(2).length;
}

/**
 * Rounds v / 2**q to the nearest double (ties to even). Results must be normal doubles (never subnormal here).
 * @example fixedToDouble(3n, 1) // 1.5
 */
export function fixedToDouble(v: bigint, q: number): number {
  if (v === 0n) return 0;
  const neg = v < 0n;
  const a = neg ? -v : v;
  const shift = bitLength(a) - 53;
  let m: bigint;
  if (shift <= 0) {
    m = a;
  } else {
    const s = BigInt(shift);
    m = a >> s;
    const rem = a - (m << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
  }
  const r = ldexp(Number(m), Math.max(shift, 0) - q);
  return neg ? -r : r;
}

/** The exact value of a double as a fixed-point BigInt scaled by 2**q (floored if q is too small to hold it). */
function doubleToFixed(d: number, q: number): bigint {
  if (d === 0) return 0n;
  const [m, e] = decompose(d);
  const v = e + q >= 0 ? m << BigInt(e + q) : m >> BigInt(-(e + q));
  return d < 0 ? -v : v;
}

/**
 * Splits v / 2**q into a double-double (hi, lo) with hi = round(v / 2**q).
 * @example fixedToDD(1n, 0) // [1, 0]
 */
export function fixedToDD(v: bigint, q: number): [number, number] {
  const hi = fixedToDouble(v, q);
  return [hi, fixedToDouble(v - doubleToFixed(hi, q), q)];
}

/** Sum of 1 / ((2k+1) n**(2k+1)) over k (alternating signs if `alt`), scaled by 2**q, error below (terms + 1) units. */
function arctanSeries(n: bigint, q: number, alt: boolean): bigint {
  const n2 = n * n;
  let power = (1n << BigInt(q)) / n;
  let sum = power;
  for (let k = 3n, sign = -1n; power !== 0n; k += 2n, sign = -sign) {
    power /= n2;
    sum += (alt ? sign : 1n) * (power / k);
  }
  return sum;
}

let ln2Cache = 0n;
let ln2Bits = 0;
/** floor(ln 2 * 2**q) up to one unit. */
function ln2Fixed(q: number): bigint {
  if (ln2Bits < q) {
    ln2Bits = Math.max(q, 2 * ln2Bits) + 64;
    ln2Cache = 2n * arctanSeries(3n, ln2Bits, false); // ln 2 = 2 atanh(1/3)
  }
  return ln2Cache >> BigInt(ln2Bits - q);
}

let piCache = 0n;
let piBits = 0;
/** floor(pi * 2**q) up to one unit. */
function piFixed(q: number): bigint {
  if (piBits < q) {
    piBits = Math.max(q, 2 * piBits) + 64;
    // Machin: pi = 16 atan(1/5) - 4 atan(1/239)
    piCache = 16n * arctanSeries(5n, piBits, true) - 4n * arctanSeries(239n, piBits, true);
  }
  return piCache >> BigInt(piBits - q);
}

/**
 * ln(x) for a finite x > 0 as a fixed-point value scaled by 2**q, with an error bound in units of 2**-q.
 * @example logFixed(2, 64) // [≈ ln2·2**64, small error bound]
 */
export function logFixed(x: number, q: number): [bigint, bigint] {
  const [m, e] = decompose(x);
  const bl = bitLength(m);
  let n = e + bl - 1; // x = y * 2**n with y in [1, 2)
  const Q = BigInt(q);
  const one = 1n << Q;
  let y = m << BigInt(q - bl + 1);
  if (y * y > 2n * one * one) {
    y >>= 1n; // y in [sqrt(1/2), sqrt(2)]
    n += 1;
  }
  // ln y = 2 atanh(s), s = (y - 1) / (y + 1), |s| <= 0.172
  const s = ((y - one) << Q) / (y + one);
  const s2 = (s * s) >> Q;
  let term = s;
  let sum = s;
  let terms = 0;
  for (let k = 3n; term !== 0n; k += 2n) {
    term = (term * s2) / one; // truncates toward zero, so the loop ends for negative s
    sum += term / k;
    terms++;
  }
  const v = 2n * sum + BigInt(n) * ln2Fixed(q);
  return [v, BigInt(4 * terms + Math.abs(n) + 16)];
}

/**
 * sin(x) (or cos(x) if `cos`) for finite x, |x| >= 2**-60, scaled by 2**q, with an error bound in units of 2**-q.
 * The argument is reduced modulo pi/2 exactly enough for any double (pi is computed to the bits x needs).
 * @example trigFixed(1, 64, false) // [≈ sin(1)·2**64, small error bound]
 */
export function trigFixed(x: number, q: number, cos: boolean): [bigint, bigint] {
  const ax = Math.abs(x);
  const [m, e] = decompose(ax);
  const Q = BigInt(q);
  let k = 0n;
  let r: bigint;
  if (ax < 0.78) {
    r = e + q >= 0 ? m << BigInt(e + q) : m >> BigInt(-(e + q));
  } else {
    const extra = Math.max(0, e + 53) + 64; // covers the bits of k plus a margin
    const qq = q + extra;
    const halfPi = piFixed(qq) >> 1n;
    const big = m << BigInt(e + qq);
    k = (2n * big + halfPi) / (2n * halfPi);
    r = (big - k * halfPi) >> BigInt(extra);
  }
  const quadrant = Number(k & 3n);
  const useCos = cos ? (quadrant & 1) === 0 : (quadrant & 1) === 1;
  const one = 1n << Q;
  const r2 = (r * r) >> Q;
  let term = useCos ? one : r;
  let sum = term;
  let terms = 0;
  for (let i = useCos ? 1n : 2n; term !== 0n; i += 2n) {
    term = -((term * r2) / one) / (i * (i + 1n)); // truncation toward zero ends the loop for r < 0
    sum += term;
    terms++;
  }
  // sin: +s, +c, -s, -c over quadrants 0..3; cos: +c, -s, -c, +s
  let neg = cos ? quadrant === 1 || quadrant === 2 : quadrant >= 2;
  if (!cos && x < 0) neg = !neg;
  return [neg ? -sum : sum, BigInt(4 * terms + 24)];
}

/** Ziv loop: evaluates at growing precision until the error interval rounds to a single double. */
function ziv(f: (q: number) => [bigint, bigint]): number {
  for (let q = 192; ; q *= 2) {
    const [v, err] = f(q);
    const a = fixedToDouble(v - err, q);
    if (a === fixedToDouble(v + err, q)) return a;
  }
}

/**
 * Correctly rounded ln(x) for finite x > 0, x != 1 (slow, BigInt based).
 * @example slowLog(2) // 0.6931471805599453
 */
export function slowLog(x: number): number {
  return ziv((q) => logFixed(x, q));
}

/**
 * Correctly rounded sin(x) for finite x with |x| >= 2**-60 (slow, BigInt based).
 * @example slowSin(1) // 0.8414709848078965
 */
export function slowSin(x: number): number {
  return ziv((q) => trigFixed(x, q, false));
}

/**
 * Correctly rounded cos(x) for finite x with |x| >= 2**-60 (slow, BigInt based).
 * @example slowCos(1) // 0.5403023058681398
 */
export function slowCos(x: number): number {
  return ziv((q) => trigFixed(x, q, true));
}
