import { ValueError } from "@backprop/core";
import { propertyParams, propertyRuns } from "@backprop/testing";
import { afterEach, describe, expect, it } from "vitest";

const names = ["BACKPROP_PROPERTY_RUNS", "BACKPROP_PROPERTY_SEED", "BACKPROP_PROPERTY_PATH"] as const;
const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));

afterEach(() => {
  for (const n of names) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

function setEnv(values: Partial<Record<(typeof names)[number], string>>): void {
  for (const n of names) delete process.env[n];
  Object.assign(process.env, values);
}

describe("propertyRuns", () => {
  it("uses the default when BACKPROP_PROPERTY_RUNS is unset", () => {
    setEnv({});
    expect(propertyRuns(30)).toBe(30);
    expect(propertyRuns(30, 0.1)).toBe(30);
  });

  it("uses BACKPROP_PROPERTY_RUNS scaled by the factor, at least 1", () => {
    setEnv({ BACKPROP_PROPERTY_RUNS: "10000" });
    expect(propertyRuns(30)).toBe(10000);
    expect(propertyRuns(30, 0.3)).toBe(3000);
    setEnv({ BACKPROP_PROPERTY_RUNS: "2" });
    expect(propertyRuns(30, 0.1)).toBe(1);
  });

  it("rejects bad values with a ValueError naming the variable", () => {
    setEnv({ BACKPROP_PROPERTY_RUNS: "many" });
    expect(() => propertyRuns(30)).toThrow(/BACKPROP_PROPERTY_RUNS must be a positive integer, got 'many'/);
    for (const bad of ["abc", "-1", "1.5", "0", " 5", "1e3", "0x10"]) {
      setEnv({ BACKPROP_PROPERTY_RUNS: bad });
      expect(() => propertyRuns(30)).toThrow(ValueError);
      expect(() => propertyParams(30)).toThrow(`BACKPROP_PROPERTY_RUNS must be a positive integer, got '${bad}'`);
    }
    setEnv({});
    expect(() => propertyRuns(0)).toThrow(ValueError);
    expect(() => propertyRuns(5, 0)).toThrow(/factor must be positive/);
  });
});

describe("propertyParams", () => {
  it("returns numRuns only by default", () => {
    setEnv({});
    expect(propertyParams(40)).toEqual({ numRuns: 40 });
  });

  it("adds seed and path from the environment to replay a failure", () => {
    setEnv({ BACKPROP_PROPERTY_SEED: "-1234", BACKPROP_PROPERTY_PATH: "12:0:3", BACKPROP_PROPERTY_RUNS: "7" });
    expect(propertyParams(40)).toEqual({ numRuns: 7, seed: -1234, path: "12:0:3" });
  });

  it("rejects a malformed seed or path", () => {
    setEnv({ BACKPROP_PROPERTY_SEED: "1.5" });
    expect(() => propertyParams(40)).toThrow(/BACKPROP_PROPERTY_SEED must be an integer/);
    setEnv({ BACKPROP_PROPERTY_PATH: "1;2" });
    expect(() => propertyParams(40)).toThrow(/BACKPROP_PROPERTY_PATH must look like/);
  });
});
