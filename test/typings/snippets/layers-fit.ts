/** README snippet (checked by test/typings.test.ts): the layers README's fit. */
import type { Tensor } from "@backprop/core";

declare const X: Tensor;
declare const Y: Tensor;

// ---- the README block, verbatim:
import { adam, fit, stepDecay, TwoLayerNet } from "@backprop/layers";

const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });                  // the course's planar classifier, seed 2
const { costs } = fit(net, X, Y, {
  iterations: 10_000,
  learningRate: 1.2,
  printEvery: 1000,
  onProgress: ({ iteration, cost }) => console.log(`Cost after iteration ${iteration}: ${cost.toFixed(6)}`),
});
net.accuracy(X, Y);                                                     // 90.5 on the flower data set

// Minibatch Adam with a decaying learning rate and early stopping:
fit(net, X, Y, {
  epochs: 50, batchSize: 64, seed: 1,
  optimizer: adam(net.namedParameters().map(([, p]) => p), { learningRate: 0.01 }),
  learningRate: stepDecay(0.01, { dropEvery: 100, factor: 0.5 }),
  earlyStopping: { patience: 200, minDelta: 1e-6 },
});
