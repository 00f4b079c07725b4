/** The course's computation graph J = 3(a + bc): built, inspected (graphOf, Mermaid, traceBackward) and differentiated. */
import { formatTrace, graphOf, type Tensor, tensor, toMermaid } from "@backprop/core";

/** The graph's tensors after backward: a, b, c (leaves), u = bc, v = a + u, J = 3v. */
export interface CourseGraph {
  a: Tensor;
  b: Tensor;
  c: Tensor;
  u: Tensor;
  v: Tensor;
  J: Tensor;
}

/**
 * Builds J = 3(a + bc) for a = 5, b = 3, c = 2 with the course's names, keeping the gradients of
 * the intermediates u and v too (retainGrad), so that one backward pass shows every derivative.
 * @example const { J } = buildCourseGraph(); J.item(); // 33
 */
export function buildCourseGraph(a = 5, b = 3, c = 2): CourseGraph {
  const ta = tensor(a, { requiresGrad: true, name: "a" });
  const tb = tensor(b, { requiresGrad: true, name: "b" });
  const tc = tensor(c, { requiresGrad: true, name: "c" });
  const u = tb.mul(tc).named("u").retainGrad();
  const v = ta.add(u).named("v").retainGrad();
  const J = v.mul(3).named("J");
  return { a: ta, b: tb, c: tc, u, v, J };
}

/**
 * The whole walk-through as text: the forward values, the graph as a table and as Mermaid, the
 * backward steps right to left, and the derivatives after `J.backward()`.
 * @example console.log(computationGraphReport());
 */
export function computationGraphReport(): string {
  const g = buildCourseGraph();
  const { a, b, c, u, v, J } = g;
  const out: string[] = [];
  out.push("The course's computation graph: J = 3(a + bc), with a = 5, b = 3, c = 2");
  out.push(`  forward, left to right: u = bc = ${u.item()}, v = a + u = ${v.item()}, J = 3v = ${J.item()}`);

  out.push("", "The recorded graph (graphOf), inputs before the tensors computed from them:");
  const { nodes } = graphOf(J);
  for (const n of nodes) {
    const made = n.op ? `${n.op}(${n.inputs.map((i) => nodes[i].label).join(", ")})` : n.kind;
    out.push(`  #${n.id}  ${n.label.padEnd(2)} = ${made}`);
  }

  out.push("", "The same graph as Mermaid (paste into a ```mermaid block):");
  out.push(toMermaid(J, { constants: true }).trimEnd());

  out.push("", "Backward, right to left (traceBackward): each step applies one local derivative");
  out.push(
    ...formatTrace(J)
      .split("\n")
      .map((line) => `  ${line}`),
  );

  J.backward();
  out.push("", "After J.backward():");
  out.push(`  dJ/dv = ${v.grad?.item()}   dJ/du = ${u.grad?.item()}`);
  out.push(`  dJ/da = ${a.grad?.item()}`);
  out.push(`  dJ/db = ${b.grad?.item()}   (= 3·c)`);
  out.push(`  dJ/dc = ${c.grad?.item()}   (= 3·b)`);
  return out.join("\n");
}
