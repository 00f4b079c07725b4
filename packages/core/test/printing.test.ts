/** Printing a tensor: console.log / util.inspect in Node show toString()'s text, not the internal fields. */
import { inspect } from "node:util";
import { JitError, jit, type Tensor, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

describe("printing a tensor in Node", () => {
  it("console.log shows the values, shape, dtype, name and op (before: _data, _node, _mark … and the whole graph)", () => {
    const W = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true, name: "W" },
    );
    expect(inspect(W)).toBe("tensor([[1,2],[3,4]], shape=(2,2), dtype=float64, name=W)");
    expect(inspect(W.mul(2).sum())).toBe("tensor(20, shape=(), dtype=float64, op=sum)");
    expect(inspect({ W: tensor([0.5], { dtype: "float32" }) })).toBe("{ W: tensor([0.5], shape=(1), dtype=float32) }");
    expect(inspect(W)).toBe(String(W));
  });

  it("inside jit, printing a traced tensor is a JitError, as toString() is", () => {
    const f = jit((x: Tensor) => {
      inspect(x.mul(2));
      return x;
    });
    expect(() => f(tensor([1]))).toThrow(JitError);
    expect(() => f(tensor([1]))).toThrow(/^jit: printing \(toString\) read the values of a traced tensor/);
  });
});
