/** README snippet (checked by test/typings.test.ts): the layers README's Adam loop. */
import type { Tensor } from "@backprop/core";

declare const X: Tensor;
declare const Y: Tensor;

// ---- the README block, verbatim:
import { adam, TwoLayerNet } from "@backprop/layers";

const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
const opt = adam(net.namedParameters().map(([, p]) => p), { learningRate: 0.01 });
for (let i = 0; i < 1000; i++) {
  opt.zeroGrad();
  net.loss(X, Y).backward();
  opt.step();
}
