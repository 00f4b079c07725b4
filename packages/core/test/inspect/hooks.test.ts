import { AutodiffError, gradients, ShapeError, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";
import { courseGraph, twoLayerGraph } from "./nets.js";

describe("gradient hooks", () => {
  it("see the gradient flowing into a tensor: dJ/dv = 3 for J = 3v", () => {
    const { J, v } = courseGraph();
    const seen: number[] = [];
    v.registerHook((g) => void seen.push(g.item()));
    J.backward();
    expect(seen).toEqual([3]);
  });

  it("scale a gradient, and everything downstream in backward sees the change", () => {
    const { J, v, a, b, c } = courseGraph();
    v.registerHook((g) => g.mul(2));
    J.backward();
    // dv = 2·3 = 6, so da = dv = 6, db = dv·c = 12, dc = dv·b = 18 (instead of 3, 6, 9).
    expect([a.grad?.item(), b.grad?.item(), c.grad?.item()]).toEqual([6, 12, 18]);
  });

  it("on Z1 of a two-layer net: zeroing dZ1 zeroes dW1 and db1 and leaves dW2, db2 alone", () => {
    const plain = twoLayerGraph(10);
    plain.J.backward();
    const hooked = twoLayerGraph(10);
    hooked.Z1.registerHook((g) => g.mul(0));
    hooked.J.backward();
    expect([...(hooked.W1.grad?.data ?? [1])].every((d) => d === 0)).toBe(true);
    expect([...(hooked.b1.grad?.data ?? [1])].every((d) => d === 0)).toBe(true);
    expect(hooked.W2.grad?.toArray()).toEqual(plain.W2.grad?.toArray());
    expect(hooked.b2.grad?.toArray()).toEqual(plain.b2.grad?.toArray());
    expect(Math.abs(plain.W1.grad?.sum().item() ?? 0)).toBeGreaterThan(0);
  });

  it("on a leaf replace what lands in .grad (gradient clipping per parameter)", () => {
    const { J, b } = courseGraph();
    b.registerHook((g) => g.clip(-1, 1));
    J.backward();
    expect(b.grad?.item()).toBe(1); // 6, clipped
  });

  it("compose in registration order", () => {
    const { J, v, a } = courseGraph();
    v.registerHook((g) => g.add(1));
    v.registerHook((g) => g.mul(10));
    J.backward();
    expect(a.grad?.item()).toBe(40); // (3 + 1)·10
  });

  it("stop when removed; removing twice is harmless", () => {
    const x = tensor([1, 2], { requiresGrad: true, name: "x" });
    const y = x.mul(3).named("y");
    const remove = y.registerHook((g) => g.mul(100));
    y.sum().backward(undefined, { retainGraph: true });
    expect(x.grad?.toArray()).toEqual([300, 300]);
    remove();
    remove();
    x.zeroGrad();
    y.sum().backward(); // the same graph, without the hook
    expect(x.grad?.toArray()).toEqual([3, 3]);
  });

  it("apply in gradients() too", () => {
    const { J, v, a } = courseGraph();
    v.registerHook((g) => g.neg());
    expect(gradients(J, [a])[0].item()).toBe(-3);
    expect(a.grad).toBeNull();
  });

  it("reject a replacement of the wrong shape, and tensors that do not require grad", () => {
    const x = tensor([1, 2], { requiresGrad: true, name: "x" });
    const y = x.mul(2);
    y.registerHook(() => tensor([1, 2, 3]));
    expect(() => y.sum().backward()).toThrow(ShapeError);
    expect(() => tensor([1]).registerHook((g) => g)).toThrow(AutodiffError);
  });
});
