import { customOp, formatTrace, graphOf, tensor, traceBackward, ValueError } from "@backprop/core";
import { topologicalOrder } from "@backprop/core/internal";
import { describe, expect, it } from "vitest";
import { courseGraph, twoLayerGraph } from "./nets.js";

describe("traceBackward", () => {
  it("traces J = 3(a + bc) right to left as the course does: dv = 3, da = dv, du = dv, db = du·c, dc = du·b", () => {
    const { J } = courseGraph();
    expect(formatTrace(J)).toBe(
      [
        "dJ (scalar) = 1 (seed)",
        "dv (scalar) ← dJ ∗ 3",
        "da (scalar) ← dv",
        "du (scalar) ← dv",
        "db (scalar) ← du ∗ c",
        "dc (scalar) ← du ∗ b",
      ].join("\n"),
    );
    const steps = traceBackward(J);
    expect(steps[3]).toEqual({
      target: "db",
      tensor: "b",
      shape: [],
      from: "du",
      ops: ["mul"],
      inputs: ["du", "c"],
      formula: "du ∗ c",
      accumulates: false,
      text: "db (scalar) ← du ∗ c",
    });
  });

  it("lists the two-layer net's steps in the course's order: dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1", () => {
    const { J } = twoLayerGraph();
    const steps = traceBackward(J);
    expect(steps.map((s) => s.target)).toEqual(["dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]);
    expect(steps.slice(1).map((s) => s.text)).toEqual([
      "dZ2 (1×400) ← dA2 ∗ σ′(Z2) = dA2 ∗ A2(1 − A2)",
      "dW2 (1×4) ← dZ2·A1ᵀ",
      "db2 (1×1) ← Σ_axis1 dZ2",
      "dA1 (4×400) ← W2ᵀ·dZ2",
      "dZ1 (4×400) ← dA1 ∗ tanh′(Z1) = dA1 ∗ (1 − A1²)",
      "dW1 (4×2) ← dZ1·Xᵀ",
      "db1 (4×1) ← Σ_axis1 dZ1",
    ]);
    // dA2 composes the cost's unnamed ops: −(1/m)(1 − Y)/(1 − A2)·(−1) + (1/m)·Y/A2, with 1 − Y = t14, 1 − A2 = t17.
    expect(steps[0].formula).toBe(
      "−(((broadcast ((−dJ) / 400) over the summed axes) ∗ t14) / t17) + ((broadcast ((−dJ) / 400) over the summed axes) ∗ Y) / A2",
    );
    expect(steps[0].ops).toEqual(["neg", "div", "sum", "add", "mul", "log", "add", "neg", "mul", "log"]);
    expect(steps[0].inputs).toEqual(["dJ", "400", "t14", "t17", "Y", "A2"]);
    expect(steps.map((s) => s.from)).toEqual(["dJ", "dA2", "dZ2", "dZ2", "dZ2", "dA1", "dZ1", "dZ1"]);
    expect(steps[2].inputs).toEqual(["dZ2", "A1"]);
    expect(steps[2].ops).toEqual(["add", "matmul"]);
  });

  it("follows the hidden activation's own rule", () => {
    const relu = traceBackward(twoLayerGraph(8, "relu").J);
    expect(relu[5].text).toBe("dZ1 (4×8) ← dA1 ∗ relu′(Z1) = dA1 ∗ [Z1 > 0]");
    const sigmoid = traceBackward(twoLayerGraph(8, "sigmoid").J);
    expect(sigmoid[5].text).toBe("dZ1 (4×8) ← dA1 ∗ σ′(Z1) = dA1 ∗ A1(1 − A1)");
  });

  it("summarises a composed formula longer than maxFormulaLength by the rules it applies", () => {
    const [dA2] = traceBackward(twoLayerGraph().J, { maxFormulaLength: 40 });
    expect(dA2.text).toBe("dA2 (1×400) ← dJ through neg, div, sum, add, mul, log, add, neg, mul, log");
  });

  it("stays linear on a long unnamed chain and shortens the list of rules", () => {
    const x = tensor([0.5, -0.25], { requiresGrad: true, name: "x" });
    let y = x;
    for (let i = 0; i < 600; i++) y = i % 2 === 0 ? y.mul(0.9) : y.tanh();
    const [step] = traceBackward(y.sum().named("J"));
    expect(step.target).toBe("dx");
    expect(step.ops.length).toBe(601); // sum, then 300 × (tanh, mul)
    expect(step.text).toBe("dx (2) ← dJ through sum, tanh, mul, tanh, mul, …, mul, tanh, mul, tanh, mul (601 rules)");
    // Diamonds (y·y uses y twice) double the paths at every step: 2⁴⁰ paths, still one pass.
    let z = tensor([1.01], { requiresGrad: true, name: "z" });
    for (let i = 0; i < 40; i++) z = z.mul(z);
    expect(traceBackward(z.sum().named("K"))[0].target).toBe("dz");
  });

  it("works the same after backward (the engine frees the graph but keeps its record)", () => {
    const { J } = twoLayerGraph(8);
    const before = traceBackward(J);
    J.backward();
    expect(traceBackward(J)).toEqual(before);
  });

  it("marks a second contribution to a tensor used twice with +=", () => {
    const x = tensor([1, 2], { requiresGrad: true, name: "x" });
    const y = x.mul(x).named("y");
    const J = y.add(x).sum().named("J");
    const texts = traceBackward(J).map((s) => s.text);
    // J = Σ(y + x): x gets dJ from the sum directly, then y's rule adds dy ∗ x twice (x·x).
    expect(texts).toEqual([
      "dx (2) ← broadcast dJ over the summed axes",
      "dy (2) ← broadcast dJ over the summed axes",
      "dx (2) += dy ∗ x + dy ∗ x",
    ]);
    expect(traceBackward(J)[2].accumulates).toBe(true);
  });

  it("names unnamed tensors t<id> in the ops view, one step per rule and input, in the engine's order", () => {
    const { J } = courseGraph();
    expect(traceBackward(J, { view: "ops" }).map((s) => s.text)).toEqual(traceBackward(J).map((s) => s.text));
    const x = tensor([[1, 2]], { requiresGrad: true });
    const K = x.exp().sum();
    expect(traceBackward(K, { view: "ops" }).map((s) => s.text)).toEqual([
      "dt1 (1×2) ← broadcast dt2 over the summed axes",
      "dt0 (1×2) ← dt1 ∗ exp(t0)",
    ]);
  });

  it("ops view: the rules run in the engine's order (checked with hooks on every tensor)", () => {
    const { J } = twoLayerGraph(6);
    const labels = graphOf(J)
      .nodes.filter((n) => n.requiresGrad)
      .map((n) => n.label);
    const order = topologicalOrder(J); // same tensors, same order as graphOf's (see graph.test.ts)
    const reached: string[] = [];
    order.forEach((t, i) => {
      if (!t.isLeaf) t.registerHook(() => void reached.push(`d${labels[i]}`));
    });
    const steps = traceBackward(J, { view: "ops" });
    J.backward();
    // A hook fires when the engine holds a tensor's whole gradient, just before it runs that tensor's rule.
    const rulesRun = steps.map((s) => s.from).filter((from, i, all) => all.indexOf(from) === i);
    expect(rulesRun).toEqual(reached);
    expect(reached.length).toBe(order.filter((t) => !t.isLeaf).length);
  });

  it("ops view: the engine computes db2 (add's rule) before dW2 (matmul's); the named view lists dW2 first", () => {
    const { J } = twoLayerGraph(6);
    const targets = traceBackward(J, { view: "ops" }).map((s) => s.target);
    expect(targets.indexOf("db2")).toBeLessThan(targets.indexOf("dW2"));
    expect(targets.indexOf("dW2")).toBeLessThan(targets.indexOf("dA1"));
  });

  it("shows a custom op's own formula, or its name with a prime", () => {
    const softsign = customOp({
      name: "softsign",
      forward: (x) => x.div(x.abs().add(1)),
      backward: (g, { inputs: [x] }) => [g.div(x.abs().add(1).square())],
    });
    const square = customOp({
      name: "sq",
      formula: "dz ∗ 2x",
      forward: (x) => x.mul(x),
      backward: (g, { inputs: [x] }) => [g.mul(x).mul(2)],
    });
    const x = tensor([0.5], { requiresGrad: true, name: "x" });
    const s = softsign(x).named("s");
    const J = square(s).named("J");
    expect(traceBackward(J).map((step) => step.text)).toEqual(["ds (1) ← dJ ∗ 2s", "dx (1) ← ds ∗ softsign′(x)"]);
  });

  it("returns no steps for a tensor outside any graph, and rejects a bad view", () => {
    expect(traceBackward(tensor([1, 2]))).toEqual([]);
    expect(() => traceBackward(courseGraph().J, { view: "all" as never })).toThrow(ValueError);
    expect(() => traceBackward(courseGraph().J, { view: "all" as never })).toThrow(/traceBackward: view must be/);
  });
});
