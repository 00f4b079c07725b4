/** traceBackward on a long chain of unnamed ops: the composed step shares what each intermediate went through instead of copying it, so memory stays linear (a 16,000-op chain used to exhaust a 4 GB heap). */
import { formatTrace, tensor, traceBackward } from "@backprop/core";
import { describe, expect, it } from "vitest";

const N = 20_000;

describe("traceBackward on a deep graph", () => {
  it(`composes ${2 * N} unnamed ops into one step, listing every rule and each distinct tensor read`, () => {
    const x = tensor([1, 2, 3], { requiresGrad: true, name: "x" });
    let y = x;
    for (let i = 0; i < N; i++) y = y.mul(1.5).add(i % 3);
    const J = y.sum().named("J");
    const steps = traceBackward(J);
    expect(steps).toHaveLength(1);
    const [step] = steps;
    expect(step.target).toBe("dx");
    expect(step.ops).toHaveLength(2 * N + 1);
    expect(step.ops.slice(0, 3)).toEqual(["sum", "add", "mul"]);
    expect(step.ops.at(-1)).toBe("mul");
    expect(step.inputs).toEqual(["dJ", "1.5"]);
    expect(step.formula).toBe(`dJ through sum, add, mul, add, mul, …, mul, add, mul, add, mul (${2 * N + 1} rules)`);
    expect(formatTrace(J).split("\n")).toEqual(["dJ (scalar) = 1 (seed)", `dx (3) ← ${step.formula}`]);
  }, 60_000); // headroom on a busy machine (it takes ~3 s); before, it ran out of memory

  it("keeps each distinct tensor read once, in the order the rules read them", () => {
    const x = tensor([1, 2], { requiresGrad: true, name: "x" });
    const cs = Array.from({ length: 500 }, (_, i) => tensor([i + 2, i + 3], { name: `c${i}` }));
    let y = x;
    for (const c of cs) y = y.mul(c).mul(cs[0]);
    const [step] = traceBackward(y.sum().named("J"));
    // Backward meets ∗ c0, ∗ c499, ∗ c0, ∗ c498, …: c0 is listed once.
    expect(step.inputs).toEqual([
      "dJ",
      "c0",
      ...cs
        .slice(1)
        .reverse()
        .map((c) => c.name),
    ]);
    expect(step.ops).toHaveLength(1001);
  });
});
