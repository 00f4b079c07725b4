/** The guide's first program: a Sequential net trained by minibatch Adam, its accuracy, and a saved and reloaded checkpoint. */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RandomState, type Tensor } from "@backprop/core";
import { adam, fit, mlp } from "@backprop/layers";
import { loadParametersFile, saveParameters } from "@backprop/layers/node";

// Data: points in the square [−1, 1]², labelled 1 inside the circle of radius 0.6. Examples are columns.
function circles(m: number, seed: number): { X: Tensor; Y: Tensor } {
  const X = new RandomState(seed).rand(2, m).mul(2).sub(1); // (2, m)
  const Y = X.square().sum(0, true).lt(0.36); // (1, m): x0² + x1² < 0.6², as 1/0
  return { X, Y };
}
const train = circles(400, 1);
const dev = circles(200, 2);

// Layers [2, 8, 8, 1]: relu, relu, sigmoid (so the cost is binary cross-entropy); He initialization, seed 3.
const net = mlp([2, 8, 8, 1], ["relu", "relu", "sigmoid"], { init: "he", seed: 3 });
const optimizer = adam(net.parameters(), { learningRate: 0.01 });
const { costs } = fit(net, train.X, train.Y, {
  epochs: 150,
  batchSize: 64,
  seed: 1,
  optimizer,
  validationData: [dev.X, dev.Y],
  printEvery: 350,
  onProgress: ({ iteration, cost, validationAccuracy }) =>
    console.log(`iteration ${iteration}: cost ${cost.toFixed(4)}, dev accuracy ${validationAccuracy?.toFixed(1)}%`),
});
const trainAccuracy = net.accuracy(train.X, train.Y);
const devAccuracy = net.accuracy(dev.X, dev.Y);
console.log(`${costs.length} Adam steps: train accuracy ${trainAccuracy}%, dev accuracy ${devAccuracy}%`);

// Save a checkpoint, load it into a fresh net of the same shape, and check it predicts the same.
const file = join(tmpdir(), `backprop-guide-${process.pid}.safetensors`);
await saveParameters(net, file, { metadata: { epochs: "150" } });
const restored = mlp([2, 8, 8, 1], ["relu", "relu", "sigmoid"]);
await loadParametersFile(restored, file);
const same = JSON.stringify(restored.predict(dev.X).toArray2D()) === JSON.stringify(net.predict(dev.X).toArray2D());

if (!(trainAccuracy >= 95 && devAccuracy >= 93 && same)) {
  throw new Error(
    `guide-sequential: train ${trainAccuracy}%, dev ${devAccuracy}%, restored predictions equal: ${same}`,
  );
}
