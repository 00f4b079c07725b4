import { ValueError } from "@backprop/core";
import { exponentialDecay, inverseTimeDecay, stepDecay } from "@backprop/layers";
import { describe, expect, it } from "vitest";

describe("stepDecay's factor^k is correctly rounded, as Python's float power", () => {
  it("0.1 · 0.9^k equals Python's 0.1 * 0.9 ** k (V8's 0.9 ** 4 is 0.6561000000000001)", () => {
    const s = stepDecay(0.1, { dropEvery: 1, factor: 0.9 });
    // python3 -c "print([repr(0.1 * 0.9 ** k) for k in (3, 4, 11)])"
    expect(s(3)).toBe(0.0729);
    expect(s(4)).toBe(0.06561);
    expect(s(11)).toBe(0.031381059609000006);
    expect(stepDecay(0.1, { dropEvery: 1, factor: 1 })(7)).toBe(0.1);
    expect(stepDecay(1, { dropEvery: 1, factor: 0.5 })(1100)).toBe(0.5 ** 1100); // below 2^−200: plain ** (exact here)
  });
});

describe("stepDecay: initial · factor^⌊t / dropEvery⌋", () => {
  it("halves every 1000 iterations", () => {
    const s = stepDecay(0.1, { dropEvery: 1000, factor: 0.5 });
    expect(s(0)).toBe(0.1);
    expect(s(999)).toBe(0.1);
    expect(s(1000)).toBe(0.05);
    expect(s(2500)).toBe(0.025);
    expect(s(3000)).toBe(0.0125);
  });

  it("rejects bad options", () => {
    expect(() => stepDecay(0, { dropEvery: 10, factor: 0.5 })).toThrow(/^stepDecay: initial must be a positive/);
    expect(() => stepDecay(0.1, { dropEvery: 0, factor: 0.5 })).toThrow(/dropEvery must be a positive integer, got 0/);
    expect(() => stepDecay(0.1, { dropEvery: 1.5, factor: 0.5 })).toThrow(ValueError);
    expect(() => stepDecay(0.1, { dropEvery: 10, factor: 0 })).toThrow(/factor must be a number in \(0, 1\]/);
    expect(() => stepDecay(0.1, { dropEvery: 10, factor: 1.5 })).toThrow(ValueError);
  });
});

describe("exponentialDecay: initial · rate^(t / decaySteps)", () => {
  it("matches the formula, smoothly between steps", () => {
    const s = exponentialDecay(0.1, { rate: 0.5, decaySteps: 100 });
    expect(s(0)).toBe(0.1);
    expect(s(100)).toBe(0.05);
    expect(s(200)).toBe(0.025);
    // 0.1 · 0.5^0.5 = 0.1/√2
    expect(s(50)).toBeCloseTo(0.1 / Math.SQRT2, 16);
  });

  it("decaySteps defaults to 1", () => {
    const s = exponentialDecay(1, { rate: 0.9 });
    expect(s(0)).toBe(1);
    expect(s(1)).toBe(0.9);
    expect(s(2)).toBeCloseTo(0.81, 15);
  });

  it("rejects bad options and iterations", () => {
    expect(() => exponentialDecay(0.1, { rate: 0 })).toThrow(/^exponentialDecay: rate must be a number in \(0, 1\]/);
    expect(() => exponentialDecay(0.1, { rate: 0.5, decaySteps: -1 })).toThrow(/decaySteps/);
    expect(() => exponentialDecay(Number.NaN, { rate: 0.5 })).toThrow(/initial/);
    const s = exponentialDecay(0.1, { rate: 0.5 });
    expect(() => s(-1)).toThrow(/^exponentialDecay: the iteration must be a non-negative finite number, got -1$/);
    expect(() => s(Number.NaN)).toThrow(ValueError);
  });
});

describe("inverseTimeDecay: the course's α0 / (1 + decayRate · ⌊t / decaySteps⌋)", () => {
  it("is α0 / (1 + decay_rate · epoch_num) with the defaults", () => {
    const s = inverseTimeDecay(0.5, { decayRate: 1 });
    expect(s(0)).toBe(0.5);
    expect(s(1)).toBe(0.25);
    expect(s(3)).toBe(0.125);
  });

  it("with decaySteps it is the course's schedule_lr_decay (fixed-interval scheduling)", () => {
    // The course's example: learning_rate0 = 0.5, decay_rate = 0.3, time_interval = 100, epoch_num = 10 → 0.5
    // (⌊10/100⌋ = 0); epoch_num = 250 → 0.5 / (1 + 0.3·2) = 0.3125.
    const s = inverseTimeDecay(0.5, { decayRate: 0.3, decaySteps: 100 });
    expect(s(10)).toBe(0.5);
    expect(s(250)).toBe(0.5 / 1.6);
    expect(s(250)).toBeCloseTo(0.3125, 15);
  });

  it("rejects bad options", () => {
    expect(() => inverseTimeDecay(0.5, { decayRate: -1 })).toThrow(
      /^inverseTimeDecay: decayRate must be a non-negative/,
    );
    expect(() => inverseTimeDecay(0.5, { decayRate: 1, decaySteps: 0 })).toThrow(
      /decaySteps must be a positive integer/,
    );
  });
});
