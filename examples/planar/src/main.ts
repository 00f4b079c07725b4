/** The main demo: the Deep Learning course's week-3 planar classification, end to end (run with --help for options). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BackpropError } from "@backprop/core";
import { TwoLayerNet } from "@backprop/layers";
import { modelToOnnx } from "@backprop/onnx";
import { type DemoOptions, parseCli, usage } from "./cli.js";
import { loadDataset } from "./data.js";
import { writePictures } from "./pictures.js";
import { loadPngRenderer } from "./png.js";
import { Progress } from "./progress.js";
import * as report from "./report.js";
import { gradientChecks, type NetRun, sweepSizes, trainLogistic, trainNet } from "./train.js";

/** The default output folder: examples/planar/out, wherever the demo is started from. */
const defaultOut = fileURLToPath(new URL("../out/", import.meta.url));

/** Runs the demo with parsed options; human output on stdout, or one JSON object with --json. */
async function run(options: DemoOptions): Promise<void> {
  const started = performance.now();
  const progress = new Progress(process.stderr, { plainLines: options.json });
  const say = (text: string) => {
    if (options.json) return;
    progress.clear();
    process.stdout.write(`${text}\n`);
  };
  const data = loadDataset(options.dataset, options.dataSeed);
  say("Planar data classification with one hidden layer (Deep Learning course, week 3)");
  say(report.datasetSection(data));

  const logistic = trainLogistic(data);
  say(`\n${report.logisticSection(logistic)}`);

  const common = {
    learningRate: options.learningRate,
    seed: options.seed,
    activation: options.activation,
    jit: options.jit,
  };
  const initial = new TwoLayerNet({
    nx: 2,
    nh: options.hidden,
    ny: 1,
    seed: options.seed,
    hiddenActivation: options.activation,
  });
  const checks = gradientChecks(initial, data);
  say(`\n${report.gradientCheckSection(checks, options.hidden, options.seed)}`);

  say(`\n${report.mainHeader({ nH: options.hidden, ...options })}`);
  const every = report.printInterval(options.iterations);
  const mainLabel = `n_h = ${options.hidden}`;
  const main = trainNet(data, {
    nH: options.hidden,
    iterations: options.iterations,
    ...common,
    onProgress: (event) => {
      if (event.iteration % every === 0) say(report.costLine(event.iteration, event.cost));
      progress.update(mainLabel, event);
    },
  });
  progress.clear();
  say(report.mainFooter(main));
  if (options.onnx !== undefined) {
    // The trained net's forward pass, examples as columns, any batch size: run it with ONNX Runtime anywhere.
    writeFileSync(options.onnx, modelToOnnx(main.net));
    say(`\nONNX model (input X (2, m), output A (1, m)): ${options.onnx}`);
  }

  const sweep: NetRun[] = [];
  if (options.sweep) {
    for (const nH of sweepSizes) {
      sweep.push(
        trainNet(data, {
          nH,
          iterations: options.sweepIterations,
          ...common,
          onProgress: progress.reporter(`sweep n_h = ${nH}`),
        }),
      );
    }
    progress.clear();
    say(`\n${report.sweepSection(sweep)}`);
  }

  if (options.plots) {
    const toPng = await loadPngRenderer();
    const files = writePictures(options.out ?? defaultOut, data, logistic, main, sweep, toPng);
    say(`\nPictures:\n${files.map((f) => `  ${f}`).join("\n")}`);
  }
  const seconds = (performance.now() - started) / 1000;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report.toJson(data, options.activation, main, sweep, logistic, checks))}\n`);
    progress.note(`done in ${seconds.toFixed(1)} s`);
  } else {
    say(`\nTotal time: ${seconds.toFixed(1)} s`);
  }
}

try {
  const options = parseCli(process.argv.slice(2));
  if (options.help) process.stdout.write(usage);
  else await run(options);
} catch (error) {
  // Bad options and bad input are BackpropErrors with a clear message; anything else is a bug: show its stack.
  if (error instanceof BackpropError) {
    process.stderr.write(`planar demo: ${error.message}\nRun with --help for the options.\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
