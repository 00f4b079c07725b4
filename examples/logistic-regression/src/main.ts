/** Week 2: logistic regression as a neural network — autodiff's dw, db beside the closed forms, then training. */
import { parseArgs } from "node:util";
import { BackpropError, type Tensor, ValueError } from "@backprop/core";
import { fit, LogisticRegression, logisticClosedFormGradients } from "@backprop/layers";
import { gaussianClouds } from "./data.js";

const usage = `Usage: node examples/logistic-regression/dist/main.js [--iterations N] [--learning-rate ALPHA]

Logistic regression (the course's week 2) on two Gaussian clouds (m = 200 to train, 200 more to test):
autodiff's dw, db printed beside the closed forms dw = (1/m) X dZᵀ, db = (1/m) Σ dZ with dZ = A − Y,
then full-batch gradient descent (defaults: 2000 iterations, learning rate 0.1) and the accuracies.
`;

/** The options, validated (a ValueError names the bad one). */
function options(argv: string[]): { iterations: number; learningRate: number; help: boolean } {
  let values: { iterations?: string; "learning-rate"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv[0] === "--" ? argv.slice(1) : argv,
      options: { iterations: { type: "string" }, "learning-rate": { type: "string" }, help: { type: "boolean" } },
    }));
  } catch (error) {
    throw new ValueError("logistic-regression", error instanceof Error ? error.message : String(error));
  }
  const iterations = Number(values.iterations ?? 2000);
  const learningRate = Number(values["learning-rate"] ?? 0.1);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new ValueError("logistic-regression", `--iterations must be an integer >= 1, got "${values.iterations}"`);
  }
  if (!(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new ValueError(
      "logistic-regression",
      `--learning-rate must be a number > 0, got "${values["learning-rate"]}"`,
    );
  }
  return { iterations, learningRate, help: values.help ?? false };
}

/** ‖a − b‖ / (‖a‖ + ‖b‖), the course's relative difference. */
function relativeDifference(a: Tensor, b: Tensor): number {
  const norm = (f: (i: number) => number) => Math.hypot(...Array.from({ length: a.size }, (_, i) => f(i)));
  const denominator = norm((i) => a.data[i]) + norm((i) => b.data[i]);
  return denominator === 0 ? 0 : norm((i) => a.data[i] - b.data[i]) / denominator;
}

function run(iterations: number, learningRate: number): void {
  const train = gaussianClouds(200, 0);
  const test = gaussianClouds(200, 1);
  console.log("Logistic regression (Deep Learning course, week 2) on two Gaussian clouds");
  console.log(`X_train (2,200), Y_train (1,200); X_test (2,200), Y_test (1,200)\n`);

  // Gradients at a small random start (at w = 0 every column of dw would look alike).
  const model = new LogisticRegression({ nx: 2, init: "small", seed: 1 });
  const autodiff = model.gradients(train.X, train.Y);
  const closed = logisticClosedFormGradients({ w: model.w, b: model.b }, train.X, train.Y);
  console.log("Gradients at w = randn(2,1)·0.01 (seed 1), b = 0: autodiff vs the closed form");
  console.log("  entry   autodiff                 closed form              |difference|");
  const entries: [string, number, number][] = [
    ["dw[0]", autodiff.dw.data[0], closed.dw.data[0]],
    ["dw[1]", autodiff.dw.data[1], closed.dw.data[1]],
    ["db", autodiff.db.data[0], closed.db.data[0]],
  ];
  for (const [name, a, c] of entries) {
    console.log(
      `  ${name.padEnd(6)}  ${String(a).padEnd(23)}  ${String(c).padEnd(23)}  ${Math.abs(a - c).toExponential(1)}`,
    );
  }
  const rdw = relativeDifference(autodiff.dw, closed.dw);
  const rdb = relativeDifference(autodiff.db, closed.db);
  const rdZ = relativeDifference(autodiff.dZ, closed.dZ);
  console.log(
    `  relative difference ‖g − ĝ‖/(‖g‖ + ‖ĝ‖): dw ${rdw.toExponential(2)}, db ${rdb.toExponential(2)}, dZ ${rdZ.toExponential(2)}\n`,
  );

  console.log(`Training: full-batch gradient descent, ${iterations} iterations, learning rate ${learningRate}`);
  const every = iterations >= 1000 ? Math.round(iterations / 10 / 100) * 100 : Math.max(1, Math.round(iterations / 10));
  fit(model, train.X, train.Y, {
    iterations,
    learningRate,
    printEvery: every,
    onProgress: ({ iteration, cost }) => {
      if (iteration % every === 0) console.log(`Cost after iteration ${iteration}: ${cost.toPrecision(6)}`);
    },
  });
  const [w1, w2] = model.w.data;
  console.log(`w = [${w1.toFixed(4)}, ${w2.toFixed(4)}], b = ${model.b.data[0].toFixed(4)}`);
  console.log(`train accuracy: ${model.accuracy(train.X, train.Y).toFixed(2)}%`);
  console.log(`test accuracy: ${model.accuracy(test.X, test.Y).toFixed(2)}%`);
}

try {
  const { iterations, learningRate, help } = options(process.argv.slice(2));
  if (help) process.stdout.write(usage);
  else run(iterations, learningRate);
} catch (error) {
  if (!(error instanceof BackpropError)) throw error;
  process.stderr.write(`logistic-regression: ${error.message}\nRun with --help for the options.\n`);
  process.exitCode = 2;
}
