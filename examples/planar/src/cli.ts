/** Command-line options of the planar demo: parsing, validation (clear ValueErrors) and the --help text. */
import { parseArgs } from "node:util";
import { ValueError } from "@backprop/core";
import { type DatasetName, datasetNames, resolveDatasetName } from "./data.js";

/** The hidden activations the demo offers (the course's tanh, and the others of week 3's optional part). */
export const activationNames = ["tanh", "sigmoid", "relu", "leakyRelu"] as const;
/** One of {@link activationNames}. */
export type HiddenActivation = (typeof activationNames)[number];

/** Everything the demo needs to know, with the course's defaults. */
export interface DemoOptions {
  dataset: DatasetName;
  /** Seed of the data generator; undefined = the data set's own default (1 for the flower, as the course). */
  dataSeed: number | undefined;
  hidden: number;
  activation: HiddenActivation;
  learningRate: number;
  iterations: number;
  sweepIterations: number;
  /** Seed of the parameter initialisation (the course's 2). */
  seed: number;
  /** Output folder for the pictures; undefined = examples/planar/out. */
  out: string | undefined;
  /** Where to write the trained network as an ONNX model; undefined = not written. */
  onnx: string | undefined;
  sweep: boolean;
  plots: boolean;
  json: boolean;
  /** Train the two-layer nets with the step compiled by core's `jit` (the same printed results). */
  jit: boolean;
  help: boolean;
}

/** The defaults: the course's planar run. */
export const defaults: DemoOptions = {
  dataset: "flower",
  dataSeed: undefined,
  hidden: 4,
  activation: "tanh",
  learningRate: 1.2,
  iterations: 10000,
  sweepIterations: 5000,
  seed: 2,
  out: undefined,
  onnx: undefined,
  sweep: true,
  plots: true,
  json: false,
  jit: false,
  help: false,
};

/** The --help text. */
export const usage = `Usage: node examples/planar/dist/main.js [options]      (or: pnpm demo [-- options])

Trains the Deep Learning course's week-3 network (one hidden layer, sigmoid output) on planar data
with full-batch gradient descent, after a logistic-regression baseline and a gradient check; then a
sweep over hidden-layer sizes. Writes decision-boundary and cost-curve pictures (SVG) to --out.

Options:
  --dataset <name>         ${datasetNames.join(" | ")} (default flower; the course's
                           noisy_circles, noisy_moons, gaussian_quantiles are accepted too)
  --data-seed <int>        seed of the data generator (default: 1, blobs 5, as the course)
  --hidden <n_h>           hidden units of the main run (default 4)
  --activation <name>      hidden activation: ${activationNames.join(" | ")} (default tanh)
  --learning-rate <alpha>  gradient-descent learning rate (default 1.2)
  --iterations <n>         iterations of the main run (default 10000)
  --sweep-iterations <n>   iterations per hidden-layer size in the sweep (default 5000)
  --seed <int>             seed of the parameter initialisation (default 2, as the course)
  --out <folder>           where the pictures go (default examples/planar/out)
  --onnx <file>            also write the trained network as an ONNX model (input X (2, m), output A (1, m))
  --no-sweep               skip the hidden-layer-size sweep
  --no-plots               write no pictures
  --json                   print one JSON object on stdout (progress goes to stderr)
  --jit                    train with the step compiled by jit (the same costs and accuracies, bit for bit)
  --help                   print this help
`;

const spec = {
  dataset: { type: "string" },
  "data-seed": { type: "string" },
  hidden: { type: "string" },
  activation: { type: "string" },
  "learning-rate": { type: "string" },
  iterations: { type: "string" },
  "sweep-iterations": { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  onnx: { type: "string" },
  "no-sweep": { type: "boolean" },
  "no-plots": { type: "boolean" },
  json: { type: "boolean" },
  jit: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function integer(option: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ValueError("planar", `--${option} must be an integer ${range}, got "${text}"`);
  }
  return value;
}

function positive(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new ValueError("planar", `--${option} must be a number > 0, got "${text}"`);
  }
  return value;
}

/**
 * Parses the command line (without `node` and the script); throws a ValueError naming the bad option.
 * A leading `--` (what some `pnpm run` versions forward) is ignored.
 * @example parseCli(["--hidden", "5", "--no-sweep"]).hidden; // 5
 */
export function parseCli(argv: readonly string[]): DemoOptions {
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof spec; strict: true; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ args, options: spec, strict: true, allowPositionals: true });
  } catch (error) {
    // node's messages ("Unknown option '--foo'...") are clear; keep them, under our error type.
    throw new ValueError("planar", error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length > 0) {
    throw new ValueError("planar", `unexpected argument "${parsed.positionals[0]}" (options start with --)`);
  }
  const v = parsed.values;
  const activation = v.activation ?? defaults.activation;
  if (!(activationNames as readonly string[]).includes(activation)) {
    throw new ValueError("planar", `--activation must be one of ${activationNames.join(", ")}, got "${activation}"`);
  }
  return {
    dataset: v.dataset === undefined ? defaults.dataset : resolveDatasetName(v.dataset),
    dataSeed: v["data-seed"] === undefined ? undefined : integer("data-seed", v["data-seed"], 0, 4294967295),
    hidden: v.hidden === undefined ? defaults.hidden : integer("hidden", v.hidden, 1, 10000),
    activation: activation as HiddenActivation,
    learningRate:
      v["learning-rate"] === undefined ? defaults.learningRate : positive("learning-rate", v["learning-rate"]),
    iterations: v.iterations === undefined ? defaults.iterations : integer("iterations", v.iterations, 1),
    sweepIterations:
      v["sweep-iterations"] === undefined
        ? defaults.sweepIterations
        : integer("sweep-iterations", v["sweep-iterations"], 1),
    seed: v.seed === undefined ? defaults.seed : integer("seed", v.seed, 0, 4294967295),
    out: v.out,
    onnx: v.onnx,
    sweep: !v["no-sweep"],
    plots: !v["no-plots"],
    json: v.json ?? false,
    jit: v.jit ?? false,
    help: v.help ?? false,
  };
}
