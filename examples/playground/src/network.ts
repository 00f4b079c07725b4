/** The network drawn with its weights: x₁, x₂ → n_h hidden units → ŷ, each edge coloured by sign and sized by |w|. */
import type { TwoLayerNet } from "@backprop/layers";
import { svgElement } from "./svg.js";

const POSITIVE = "#1f5ea0";
const NEGATIVE = "#c45a00";
const WIDTH = 360;
const HEIGHT = 300;

function layerY(count: number, index: number): number {
  return ((index + 1) * HEIGHT) / (count + 1);
}

/**
 * Redraws `svg` for the net's current W1 and W2: edge width ∝ |w| / max |w| of its layer (0.5–6 px), blue for
 * w > 0, orange for w < 0. Node positions only change with n_h.
 */
export function drawNetwork(svg: SVGSVGElement, net: TwoLayerNet): void {
  const nh = net.W1.shape[0];
  const columns = [60, WIDTH / 2, WIDTH - 60];
  const counts = [2, nh, 1];
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  const edges = (weights: Float64Array, from: number, to: number) => {
    let largest = 0;
    for (const w of weights) largest = Math.max(largest, Math.abs(w));
    const inputs = counts[from];
    for (let j = 0; j < counts[to]; j++) {
      for (let i = 0; i < inputs; i++) {
        const w = weights[j * inputs + i];
        const width = largest > 0 ? 0.5 + 5.5 * (Math.abs(w) / largest) : 0.5;
        svg.append(
          svgElement("line", {
            x1: columns[from],
            y1: layerY(inputs, i),
            x2: columns[to],
            y2: layerY(counts[to], j),
            stroke: w >= 0 ? POSITIVE : NEGATIVE,
            "stroke-width": width.toFixed(2),
            "stroke-opacity": 0.8,
          }),
        );
      }
    }
  };
  edges(net.W1.data as Float64Array, 0, 1);
  edges(net.W2.data as Float64Array, 1, 2);
  const radius = Math.max(3, Math.min(12, HEIGHT / (2.5 * (nh + 1))));
  const labels = [["x₁", "x₂"], [], ["ŷ"]];
  counts.forEach((count, layer) => {
    for (let i = 0; i < count; i++) {
      const cx = columns[layer];
      const cy = layerY(count, i);
      svg.append(svgElement("circle", { cx, cy, r: radius, fill: "#fff", stroke: "#333", "stroke-width": 1.5 }));
      const label = labels[layer][i];
      if (label !== undefined) {
        const dx = layer === 0 ? -radius - 6 : radius + 6;
        const anchor = layer === 0 ? "end" : "start";
        svg.append(svgElement("text", { x: cx + dx, y: cy + 5, "text-anchor": anchor, "font-size": 16 }, label));
      }
    }
  });
}
