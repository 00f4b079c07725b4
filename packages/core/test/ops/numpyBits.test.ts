/** Forward values bit for bit as numpy gives them, where a differential run against numpy 2.4 found them differing. */
import {
  arange,
  full,
  jit,
  linear,
  linearActivation,
  linspace,
  logSumExp,
  matmul,
  mean,
  pow,
  randn,
  softmax,
  sum,
  type Tensor,
  tensor,
  zeros,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

const values = (t: Tensor) => Array.from(t.data);

describe("sum adds in numpy's order (pairwise along the innermost reduced run), so np.sum's bits come out", () => {
  // x = np.random.seed(0); np.random.randn(3, 4, 200): randn reproduces numpy's stream bit for bit.
  const x = randn([3, 4, 200], 0);

  it("over all axes: one pairwise sum of the 2400 contiguous elements", () => {
    expect(sum(x).item()).toBe(-50.69213744917597); // np.sum(x)
  });

  it("over the trailing axes (1, 2): one pairwise sum of 800 per row, as numpy coalesces them", () => {
    // np.sum(x, axis=(1, 2))
    expect(values(sum(x, [1, 2]))).toEqual([-58.82520902383882, 33.96808444697661, -25.835012872313772]);
  });

  it("over the last axis (the course's np.sum(dZ, axis=1, keepdims=True)) and its mean", () => {
    // np.sum(x, axis=2).ravel()
    expect(values(sum(x, -1))).toEqual([
      14.182098628232234, -25.602896710557346, -21.54951957288454, -25.85489136862917, 13.568501533643438,
      19.215547573875604, 0.09673217726771988, 1.087303162189853, -0.10744933949710855, -6.6751932576725075,
      -7.310850995447689, -11.741519279696465,
    ]);
    // np.mean(x, axis=-1, keepdims=True).ravel()[:3]
    expect(values(mean(x, -1, true)).slice(0, 3)).toEqual([
      0.07091049314116117, -0.12801448355278672, -0.10774759786442271,
    ]);
  });

  it("over axes (0, 2): each row's pairwise sum added to the output in turn", () => {
    // np.sum(x, axis=(0, 2))
    expect(values(sum(x, [0, 2]))).toEqual([
      27.643150822378566, -13.06254239435425, -28.76363839106451, -36.509107486135775,
    ]);
  });

  it("float32 adds in float32, as numpy's float loop (not in a double accumulator)", () => {
    // y = np.random.seed(1); np.random.randn(1000).astype(np.float32); y.sum(), y.mean()
    const y = randn([1000], 1, { dtype: "float32" });
    expect(sum(y).item()).toBe(38.81248092651367); // a double accumulator gives 38.812477111816406
    expect(mean(y).item()).toBe(0.03881248086690903);
    // np.random.seed(1); np.random.randn(2, 500).astype(np.float32).sum(axis=1)
    expect(values(sum(randn([2, 500], 1, { dtype: "float32" }), 1))).toEqual([26.718448638916016, 12.094032287597656]);
  });

  it("a sum of −0s is +0, as numpy's (0 + pairwise sum)", () => {
    expect(Object.is(sum(tensor([-0, -0, -0])).item(), 0)).toBe(true); // np.sum([-0.0] * 3) = 0.0
  });
});

describe("arange fills as numpy: start, start + step, then start + i·((start + step) − start), in the dtype", () => {
  it("float64: δ = 1.1 − 1 = 0.10000000000000009, not 0.1", () => {
    // np.arange(1, 2, 0.1).tolist()
    expect(values(arange(1, 2, 0.1))).toEqual([
      1.0, 1.1, 1.2000000000000002, 1.3000000000000003, 1.4000000000000004, 1.5000000000000004, 1.6000000000000005,
      1.7000000000000006, 1.8000000000000007, 1.9000000000000008,
    ]);
    // np.arange(-3, 3, 0.7).tolist()
    expect(values(arange(-3, 3, 0.7))).toEqual([
      -3.0, -2.3, -1.5999999999999996, -0.8999999999999995, -0.1999999999999993, 0.5000000000000009, 1.200000000000001,
      1.9000000000000012, 2.6000000000000014,
    ]);
  });

  it("float32: δ and each i·δ rounded to float32", () => {
    // np.arange(0, 1, 0.1, dtype=np.float32).tolist()
    expect(values(arange(0, 1, 0.1, { dtype: "float32" }))).toEqual([
      0.0, 0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645, 0.5, 0.6000000238418579,
      0.699999988079071, 0.800000011920929, 0.9000000357627869,
    ]);
    // np.arange(-3, 3, 0.7, dtype=np.float32).tolist()
    expect(values(arange(-3, 3, 0.7, { dtype: "float32" }))).toEqual([
      -3.0, -2.299999952316284, -1.5999999046325684, -0.8999998569488525, -0.19999980926513672, 0.5000002384185791,
      1.200000286102295, 1.9000005722045898, 2.6000003814697266,
    ]);
  });

  it("a span whose quotient underflows: one element above 0, none below (numpy's length rule)", () => {
    expect(values(arange(0, 5e-324, 1e300))).toEqual([0]); // np.arange(0, 5e-324, 1e300) = [0.]
    expect(arange(0, -5e-324, 1e300).shape).toEqual([0]); // np.arange(0, -5e-324, 1e300) is empty
  });
});

describe("pow is numpy.power (C's pow) where JavaScript's ** differs", () => {
  const a = [1, 1, 1, -1, -1, Number.NaN, 0, -0, -0, Number.NEGATIVE_INFINITY];
  const b = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const bAll = [...b, Number.NEGATIVE_INFINITY, 0, -1, -1, 0.5, 0.5];
  // np.power([1, 1, 1, -1, -1, nan, 0, -0., -0., -inf], [nan, inf, -inf, inf, -inf, 0, -1, -1, .5, .5])
  const numpy = [1, 1, 1, 1, 1, 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, Number.POSITIVE_INFINITY];

  it("1ᵇ = 1 for every b (NaN and ±∞ included), (−1)^±∞ = 1; the rest as before", () => {
    expect(values(pow(tensor(a), tensor(bAll)))).toEqual(numpy);
    expect(values(pow(tensor([1, 2]), Number.NaN))).toEqual([1, Number.NaN]); // np.power([1., 2.], np.nan)
    expect(values(pow(1, tensor(b)))).toEqual([1, 1, 1, 1]); // np.power(1., [nan, inf, -inf, inf])
    expect(values(pow(tensor(a, { dtype: "float32" }), tensor(bAll, { dtype: "float32" })))).toEqual(numpy);
  });

  it("jit gives the same bits with both backends", () => {
    for (const backend of ["codegen", "interpret"] as const) {
      const f = jit((x: Tensor, y: Tensor) => pow(x, y), { backend });
      expect(values(f(tensor(a), tensor(bAll)))).toEqual(numpy);
    }
  });
});

describe("creation keeps numpy's signs at the edges", () => {
  it("full(shape, −0) is −0 everywhere (np.full(2, -0.0))", () => {
    expect(values(full([2], -0)).every((v) => Object.is(v, -0))).toBe(true);
  });

  it("linspace takes numpy's (i/div)·delta branch when the step underflows to 0", () => {
    expect(values(linspace(0, 5e-324, 5))).toEqual([0, 0, 0, 5e-324, 5e-324]); // np.linspace(0, 5e-324, 5)
    expect(values(linspace(0, Number.POSITIVE_INFINITY, 1))).toEqual([Number.NaN]); // np.linspace(0, np.inf, 1)
    expect(Object.is(linspace(-0, 1, 1).item(), 0)).toBe(true); // np.linspace(-0.0, 1, 1) = [0.0]
    // np.linspace(0.1, 0.9, 9, dtype=np.float32): computed in float64, then rounded
    expect(values(linspace(0.1, 0.9, 9, { dtype: "float32" }))).toEqual([
      0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645, 0.5, 0.6000000238418579,
      0.699999988079071, 0.800000011920929, 0.8999999761581421,
    ]);
  });
});

describe("composites keep the input's dtype at the edges", () => {
  it("logSumExp and softmax over an empty axis of a float32 tensor stay float32", () => {
    const lse = logSumExp(zeros([0, 3], { dtype: "float32" }), 0);
    expect(lse.dtype).toBe("float32"); // np.log(np.exp(np.zeros((0, 3), np.float32)).sum(0)).dtype
    expect(values(lse)).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(softmax(zeros([0, 3], { dtype: "float32" }), 0).dtype).toBe("float32");
  });
});

describe("linear with a float32 W·X and a float64 bias rounds the product to float32 first, as numpy", () => {
  // W = np.array([[0.1, 0.2]], np.float32); X = np.array([[1.], [2.]], np.float32); b = np.array([[0.3]])
  const W = tensor([[0.1, 0.2]], { dtype: "float32" });
  const X = tensor([[1], [2]], { dtype: "float32" });
  const b = tensor([[0.3]]);

  it("Z = W @ X + b is 0.8 (a float64 product would give 0.8000000074505806)", () => {
    const Z = linear(W, X, b);
    expect(Z.dtype).toBe("float64");
    expect(Z.item()).toBe(0.8); // (W @ X + b).item()
    expect(Z.item()).toBe(matmul(W, X).add(b).item()); // and what its doc promises: W.matmul(X).add(b)
  });

  it("linearActivation's A is the activation of that Z", () => {
    const { Z, A } = linearActivation(W, X, b, "tanh");
    expect(Z.item()).toBe(0.8);
    expect(A.item()).toBe(Z.tanh().item());
  });
});
