/** Optional PNG copies of the SVG pictures, rendered by @resvg/resvg-js (prebuilt binaries from npm) when it loads. */

/** Renders SVG text to PNG bytes; null when the renderer is not available on this platform. */
export type PngRenderer = (svg: string) => Uint8Array;

/**
 * Loads resvg once; resolves to null (and the demo writes SVG only) when its native binary is missing.
 * Text needs a system font (resvg loads the installed ones); the SVG files do not depend on it.
 * @example const toPng = await loadPngRenderer(); if (toPng) writeFileSync("cost.png", toPng(svg));
 */
export async function loadPngRenderer(): Promise<PngRenderer | null> {
  try {
    const { Resvg } = await import("@resvg/resvg-js");
    return (svg) => new Resvg(svg, { background: "#ffffff", fitTo: { mode: "zoom", value: 1.5 } }).render().asPng();
  } catch {
    return null;
  }
}
