import { execFileSync } from "node:child_process";
import { graphOf, tensor, toDot, toMermaid, traceBackward, ValueError, where } from "@backprop/core";
import { topologicalOrder } from "@backprop/core/internal";
import { describe, expect, it } from "vitest";
import { courseGraph, twoLayerGraph } from "./nets.js";

/** Whether Graphviz's `dot` is installed (the DOT syntax check runs only then). */
function hasDot(): boolean {
  try {
    execFileSync("dot", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("graphOf", () => {
  it("gives the course's J = 3(a + bc) as plain data, inputs before outputs", () => {
    const { J } = courseGraph();
    const graph = graphOf(J);
    // By hand: a post-order walk from J visits v (a, then u = b·c), then the constant 3.
    expect(graph.nodes.map((n) => [n.id, n.label, n.op ?? n.kind, n.inputs])).toEqual([
      [0, "a", "parameter", []],
      [1, "b", "parameter", []],
      [2, "c", "parameter", []],
      [3, "u", "mul", [1, 2]],
      [4, "v", "add", [0, 3]],
      [5, "3", "constant", []],
      [6, "J", "mul", [4, 5]],
    ]);
    expect(graph.output).toBe(6);
    expect(graph.nodes[5]).toMatchInlineSnapshot(`
      {
        "conditions": [],
        "dtype": "float64",
        "id": 5,
        "inputs": [],
        "isLeaf": true,
        "kind": "constant",
        "label": "3",
        "name": null,
        "op": null,
        "requiresGrad": false,
        "shape": [],
        "value": 3,
      }
    `);
    expect(graph.nodes[3]).toMatchInlineSnapshot(`
      {
        "conditions": [],
        "dtype": "float64",
        "id": 3,
        "inputs": [
          1,
          2,
        ],
        "isLeaf": false,
        "kind": "op",
        "label": "u",
        "name": "u",
        "op": "mul",
        "requiresGrad": true,
        "shape": [],
      }
    `);
  });

  it("is deterministic: the same code gives the same graph (no addresses, ids by position)", () => {
    expect(graphOf(twoLayerGraph().J)).toEqual(graphOf(twoLayerGraph().J));
  });

  it("lists the two-layer net with the course's names, shapes and kinds, every input before its use", () => {
    const { J } = twoLayerGraph();
    const { nodes } = graphOf(J);
    const byName = new Map(nodes.filter((n) => n.name !== null).map((n) => [n.name, n]));
    const summary = (name: string) => {
      const n = byName.get(name);
      return n && [n.op ?? n.kind, n.shape.join("×")];
    };
    expect(summary("X")).toEqual(["data", "2×400"]);
    expect(summary("Y")).toEqual(["data", "1×400"]);
    expect(summary("W1")).toEqual(["parameter", "4×2"]);
    expect(summary("b1")).toEqual(["parameter", "4×1"]);
    expect(summary("Z1")).toEqual(["add", "4×400"]);
    expect(summary("A1")).toEqual(["tanh", "4×400"]);
    expect(summary("W2")).toEqual(["parameter", "1×4"]);
    expect(summary("Z2")).toEqual(["add", "1×400"]);
    expect(summary("A2")).toEqual(["sigmoid", "1×400"]);
    expect(summary("J")).toEqual(["neg", ""]);
    // Z1 = (W1·X) + b1: its first input is the unnamed matmul of W1 and X.
    const Z1 = byName.get("Z1")!;
    const product = nodes[Z1.inputs[0]];
    expect([product.op, product.label, product.inputs.map((i) => nodes[i].label)]).toEqual([
      "matmul",
      `t${product.id}`,
      ["W1", "X"],
    ]);
    for (const n of nodes) for (const i of n.inputs) expect(i).toBeLessThan(n.id);
  });

  it("orders the tensors that require grad exactly as the engine's topologicalOrder", () => {
    const { J } = twoLayerGraph();
    const fromGraph = graphOf(J)
      .nodes.filter((n) => n.requiresGrad)
      .map((n) => [n.name, n.op, n.shape.join("×")]);
    const fromEngine = topologicalOrder(J).map((t) => [t.name ?? null, t.op, t.shape.join("×")]);
    expect(fromGraph).toEqual(fromEngine);
    expect(fromGraph.length).toBe(20); // all 25 but X, Y, 1 − Y and the constants 1 and 400
  });

  it("adds gradient norms after backward where a gradient is held: leaves and retained intermediates", () => {
    const { J, v } = courseGraph();
    v.retainGrad();
    J.backward();
    const norms = graphOf(J, { gradients: true }).nodes.map((n) => [n.label, n.gradNorm]);
    // dJ/da = 3, dJ/db = 3c = 6, dJ/dc = 3b = 9, dJ/dv = 3; u was not retained, J's own gradient is not kept.
    expect(norms).toEqual([
      ["a", 3],
      ["b", 6],
      ["c", 9],
      ["u", undefined],
      ["v", 3],
      ["3", undefined],
      ["J", undefined],
    ]);
    expect(graphOf(J).nodes.every((n) => n.gradNorm === undefined)).toBe(true);
  });

  it("shows where's condition (a label tensor Y) as a condition, not an input gradients flow to", () => {
    const A = tensor([[0.9, 0.2]], { requiresGrad: true, name: "A" });
    const Y = tensor([[1, 0]], { name: "Y" });
    const J = where(Y, A, A.neg().add(1)).log().sum().named("J");
    const { nodes } = graphOf(J);
    const w = nodes.find((n) => n.op === "where")!;
    expect(w.inputs.map((i) => nodes[i].label)).toEqual(["A", `t${w.inputs[1]}`]);
    expect(w.conditions.map((i) => nodes[i].label)).toEqual(["Y"]);
    expect(toDot(J)).toContain(`n${w.conditions[0]} -> n${w.id} [style=dashed];`);
    expect(toMermaid(J)).toContain(`n${w.conditions[0]} -.-> n${w.id}`);
    // The trace names it too: d where(c, a, b) = where(c, dz, 0) for a.
    expect(traceBackward(J)[0].text).toBe(
      "dA (1×2) ← where(Y, (broadcast dJ over the summed axes) / t5, 0) + −(where(Y, 0, (broadcast dJ over the summed axes) / t5))",
    );
  });

  it("rejects what is not a tensor", () => {
    expect(() => graphOf(5 as never)).toThrow(ValueError);
    expect(() => graphOf(5 as never)).toThrow(/graphOf: needs a Tensor/);
  });

  it("gives a lone leaf as a one-node graph", () => {
    const x = tensor([1, 2], { name: "x" });
    expect(graphOf(x).nodes.map((n) => [n.label, n.kind, n.inputs])).toEqual([["x", "data", []]]);
  });
});

describe("toDot and toMermaid", () => {
  it("draws J = 3(a + bc) with names, ops, shapes and, after backward, the gradient norms 3, 6, 9", () => {
    const { J } = courseGraph();
    J.backward();
    expect(toDot(J, { gradients: true })).toMatchInlineSnapshot(`
      "digraph backprop {
        rankdir=LR;
        node [fontname="Helvetica", fontsize=11];
        edge [arrowsize=0.7];
        n0 [label="a\\nparameter\\nscalar\\n‖da‖ = 3", shape=box, style="rounded,filled", fillcolor="#fde7c8"];
        n1 [label="b\\nparameter\\nscalar\\n‖db‖ = 6", shape=box, style="rounded,filled", fillcolor="#fde7c8"];
        n2 [label="c\\nparameter\\nscalar\\n‖dc‖ = 9", shape=box, style="rounded,filled", fillcolor="#fde7c8"];
        n3 [label="u\\nmul\\nscalar", shape=ellipse, style="filled", fillcolor="#d6e9f8"];
        n4 [label="v\\nadd\\nscalar", shape=ellipse, style="filled", fillcolor="#d6e9f8"];
        n5 [label="3", shape=plaintext];
        n6 [label="J\\nmul\\nscalar", shape=ellipse, style="filled", fillcolor="#d6e9f8"];
        n1 -> n3;
        n2 -> n3;
        n0 -> n4;
        n3 -> n4;
        n4 -> n6;
        n5 -> n6;
      }
      "
    `);
    expect(toMermaid(J, { gradients: true })).toMatchInlineSnapshot(`
      "flowchart LR
        n0["a<br/>parameter<br/>scalar<br/>‖da‖ = 3"]
        n1["b<br/>parameter<br/>scalar<br/>‖db‖ = 6"]
        n2["c<br/>parameter<br/>scalar<br/>‖dc‖ = 9"]
        n3("u<br/>mul<br/>scalar")
        n4("v<br/>add<br/>scalar")
        n5(("3"))
        n6("J<br/>mul<br/>scalar")
        n1 --> n3
        n2 --> n3
        n0 --> n4
        n3 --> n4
        n4 --> n6
        n5 --> n6
        classDef parameter fill:#fde7c8,stroke:#b07a2a
        classDef data fill:#e8e8e8,stroke:#888
        classDef op fill:#d6e9f8,stroke:#3a78b5
        class n0,n1,n2 parameter
        class n3,n4,n6 op
      "
    `);
  });

  it("leaves gradients out unless asked, and constants out on request", () => {
    const { J } = courseGraph();
    J.backward();
    expect(toDot(J)).not.toContain("‖");
    const dot = toDot(J, { constants: false });
    expect(dot).not.toContain("n5");
    expect(dot).toContain("n4 -> n6;");
    expect(toMermaid(J, { constants: false, direction: "TB" })).toMatch(/^flowchart TB\n/);
    expect(toMermaid(J, { constants: false })).not.toContain("n5");
  });

  it("accepts a graphOf result as well as a tensor", () => {
    const { J } = courseGraph();
    expect(toDot(graphOf(J))).toBe(toDot(J));
    expect(toMermaid(graphOf(J))).toBe(toMermaid(J));
    expect(() => toDot({} as never)).toThrow(/toDot: needs a Tensor or the result of graphOf\(\)/);
  });

  it("escapes quotes in names for both formats", () => {
    const x = tensor([1], { requiresGrad: true, name: 'say "hi"' });
    const y = x.mul(2).named("<y>");
    expect(toDot(y)).toContain('label="say \\"hi\\"\\nparameter\\n1"');
    expect(toMermaid(y)).toContain("say #quot;hi#quot;<br/>parameter<br/>1");
    expect(toMermaid(y)).toContain("#lt;y#gt;<br/>mul<br/>1");
  });

  it("draws the two-layer net (snapshot)", () => {
    const { J } = twoLayerGraph();
    expect(toDot(J)).toMatchSnapshot();
    expect(toMermaid(J)).toMatchSnapshot();
  });

  it.skipIf(!hasDot())("writes DOT that Graphviz renders", () => {
    const svg = execFileSync("dot", ["-Tsvg"], { input: toDot(twoLayerGraph().J) }).toString();
    expect(svg).toContain("<svg");
    expect(svg).toContain(">W1<");
    expect(svg).toContain(">A2<");
  });
});
