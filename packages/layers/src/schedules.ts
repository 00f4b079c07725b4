/** Learning-rate schedules: functions from the iteration (or epoch) number t = 0, 1, 2, ... to α. */
import { ValueError } from "@backprop/core";
import { checkOptionKeys } from "./dataChecks.js";
import { powerOf } from "./optimizers.js";

/** α as a function of the iteration t (0 for the first). `fit` calls it before every update. */
export type Schedule = (iteration: number) => number;

function checkPositive(op: string, what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(op, `${what} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

function checkPositiveInteger(op: string, what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(op, `${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function checkFactor(op: string, what: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= 1)) {
    throw new ValueError(op, `${what} must be a number in (0, 1], got ${String(value)}`);
  }
  return value;
}

/** f^k for 0 < f ≤ 1 and an integer k ≥ 0, correctly rounded (`powerOf`) unless it is below 2^−200 (then `**`). */
function integerPower(f: number, k: number): number {
  if (f === 1) return 1;
  return Math.log2(f) * k < -200 ? f ** k : powerOf(f, k);
}

/** Wraps a formula with a check of t: a non-negative finite number. */
function schedule(op: string, formula: (t: number) => number): Schedule {
  return (t: number) => {
    if (typeof t !== "number" || !Number.isFinite(t) || t < 0) {
      throw new ValueError(op, `the iteration must be a non-negative finite number, got ${String(t)}`);
    }
    return formula(t);
  };
}

/**
 * α multiplied by `factor` every `dropEvery` iterations: α_t = initial · factor^⌊t / dropEvery⌋.
 * @example stepDecay(0.1, { dropEvery: 1000, factor: 0.5 })(2500); // 0.025
 */
export function stepDecay(initial: number, options: { dropEvery: number; factor: number }): Schedule {
  checkPositive("stepDecay", "initial", initial);
  checkOptionKeys("stepDecay", options ?? null, ["dropEvery", "factor"]);
  const dropEvery = checkPositiveInteger("stepDecay", "dropEvery", options?.dropEvery);
  const factor = checkFactor("stepDecay", "factor", options?.factor);
  // factor^k correctly rounded, as Python's and numpy's `**` give it (V8's `**` is an ulp off for ~10% of k).
  return schedule("stepDecay", (t) => initial * integerPower(factor, Math.floor(t / dropEvery)));
}

/**
 * Smooth exponential decay: α_t = initial · rate^(t / decaySteps) (decaySteps defaults to 1).
 * @example exponentialDecay(0.1, { rate: 0.5, decaySteps: 100 })(50); // 0.1 · 0.5^0.5 ≈ 0.0707
 */
export function exponentialDecay(initial: number, options: { rate: number; decaySteps?: number }): Schedule {
  checkPositive("exponentialDecay", "initial", initial);
  checkOptionKeys("exponentialDecay", options ?? null, ["rate", "decaySteps"]);
  const rate = checkFactor("exponentialDecay", "rate", options?.rate);
  const decaySteps = checkPositive("exponentialDecay", "decaySteps", options?.decaySteps ?? 1);
  return schedule("exponentialDecay", (t) => initial * rate ** (t / decaySteps));
}

/**
 * The course's learning-rate decay: α_t = initial / (1 + decayRate · ⌊t / decaySteps⌋). With
 * decaySteps = 1 (the default) and t the epoch number it is `α0 / (1 + decay_rate · epoch_num)`; with
 * decaySteps = time_interval it is the course's `schedule_lr_decay`.
 * @example inverseTimeDecay(0.5, { decayRate: 1 })(3); // 0.125
 */
export function inverseTimeDecay(initial: number, options: { decayRate: number; decaySteps?: number }): Schedule {
  checkPositive("inverseTimeDecay", "initial", initial);
  checkOptionKeys("inverseTimeDecay", options ?? null, ["decayRate", "decaySteps"]);
  const decayRate = options?.decayRate;
  if (typeof decayRate !== "number" || !Number.isFinite(decayRate) || decayRate < 0) {
    throw new ValueError(
      "inverseTimeDecay",
      `decayRate must be a non-negative finite number, got ${String(decayRate)}`,
    );
  }
  const decaySteps = checkPositiveInteger("inverseTimeDecay", "decaySteps", options?.decaySteps ?? 1);
  return schedule("inverseTimeDecay", (t) => initial / (1 + decayRate * Math.floor(t / decaySteps)));
}
