/** The page's form controls: showing a configuration in them, and reading one back when the user changes one. */
import { defaultDataSeeds, defaultNoise } from "@backprop/example-planar/data";
import { type Config, configToSearch, parseConfig } from "./config.js";

/** The id of each configuration control in index.html (each is also its URL key). */
const controlIds = [
  "dataset",
  "noise",
  "dataSeed",
  "hidden",
  "activation",
  "lr",
  "optimizer",
  "seed",
  "perFrame",
] as const;
type ControlId = (typeof controlIds)[number];

/** What a change means for the run. */
export type ChangeKind = "data" | "model" | "learningRate" | "speed";

const changeKinds: Record<ControlId, ChangeKind> = {
  dataset: "data",
  noise: "data",
  dataSeed: "data",
  hidden: "model",
  activation: "model",
  optimizer: "model",
  seed: "model",
  lr: "learningRate",
  perFrame: "speed",
};

function control(id: ControlId): HTMLInputElement | HTMLSelectElement {
  return document.getElementById(id) as HTMLInputElement | HTMLSelectElement;
}

/** Puts a configuration's values into the controls. */
export function showConfig(config: Config): void {
  for (const id of controlIds) control(id).value = String(config[id]);
}

/**
 * Reads the controls back into a configuration (through the URL parser, so invalid input gets the same defaults and
 * clamping as a link). A new data set brings its own default noise and data seed.
 */
export function readConfig(previous: Config, changed: ControlId): Config {
  const q = new URLSearchParams();
  for (const id of controlIds) q.set(id, control(id).value);
  q.set("autoplay", previous.autoplay ? "1" : "0");
  const config = parseConfig(q.toString());
  if (changed === "dataset") {
    return { ...config, noise: defaultNoise[config.dataset], dataSeed: defaultDataSeeds[config.dataset] };
  }
  return config;
}

/** Writes the configuration into the address bar without a new history entry. */
export function writeUrl(config: Config): void {
  history.replaceState(null, "", `${location.pathname}${configToSearch(config)}${location.hash}`);
}

/** Calls `onChange` with the new configuration and what changed whenever the user commits a control's value. */
export function watchControls(current: () => Config, onChange: (config: Config, kind: ChangeKind) => void): void {
  for (const id of controlIds) {
    control(id).addEventListener("change", () => {
      const config = readConfig(current(), id);
      showConfig(config); // shows clamped values and the new data set's defaults
      onChange(config, changeKinds[id]);
    });
  }
}
