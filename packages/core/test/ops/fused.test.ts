/** The fused primitives (linear, sigmoidCrossEntropy) and the fused backward fast paths give the composed ops' values. */
import {
  gradients,
  jvp,
  linear,
  logSigmoid,
  matmul,
  ones,
  randn,
  relu,
  ShapeError,
  sigmoid,
  sigmoidCrossEntropy,
  type Tensor,
  tanh,
  tensor,
  withTracing,
} from "@backprop/core";
import { primitives } from "@backprop/core/internal";
import { describe, expect, it } from "vitest";

/** Gradients of sum(f(x)·w) with respect to xs, computed once plainly and once with createGraph (the composed rules). */
function bothPaths(f: (...xs: Tensor[]) => Tensor, xs: Tensor[]): [Tensor[], Tensor[]] {
  const weighted = () => {
    const y = f(...xs);
    return y.mul(randn(y.shape, 7)).sum();
  };
  const fast = gradients(weighted(), xs);
  const composed = gradients(weighted(), xs, undefined, { createGraph: true });
  return [fast, composed];
}

describe("fused backward rules", () => {
  const z = () => randn([3, 5], 1).mul(3).requiresGrad_();
  // Every primitive whose definition names a fused kernel (read from the registry, so a new one is covered).
  const fusedOps = Object.values(primitives).filter((def) => def.fusedBackward !== undefined);
  const opFunctions: Record<string, (x: Tensor) => Tensor> = { tanh, sigmoid, relu, logSigmoid };

  it("the registry's fused rules are tanh, sigmoid, relu and logSigmoid", () => {
    expect(fusedOps.map((def) => def.name).sort()).toEqual(["logSigmoid", "relu", "sigmoid", "tanh"]);
  });

  const cases = fusedOps.flatMap((def) => (["float64", "float32"] as const).map((dtype) => [def.name, dtype] as const));
  it.each(cases)("%s: the one-pass kernel equals the recorded composition bit for bit (%s)", (name, dtype) => {
    const f = opFunctions[name];
    if (f === undefined) throw new Error(`no function for ${name}`);
    const x = dtype === "float64" ? z() : z().detach().astype(dtype).requiresGrad_();
    const [fast, composed] = bothPaths(f, [x]);
    expect(fast[0].dtype).toBe(dtype);
    expect(Array.from(fast[0].data)).toEqual(Array.from(composed[0].data));
  });

  it.each(fusedOps.map((def) => def.name))(
    "%s: a float64 gradient into a float32 op takes the rule (float32 intermediates, float64 product)",
    (name) => {
      const f = opFunctions[name];
      if (f === undefined) throw new Error(`no function for ${name}`);
      const x = z().detach().astype("float32").requiresGrad_();
      const seed = randn(x.shape, 8);
      // A seed is cast to its output's dtype, so a float64 gradient reaches a float32 op only through a hook (or a
      // custom op's rule): the hook hands the float64 seed to f's rule.
      const gradientWith = (options?: { createGraph: boolean }) => {
        const y = f(x);
        y.registerHook(() => seed);
        return gradients(y, [x], ones(y.shape, { dtype: "float32" }), options)[0];
      };
      const fast = gradientWith();
      const composed = gradientWith({ createGraph: true });
      expect(fast.dtype).toBe("float64");
      expect(Array.from(fast.data)).toEqual(Array.from(composed.data));
    },
  );
});

describe("mul's product rule (jvp)", () => {
  it.each(["float64", "float32"] as const)(
    "ȧ·b + a·ḃ in one pass equals the recorded ops bit for bit (%s)",
    (dtype) => {
      const [a, b, ta, tb] = [1, 2, 3, 4].map((seed) => randn([3, 5], seed).mul(3).astype(dtype));
      const [, fast] = jvp((x, y) => x.mul(y), [a, b], [ta, tb]);
      const [, traced] = withTracing(() => jvp((x, y) => x.mul(y), [a, b], [ta, tb]));
      const composed = ta.mul(b).add(a.mul(tb));
      expect(fast.dtype).toBe(dtype);
      expect(Array.from(fast.data)).toEqual(Array.from(composed.data));
      expect(Array.from(traced.data)).toEqual(Array.from(composed.data));
    },
  );
});

describe("linear", () => {
  it("equals W.matmul(X).add(b) exactly, for each bias shape", () => {
    const W = randn([4, 3], 2);
    const X = randn([3, 5], 3);
    for (const b of [randn([4, 1], 4), randn([1, 5], 5), randn([4, 5], 6), tensor(0.5)]) {
      expect(Array.from(linear(W, X, b).data)).toEqual(Array.from(matmul(W, X).add(b).data));
    }
  });

  it("has the course's gradients: dW = dZ·Xᵀ, db = Σ_axis1 dZ, dX = Wᵀ·dZ", () => {
    const W = randn([2, 3], 8).requiresGrad_();
    const X = randn([3, 4], 9).requiresGrad_();
    const b = randn([2, 1], 10).requiresGrad_();
    const dZ = randn([2, 4], 11);
    const [dW, dX, db] = gradients(linear(W, X, b), [W, X, b], dZ);
    expect(Array.from(dW.data)).toEqual(Array.from(matmul(dZ, X.T).data));
    expect(Array.from(dX.data)).toEqual(Array.from(matmul(W.T, dZ).data));
    expect(Array.from(db.data)).toEqual(Array.from(dZ.sum(1, true).data));
  });

  it("rejects operands that do not fit, naming the shapes", () => {
    expect(() => linear(randn([2, 3], 1), randn([4, 5], 1), 0)).toThrow(ShapeError);
    expect(() => linear(randn([2, 3], 1), randn([3, 5], 1), randn([3, 1], 1))).toThrow(/bias \(3,1\)/);
  });
});

describe("sigmoidCrossEntropy", () => {
  it("equals the course's −(y log a + (1 − y) log(1 − a)) with a = σ(z) (hand-computed at z = 0, ±2)", () => {
    const z = tensor([[0, 2, -2, 2]]);
    const y = tensor([[1, 1, 0, 0]]);
    const expected = [Math.log(2), Math.log1p(Math.exp(-2)), Math.log1p(Math.exp(-2)), 2 + Math.log1p(Math.exp(-2))];
    const got = Array.from(sigmoidCrossEntropy(z, y).data);
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i], 14);
    });
  });

  it("stays finite at z = ±800, where the probability form gives Infinity", () => {
    const loss = sigmoidCrossEntropy(tensor([[800, -800, 800]]), tensor([[1, 0, 0]]));
    expect(Array.from(loss.data)).toEqual([0, 0, 800]);
  });

  it("has gradient (σ(z) − y)·dJ (the course's dZ2 = A2 − Y, over m for the mean), both paths equal", () => {
    const z = randn([1, 6], 12).mul(4).requiresGrad_();
    const y = tensor([[1, 0, 1, 1, 0, 0]]);
    const [dz] = gradients(sigmoidCrossEntropy(z, y).mean(), [z]);
    const expected = sigmoid(z.detach()).sub(y).div(6);
    Array.from(dz.data).forEach((v, i) => {
      expect(v).toBeCloseTo(expected.data[i], 15);
    });
    const [fast, composed] = bothPaths((a) => sigmoidCrossEntropy(a, y), [z]);
    expect(Array.from(fast[0].data)).toEqual(Array.from(composed[0].data));
  });

  it("float32: the one-pass gradient equals mul(g, sub(sigmoid(z), y)) bit for bit (σ from the double e^(−|z|))", () => {
    const z = randn([4, 50], 13).mul(6).astype("float32").requiresGrad_();
    const y = randn([4, 50], 14).sigmoid().astype("float32");
    const [fast, composed] = bothPaths((a) => sigmoidCrossEntropy(a, y), [z]);
    expect(fast[0].dtype).toBe("float32");
    expect(Array.from(fast[0].data)).toEqual(Array.from(composed[0].data));
  });

  it("rejects labels of another shape", () => {
    expect(() => sigmoidCrossEntropy(tensor([[1, 2]]), tensor([[1], [0]]))).toThrow(/same shape/);
  });
});
