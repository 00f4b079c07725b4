/** toDot and toMermaid: a recorded graph as Graphviz DOT or Mermaid flowchart text, each node labelled with name, op and shape. */
import { ValueError } from "../errors.js";
import { Tensor } from "../tensor.js";
import { type ComputationGraph, formatDims, formatNumber, type GraphNodeData, graphOf } from "./graph.js";

/** Options for `toDot` and `toMermaid`. */
export interface ExportOptions {
  /** Show ‖grad‖ on the nodes that hold a gradient (leaves, and intermediates that called `retainGrad()`), after backward. Default false. */
  gradients?: boolean;
  /** Draw scalar constants (the 3 in `v.mul(3)`) as nodes. Default true; false leaves them out. */
  constants?: boolean;
  /** Layout direction: `"LR"` (left to right, the course's drawings; default), `"TB"` or `"BT"`. */
  direction?: "LR" | "TB" | "BT";
}

function graphFor(fn: string, source: Tensor | ComputationGraph, options: ExportOptions): ComputationGraph {
  if (source instanceof Tensor) return graphOf(source, { gradients: options.gradients === true });
  if (source === null || typeof source !== "object" || !Array.isArray(source.nodes)) {
    throw new ValueError(fn, "needs a Tensor or the result of graphOf()");
  }
  return source;
}

/** The lines of a node's label: name, what made it, shape, and (optionally) its gradient's norm. */
function labelLines(node: GraphNodeData, gradients: boolean): string[] {
  if (node.kind === "constant") return [node.label];
  const what = node.op ?? node.kind;
  const lines = [node.label, what, formatDims(node.shape)];
  if (gradients && node.gradNorm !== undefined) lines.push(`‖d${node.label}‖ = ${formatNumber(node.gradNorm)}`);
  return lines;
}

/** The nodes to draw and their edges, constants filtered out on request. */
function visible(
  graph: ComputationGraph,
  options: ExportOptions,
): { nodes: GraphNodeData[]; edges: [number, number][]; conditionEdges: [number, number][] } {
  const hidden = new Set<number>();
  if (options.constants === false) for (const n of graph.nodes) if (n.kind === "constant") hidden.add(n.id);
  const nodes = graph.nodes.filter((n) => !hidden.has(n.id));
  const edges: [number, number][] = [];
  const conditionEdges: [number, number][] = [];
  for (const n of nodes) {
    for (const i of n.inputs) if (!hidden.has(i)) edges.push([i, n.id]);
    for (const i of n.conditions ?? []) if (!hidden.has(i)) conditionEdges.push([i, n.id]);
  }
  return { nodes, edges, conditionEdges };
}

const dotStyle: Record<GraphNodeData["kind"], string> = {
  parameter: 'shape=box, style="rounded,filled", fillcolor="#fde7c8"',
  data: 'shape=box, style="filled", fillcolor="#e8e8e8"',
  constant: "shape=plaintext",
  op: 'shape=ellipse, style="filled", fillcolor="#d6e9f8"',
};

function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * The graph behind `output` (or a `graphOf` result) as Graphviz DOT text: parameters as orange
 * boxes, data as grey boxes, op outputs as blue ellipses, edges from inputs to outputs (dashed
 * from a condition that gradients do not flow to, such as `where`'s). Render it
 * with `dot -Tsvg graph.dot -o graph.svg`.
 *
 * @example
 * const J = a.add(b.mul(c).named("u")).named("v").mul(3).named("J");
 * J.backward();
 * writeFileSync("J.dot", toDot(J, { gradients: true })); // a: ‖da‖ = 3, b: ‖db‖ = 6, c: ‖dc‖ = 9
 */
export function toDot(output: Tensor | ComputationGraph, options: ExportOptions = {}): string {
  const graph = graphFor("toDot", output, options);
  const { nodes, edges, conditionEdges } = visible(graph, options);
  const lines = [
    "digraph backprop {",
    `  rankdir=${options.direction ?? "LR"};`,
    '  node [fontname="Helvetica", fontsize=11];',
    "  edge [arrowsize=0.7];",
  ];
  for (const n of nodes) {
    const label = dotString(labelLines(n, options.gradients === true).join("\n")).replace(/\n/g, "\\n");
    lines.push(`  n${n.id} [label=${label}, ${dotStyle[n.kind]}];`);
  }
  for (const [from, to] of edges) lines.push(`  n${from} -> n${to};`);
  for (const [from, to] of conditionEdges) lines.push(`  n${from} -> n${to} [style=dashed];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function mermaidText(text: string): string {
  return text.replace(/&/g, "#amp;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

const mermaidShape: Record<GraphNodeData["kind"], [string, string]> = {
  parameter: ["[", "]"],
  data: ["[/", "/]"],
  constant: ["((", "))"],
  op: ["(", ")"],
};

/**
 * The graph behind `output` (or a `graphOf` result) as a Mermaid flowchart, ready for a
 * ```` ```mermaid ```` block in Markdown (GitHub renders it): parameters as boxes, data as
 * parallelograms, constants as circles, op outputs as rounded boxes.
 *
 * @example
 * console.log(toMermaid(J));
 * // flowchart LR
 * //   n0["a<br/>parameter<br/>scalar"]
 * //   ...
 * //   n4 --> n6
 */
export function toMermaid(output: Tensor | ComputationGraph, options: ExportOptions = {}): string {
  const graph = graphFor("toMermaid", output, options);
  const { nodes, edges, conditionEdges } = visible(graph, options);
  const lines = [`flowchart ${options.direction ?? "LR"}`];
  for (const n of nodes) {
    const [open, close] = mermaidShape[n.kind];
    const label = labelLines(n, options.gradients === true)
      .map(mermaidText)
      .join("<br/>");
    lines.push(`  n${n.id}${open}"${label}"${close}`);
  }
  for (const [from, to] of edges) lines.push(`  n${from} --> n${to}`);
  for (const [from, to] of conditionEdges) lines.push(`  n${from} -.-> n${to}`);
  lines.push("  classDef parameter fill:#fde7c8,stroke:#b07a2a");
  lines.push("  classDef data fill:#e8e8e8,stroke:#888");
  lines.push("  classDef op fill:#d6e9f8,stroke:#3a78b5");
  for (const kind of ["parameter", "data", "op"] as const) {
    const ids = nodes.filter((n) => n.kind === kind).map((n) => `n${n.id}`);
    if (ids.length > 0) lines.push(`  class ${ids.join(",")} ${kind}`);
  }
  return `${lines.join("\n")}\n`;
}
