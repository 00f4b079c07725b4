/** glibcLog: glibc's log bits where a correctly rounded log differs, its exact fma, and randn draws that depend on it. */
import { describe, expect, it } from "vitest";
import { crLog } from "../../src/math/correctlyRounded.js";
import { fma, glibcLog } from "../../src/math/glibcLog.js";
import { RandomState } from "../../src/random/randomState.js";

// [x, glibc's log(x), the correctly rounded ln x]: python3 -c "import math; print(math.log(x))" (CPython calls the C
// library's log) on Debian 12, glibc 2.36, x86-64 with FMA — where numpy 2.4.6's legacy randn gets its log from.
const glibcValues: [number, number, number][] = [
  // near 1 (the log1p polynomial path)
  [0.9862112881661571, -0.013884659134968006, -0.013884659134968004],
  [0.9389230077307505, -0.06302179703252175, -0.06302179703252174],
  [0.9420605658950864, -0.05968571146720973, -0.05968571146720974],
  [0.9510792115851233, -0.05015792696626975, -0.05015792696626976],
  // the table path, below and above 1
  [0.6440749186502901, -0.4399402263360741, -0.43994022633607405],
  [0.8991419169155436, -0.10631439610655802, -0.106314396106558],
  [0.6526798487578536, -0.42666854748410027, -0.4266685474841003],
  [0.8983774131025271, -0.10716501712225036, -0.10716501712225035],
  [1.0999320462797504, 0.09524840178678459, 0.0952484017867846],
  [1.1163748868033907, 0.11008672762532588, 0.1100867276253259],
];

/** a·b + c rounded once, by BigInt arithmetic: the reference for fma. */
function exactFma(a: number, b: number, c: number): number {
  const parts = (x: number): [bigint, number] => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const e = Number((bits >> 52n) & 0x7ffn);
    let m = bits & 0xfffffffffffffn;
    if (e !== 0) m |= 1n << 52n;
    return [bits >> 63n ? -m : m, (e === 0 ? 1 : e) - 1075];
  };
  const [ma, ea] = parts(a);
  const [mb, eb] = parts(b);
  const [mc, ec] = parts(c);
  const e = Math.min(ea + eb, ec);
  const sum = ((ma * mb) << BigInt(ea + eb - e)) + (mc << BigInt(ec - e));
  if (sum === 0n) return 0;
  const sign = sum < 0n ? -1 : 1;
  const abs = sum < 0n ? -sum : sum;
  const shift = Math.max(0, abs.toString(2).length - 64);
  let top = abs >> BigInt(shift);
  if (top << BigInt(shift) !== abs) top |= 1n; // sticky: Number() then rounds as the full value would
  return sign * Number(top) * 2 ** (e + shift);
}

describe("glibcLog", () => {
  it("has glibc's bits where the correctly rounded log differs", () => {
    for (const [x, glibc, correctlyRounded] of glibcValues) {
      expect(crLog(x), `crLog(${x})`).toBe(correctlyRounded);
      expect(glibcLog(x), `glibcLog(${x})`).toBe(glibc);
    }
  });

  it("agrees with crLog on ordinary and special inputs (glibc's log is within 0.52 ulp)", () => {
    for (const x of [
      2,
      0.5,
      Math.E,
      10,
      1e-300,
      5e-324,
      2.2250738585072014e-308,
      1.7976931348623157e308,
      1,
      1 + 2 ** -52,
      1 - 2 ** -53,
    ]) {
      expect(glibcLog(x), `glibcLog(${x})`).toBe(crLog(x));
    }
    expect(glibcLog(0)).toBe(-Infinity);
    expect(glibcLog(Infinity)).toBe(Infinity);
    expect(glibcLog(-1)).toBeNaN();
    expect(glibcLog(Number.NaN)).toBeNaN();
  });

  it("fma rounds a·b + c once (against BigInt arithmetic), also where a·b + c in doubles rounds twice", () => {
    expect(fma(0.1, 10, -1)).toBe(5.551115123125783e-17);
    expect(0.1 * 10 - 1).toBe(0);
    const rs = new RandomState(11);
    for (let i = 0; i < 20000; i++) {
      const a = rs.randn() * 2 ** Math.floor(rs.uniform(-30, 30));
      const b = rs.randn() * 2 ** Math.floor(rs.uniform(-30, 30));
      // c near −a·b makes the cancellation and the tail rounding matter
      const c =
        i % 2 === 0 ? -(a * b) * (1 + rs.randn() * 2 ** -40) : rs.randn() * 2 ** Math.floor(rs.uniform(-60, 10));
      const got = fma(a, b, c);
      const want = exactFma(a, b, c);
      if (!Object.is(got, want)) expect.fail(`fma(${a}, ${b}, ${c}) = ${got}, exactly rounded ${want}`);
    }
  });
});

describe("RandomState.randn with glibc's log", () => {
  it("equals numpy's legacy randn at draws where a correctly rounded log gives other bits", () => {
    // numpy 2.4.6: np.random.RandomState(seed).randn(10000)[i]
    const cases: [number, number[], number[]][] = [
      [0, [662, 663, 9008, 9009], [0.45248909263964643, 0.0978961454126271, -0.14711307593695994, -0.3678592222981023]],
      [1, [2176, 2177], [0.7582594321492002, 0.4037240770776158]],
      [3, [7394, 7395], [0.3889275891190049, -0.7660921788640801]],
    ];
    for (const [seed, indices, numpy] of cases) {
      const draws = new RandomState(seed).randn(10000).data;
      indices.forEach((i, j) => {
        expect(draws[i], `seed ${seed} draw ${i}`).toBe(numpy[j]);
      });
    }
  });
});
