/** Week 4: an L-layer network [2, 20, 7, 5, 1] (relu…sigmoid) on the flower data, autodiff checked against the closed forms. */
import { parseArgs } from "node:util";
import { AutodiffError, BackpropError, noGrad, relativeDifference, type Tensor, ValueError } from "@backprop/core";
import { planarDataset } from "@backprop/example-planar/data";
import { type ActivationSpec, adam, deepClosedFormGradients, fit, mlp, type Sequential } from "@backprop/layers";

const layerSizes = [2, 20, 7, 5, 1];
const activations: ActivationSpec[] = ["relu", "relu", "relu", "sigmoid"];

const usage = `Usage: node examples/deep-network/dist/main.js [--iterations N] [--learning-rate ALPHA] [--optimizer gd|adam]

An L-layer network (the course's week 4): layer sizes [${layerSizes.join(", ")}], relu hidden layers, sigmoid output,
He initialisation (seed 1), trained on the planar "flower" data set (X (2, 400)). Before training, autodiff's
dW[l], db[l], dZ[l], dA[l] are compared with deepClosedFormGradients (the course's L_model_backward).
Defaults: gradient descent (gd), 3000 iterations, learning rate 0.1 (2000 iterations and 0.01 with --optimizer adam:
longer, Adam saturates an output of a misclassified example to exactly 0 or 1 and the cost becomes +Infinity).
`;

interface Options {
  iterations: number;
  learningRate: number;
  optimizer: "gd" | "adam";
  help: boolean;
}

/** The options, validated (a ValueError names the bad one). */
function parse(argv: string[]): Options {
  let values: { iterations?: string; "learning-rate"?: string; optimizer?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv[0] === "--" ? argv.slice(1) : argv,
      options: {
        iterations: { type: "string" },
        "learning-rate": { type: "string" },
        optimizer: { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new ValueError("deep-network", error instanceof Error ? error.message : String(error));
  }
  const optimizer = values.optimizer ?? "gd";
  if (optimizer !== "gd" && optimizer !== "adam") {
    throw new ValueError("deep-network", `--optimizer must be gd or adam, got "${optimizer}"`);
  }
  const iterations = Number(values.iterations ?? (optimizer === "adam" ? 2000 : 3000));
  const learningRate = Number(values["learning-rate"] ?? (optimizer === "adam" ? 0.01 : 0.1));
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new ValueError("deep-network", `--iterations must be an integer >= 1, got "${values.iterations}"`);
  }
  if (!(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new ValueError("deep-network", `--learning-rate must be a number > 0, got "${values["learning-rate"]}"`);
  }
  return { iterations, learningRate, optimizer, help: values.help ?? false };
}

/** Prints autodiff vs closed-form relative differences for every layer; returns the largest. */
function checkGradients(net: Sequential, X: Tensor, Y: Tensor): number {
  const autodiff = net.gradients(X, Y);
  const closed = deepClosedFormGradients({ W: net.W, b: net.b }, activations, X, Y);
  console.log("Autodiff vs deepClosedFormGradients at the initial parameters: ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)");
  console.log("  layer  dW          db          dZ          dA");
  let worst = 0;
  for (let l = 0; l < net.depth; l++) {
    const cells = (["dW", "db", "dZ", "dA"] as const).map((k) => {
      const r = relativeDifference(autodiff[k][l], closed[k][l]);
      worst = Math.max(worst, r);
      return r.toExponential(2);
    });
    console.log(`  ${String(l + 1).padEnd(5)}  ${cells.join("    ")}`);
  }
  console.log(`  largest: ${worst.toExponential(2)}\n`);
  return worst;
}

function accuracy(net: Sequential, X: Tensor, Y: Tensor): number {
  const A = noGrad(() => net.forward(X));
  let correct = 0;
  for (let i = 0; i < Y.size; i++) if ((A.data[i] > 0.5 ? 1 : 0) === Y.data[i]) correct++;
  return (100 * correct) / Y.size;
}

function run(options: Options): void {
  const { X, Y } = planarDataset();
  console.log(`L-layer network (Deep Learning course, week 4): [${layerSizes.join(", ")}], ${activations.join(", ")}`);
  console.log(
    `Data: the planar flower, X ${`(${X.shape.join(",")})`}, Y (${Y.shape.join(",")}); He initialisation, seed 1\n`,
  );
  const net = mlp(layerSizes, activations, { init: "he", seed: 1 });
  const worst = checkGradients(net, X, Y);
  if (!(worst < 1e-10)) throw new AutodiffError("deep-network", `autodiff and the closed forms differ by ${worst}`);

  const name = options.optimizer === "adam" ? "Adam" : "full-batch gradient descent";
  console.log(`Training: ${name}, ${options.iterations} iterations, learning rate ${options.learningRate}`);
  const every = Math.max(1, Math.round(options.iterations / 10));
  const started = performance.now();
  fit(net, X, Y, {
    iterations: options.iterations,
    ...(options.optimizer === "adam"
      ? { optimizer: adam(net.parameters(), { learningRate: options.learningRate }) }
      : { learningRate: options.learningRate }),
    printEvery: every,
    onProgress: ({ iteration, cost }) => {
      if (iteration % every === 0) console.log(`Cost after iteration ${iteration}: ${cost.toPrecision(6)}`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`Accuracy: ${accuracy(net, X, Y).toFixed(2)}% (training set; ${seconds.toFixed(1)} s)`);
}

try {
  const options = parse(process.argv.slice(2));
  if (options.help) process.stdout.write(usage);
  else run(options);
} catch (error) {
  if (!(error instanceof BackpropError)) throw error;
  process.stderr.write(`deep-network: ${error.message}\nRun with --help for the options.\n`);
  process.exitCode = 2;
}
