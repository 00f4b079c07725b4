/** The playground's URL state: defaults are the course's demo, links round-trip, bad values fall back or are clamped. */
import { loadDataset } from "@backprop/example-planar/data";
import { describe, expect, it } from "vitest";
import { type Config, configToSearch, defaultConfig, parseConfig } from "../src/config.js";

describe("parseConfig / configToSearch", () => {
  it("an empty query string is the course's demo: flower, n_h 4, tanh, lr 1.2, seed 2, gradient descent", () => {
    // The settings of the course's week-3 notebook (examples/planar/README.md).
    expect(parseConfig("")).toEqual(defaultConfig);
    const course = { dataset: "flower", noise: 0.2, dataSeed: 1, hidden: 4, activation: "tanh", lr: 1.2, seed: 2 };
    expect(defaultConfig).toMatchObject({ ...course, optimizer: "gd", perFrame: 20, autoplay: false });
  });

  it("round-trips every field through the query string", () => {
    const configs: Config[] = [
      defaultConfig,
      {
        dataset: "moons",
        noise: 0.05,
        dataSeed: 7,
        hidden: 50,
        activation: "leakyRelu",
        lr: 0.0125,
        optimizer: "adam",
        seed: 123,
        perFrame: 1,
        autoplay: true,
      },
    ];
    for (const config of configs) expect(parseConfig(configToSearch(config))).toEqual(config);
    expect(configToSearch(defaultConfig)).toBe(
      "?dataset=flower&noise=0.2&dataSeed=1&hidden=4&activation=tanh&lr=1.2&optimizer=gd&seed=2&perFrame=20&autoplay=0",
    );
  });

  it("takes each data set's own noise and seed when the link does not give them", () => {
    // examples/planar: blobs use the course's random_state=5 and cluster spread 1; circles noise 0.3.
    expect(parseConfig("?dataset=blobs")).toMatchObject({ dataSeed: 5, noise: 1 });
    expect(parseConfig("?dataset=circles")).toMatchObject({ dataSeed: 1, noise: 0.3 });
  });

  it("clamps numbers to their ranges and replaces unknown or malformed values by the defaults", () => {
    const config = parseConfig("?hidden=500&lr=-1&noise=9&perFrame=0&dataset=spiral&activation=elu&optimizer=sgd");
    expect(config).toMatchObject({ hidden: 50, lr: 0.0001, noise: 5, perFrame: 1 });
    expect(config).toMatchObject({ dataset: "flower", activation: "tanh", optimizer: "gd" });
    expect(parseConfig("?hidden=2.5&seed=x&lr=").hidden).toBe(4);
    expect(parseConfig("?seed=x").seed).toBe(2);
    expect(parseConfig("?lr=").lr).toBe(1.2);
    expect(parseConfig("?autoplay=yes").autoplay).toBe(false);
  });
});

describe("loadDataset's noise parameter (the playground's Noise control)", () => {
  it("its default reproduces each data set bit for bit", () => {
    for (const [name, noise] of [
      ["flower", 0.2],
      ["circles", 0.3],
      ["moons", 0.2],
      ["blobs", 1],
      ["quantiles", 0.5],
    ] as const) {
      expect(Array.from(loadDataset(name, undefined, noise).X.data)).toEqual(Array.from(loadDataset(name).X.data));
    }
  });

  it("noise 0 leaves the moons on their exact half circles", () => {
    // make_moons without noise: the first outer point is (cos 0, sin 0) = (1, 0), the first inner (1 − cos 0, 0.5 − sin 0).
    const { X } = loadDataset("moons", 1, 0);
    const m = X.shape[1];
    expect([X.data[0], X.data[m]]).toEqual([1, 0]);
    expect([X.data[100], X.data[m + 100]]).toEqual([0, 0.5]);
  });
});
