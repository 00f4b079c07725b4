/** Smoke test of the graph-picture example, and the layers package's 2-layer net traced in the course's order. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { graphOf, traceBackward } from "@backprop/core";
import { afterAll, describe, expect, it } from "vitest";
import { drawGraphs, twoLayerCost } from "../src/picture.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "graph-picture-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function hasDot(): boolean {
  try {
    execFileSync("dot", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("examples/graph-picture", () => {
  it("traces TwoLayerNet's backward pass in the course's order: dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1", () => {
    const steps = traceBackward(twoLayerCost());
    expect(steps.map((s) => s.target)).toEqual(["dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]);
    expect(steps[1].text).toBe("dZ2 (1×400) ← dA2 ∗ σ′(Z2) = dA2 ∗ A2(1 − A2)");
    expect(steps[5].text).toBe("dZ1 (4×400) ← dA1 ∗ tanh′(Z1) = dA1 ∗ (1 − A1²)");
  });

  it("draws TwoLayerNet's graph with the course's names", () => {
    const labels = graphOf(twoLayerCost()).nodes.map((n) => n.label);
    for (const name of ["X", "Y", "W1", "b1", "Z1", "A1", "W2", "b2", "Z2", "A2", "J"]) expect(labels).toContain(name);
  });

  it("writes DOT, Mermaid and the trace for both graphs, with the gradient norms", () => {
    const dir = tempDir();
    const { files } = drawGraphs(dir, { dotProgram: "dot-is-not-installed-here" });
    for (const name of ["two-layer-net", "course-graph"]) {
      for (const ext of [".dot", ".mmd", "-trace.txt"]) expect(files).toContain(join(dir, `${name}${ext}`));
    }
    const course = readFileSync(join(dir, "course-graph.dot"), "utf8");
    expect(course).toContain("‖da‖ = 3");
    expect(course).toContain("‖db‖ = 6");
    expect(course).toContain("‖dc‖ = 9");
    expect(readFileSync(join(dir, "two-layer-net.mmd"), "utf8")).toMatch(/^flowchart LR\n/);
    expect(readFileSync(join(dir, "two-layer-net-trace.txt"), "utf8")).toContain("dW1 (4×2) ← dZ1·Xᵀ");
  });

  it("says so and writes no SVG when Graphviz is missing", () => {
    const dir = tempDir();
    const drawn = drawGraphs(dir, { dotProgram: "dot-is-not-installed-here" });
    expect(drawn.rendered).toBe(false);
    expect(drawn.message).toMatch(/is not installed: wrote the DOT text only/);
    expect(existsSync(join(dir, "two-layer-net.svg"))).toBe(false);
  });

  it("matches the committed images/ files and the README's trace (regenerate with main.js images)", () => {
    const dir = tempDir();
    drawGraphs(dir, { dotProgram: "dot-is-not-installed-here" });
    const images = fileURLToPath(new URL("../images/", import.meta.url));
    for (const name of ["two-layer-net", "course-graph"]) {
      for (const ext of [".dot", ".mmd", "-trace.txt"]) {
        expect(readFileSync(join(images, `${name}${ext}`), "utf8")).toBe(
          readFileSync(join(dir, `${name}${ext}`), "utf8"),
        );
      }
      expect(existsSync(join(images, `${name}.svg`))).toBe(true);
    }
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
    expect(readme).toContain(readFileSync(join(dir, "two-layer-net-trace.txt"), "utf8"));
  });

  it.skipIf(!hasDot())("renders SVG with Graphviz when it is installed", () => {
    const dir = tempDir();
    const drawn = drawGraphs(dir);
    expect(drawn.rendered).toBe(true);
    const svg = readFileSync(join(dir, "two-layer-net.svg"), "utf8");
    expect(svg).toContain("<svg");
    expect(svg).toContain("‖dW1‖");
  });
});
