/** README snippet (checked by test/typings.test.ts): the layers README's TwoLayerNet. */
import type { Tensor } from "@backprop/core";

declare const X: Tensor;
declare const Y: Tensor;

// ---- the README block, verbatim:
import { closedFormGradients, TwoLayerNet } from "@backprop/layers";

const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
const { A2 } = net.forward(X);          // (1, m)
const J = net.cost(A2, Y);              // scalar named "J"
const auto = net.gradients(X, Y);       // autodiff, course convention
const closed = closedFormGradients(net.params, X, Y, "tanh");
// auto.dW1 ≈ closed.dW1 to ~1e-15 relative
