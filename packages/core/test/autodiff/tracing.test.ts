/** Tracing mode: the graph records every value a result depends on (masks, shifts, counts, backward rules' masks), and nothing changes outside it. */
import {
  abs,
  clip,
  gradients,
  greater,
  leakyRelu,
  logSoftmax,
  max,
  maximum,
  mean,
  nodeOf,
  pow,
  relu,
  type Tensor,
  tensor,
  where,
  withTracing,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

/** The tensors a traced output depends on: node inputs, and where's condition (kept as an attribute). */
function dependencies(t: Tensor): Tensor[] {
  const node = nodeOf(t);
  if (node === null) return [];
  const attrs = node.attrs as { cond?: Tensor } | undefined;
  return attrs?.cond ? [...node.inputs, attrs.cond] : [...node.inputs];
}

/** Every leaf (tensor without a node) reachable from `outputs`, and the op names on the way. */
function walk(outputs: Tensor[]): { leaves: Set<Tensor>; ops: Set<string> } {
  const leaves = new Set<Tensor>();
  const ops = new Set<string>();
  const seen = new Set<Tensor>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const t = stack.pop() as Tensor;
    if (seen.has(t)) continue;
    seen.add(t);
    const node = nodeOf(t);
    if (node === null) leaves.add(t);
    else ops.add(node.op.name);
    stack.push(...dependencies(t));
  }
  return { leaves, ops };
}

/**
 * The claim a complete trace makes: besides the inputs, every leaf is a literal scalar (a number the program
 * wrote, like 0.5 or 1), never a tensor holding values computed from the inputs outside the graph.
 */
function expectComplete(outputs: Tensor[], inputs: Tensor[]): Set<string> {
  const { leaves, ops } = walk(outputs);
  for (const leaf of leaves) {
    if (inputs.includes(leaf)) continue;
    expect(leaf.size, `a leaf of shape (${leaf.shape.join(",")}) that is not an input`).toBe(1);
  }
  for (const x of inputs) expect(leaves.has(x)).toBe(true);
  return ops;
}

const X = () =>
  tensor([
    [-1.5, 0, 2],
    [3, -0.25, 0.5],
  ]);

describe("tracing mode records a complete graph", () => {
  it("outside tracing, masks, detached values and counts carry no node (no cost, no change)", () => {
    const x = X().requiresGrad_();
    expect(nodeOf(greater(x, 0))).toBeNull();
    expect(nodeOf(x.detach())).toBeNull();
    expect(nodeOf(nodeOf(mean(x))?.inputs[1] as Tensor)).toBeNull(); // div's divisor: a plain scalar
  });

  it("comparisons, where's condition, leakyRelu and clip masks reach the input", () => {
    const x = X();
    const ops = withTracing(() => expectComplete([where(greater(x, 0), x, 0), leakyRelu(x, 0.1), clip(x, -1, 1)], [x]));
    expect(ops.has("compare")).toBe(true);
    expect(nodeOf(greater(x, 0))).toBeNull(); // tracing ended
  });

  it("mean's divisor is a size node of its input; logSoftmax's shift a stopGradient of a max", () => {
    const x = X();
    withTracing(() => {
      const m = mean(x, 1);
      const divisor = nodeOf(nodeOf(m)?.inputs[1] as Tensor);
      expect(divisor?.op.name).toBe("size");
      expect(divisor?.inputs[0]).toBe(x);
      expect(divisor?.attrs).toEqual({ axes: [1] });
      const ops = expectComplete([logSoftmax(x, 0)], [x]);
      expect(ops.has("stopGradient") && ops.has("max")).toBe(true);
    });
  });

  it("backward rules under createGraph record their masks: relu, abs, maximum, max, pow, mean", () => {
    const x = X().requiresGrad_();
    const y = tensor([
      [1, 0, 2],
      [-3, 1, 0.5],
    ]).requiresGrad_();
    withTracing(() => {
      const J = relu(x)
        .add(abs(x))
        .add(maximum(x, y))
        .add(max(x, 0, true))
        .add(pow(y.mul(y), x))
        .sum()
        .add(mean(x.mul(y)));
      const [dx, dy] = gradients(J, [x, y], undefined, { createGraph: true });
      const ops = expectComplete([dx, dy], [x, y]);
      for (const op of ["compare", "sign", "stopGradient", "size"]) expect(ops.has(op), op).toBe(true);
    });
  });

  it("the traced values equal the untraced ones (tracing changes what is recorded, not what is computed)", () => {
    const f = (x: Tensor, y: Tensor) => {
      const J = maximum(x, y).add(abs(x)).add(relu(y)).add(logSoftmax(x, 1)).mean();
      return [J, ...gradients(J, [x, y], undefined, { createGraph: true })];
    };
    const plain = f(X().requiresGrad_(), X().mul(0.5).add(0.25).requiresGrad_());
    const traced = withTracing(() => f(X().requiresGrad_(), X().mul(0.5).add(0.25).requiresGrad_()));
    traced.forEach((t, i) => {
      expect(Array.from(t.data)).toEqual(Array.from(plain[i].data));
    });
  });
});
