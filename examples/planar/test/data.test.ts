/** The planar data sets against numpy: the flower bit for bit against the shared fixture, the extras against numpy's output. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RandomState, ValueError } from "@backprop/core";
import { describe, expect, test } from "vitest";
import { datasetNames, loadDataset, planarDataset, resolveDatasetName } from "../src/data.js";
import { makeBlobs, makeCircles, makeGaussianQuantiles, makeMoons } from "../src/sklearnLike.js";

interface Stored {
  shape: number[];
  data: number[];
}
const readJson = <T>(relative: string): T =>
  JSON.parse(readFileSync(fileURLToPath(new URL(relative, import.meta.url)), "utf8"));

describe("the flower data set", () => {
  test("equals numpy's load_planar_dataset() (shared/fixtures/planar-dataset.json) bit for bit", () => {
    // test/ → planar → examples → repo root → its parent, where shared/ lives.
    const fixture = readJson<{ X: Stored; Y: Stored }>("../../../../shared/fixtures/planar-dataset.json");
    const { X, Y } = planarDataset();
    expect(X.shape).toEqual([2, 400]);
    expect(Y.shape).toEqual([1, 400]);
    expect(fixture.X.shape).toEqual([2, 400]);
    // toEqual on arrays of numbers compares with Object.is: every float64 must be identical.
    expect(Array.from(X.data)).toEqual(fixture.X.data);
    expect(Array.from(Y.data)).toEqual(fixture.Y.data);
  });

  test("has 200 points per class, class 0 first", () => {
    const { Y } = planarDataset();
    expect(Array.from(Y.data.slice(0, 200)).every((y) => y === 0)).toBe(true);
    expect(Array.from(Y.data.slice(200)).every((y) => y === 1)).toBe(true);
  });

  test("another seed gives other points", () => {
    expect(planarDataset(2).X.data[0]).not.toBe(planarDataset(1).X.data[0]);
  });
});

describe("the course's extra data sets", () => {
  const numpy = readJson<Record<string, { seed: number; X: Stored; Y: Stored }>>("../reference/extra-datasets.json");

  test.each(["circles", "moons", "blobs", "quantiles"] as const)(
    "%s equals the numpy implementation of sklearn's algorithm (reference/extra-datasets.json) bit for bit",
    (name) => {
      const { X, Y, seed } = loadDataset(name);
      expect(seed).toBe(numpy[name].seed);
      expect(X.shape).toEqual(numpy[name].X.shape);
      expect(Array.from(X.data)).toEqual(numpy[name].X.data);
      expect(Array.from(Y.data)).toEqual(numpy[name].Y.data);
    },
  );

  test("blobs are made binary with label % 2 (the course's Y % 2), so both classes appear", () => {
    const { Y } = loadDataset("blobs");
    const ones = Array.from(Y.data).filter((y) => y === 1).length;
    expect(ones).toBe(100); // 6 blobs of 34, 34, 33, 33, 33, 33 points: blobs 1, 3, 5 have 34 + 33 + 33
  });

  test("circles: without noise, class 0 lies on the unit circle and class 1 on radius 0.5", () => {
    const { rows, labels } = makeCircles({ nSamples: 10, factor: 0.5, noise: 0, rng: new RandomState(0) });
    for (let i = 0; i < 10; i++) {
      expect(Math.hypot(rows[2 * i], rows[2 * i + 1])).toBeCloseTo(labels[i] === 0 ? 1 : 0.5, 15);
    }
  });

  test("moons: without noise, the two half circles of radius 1 centred at (0, 0) and (1, 0.5)", () => {
    const { rows, labels } = makeMoons({ nSamples: 9, noise: 0, rng: new RandomState(0) });
    expect(Array.from(labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
    for (let i = 0; i < 9; i++) {
      const [cx, cy] = labels[i] === 0 ? [0, 0] : [1, 0.5];
      expect(Math.hypot(rows[2 * i] - cx, rows[2 * i + 1] - cy)).toBeCloseTo(1, 15);
    }
    expect([rows[0], rows[1]]).toEqual([1, 0]); // θ = 0 on the upper moon
  });

  test("gaussian quantiles: every class-0 point is nearer the mean than every class-1 point", () => {
    const { rows, labels } = makeGaussianQuantiles({ nSamples: 51, cov: 2, nClasses: 2, rng: new RandomState(3) });
    const r = (i: number) => Math.hypot(rows[2 * i], rows[2 * i + 1]);
    const inner = Array.from(labels.keys()).filter((i) => labels[i] === 0);
    const outer = Array.from(labels.keys()).filter((i) => labels[i] === 1);
    expect([inner.length, outer.length]).toEqual([25, 26]); // ⌊51/2⌋, the remainder joins the last class
    expect(Math.max(...inner.map(r))).toBeLessThan(Math.min(...outer.map(r)));
  });

  test("blobs: counts per centre are ⌊n/centers⌋ plus one for the first n mod centers", () => {
    const { labels } = makeBlobs({ nSamples: 8, centers: 3, rng: new RandomState(0) });
    expect(Array.from(labels)).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
  });

  test("bad parameters throw ValueErrors naming the generator", () => {
    const rng = new RandomState(0);
    expect(() => makeCircles({ nSamples: 1, factor: 0.5, noise: 0, rng })).toThrow(/makeCircles: nSamples/);
    expect(() => makeCircles({ nSamples: 10, factor: 1.5, noise: 0, rng })).toThrow(ValueError);
    expect(() => makeBlobs({ nSamples: 10, centers: 0, rng })).toThrow(/makeBlobs: centers/);
    expect(() => makeGaussianQuantiles({ nSamples: 10, cov: -1, nClasses: 2, rng })).toThrow(/cov must be > 0/);
  });
});

describe("data set names", () => {
  test("accepts the names and the course's aliases, rejects others with the list", () => {
    expect(datasetNames.map(resolveDatasetName)).toEqual([...datasetNames]);
    expect(resolveDatasetName("noisy_moons")).toBe("moons");
    expect(resolveDatasetName("gaussian_quantiles")).toBe("quantiles");
    expect(() => resolveDatasetName("spiral")).toThrow(/unknown data set "spiral"; expected one of flower, circles/);
  });
});
