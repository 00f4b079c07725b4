/** A tiny helper to build SVG elements in the page. */

const SVG_NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes (and optional text content). */
export function svgElement(name: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}
