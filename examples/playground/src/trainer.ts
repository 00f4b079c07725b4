/** The training state behind the page: data, a TwoLayerNet, its optimizer, and the course's loop one iteration at a time. */
import { concat, type Tensor, tensor, zeros } from "@backprop/core";
import { loadDataset } from "@backprop/example-planar/data";
import { adam, momentum, type Optimizer, sgd, TwoLayerNet } from "@backprop/layers";
import type { Config } from "./config.js";

/** The current parameters' cost, with the graph and gradients of that cost kept for the pictures. */
export interface Inspection {
  /** J at the current parameters: what the next iteration's forward pass computes (the course's "cost after iteration i"). */
  readonly cost: number;
  /** The scalar J, after `backward()`, with Z1, A1, Z2, A2 retaining their gradients. */
  readonly J: Tensor;
  /** Training accuracy in percent (A2 > 0.5 against Y). */
  readonly accuracy: number;
}

/** Data in the course's layout: X (2, m), Y (1, m). */
export interface Points {
  readonly X: Tensor;
  readonly Y: Tensor;
}

function makeOptimizer(net: TwoLayerNet, config: Config): Optimizer {
  const parameters = net.namedParameters().map(([, p]) => p);
  const options = { learningRate: config.lr };
  if (config.optimizer === "momentum") return momentum(parameters, options);
  if (config.optimizer === "adam") return adam(parameters, options);
  return sgd(parameters, options);
}

/**
 * One training run. `step(n)` runs n iterations of the course's loop (zero the gradients, forward, cost, backward,
 * update), exactly as `fit` does, so the costs equal the planar demo's bit for bit.
 */
export class Trainer {
  net!: TwoLayerNet;
  private optimizer!: Optimizer;
  iteration = 0;
  private inspected: Inspection | null = null;
  data: Points;

  constructor(private config: Config) {
    this.data = Trainer.generate(config);
    this.reset(config);
  }

  /** The configured data set. */
  static generate(config: Config): Points {
    const { X, Y } = loadDataset(config.dataset, config.dataSeed, config.noise);
    return { X: X.named("X"), Y: Y.named("Y") };
  }

  /** A fresh network and optimizer (same data): iteration 0. */
  reset(config: Config): void {
    this.config = config;
    this.net = new TwoLayerNet({
      nx: 2,
      nh: config.hidden,
      ny: 1,
      seed: config.seed,
      hiddenActivation: config.activation,
    });
    this.optimizer = makeOptimizer(this.net, config);
    this.iteration = 0;
    this.inspected = null;
  }

  /** Changes the learning rate of the running optimizer (no reset). */
  setLearningRate(lr: number): void {
    this.config = { ...this.config, lr };
    this.optimizer.learningRate = lr;
  }

  /** Replaces the data and keeps training the same network on it. */
  setData(points: Points): void {
    this.data = points;
    this.inspected = null;
  }

  /** Adds one point (a column of X) with label 0 or 1. */
  addPoint(x0: number, x1: number, label: 0 | 1): void {
    const { X, Y } = this.data;
    this.setData({
      X: concat([X, tensor([[x0], [x1]])], 1).named("X"),
      Y: concat([Y, tensor([[label]])], 1).named("Y"),
    });
  }

  /** Removes every point. Training pauses until points are added (a cost needs m ≥ 1). */
  clearPoints(): void {
    this.setData({ X: zeros([2, 0], { name: "X" }), Y: zeros([1, 0], { name: "Y" }) });
  }

  /** m, the number of examples. */
  get examples(): number {
    return this.data.X.shape[1];
  }

  /** Runs n iterations of full-batch training. */
  step(n: number): void {
    if (this.examples === 0) return;
    const { X, Y } = this.data;
    const parameters = this.optimizer.parameters;
    for (let i = 0; i < n; i++) {
      for (const p of parameters) p.grad = null;
      this.optimizer.zeroGrad();
      this.net.loss(X, Y).backward();
      this.optimizer.step();
    }
    this.iteration += n;
    if (n > 0) this.inspected = null;
  }

  /**
   * The cost at the current parameters with its graph and gradients (one forward and backward pass, no update; the
   * next step clears these gradients), computed once per parameter state. Null without data.
   */
  inspect(): Inspection | null {
    if (this.inspected !== null) return this.inspected;
    if (this.examples === 0) return null;
    const { X, Y } = this.data;
    for (const p of this.optimizer.parameters) p.grad = null;
    const cache = this.net.forward(X);
    for (const t of [cache.Z1, cache.A1, cache.Z2, cache.A2]) t.retainGrad();
    const J = this.net.cost(cache.A2, Y);
    const cost = J.item();
    J.backward();
    this.inspected = { cost, J, accuracy: this.net.accuracy(X, Y) };
    return this.inspected;
  }
}
