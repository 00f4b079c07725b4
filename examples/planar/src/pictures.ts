/** Writes the demo's pictures (SVG) for a finished run into the output folder. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Tensor } from "@backprop/core";
import type { Dataset } from "./data.js";
import { costCurveSvg, decisionBoundarySvg, sweepSvg } from "./plot.js";
import type { PngRenderer } from "./png.js";
import type { LogisticRun, NetRun } from "./train.js";

const netProbability = (run: NetRun) => (points: Tensor) => run.net.forward(points).A2.data;

/**
 * Writes `<dataset>-logistic-regression.svg`, `<dataset>-decision-boundary.svg`, `<dataset>-cost.svg` and, with a
 * sweep, `<dataset>-sweep.svg` into `folder` (created if needed), each with a PNG copy when `toPng` is given;
 * returns the paths written.
 * @example writePictures("examples/planar/out", data, logistic, main, sweep, await loadPngRenderer());
 */
export function writePictures(
  folder: string,
  data: Dataset,
  logistic: LogisticRun,
  main: NetRun,
  sweep: readonly NetRun[],
  toPng: PngRenderer | null = null,
): string[] {
  mkdirSync(folder, { recursive: true });
  const { X, Y } = data;
  const files: [string, string][] = [
    [
      "logistic-regression",
      decisionBoundarySvg({
        X,
        Y,
        probability: (points) => logistic.model.forward(points).data,
        title: `Logistic regression: ${logistic.accuracy.toFixed(2)}% accuracy`,
      }),
    ],
    [
      "decision-boundary",
      decisionBoundarySvg({
        X,
        Y,
        probability: netProbability(main),
        title: `Hidden layer of size ${main.nH}: ${main.accuracy.toFixed(2)}% accuracy`,
      }),
    ],
    ["cost", costCurveSvg(main.costs, `Cost, n_h = ${main.nH}, learning rate ${main.learningRate}`)],
  ];
  if (sweep.length > 0) {
    const panels = sweep.map((run) => ({
      X,
      Y,
      probability: netProbability(run),
      title: `n_h = ${run.nH}: ${run.accuracy.toFixed(2)}%`,
    }));
    files.push(["sweep", sweepSvg(panels, 4)]);
  }
  return files.flatMap(([name, svg]) => {
    const path = join(folder, `${data.name}-${name}`);
    writeFileSync(`${path}.svg`, svg);
    if (toPng === null) return [`${path}.svg`];
    writeFileSync(`${path}.png`, toPng(svg));
    return [`${path}.svg`, `${path}.png`];
  });
}
