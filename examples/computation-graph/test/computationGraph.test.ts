/** Smoke test of the computation-graph example: the course's derivatives and the printed walk-through. */
import { describe, expect, it } from "vitest";
import { buildCourseGraph, computationGraphReport } from "../src/computationGraph.js";

describe("examples/computation-graph", () => {
  it("derives the course's dJ/da = 3, dJ/db = 6, dJ/dc = 9 (and dJ/dv = dJ/du = 3)", () => {
    const { a, b, c, u, v, J } = buildCourseGraph();
    expect(J.item()).toBe(33);
    J.backward();
    expect([a.grad?.item(), b.grad?.item(), c.grad?.item()]).toEqual([3, 6, 9]);
    expect([v.grad?.item(), u.grad?.item()]).toEqual([3, 3]);
  });

  it("prints the graph, the backward steps and the derivatives", () => {
    const text = computationGraphReport();
    expect(text).toContain("u = bc = 6, v = a + u = 11, J = 3v = 33");
    expect(text).toContain("#3  u  = mul(b, c)");
    expect(text).toContain("flowchart LR");
    expect(text).toContain("  db (scalar) ← du ∗ c");
    expect(text).toMatch(/dJ\/da = 3\n {2}dJ\/db = 6 .*\n {2}dJ\/dc = 9 /);
  });
});
