/** The demo's pictures as SVG: decision boundaries (coloured regions + labelled points) and cost curves. */
import { noGrad, Tensor, ValueError } from "@backprop/core";
import { axes, escapeXml, type Frame, fmt, linearScale, type Scale, svgDocument, text } from "./svg.js";

/** Maps points (2, k) to the model's probability of class 1 for each column (A2 for the net, A for logistic regression). */
export type ProbabilityFn = (points: Tensor) => ArrayLike<number>;

/** Colours after the course's "Spectral" colour map: red for class 0, blue for class 1. */
export const colours = { region0: "#f9c0a6", region1: "#b3cde3", point0: "#c0392b", point1: "#2166ac" } as const;

/** One decision-boundary panel: data, a model, and where to draw it. */
export interface BoundaryPanel {
  readonly X: Tensor;
  readonly Y: Tensor;
  readonly probability: ProbabilityFn;
  readonly title: string;
  /** Grid cells across the panel (rows follow the aspect ratio); default 160. */
  readonly resolution?: number;
}

function checkData(fn: string, X: Tensor, Y: Tensor): void {
  if (X.rank !== 2 || X.shape[0] !== 2 || Y.rank !== 2 || Y.shape[0] !== 1 || Y.shape[1] !== X.shape[1]) {
    throw new ValueError(fn, `needs X (2, m) and Y (1, m), got X (${X.shape.join(",")}) and Y (${Y.shape.join(",")})`);
  }
}

/** The data box the course plots: each coordinate's range widened by 1 on both sides. */
function dataBox(X: Tensor): { xDomain: [number, number]; yDomain: [number, number] } {
  const m = X.shape[1];
  const range = (row: number): [number, number] => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      lo = Math.min(lo, X.data[row * m + i]);
      hi = Math.max(hi, X.data[row * m + i]);
    }
    return [lo - 1, hi + 1];
  };
  return { xDomain: range(0), yDomain: range(1) };
}

/**
 * The class-1 region (p > 0.5) as one SVG path, by marching squares: the model is evaluated at the corners of a
 * grid; cells with all four corners inside become horizontal runs of rectangles, and each boundary cell adds the
 * polygon of its inside part, with the crossings on its edges placed by linear interpolation of p. All pieces go
 * clockwise into a single path, so the renderer fills their union without seams.
 */
function regionPath(scale: Scale, probability: ProbabilityFn, cols: number): string {
  const rows = Math.max(2, Math.round((cols * scale.frame.height) / scale.frame.width));
  const [x0, x1] = scale.xDomain;
  const [y0, y1] = scale.yDomain;
  const stride = cols + 1;
  const count = stride * (rows + 1);
  const grid = new Float64Array(2 * count);
  for (let r = 0; r <= rows; r++) {
    for (let c = 0; c <= cols; c++) {
      grid[r * stride + c] = x0 + ((x1 - x0) * c) / cols;
      grid[count + r * stride + c] = y0 + ((y1 - y0) * r) / rows;
    }
  }
  const p = noGrad(() => probability(new Tensor(grid, [2, count])));
  // Pixel positions of the grid lines; r counts upwards in the data, so row r + 1 is above row r on screen.
  const gx = Array.from({ length: stride }, (_, c) => scale.px(grid[c]));
  const gy = Array.from({ length: rows + 1 }, (_, r) => scale.py(grid[count + r * stride]));
  const pieces: string[] = [];
  const point = (x: number, y: number) => `${fmt(x)} ${fmt(y)}`;
  for (let r = 0; r < rows; r++) {
    const top = gy[r + 1];
    const bottom = gy[r];
    let runStart: number | null = null;
    for (let c = 0; c <= cols; c++) {
      // Corners clockwise on screen: top-left, top-right, bottom-right, bottom-left.
      const corners =
        c < cols
          ? ([
              [gx[c], top, p[(r + 1) * stride + c]],
              [gx[c + 1], top, p[(r + 1) * stride + c + 1]],
              [gx[c + 1], bottom, p[r * stride + c + 1]],
              [gx[c], bottom, p[r * stride + c]],
            ] as const)
          : null;
      const inside = corners?.map(([, , v]) => v > 0.5);
      const full = inside?.every(Boolean) ?? false;
      if (full && runStart === null) runStart = c;
      if (!full && runStart !== null) {
        pieces.push(`M${point(gx[runStart], top)}H${fmt(gx[c])}V${fmt(bottom)}H${fmt(gx[runStart])}Z`);
        runStart = null;
      }
      if (corners === null || inside === undefined || full || !inside.some(Boolean)) continue;
      const vertices: string[] = [];
      for (let k = 0; k < 4; k++) {
        const [ax, ay, av] = corners[k];
        const [bx, by, bv] = corners[(k + 1) % 4];
        if (inside[k]) vertices.push(point(ax, ay));
        if (inside[k] !== inside[(k + 1) % 4]) {
          const t = (0.5 - av) / (bv - av);
          vertices.push(point(ax + t * (bx - ax), ay + t * (by - ay)));
        }
      }
      pieces.push(`M${vertices.join("L")}Z`);
    }
  }
  return `<path d="${pieces.join("")}" fill="${colours.region1}"/>`;
}

/**
 * A decision-boundary panel inside `frame`: the class-1 region over the class-0 colour, the points coloured by
 * label, axes, and the title above.
 * @example boundaryPanel({ X, Y, probability: (P) => net.forward(P).A2.data, title: "n_h = 4" }, frame)
 */
export function boundaryPanel(panel: BoundaryPanel, frame: Frame, pointRadius = 2.6): string {
  checkData("boundaryPanel", panel.X, panel.Y);
  const { xDomain, yDomain } = dataBox(panel.X);
  const scale = linearScale(frame, xDomain, yDomain);
  const m = panel.X.shape[1];
  // Each point is a zero-length line with round caps (a dot), one path per class: far smaller than a <circle>
  // per point. The dark outline is the same path drawn first, a little wider.
  const d = ["", ""];
  for (let i = 0; i < m; i++) {
    d[panel.Y.data[i] === 1 ? 1 : 0] += `M${fmt(scale.px(panel.X.data[i]))} ${fmt(scale.py(panel.X.data[m + i]))}h0`;
  }
  const dots = (k: number, colour: string, width: number) =>
    `<path d="${d[k]}" stroke="${colour}" stroke-width="${fmt(width, 2)}" stroke-linecap="round" fill="none"/>`;
  const points = [colours.point0, colours.point1].flatMap((colour, k) => [
    dots(k, "#1a1a1a", 2 * pointRadius + 0.8),
    dots(k, colour, 2 * pointRadius),
  ]);
  return [
    `<rect x="${fmt(frame.x)}" y="${fmt(frame.y)}" width="${fmt(frame.width)}" height="${fmt(frame.height)}" fill="${colours.region0}"/>`,
    `<svg x="${fmt(frame.x)}" y="${fmt(frame.y)}" width="${fmt(frame.width)}" height="${fmt(frame.height)}" viewBox="${fmt(frame.x)} ${fmt(frame.y)} ${fmt(frame.width)} ${fmt(frame.height)}" overflow="hidden">`,
    `<title>${escapeXml(panel.title)}</title>`,
    regionPath(scale, panel.probability, panel.resolution ?? 160),
    points.join("\n"),
    "</svg>",
    axes(scale, { xLabel: "x₁", yLabel: "x₂" }),
    text(frame.x + frame.width / 2, frame.y - 10, panel.title, { size: 14, anchor: "middle", weight: "bold" }),
  ].join("\n");
}

/**
 * A standalone decision-boundary picture, as the course's `plot_decision_boundary`.
 * @example writeFileSync("boundary.svg", decisionBoundarySvg({ X, Y, probability, title: "Decision boundary, n_h = 4" }));
 */
export function decisionBoundarySvg(panel: BoundaryPanel): string {
  const legend = [
    `<circle cx="70" cy="452" r="4" fill="${colours.point0}"/>`,
    text(80, 456, "y = 0", { size: 12 }),
    `<circle cx="140" cy="452" r="4" fill="${colours.point1}"/>`,
    text(150, 456, "y = 1", { size: 12 }),
    `<rect x="210" y="446" width="12" height="12" fill="${colours.region0}" stroke="#999"/>`,
    text(228, 456, "predicts 0", { size: 12 }),
    `<rect x="310" y="446" width="12" height="12" fill="${colours.region1}" stroke="#999"/>`,
    text(328, 456, "predicts 1", { size: 12 }),
  ];
  const body = [boundaryPanel(panel, { x: 60, y: 36, width: 400, height: 360 }), ...legend];
  return svgDocument(480, 470, body.join("\n"), panel.title);
}

/**
 * Several decision boundaries on one picture, `columns` per row (the course's hidden-layer-size figure).
 * @example sweepSvg(sizes.map((nH) => ({ X, Y, probability: probs[nH], title: `n_h = ${nH}` })), 4)
 */
export function sweepSvg(panels: readonly BoundaryPanel[], columns = 4): string {
  const cellWidth = 300;
  const cellHeight = 300;
  const rows = Math.ceil(panels.length / columns);
  const body = panels.map((panel, k) => {
    const frame = {
      x: (k % columns) * cellWidth + 55,
      y: Math.floor(k / columns) * cellHeight + 32,
      width: 230,
      height: 210,
    };
    return boundaryPanel({ ...panel, resolution: panel.resolution ?? 70 }, frame, 1.8);
  });
  const title = `Decision boundaries: ${panels.map((p) => p.title).join("; ")}`;
  return svgDocument(columns * cellWidth, rows * cellHeight, body.join("\n"), title);
}

/**
 * The cost J against the iteration number, as a polyline (at most ~1000 vertices), with axes.
 * @example writeFileSync("cost.svg", costCurveSvg(costs, "Cost, n_h = 4, learning rate 1.2"));
 */
export function costCurveSvg(costs: readonly number[], title: string): string {
  if (costs.length < 2 || !costs.every(Number.isFinite)) {
    throw new ValueError("costCurveSvg", `needs at least 2 finite costs, got ${costs.length} values`);
  }
  const frame = { x: 70, y: 40, width: 480, height: 300 };
  const lo = Math.min(...costs);
  const hi = Math.max(...costs);
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  const scale = linearScale(frame, [0, costs.length - 1], [Math.max(0, lo - pad), hi + pad]);
  const stride = Math.max(1, Math.floor(costs.length / 1000));
  const vertices: string[] = [];
  for (let i = 0; i < costs.length; i += stride) vertices.push(`${fmt(scale.px(i))},${fmt(scale.py(costs[i]), 2)}`);
  const last = costs.length - 1;
  if (last % stride !== 0) vertices.push(`${fmt(scale.px(last))},${fmt(scale.py(costs[last]), 2)}`);
  const body = [
    axes(scale, { xLabel: "iteration", yLabel: "cost J" }),
    `<polyline points="${vertices.join(" ")}" fill="none" stroke="${colours.point1}" stroke-width="1.8"/>`,
    text(frame.x + frame.width / 2, 24, title, { size: 14, anchor: "middle", weight: "bold" }),
    text(frame.x + frame.width - 6, frame.y + 18, `final J = ${costs[last].toPrecision(6)}`, {
      size: 12,
      anchor: "end",
    }),
  ];
  return svgDocument(580, 390, body.join("\n"), title);
}
