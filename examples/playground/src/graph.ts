/** The computational graph of J (from `graphOf`) drawn in layers, with each gradient's norm; and the backward trace. */
import {
  type ComputationGraph,
  formatTrace,
  type GraphNodeData,
  graphOf,
  type Tensor,
  traceBackward,
} from "@backprop/core";
import { svgElement } from "./svg.js";

const COLUMN = 112;
const ROW = 58;
const BOX = { width: 100, height: 44 };

/**
 * Column of each node: an op sits one right of its deepest input (the graph is in topological order); a leaf sits
 * just left of its first consumer, so W2 and b2 stand next to Z2 rather than all leaves in the first column.
 */
function depths(graph: ComputationGraph): number[] {
  const depth: number[] = [];
  for (const node of graph.nodes) depth[node.id] = node.inputs.reduce((d, i) => Math.max(d, depth[i] + 1), 0);
  const firstUse: number[] = [];
  for (const node of graph.nodes) {
    for (const i of [...node.inputs, ...node.conditions])
      firstUse[i] = Math.min(firstUse[i] ?? Infinity, depth[node.id]);
  }
  for (const node of graph.nodes) {
    if (node.inputs.length === 0 && firstUse[node.id] !== undefined)
      depth[node.id] = Math.max(0, firstUse[node.id] - 1);
  }
  return depth;
}

function formatNorm(x: number): string {
  return x === 0 ? "0" : x >= 1e-3 && x < 1e4 ? x.toPrecision(3) : x.toExponential(2);
}

function nodeText(node: GraphNodeData): [string, string] {
  const title = node.op === null ? node.label : `${node.label} = ${node.op}`;
  const shape = node.shape.length === 0 ? "scalar" : node.shape.join("×");
  const norm = node.gradNorm === undefined ? shape : `${shape}  ‖d‖ ${formatNorm(node.gradNorm)}`;
  return [title, norm];
}

/**
 * Draws J's graph: leaves on the left, J on the right, one column per depth; parameters are shaded. Each box shows
 * the tensor, its op, its shape and ‖∂J/∂·‖₂ where a gradient is held (parameters, and Z1, A1, Z2, A2 retained).
 */
export function drawGraph(svg: SVGSVGElement, J: Tensor): ComputationGraph {
  const graph = graphOf(J, { gradients: true });
  const depth = depths(graph);
  const rowsUsed: number[] = [];
  const place = graph.nodes.map((node) => {
    const column = depth[node.id];
    const row = rowsUsed[column] ?? 0;
    rowsUsed[column] = row + 1;
    return { x: 8 + column * COLUMN, y: 8 + row * ROW };
  });
  const width = 16 + (Math.max(...depth) + 1) * COLUMN;
  const height = 16 + Math.max(...rowsUsed) * ROW;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  for (const node of graph.nodes) {
    for (const input of [...node.inputs, ...node.conditions]) {
      svg.append(
        svgElement("line", {
          x1: place[input].x + BOX.width,
          y1: place[input].y + BOX.height / 2,
          x2: place[node.id].x,
          y2: place[node.id].y + BOX.height / 2,
          stroke: "#777",
          "stroke-width": 1,
        }),
      );
    }
  }
  for (const node of graph.nodes) {
    const { x, y } = place[node.id];
    const fill = node.kind === "parameter" ? "#dbe8f5" : node.kind === "op" ? "#fff" : "#f1f1f1";
    svg.append(svgElement("rect", { x, y, width: BOX.width, height: BOX.height, rx: 5, fill, stroke: "#444" }));
    const [title, detail] = nodeText(node);
    svg.append(svgElement("text", { x: x + 5, y: y + 17, "font-size": 12, "font-weight": 600 }, title));
    svg.append(svgElement("text", { x: x + 5, y: y + 34, "font-size": 10 }, detail));
  }
  return graph;
}

/**
 * The backward pass in course notation (`formatTrace`), each step followed by the norm of the gradient it computes
 * at the current parameters, e.g. `dZ2 (1×400) ← … ‖dZ2‖ = 0.0123`.
 */
export function traceText(J: Tensor, graph: ComputationGraph): string {
  const norms = new Map<string, number>();
  for (const node of graph.nodes) if (node.gradNorm !== undefined) norms.set(node.label, node.gradNorm);
  const lines = formatTrace(J).split("\n");
  const steps = traceBackward(J);
  return lines
    .map((line, i) => {
      const step = i === 0 ? undefined : steps[i - 1];
      const norm = step === undefined ? undefined : norms.get(step.tensor);
      return norm === undefined ? line : `${line}    ‖${step!.target}‖ = ${formatNorm(norm)}`;
    })
    .join("\n");
}
