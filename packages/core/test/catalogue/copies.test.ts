/** Catalogue: what numpy copies is a copy here too — astype, clone and tensor() never alias their input, and keep −0. */
import {
  astype,
  cast,
  clone,
  grad,
  gradients,
  onesLike,
  RandomState,
  type Tensor,
  tensor,
  withTracing,
  zeros,
  zerosLike,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

const signs = (t: Tensor) => Array.from(t.data, (v) => (Object.is(v, -0) ? "-0" : v));

describe("astype is numpy's astype (copy=True): a new tensor even for the same dtype", () => {
  it("an in-place update of astype's result leaves the input alone (it returned the input itself)", () => {
    const x = tensor([1, 2]);
    const y = x.astype("float64");
    expect(y).not.toBe(x);
    y.add_(10);
    expect(Array.from(x.data)).toEqual([1, 2]); // numpy: y = x.astype(np.float64); y += 10 leaves x
    expect(Array.from(y.data)).toEqual([11, 12]);
    const z = astype(tensor([3], { dtype: "float32" }), "float32");
    expect(z.dtype).toBe("float32");
    z.named("z");
    expect(z.name).toBe("z");
  });

  it("the copy is a cast node: gradients flow through it unchanged, in and out of tracing", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.astype("float64");
    expect(y.op).toBe("cast");
    expect(Array.from(grad((a: Tensor) => a.astype("float64").mul(3).sum())(tensor([1, 2])).data)).toEqual([3, 3]);
    const [g] = withTracing(() => gradients(y.mul(y).sum(), [x]));
    expect(Array.from(g.data)).toEqual([2, 4]);
  });

  it("cast keeps its documented identity for the same dtype", () => {
    const x = tensor([1]);
    expect(cast(x, "float64")).toBe(x);
  });
});

describe("clone copies every bit (np.copy), −0 included", () => {
  it("−0 stays −0 (x + 0 made it +0), in float64 and float32, and NaN and ±Infinity pass", () => {
    expect(signs(clone(tensor([-0, 0, -1.5])))).toEqual(["-0", 0, -1.5]);
    expect(signs(tensor([-0], { dtype: "float32" }).clone())).toEqual(["-0"]);
    expect(Array.from(clone(tensor([Number.NaN, Infinity, -Infinity])).data)).toEqual([
      Number.NaN,
      Infinity,
      -Infinity,
    ]);
  });

  it("its gradient is still ones", () => {
    expect(Array.from(grad((a: Tensor) => clone(a).sum())(tensor([-0, 2])).data)).toEqual([1, 1]);
  });
});

describe("zerosLike/onesLike and nested typed-array rows", () => {
  it("{ dtype: undefined } keeps x's dtype (np.zeros_like(x, dtype=None); it gave float64)", () => {
    const x = zeros([2], { dtype: "float32" });
    expect(zerosLike(x, { dtype: undefined }).dtype).toBe("float32");
    expect(onesLike(x, { dtype: undefined, requiresGrad: true }).dtype).toBe("float32");
    expect(zerosLike(x, { dtype: "float64" }).dtype).toBe("float64");
  });

  it("typed arrays as rows of nested data (np.array([row, row])) — they were refused as objects", () => {
    const t = tensor([new Float32Array([0.1, 2]), new Float32Array([3, 4])]);
    expect(t.shape).toEqual([2, 2]);
    expect(t.dtype).toBe("float64");
    expect(Array.from(t.data)).toEqual([0.10000000149011612, 2, 3, 4]);
    expect(() => tensor([new Int8Array(2), new Int8Array(3)])).toThrow(
      /^tensor: ragged nested array: at \[1\] expected an array of length 2, got length 3/,
    );
  });
});

describe("RandomState's numpy-style rand(d0, d1, …) and randn(d0, d1, …)", () => {
  it("a shape array says the dimensions go as separate arguments (it said 'dimension 0 is an array (wrap it with tensor())')", () => {
    const rs = new RandomState(0);
    expect(() => rs.randn([2, 3] as unknown as number)).toThrow(
      "RandomState.randn: takes the dimensions as separate arguments, as numpy's: rs.randn(2, 3), not an array",
    );
    expect(() => rs.rand(-1)).toThrow(/^RandomState\.rand: invalid shape \[-1\]/); // numpy: negative dimensions
    expect(rs.rand(0).shape).toEqual([0]);
  });
});
