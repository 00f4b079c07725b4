/** Property 7: the course's symmetry claim — with identical initial hidden units, gradient descent keeps every row of W1 equal. */
import { noGrad, type Tensor } from "@backprop/core";
import { sgd, TwoLayerNet } from "@backprop/layers";
import { expectClose, floatTensor, floatValue, hiddenActivationNames, labels, propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";

/** Sizes, data, activation, number of steps and learning rate of one training run. */
const runs = fc
  .record({
    nx: fc.integer({ min: 1, max: 4 }),
    nh: fc.integer({ min: 2, max: 5 }),
    m: fc.integer({ min: 1, max: 6 }),
    hiddenActivation: fc.constantFrom(...hiddenActivationNames),
    steps: fc.integer({ min: 1, max: 5 }),
    learningRate: fc.constantFrom(0.1, 0.5, 1.2),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .chain((r) =>
    fc.record({
      run: fc.constant(r),
      X: floatTensor({ shape: [r.nx, r.m], min: -2, max: 2 }),
      Y: labels(r.m),
      // A symmetric start: every hidden unit identical (the course's all-zeros case when c = 0).
      c: floatValue({ min: -1, max: 1, include: [0] }),
    }),
  );

function train(net: TwoLayerNet, X: Tensor, Y: Tensor, steps: number, learningRate: number): void {
  const optimizer = sgd(
    net.namedParameters().map(([, p]) => p),
    { learningRate },
  );
  for (let k = 0; k < steps; k++) {
    optimizer.zeroGrad();
    net.loss(X, Y).backward();
    optimizer.step();
  }
}

/** Row i of a matrix as a (1, n) tensor. */
function row(W: Tensor, i: number): Tensor {
  return noGrad(() => W.slice([[i, i + 1]]));
}

describe("symmetry of hidden units", () => {
  test.prop([runs], propertyParams(60, 0.5))(
    "with W1 (and b1, W2, b2) initialised symmetrically, all rows of W1 stay equal after k gradient-descent steps",
    ({ run, X, Y, c }) => {
      const { nx, nh, hiddenActivation, steps, learningRate } = run;
      const net = new TwoLayerNet({ nx, nh, ny: 1, hiddenActivation, init: "zeros" });
      for (const p of [net.W1, net.b1, net.W2]) p.copy_(c);
      train(net, X, Y, steps, learningRate);
      for (let i = 1; i < nh; i++) {
        expectClose(row(net.W1, i), row(net.W1, 0), { rtol: 1e-12, atol: 1e-300, name: `W1 row ${i} vs row 0` });
      }
    },
  );

  test.prop([runs], propertyParams(60, 0.5))(
    "with the random ('small') init the rows of W1 differ, and training keeps them apart",
    ({ run, X, Y }) => {
      const { nx, nh, hiddenActivation, steps, learningRate, seed } = run;
      const net = new TwoLayerNet({ nx, nh, ny: 1, hiddenActivation, seed });
      train(net, X, Y, steps, learningRate);
      for (let i = 1; i < nh; i++) {
        const gap = noGrad(() => row(net.W1, i).sub(row(net.W1, 0)).abs().max().item());
        expect(gap).toBeGreaterThan(1e-8);
      }
    },
  );
});
