/** Small SVG building blocks: documents, text, linear scales, "nice" axis ticks and framed axes. */

/** A rectangle in SVG pixels. */
export interface Frame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Maps data coordinates to pixels inside a frame (y grows upwards in the data, downwards in SVG). */
export interface Scale {
  readonly frame: Frame;
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
  px(x: number): number;
  py(y: number): number;
}

/**
 * A linear scale from the data box xDomain × yDomain onto `frame`.
 * @example const s = linearScale({ x: 0, y: 0, width: 100, height: 100 }, [0, 1], [0, 1]); s.py(1); // 0
 */
export function linearScale(
  frame: Frame,
  xDomain: readonly [number, number],
  yDomain: readonly [number, number],
): Scale {
  const [x0, x1] = xDomain;
  const [y0, y1] = yDomain;
  return {
    frame,
    xDomain,
    yDomain,
    px: (x) => frame.x + ((x - x0) / (x1 - x0)) * frame.width,
    py: (y) => frame.y + frame.height - ((y - y0) / (y1 - y0)) * frame.height,
  };
}

/**
 * Escapes text for XML content and attribute values.
 * @example escapeXml("a < b & c"); // "a &lt; b &amp; c"
 */
export function escapeXml(text: string): string {
  const entities: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" };
  return text.replace(/[<>&"']/g, (c) => entities[c]);
}

/** A number with at most `digits` decimals and no trailing zeros, for coordinates (keeps files small). */
export function fmt(value: number, digits = 1): string {
  return Number(value.toFixed(digits)).toString();
}

/**
 * A standalone SVG document with a white background and a `<title>` (its accessible name).
 * @example svgDocument(100, 50, "<circle cx='50' cy='25' r='10'/>", "A dot")
 */
export function svgDocument(width: number, height: number, body: string, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    body,
    "</svg>",
    "",
  ].join("\n");
}

/**
 * A text element; `anchor` is start, middle or end.
 * @example text(10, 20, "cost", { size: 12, anchor: "middle" })
 */
export function text(
  x: number,
  y: number,
  content: string,
  options: {
    size?: number;
    anchor?: "start" | "middle" | "end";
    weight?: string;
    rotate?: boolean;
    fill?: string;
  } = {},
): string {
  const { size = 12, anchor = "start", weight, rotate = false, fill = "#222" } = options;
  const transform = rotate ? ` transform="rotate(-90 ${fmt(x)} ${fmt(y)})"` : "";
  const bold = weight ? ` font-weight="${weight}"` : "";
  return `<text x="${fmt(x)}" y="${fmt(y)}" font-size="${size}" text-anchor="${anchor}" fill="${fill}"${bold}${transform}>${escapeXml(content)}</text>`;
}

/**
 * About `count` round tick values (steps of 1, 2 or 5 × 10^k) covering [min, max].
 * @example niceTicks(0, 10000, 5); // [0, 2000, 4000, 6000, 8000, 10000]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/**
 * A frame with ticks and tick labels on the left and bottom edges and the two axis titles.
 * @example axes(scale, { xLabel: "x₁", yLabel: "x₂" })
 */
export function axes(
  scale: Scale,
  labels: { xLabel: string; yLabel: string; tickFormat?: (v: number) => string },
): string {
  const { frame } = scale;
  const format = labels.tickFormat ?? ((v: number) => String(v));
  const parts = [
    `<rect x="${fmt(frame.x)}" y="${fmt(frame.y)}" width="${fmt(frame.width)}" height="${fmt(frame.height)}" fill="none" stroke="#444" stroke-width="1"/>`,
  ];
  const bottom = frame.y + frame.height;
  for (const v of niceTicks(scale.xDomain[0], scale.xDomain[1])) {
    const x = scale.px(v);
    parts.push(`<line x1="${fmt(x)}" y1="${fmt(bottom)}" x2="${fmt(x)}" y2="${fmt(bottom + 5)}" stroke="#444"/>`);
    parts.push(text(x, bottom + 18, format(v), { size: 11, anchor: "middle" }));
  }
  for (const v of niceTicks(scale.yDomain[0], scale.yDomain[1])) {
    const y = scale.py(v);
    parts.push(`<line x1="${fmt(frame.x - 5)}" y1="${fmt(y)}" x2="${fmt(frame.x)}" y2="${fmt(y)}" stroke="#444"/>`);
    parts.push(text(frame.x - 8, y + 4, format(v), { size: 11, anchor: "end" }));
  }
  parts.push(text(frame.x + frame.width / 2, bottom + 36, labels.xLabel, { size: 13, anchor: "middle" }));
  parts.push(
    text(frame.x - 40, frame.y + frame.height / 2, labels.yLabel, { size: 13, anchor: "middle", rotate: true }),
  );
  return parts.join("\n");
}
