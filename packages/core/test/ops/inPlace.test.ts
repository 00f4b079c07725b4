/** In-place updates with a scale (`W.sub_(dW, lr)`): the same bits as the two-step form, one pass, versions bumped. */
import { propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type DType, Tensor, tensor, ValueError } from "../../src/index.js";

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });

function make(values: number[], dtype: DType): Tensor {
  return new Tensor(dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values), [values.length]);
}

function bits(t: Tensor): string {
  return Array.from(t.data, (x) => (Object.is(x, -0) ? "-0" : String(x))).join(",");
}

describe("sub_ / add_ with alpha", () => {
  test.prop(
    [
      fc.array(fc.tuple(finite, finite), { minLength: 1, maxLength: 40 }),
      finite,
      fc.constantFrom<DType>("float64", "float32"),
      fc.constantFrom<"sub" | "add">("sub", "add"),
    ],
    propertyParams(100),
  )("equals target ∓= other.mul(alpha) bit for bit", (pairs, alpha, dtype, kind) => {
    const target = make(
      pairs.map((p) => p[0]),
      dtype,
    );
    const other = make(
      pairs.map((p) => p[1]),
      dtype,
    );
    const twoStep = make(Array.from(target.data), dtype);
    const fused = make(Array.from(target.data), dtype);
    if (kind === "sub") {
      twoStep.sub_(other.mul(alpha));
      fused.sub_(other, alpha);
    } else {
      twoStep.add_(other.mul(alpha));
      fused.add_(other, alpha);
    }
    expect(bits(fused)).toBe(bits(twoStep));
  });

  it("computes the gradient step W −= α dW", () => {
    const W = tensor([[1, 2, 3]]);
    const dW = tensor([[0.5, -1, 2]]);
    W.sub_(dW, 0.1);
    expect(Array.from(W.data)).toEqual([1 - 0.05, 2 + 0.1, 3 - 0.2]);
    W.add_(dW, 2);
    expect(Array.from(W.data)).toEqual([1 - 0.05 + 1, 2 + 0.1 - 2, 3 - 0.2 + 4]);
  });

  it("broadcasts other like the plain update", () => {
    const b = tensor([
      [1, 2],
      [3, 4],
    ]);
    b.sub_(tensor([[1], [2]]), 3); // (2,1) broadcast over the columns
    expect(b.toArray()).toEqual([
      [-2, -1],
      [-3, -2],
    ]);
  });

  it("bumps the version once and rejects a non-number alpha", () => {
    const W = tensor([1, 2], { requiresGrad: true });
    const before = W._version;
    W.sub_(tensor([1, 1]), 0.5);
    expect(W._version).toBe(before + 1);
    expect(() => W.sub_(tensor([1, 1]), "0.5" as unknown as number)).toThrow(
      new ValueError("sub_", "alpha must be a number, got string"),
    );
  });

  it("rejects a NaN or infinite alpha before changing anything (a NaN learning rate made every entry NaN)", () => {
    const W = tensor([1, 2], { requiresGrad: true });
    const before = W._version;
    const lr = Number.parseFloat("abc"); // NaN, as from a bad command-line option
    expect(() => W.sub_(tensor([1, 1]), lr)).toThrow(
      new ValueError("sub_", "alpha must be a finite number, got NaN: is the learning rate set?"),
    );
    expect(() => W.add_(tensor([[1], [1]]).T.reshape([2]), Number.POSITIVE_INFINITY)).toThrow(
      /^add_: alpha must be a finite number, got Infinity/,
    );
    expect(() => W.sub_(tensor(1), -Infinity)).toThrow(/^sub_: alpha must be a finite number, got -Infinity/);
    expect(W.toArray()).toEqual([1, 2]);
    expect(W._version).toBe(before);
  });
});

describe("an in-place update given a null .grad", () => {
  it("says the target never required grad, at the point of use", () => {
    const W = tensor([[1, 2]], { name: "W1" }); // forgot requiresGrad
    W.mul(3).sum(); // nothing requires grad: backward would never fill W.grad
    expect(W.grad).toBeNull();
    const message =
      "sub_: the operand is null: if it is W1.grad, 'W1' never required grad (requiresGrad is false), so backward() gave it no gradient; create it with { requiresGrad: true } or call requiresGrad_() before the forward pass";
    expect(() => W.sub_(W.grad as unknown as Tensor, 0.1)).toThrow(message);
    expect(() => W.sub_(W.grad as unknown as Tensor)).toThrow(message);
  });

  it("says when a .grad is null for a tensor that does require grad", () => {
    const b = tensor([0, 0], { requiresGrad: true, name: "b1" });
    expect(() => b.sub_(b.grad as unknown as Tensor, 0.1)).toThrow(
      "sub_: the operand is null: a .grad stays null until backward() reaches the tensor (and after zeroGrad()); did the cost depend on 'b1'?",
    );
  });
});
