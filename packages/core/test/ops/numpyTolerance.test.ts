/**
 * The ops that are not bit-identical to numpy, and by how much: exp, log, tanh and sigmoid use JavaScript's Math
 * (V8's fdlibm ports), numpy its own SIMD or libm code, neither always correctly rounded and numpy's own bits varying
 * by CPU; matmul sums in its own blocked order where numpy calls BLAS. Values below are numpy 2.4 on x86-64 AVX-512.
 */
import { exp, log, matmul, randn, sigmoid, type Tensor, tanh, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

/** Distance in units in the last place between two finite numbers of one dtype (0 for equal values, ±0 equal). */
function ulps(a: number, b: number, dtype: "float64" | "float32"): number {
  if (a === b) return 0;
  const order = (v: number): bigint => {
    if (dtype === "float32") {
      const i = new Int32Array(new Float32Array([v]).buffer)[0];
      return BigInt(i < 0 ? -(i & 0x7fffffff) : i);
    }
    const i = new BigInt64Array(new Float64Array([v]).buffer)[0];
    return i < 0n ? -(i & 0x7fffffffffffffffn) : i;
  };
  const d = order(a) - order(b);
  return Number(d < 0n ? -d : d);
}

/** The largest ulp distance between t's values and numpy's. */
function maxUlps(t: Tensor, numpy: readonly number[]): number {
  const dtype = t.dtype;
  return Math.max(...Array.from(t.data, (v, i) => ulps(v, numpy[i], dtype)));
}

const x = [-20.5, -7.25, -3, -1, -0.3, -1e-8, 0, 1e-8, 0.3, 0.7, 1, 2.5, 3, 7.25, 20.5, 700];

describe("exp, log, tanh, sigmoid: within 2 ulp of numpy (documented tolerance)", () => {
  it("float64", () => {
    // np.exp(x)
    const npExp = [
      1.2501528663867426e-9,
      0.000710174388842549,
      0.049787068367863944,
      0.36787944117144233,
      0.7408182206817179,
      0.9999999900000001,
      1.0,
      1.00000001,
      1.3498588075760032,
      2.0137527074704766,
      Math.E,
      12.182493960703473,
      20.085536923187668,
      1408.1048482046956,
      799902177.4755054,
      1.0142320547350045e304,
    ];
    expect(maxUlps(exp(tensor(x)), npExp)).toBeLessThanOrEqual(2);
    const pos = [
      1e-300, 1e-8, 0.001, 0.3, 0.7, 0.9999999, 1.0000001, 1.5, 2, 3, 10, 123.456, 1e8, 1e300, 5e-324,
      1.7976931348623157e308,
    ];
    // np.log(pos)
    const npLog = [
      -690.7755278982137,
      -18.420680743952367,
      -6.907755278982137,
      -1.2039728043259361,
      -0.35667494393873245,
      -1.0000000494736474e-7,
      9.999999505838704e-8,
      0.4054651081081644,
      Math.LN2,
      1.0986122886681098,
      Math.LN10,
      4.815884817283264,
      18.420680743952367,
      690.7755278982137,
      -744.4400719213812,
      709.782712893384,
    ];
    expect(maxUlps(log(tensor(pos)), npLog)).toBeLessThanOrEqual(2);
    // np.tanh(x)
    const npTanh = [
      -1.0, -0.9999989913051837, -0.9950547536867305, -0.7615941559557649, -0.2913126124515909, -1e-8, 0.0, 1e-8,
      0.2913126124515909, 0.6043677771171634, 0.7615941559557649, 0.9866142981514303, 0.9950547536867305,
      0.9999989913051837, 1.0, 1.0,
    ];
    expect(maxUlps(tanh(tensor(x)), npTanh)).toBeLessThanOrEqual(2);
    // scipy.special.expit(x), numpy's ecosystem sigmoid
    const npSigmoid = [
      1.2501528648238605e-9, 0.0007096703991005881, 0.04742587317756678, 0.2689414213699951, 0.425557483188341,
      0.4999999975, 0.5, 0.5000000025, 0.574442516811659, 0.6681877721681662, 0.7310585786300049, 0.9241418199787566,
      0.9525741268224334, 0.9992903296008995, 0.9999999987498471, 1.0,
    ];
    expect(maxUlps(sigmoid(tensor(x)), npSigmoid)).toBeLessThanOrEqual(2);
  });

  it("float32 (the float64 result rounded once; numpy's float32 SIMD code differs from that by up to 2 ulp)", () => {
    const x32 = tensor(x.slice(0, 15), { dtype: "float32" });
    // np.exp(x.astype(np.float32))[:15]
    const npExp = [
      1.2501528701136522e-9, 0.0007101743831299245, 0.049787066876888275, 0.3678794205188751, 0.740818202495575, 1.0,
      1.0, 1.0, 1.3498587608337402, 2.0137526988983154, 2.7182819843292236, 12.182493209838867, 20.08553695678711,
      1408.1048583984375, 799902080.0,
    ];
    expect(maxUlps(exp(x32), npExp)).toBeLessThanOrEqual(2);
    // np.tanh(x.astype(np.float32))[:15]
    const npTanh = [
      -1.0, -0.9999989867210388, -0.9950547814369202, -0.7615941762924194, -0.29131263494491577, -9.99999993922529e-9,
      0.0, 9.99999993922529e-9, 0.29131263494491577, 0.6043677926063538, 0.7615941762924194, 0.9866142868995667,
      0.9950547814369202, 0.9999989867210388, 1.0,
    ];
    expect(maxUlps(tanh(x32), npTanh)).toBeLessThanOrEqual(2);
  });
});

describe("matmul: within k·u·Σ|aᵢₖ·bₖⱼ| of numpy (BLAS sums in another order, with FMA)", () => {
  // A = np.random.seed(0); np.random.randn(3, 50); B = np.random.seed(1); np.random.randn(50, 2)
  const A = randn([3, 50], 0);
  const B = randn([50, 2], 1);
  const bound = (dtype: "float64" | "float32") => {
    const u = dtype === "float64" ? 2 ** -53 : 2 ** -24;
    const absProduct = matmul(A.abs(), B.abs()).data;
    return Array.from(absProduct, (s) => 50 * u * s);
  };

  it("float64", () => {
    // (A @ B).ravel()
    const numpy = [
      2.646173425747567, -3.6789112055614606, 1.3077962109529642, -3.436025546666385, 5.941694519053682,
      5.974242996206308,
    ];
    const C = matmul(A, B).data;
    const limit = bound("float64");
    for (const [i, v] of numpy.entries()) expect(Math.abs(C[i] - v)).toBeLessThanOrEqual(limit[i]);
  });

  it("float32", () => {
    // (A.astype(np.float32) @ B.astype(np.float32)).ravel()
    const numpy = [
      2.6461734771728516, -3.6789116859436035, 1.3077969551086426, -3.436026096343994, 5.941694259643555,
      5.974243640899658,
    ];
    const C = matmul(A.astype("float32"), B.astype("float32")).data;
    const limit = bound("float32");
    for (const [i, v] of numpy.entries()) expect(Math.abs(C[i] - v)).toBeLessThanOrEqual(limit[i]);
  });
});
