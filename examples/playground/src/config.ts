/** The playground's whole configuration, its defaults (the course's demo) and its round trip through the URL query string. */
import { type DatasetName, datasetNames, defaultDataSeeds, defaultNoise } from "@backprop/example-planar/data";

/** Hidden activations the page offers (the names `@backprop/layers` takes). */
export const activationNames = ["tanh", "relu", "sigmoid", "leakyRelu"] as const;
export type ActivationName = (typeof activationNames)[number];

/** Optimizers the page offers: gradient descent, momentum, Adam. */
export const optimizerNames = ["gd", "momentum", "adam"] as const;
export type OptimizerName = (typeof optimizerNames)[number];

/** Everything a shared link restores. */
export interface Config {
  readonly dataset: DatasetName;
  /** The generator's noise parameter (see `defaultNoise` in examples/planar). */
  readonly noise: number;
  /** Seed of the data generator. */
  readonly dataSeed: number;
  /** n_h, 1–50. */
  readonly hidden: number;
  readonly activation: ActivationName;
  readonly lr: number;
  readonly optimizer: OptimizerName;
  /** Seed of the parameter initialisation (the course's `np.random.seed(2)`). */
  readonly seed: number;
  /** Training iterations run per animation frame while playing. */
  readonly perFrame: number;
  /** Start training on load (ignored under prefers-reduced-motion). */
  readonly autoplay: boolean;
}

/** The course's demo: flower, n_h = 4, tanh, learning rate 1.2, seed-2 initialisation, gradient descent. */
export const defaultConfig: Config = {
  dataset: "flower",
  noise: defaultNoise.flower,
  dataSeed: defaultDataSeeds.flower,
  hidden: 4,
  activation: "tanh",
  lr: 1.2,
  optimizer: "gd",
  seed: 2,
  perFrame: 20,
  autoplay: false,
};

/** Limits of the numeric settings, shared by the parser and the page's inputs. */
export const limits = {
  hidden: { min: 1, max: 50 },
  lr: { min: 0.0001, max: 10 },
  noise: { min: 0, max: 5 },
  perFrame: { min: 1, max: 500 },
  seed: { min: 0, max: 2 ** 32 - 1 },
} as const;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function numberIn(value: string | null, range: { min: number; max: number }, fallback: number, integer: boolean) {
  if (value === null || value.trim() === "") return fallback;
  const x = Number(value);
  if (!Number.isFinite(x) || (integer && !Number.isInteger(x))) return fallback;
  return Math.min(range.max, Math.max(range.min, x));
}

/**
 * Reads a configuration from a query string; a missing or invalid value takes its default (numbers out of range
 * are clamped). The noise and data seed default to the chosen data set's own.
 * @example parseConfig("?dataset=moons&hidden=5").hidden; // 5
 */
export function parseConfig(search: string): Config {
  const q = new URLSearchParams(search);
  const d = defaultConfig;
  const dataset = pick(q.get("dataset"), datasetNames, d.dataset);
  return {
    dataset,
    noise: numberIn(q.get("noise"), limits.noise, defaultNoise[dataset], false),
    dataSeed: numberIn(q.get("dataSeed"), limits.seed, defaultDataSeeds[dataset], true),
    hidden: numberIn(q.get("hidden"), limits.hidden, d.hidden, true),
    activation: pick(q.get("activation"), activationNames, d.activation),
    lr: numberIn(q.get("lr"), limits.lr, d.lr, false),
    optimizer: pick(q.get("optimizer"), optimizerNames, d.optimizer),
    seed: numberIn(q.get("seed"), limits.seed, d.seed, true),
    perFrame: numberIn(q.get("perFrame"), limits.perFrame, d.perFrame, true),
    autoplay: q.get("autoplay") === "1",
  };
}

/**
 * The query string of a configuration, every key written so a link states the whole setting.
 * @example configToSearch(defaultConfig); // "?dataset=flower&noise=0.2&dataSeed=1&hidden=4&activation=tanh&lr=1.2&…"
 */
export function configToSearch(config: Config): string {
  const q = new URLSearchParams({
    dataset: config.dataset,
    noise: String(config.noise),
    dataSeed: String(config.dataSeed),
    hidden: String(config.hidden),
    activation: config.activation,
    lr: String(config.lr),
    optimizer: config.optimizer,
    seed: String(config.seed),
    perFrame: String(config.perFrame),
    autoplay: config.autoplay ? "1" : "0",
  });
  return `?${q.toString()}`;
}
