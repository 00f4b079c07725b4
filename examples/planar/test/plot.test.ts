/** The SVG pictures and the printed report: ticks, the class-1 region of known models, cost curves, print intervals. */
import { tensor, ValueError } from "@backprop/core";
import { describe, expect, test } from "vitest";
import { boundaryPanel, costCurveSvg, decisionBoundarySvg } from "../src/plot.js";
import { costLine, printedIterations, printInterval } from "../src/report.js";
import { escapeXml, linearScale, niceTicks } from "../src/svg.js";

/** The x coordinates of every vertex of an SVG path made of M, L, H, V and Z commands. */
function pathXs(d: string): number[] {
  const xs: number[] = [];
  for (const [, command, args] of d.matchAll(/([MLHVZ])([^MLHVZ]*)/g)) {
    const numbers = args.trim() === "" ? [] : args.trim().split(/\s+/).map(Number);
    if (command === "M" || command === "L") xs.push(numbers[0]);
    if (command === "H") xs.push(numbers[0]);
  }
  return xs;
}

const frame = { x: 0, y: 0, width: 400, height: 400 };
// Points spanning [-1, 1]²: the panel's box is [-2, 2]² (the course widens each range by 1).
const X = tensor([
  [-1, 1, -1, 1],
  [-1, -1, 1, 1],
]);
const Y = tensor([[0, 1, 0, 1]]);

describe("decision boundaries", () => {
  test("p = σ(4x₁): the class-1 region is exactly the right half (crossings interpolated to x₁ = 0)", () => {
    const svg = boundaryPanel(
      {
        X,
        Y,
        title: "t",
        probability: (P) =>
          P.slice([[0, 1]])
            .mul(4)
            .sigmoid().data,
      },
      frame,
    );
    const region = svg.match(/<path d="([^"]*)" fill="#b3cde3"\/>/);
    expect(region).not.toBeNull();
    const xs = pathXs(region![1]);
    expect(Math.min(...xs)).toBeCloseTo(200, 0); // px(0) = 200: σ(4x) crosses 0.5 at x = 0 between grid corners
    expect(Math.max(...xs)).toBe(400); // up to the right edge
  });

  test("a model predicting 0 everywhere draws an empty class-1 region; points are coloured by label", () => {
    const svg = boundaryPanel({ X, Y, title: "nothing", probability: (P) => new Float64Array(P.shape[1]) }, frame);
    expect(svg).toContain('<path d="" fill="#b3cde3"/>');
    // Two dots of each class (zero-length lines with round caps), in the class-0 and class-1 paths.
    expect(svg.match(/h0/g)).toHaveLength(8); // 4 points × (outline + fill)
    expect(svg).toContain(">nothing</text>");
  });

  test("bad data shapes are rejected with a ValueError", () => {
    const probability = () => [0];
    expect(() => decisionBoundarySvg({ X: tensor([[1, 2]]), Y, probability, title: "" })).toThrow(ValueError);
    expect(() => decisionBoundarySvg({ X, Y: tensor([[1, 0]]), probability, title: "" })).toThrow(
      /needs X \(2, m\) and Y \(1, m\), got X \(2,4\) and Y \(1,2\)/,
    );
  });
});

describe("cost curves", () => {
  test("a polyline through every point of a short curve, from (0, J₀) on the left edge", () => {
    const svg = costCurveSvg([0.7, 0.5, 0.3], "J");
    const points = svg.match(/<polyline points="([^"]*)"/)![1].split(" ");
    expect(points).toHaveLength(3);
    expect(points[0].startsWith("70,")).toBe(true); // x = 0 at the frame's left edge
    expect(svg).toContain("final J = 0.300000");
  });

  test("long runs are thinned to about 1000 vertices, keeping the last", () => {
    const costs = Array.from({ length: 10000 }, (_, i) => 1 / (1 + i));
    const points = costCurveSvg(costs, "J")
      .match(/<polyline points="([^"]*)"/)![1]
      .split(" ");
    expect(points).toHaveLength(1001); // every 10th of 10000, plus the last (index 9999)
  });

  test("rejects fewer than two or non-finite costs", () => {
    expect(() => costCurveSvg([0.5], "J")).toThrow(/at least 2 finite costs/);
    expect(() => costCurveSvg([0.5, Number.NaN], "J")).toThrow(ValueError);
  });
});

describe("svg helpers", () => {
  test("nice ticks are 1, 2 or 5 × 10^k steps covering the range", () => {
    expect(niceTicks(0, 10000, 5)).toEqual([0, 2000, 4000, 6000, 8000, 10000]);
    expect(niceTicks(-5.2, 5.2, 5)).toEqual([-5, 0, 5]); // raw step 2.08 rounds up to 5
    expect(niceTicks(-4.5, 4.5, 5)).toEqual([-4, -2, 0, 2, 4]);
    expect(niceTicks(0.2, 0.7, 5)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(niceTicks(1, 1)).toEqual([1]);
  });

  test("a linear scale flips y (data up, SVG down) and escapeXml escapes markup", () => {
    const s = linearScale({ x: 10, y: 20, width: 100, height: 50 }, [0, 1], [0, 1]);
    expect([s.px(0), s.px(1), s.py(0), s.py(1)]).toEqual([10, 110, 70, 20]);
    expect(escapeXml(`a<b & "c"`)).toBe("a&lt;b &amp; &quot;c&quot;");
  });
});

describe("report", () => {
  test("the course's cost line with 6 significant digits", () => {
    expect(costLine(1000, 0.28808329356901846)).toBe("Cost after iteration 1000: 0.288083");
    expect(costLine(0, 0.6930480201239823)).toBe("Cost after iteration 0: 0.693048");
  });

  test("costs are printed every 1000 iterations, or about ten times in shorter runs", () => {
    expect(printInterval(10000)).toBe(1000);
    expect(printedIterations(10000)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    expect(printedIterations(40)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
    expect(printedIterations(3)).toEqual([0, 1, 2]);
  });
});
