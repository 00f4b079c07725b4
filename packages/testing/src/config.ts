/** Run counts and replay parameters for property tests, read from BACKPROP_PROPERTY_* environment variables. */

import { ValueError } from "@backprop/core";

/** The environment, without depending on Node's types (the package also loads in browsers, where it is empty). */
function env(name: string): string | undefined {
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = processLike?.env?.[name];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * How many runs a property should make: `defaultRuns` normally (keep it small for CI), or
 * `BACKPROP_PROPERTY_RUNS × factor` (at least 1) when that variable is set, so one variable deepens
 * every property while slow ones (factor < 1) stay proportionate.
 * @example test.prop([shape()], { numRuns: propertyRuns(50) })("...", (s) => { ... });
 */
export function propertyRuns(defaultRuns: number, factor = 1): number {
  return runsFor("propertyRuns", defaultRuns, factor);
}

/** propertyRuns, its errors naming `op` (propertyRuns or propertyParams). */
function runsFor(op: string, defaultRuns: number, factor: number): number {
  if (!Number.isInteger(defaultRuns) || defaultRuns < 1) {
    throw new ValueError(op, `defaultRuns must be a positive integer, got ${defaultRuns}`);
  }
  if (!(factor > 0)) throw new ValueError(op, `factor must be positive, got ${factor}`);
  const raw = env("BACKPROP_PROPERTY_RUNS");
  if (raw === undefined) return defaultRuns;
  // Digits only: Number() would read "", " 5", "1e3" or "0x10" as numbers, and a typo must not mean 0 runs.
  const runs = /^[1-9]\d*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(runs)) {
    throw new ValueError(op, `BACKPROP_PROPERTY_RUNS must be a positive integer, got '${raw}'`);
  }
  return Math.max(1, Math.round(runs * factor));
}

/** The fast-check parameters `propertyParams` sets; assignable to fast-check's `Parameters<T>` for any T. */
export interface PropertyParams {
  numRuns: number;
  seed?: number;
  path?: string;
}

/**
 * fast-check parameters for one property: `numRuns` from `propertyRuns`, plus `seed` and `path`
 * from BACKPROP_PROPERTY_SEED / BACKPROP_PROPERTY_PATH when set, to replay a reported failure.
 * @example test.prop([twoLayerNetCase()], propertyParams(40))("...", (c) => { ... });
 */
export function propertyParams(defaultRuns: number, factor = 1): PropertyParams {
  const params: PropertyParams = { numRuns: runsFor("propertyParams", defaultRuns, factor) };
  const seed = env("BACKPROP_PROPERTY_SEED");
  if (seed !== undefined) {
    const value = Number(seed);
    if (!Number.isInteger(value)) {
      throw new ValueError("propertyParams", `BACKPROP_PROPERTY_SEED must be an integer, got '${seed}'`);
    }
    params.seed = value;
  }
  const path = env("BACKPROP_PROPERTY_PATH");
  if (path !== undefined) {
    if (!/^\d+(:\d+)*$/.test(path)) {
      throw new ValueError("propertyParams", `BACKPROP_PROPERTY_PATH must look like '12:0:3', got '${path}'`);
    }
    params.path = path;
  }
  return params;
}
