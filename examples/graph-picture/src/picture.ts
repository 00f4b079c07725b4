/** Draws the course's graphs (the 2-layer net's and J = 3(a + bc)'s) as DOT, Mermaid and, with Graphviz installed, SVG. */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatTrace, RandomState, type Tensor, tensor, toDot, toMermaid } from "@backprop/core";
import { TwoLayerNet } from "@backprop/layers";

/**
 * The course's 2-layer net (n_x = 2, n_h = 4, n_y = 1, tanh hidden layer) on m random examples,
 * after one backward pass: its cost J, with the intermediates' gradients kept (retainGrad) so the
 * picture can show ‖dZ1‖, ‖dA1‖, ... as well as ‖dW1‖, ‖db1‖, ...
 * @example const J = twoLayerCost(); toDot(J, { gradients: true });
 */
export function twoLayerCost(m = 400): Tensor {
  const rs = new RandomState(1);
  const X = rs.randn(2, m).named("X");
  const Y = rs.rand(1, m).gt(0.5).named("Y");
  const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
  const { Z1, A1, Z2, A2 } = net.forward(X);
  for (const t of [Z1, A1, Z2, A2]) t.retainGrad();
  const J = net.cost(A2, Y);
  J.backward(undefined, { retainGraph: true });
  return J;
}

/**
 * The course's J = 3(a + bc) for a = 5, b = 3, c = 2, after backward.
 * @example toMermaid(courseCost(), { gradients: true });
 */
export function courseCost(): Tensor {
  const a = tensor(5, { requiresGrad: true, name: "a" });
  const b = tensor(3, { requiresGrad: true, name: "b" });
  const c = tensor(2, { requiresGrad: true, name: "c" });
  const u = b.mul(c).named("u").retainGrad();
  const v = a.add(u).named("v").retainGrad();
  const J = v.mul(3).named("J");
  J.backward(undefined, { retainGraph: true });
  return J;
}

/** What `drawGraphs` wrote, and whether Graphviz made the SVGs. */
export interface Drawn {
  readonly files: string[];
  readonly rendered: boolean;
  readonly message: string;
}

/** Renders DOT text to SVG with Graphviz's `dot` (adding a text alternative); false when the program is not installed. */
function renderSvg(dotProgram: string, dotFile: string, svgFile: string, description: string): boolean {
  try {
    execFileSync(dotProgram, ["-Tsvg", dotFile, "-o", svgFile], { stdio: ["ignore", "ignore", "pipe"] });
    const svg = readFileSync(svgFile, "utf8").replace("<svg ", `<svg role="img" aria-label="${description}" `);
    writeFileSync(svgFile, svg);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

/**
 * Writes, for each graph, `<name>.dot`, `<name>.mmd` (Mermaid) and `<name>-trace.txt` into `outDir`,
 * and `<name>.svg` when Graphviz's `dot` is installed (`apt-get install graphviz`); without it, says so.
 * @example drawGraphs("out").message; // "rendered out/two-layer-net.svg, out/course-graph.svg with Graphviz"
 */
export function drawGraphs(outDir: string, options: { dotProgram?: string } = {}): Drawn {
  const dotProgram = options.dotProgram ?? "dot";
  mkdirSync(outDir, { recursive: true });
  const graphs: Array<[string, Tensor, string]> = [
    ["two-layer-net", twoLayerCost(), "The computational graph of the course's two-layer network and its cost J"],
    ["course-graph", courseCost(), "The computational graph of J = 3(a + bc)"],
  ];
  const files: string[] = [];
  const svgs: string[] = [];
  let rendered = true;
  for (const [name, J, description] of graphs) {
    const dotFile = join(outDir, `${name}.dot`);
    writeFileSync(dotFile, toDot(J, { gradients: true }));
    writeFileSync(join(outDir, `${name}.mmd`), toMermaid(J, { gradients: true }));
    writeFileSync(join(outDir, `${name}-trace.txt`), `${formatTrace(J)}\n`);
    files.push(dotFile, join(outDir, `${name}.mmd`), join(outDir, `${name}-trace.txt`));
    const svgFile = join(outDir, `${name}.svg`);
    if (rendered && renderSvg(dotProgram, dotFile, svgFile, description)) {
      files.push(svgFile);
      svgs.push(svgFile);
    } else rendered = false;
  }
  const message = rendered
    ? `rendered ${svgs.join(", ")} with Graphviz`
    : `Graphviz's \`${dotProgram}\` is not installed: wrote the DOT text only (install graphviz, or paste a .dot file into an online Graphviz viewer; the .mmd files render in Markdown as Mermaid)`;
  return { files, rendered, message };
}
