import {
  AutodiffError,
  add,
  detectAnomaly,
  gradients,
  matmul,
  mul,
  noGrad,
  ones,
  ShapeError,
  sigmoid,
  sum,
  tanh,
  tensor,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

describe("backward", () => {
  it("derives dJ/da, dJ/db, dJ/dc for the course's J = 3(a + bc)", () => {
    const a = tensor(5, { requiresGrad: true, name: "a" });
    const b = tensor(3, { requiresGrad: true, name: "b" });
    const c = tensor(2, { requiresGrad: true, name: "c" });
    const J = mul(add(a, mul(b, c)), 3);
    expect(J.item()).toBe(33);
    J.backward();
    expect(a.grad?.item()).toBe(3);
    expect(b.grad?.item()).toBe(6); // 3c
    expect(c.grad?.item()).toBe(9); // 3b
  });

  it("accumulates fan-out: d(x·x + x)/dx = 2x + 1", () => {
    const x = tensor([1.5, -2], { requiresGrad: true });
    sum(add(mul(x, x), x)).backward();
    expect(x.grad?.toArray()).toEqual([4, -3]);
  });

  it("accumulates into .grad across calls until zeroGrad", () => {
    const x = tensor([2], { requiresGrad: true });
    sum(mul(x, 3)).backward();
    sum(mul(x, 3)).backward();
    expect(x.grad?.toArray()).toEqual([6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it("reduces the gradient of a broadcast input to its shape (db has b's shape)", () => {
    const W = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { requiresGrad: true },
    );
    const X = tensor([
      [1, 0, 2, 1],
      [0, 1, 1, 3],
    ]);
    const b = tensor([[0.5], [-1], [2]], { requiresGrad: true });
    sum(add(matmul(W, X), b)).backward();
    expect(b.grad?.shape).toEqual([3, 1]);
    expect(b.grad?.toArray()).toEqual([[4], [4], [4]]);
    expect(W.grad?.toArray()).toEqual([
      [4, 5],
      [4, 5],
      [4, 5],
    ]);
  });

  it("retainGrad keeps intermediate gradients (dZ, dA)", () => {
    const Z = tensor([[0.5, -1]], { requiresGrad: true, name: "Z" });
    const A = tanh(Z).retainGrad();
    sum(mul(A, 2)).backward();
    expect(A.grad?.toArray()).toEqual([[2, 2]]);
    const a = Math.tanh(0.5);
    const b = Math.tanh(-1);
    expect(Z.grad?.toArray()).toEqual([[2 * (1 - a * a), 2 * (1 - b * b)]]);
  });

  it("needs a seed for a non-scalar output, of the output's shape", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 2);
    expect(() => y.backward()).toThrow(AutodiffError);
    expect(() => y.backward()).toThrow(/not a scalar: pass a seed gradient of shape \(2\)/);
    expect(() => y.backward(ones([3]))).toThrow(ShapeError);
    y.backward(tensor([1, 10]));
    expect(x.grad?.toArray()).toEqual([2, 20]);
  });

  it("refuses backward on a tensor that does not require grad", () => {
    const y = sum(tensor([1, 2]));
    expect(() => y.backward()).toThrow(/does not require grad/);
  });

  it("names an unnamed scalar output 'the scalar output (unnamed)', not 'tensor ()'", () => {
    expect(() => sum(tensor([1, 2])).backward()).toThrow(
      new AutodiffError(
        "backward",
        "the scalar output (unnamed) does not require grad: none of the tensors it was computed from had requiresGrad: true (or it was computed inside noGrad)",
      ),
    );
    expect(() =>
      sum(tensor([1, 2]))
        .named("J")
        .backward(),
    ).toThrow(/^backward: the output 'J' \(\) does not require grad/);
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => mul(x, 2).backward()).toThrow(/^backward: the output \(2\) \(unnamed\) is not a scalar: pass a seed/);
  });

  it("frees the graph after backward unless retainGraph", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const J = sum(mul(x, x));
    J.backward();
    expect(() => J.backward()).toThrow(/already freed by an earlier backward\(\); pass \{ retainGraph: true \}/);
    const K = sum(mul(x, x));
    x.zeroGrad();
    K.backward(undefined, { retainGraph: true });
    K.backward();
    expect(x.grad?.toArray()).toEqual([4, 8]);
  });

  it("detects a saved tensor mutated in place before backward (version counter)", () => {
    const W = tensor([[1, 2]], { requiresGrad: true, name: "W" });
    const x = tensor([[3], [4]]);
    const J = sum(mul(W, W));
    noGrad(() => W.sub_(1));
    expect(() => J.backward()).toThrow(AutodiffError);
    expect(() => sum(matmul(W, x)).backward()).not.toThrow();
    const y = tensor([1], { requiresGrad: true });
    const s = sigmoid(y);
    const J3 = sum(s);
    s.add_(1);
    expect(() => J3.backward()).toThrow(/output .* of sigmoid was modified in place .*version 0 when recorded, now 1/);
  });

  it("createGraph records the backward pass so gradients can be differentiated again", () => {
    const x = tensor([2, -1], { requiresGrad: true });
    const y = sum(mul(mul(x, x), x)); // Σ x³
    const [dx] = gradients(y, [x], undefined, { createGraph: true });
    expect(dx.toArray()).toEqual([12, 3]); // 3x²
    const [ddx] = gradients(sum(dx), [x]);
    expect(ddx.toArray()).toEqual([12, -6]); // 6x
  });

  it("hooks see and can replace the gradient flowing into a tensor; removable", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = mul(x, 3);
    const seen: number[][] = [];
    const remove = h.registerHook((g) => {
      seen.push(g.toArray() as number[]);
      return mul(g, 10);
    });
    sum(h).backward();
    expect(seen).toEqual([[1, 1]]);
    expect(x.grad?.toArray()).toEqual([30, 30]);
    remove();
    x.zeroGrad();
    sum(mul(x, 3)).backward();
    expect(x.grad?.toArray()).toEqual([3, 3]);
  });

  it("noGrad records nothing; detach cuts the graph", () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    const z = mul(x, 2).detach();
    expect(z.requiresGrad).toBe(false);
  });

  it("walks a 20,000-op chain without overflowing the stack", () => {
    const x = tensor([0.5], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20_000; i++) y = add(y, 1e-3);
    sum(y).backward();
    expect(x.grad?.toArray()).toEqual([1]);
  });

  it("anomaly mode names the op that produced NaN in forward and in backward", () => {
    const x = tensor([-1, 1], { requiresGrad: true, name: "x" });
    expect(() => detectAnomaly(() => x.log())).toThrow(/log: forward produced NaN at index \(0\)/);
    const z = tensor([0, 1], { requiresGrad: true });
    const J = sum(z.sqrt());
    expect(() => detectAnomaly(() => J.backward())).toThrow(/sqrt: backward produced \+Infinity/);
  });
});
