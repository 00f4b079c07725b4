/** The page's training loop in Node: the course's numbers, the same costs as `fit`, the optimizers wired, points added and cleared. */
import { adam, fit, TwoLayerNet } from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config.js";
import { Trainer } from "../src/trainer.js";

describe("Trainer", () => {
  it("gives the course's costs: 0.693048 at iteration 0 and 0.288083 at 1000, as the planar demo", () => {
    const trainer = new Trainer(defaultConfig);
    // Full-precision values: examples/planar/README.md's numpy comparison table (the backprop column).
    expect(trainer.inspect()?.cost).toBe(0.6930480201239823);
    trainer.step(1000);
    expect(trainer.iteration).toBe(1000);
    expect(trainer.inspect()?.cost).toBe(0.28808329356901846);
  });

  it("runs fit's loop exactly: parameters and cost equal fit's bit for bit, also with Adam", () => {
    const config = { ...defaultConfig, optimizer: "adam" as const, lr: 0.01, hidden: 3 };
    const trainer = new Trainer(config);
    const net = new TwoLayerNet({ nx: 2, nh: 3, ny: 1, seed: 2 });
    const parameters = net.namedParameters().map(([, p]) => p);
    const { X, Y } = trainer.data;
    fit(net, X, Y, { iterations: 50, optimizer: adam(parameters, { learningRate: 0.01 }) });
    trainer.step(50);
    expect(Array.from(trainer.net.W1.data)).toEqual(Array.from(net.W1.data));
    expect(Array.from(trainer.net.b2.data)).toEqual(Array.from(net.b2.data));
    expect(trainer.inspect()?.cost).toBe(net.loss(X, Y).item());
  });

  it("keeps training on added points; with no points there is no cost and stepping does nothing", () => {
    const trainer = new Trainer(defaultConfig);
    trainer.clearPoints();
    expect(trainer.examples).toBe(0);
    expect(trainer.inspect()).toBeNull();
    trainer.step(5);
    expect(trainer.iteration).toBe(0);
    trainer.addPoint(1, 2, 1);
    trainer.addPoint(-1, -2, 0);
    expect(trainer.examples).toBe(2);
    expect(Array.from(trainer.data.X.data)).toEqual([1, -1, 2, -2]);
    expect(Array.from(trainer.data.Y.data)).toEqual([1, 0]);
    // Small random weights: A2 ≈ σ(0) = 0.5 for both points, so J ≈ log 2 = 0.693147.
    expect(trainer.inspect()?.cost).toBeCloseTo(Math.log(2), 3);
    trainer.step(5);
    expect(trainer.iteration).toBe(5);
  });
});
