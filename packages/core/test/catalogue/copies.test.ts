/** Catalogue: what numpy copies is a copy here too — astype, clone and tensor() never alias their input, and keep −0. */
import { astype, cast, clone, grad, gradients, type Tensor, tensor, withTracing } from "@backprop/core";
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
