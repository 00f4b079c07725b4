/**
 * Backward over wide graphs stays linear: a node with n inputs (concat, stack of n tensors) and gradients() for n
 * targets read their lists O(n) times, not O(n²) (100,000 pieces took minutes), with the gradients unchanged.
 */
import { describe, expect, it } from "vitest";
import type { GraphNode } from "../../src/autodiff/node.js";
import { concat, gradients, stack, type Tensor, tensor } from "../../src/index.js";

const N = 2000;

/** `list` behind a proxy that counts reads of its elements. */
function counted<T>(list: readonly T[]): { list: readonly T[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(list, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { list: proxy, reads: () => reads };
}

const pieces = () => Array.from({ length: N }, (_, i) => tensor([i, -i], { requiresGrad: true }));

describe("backward over wide graphs", () => {
  it.each([
    ["concat", (p: Tensor[]) => concat(p)],
    ["stack", (p: Tensor[]) => stack(p)],
  ])("%s of n tensors: backward reads the node's inputs O(n) times", (_name, join) => {
    const p = pieces();
    const joined = join(p);
    const J = joined.mul(joined).sum();
    const node = joined._node as GraphNode;
    const inputs = counted(node.inputs);
    (node as { inputs: readonly Tensor[] }).inputs = inputs.list;
    J.backward();
    expect(inputs.reads()).toBeLessThan(20 * N);
    // d Σ z² = 2z for every piece.
    for (const i of [0, 1, N - 1]) expect(Array.from(p[i].grad?.data ?? [])).toEqual([2 * i, -2 * i]);
  });

  it("gradients() for n targets reads the target list O(n) times", () => {
    const p = pieces();
    let J = p[0].sum();
    for (let i = 1; i < N; i++) J = J.add(p[i].mul(i).sum());
    const targets = counted(p);
    const grads = gradients(J, targets.list);
    expect(targets.reads()).toBeLessThan(20 * N);
    for (const i of [0, 1, N - 1]) expect(Array.from(grads[i].data)).toEqual([Math.max(i, 1), Math.max(i, 1)]);
  });
});
