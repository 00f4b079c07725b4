/** Smoke program for the packaging check: every public entry point imports from the installed tarballs and works. */
import { gradients, tensor } from "@backprop/core";
import { startGemmWorkerThread } from "@backprop/core/node";
import { TwoLayerNet } from "@backprop/layers";
import { saveParameters } from "@backprop/layers/node";
import { expectClose, float64Tensor, propertyParams } from "@backprop/testing";
import fc from "fast-check";

// J = Σ (w·x)² at w = [1, 2], x = [3, 4]: w·x = 11, so dJ/dw = 2·11·x = [66, 88] (hand derivation).
const w = tensor([[1, 2]], { requiresGrad: true });
const x = tensor([[3], [4]]);
const J = w.matmul(x).square().sum();
const [dw] = gradients(J, [w]);
if (dw === undefined) throw new Error("gradients returned no gradient for w");
expectClose(dw, tensor([[66, 88]]));

// The course's two-layer net: n_x = 2, n_h = 4, n_y = 1, m = 3 examples; A2 is (1, 3) and lies in (0, 1).
const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: 1 });
const { A2 } = net.forward(
  tensor([
    [0, 1, 2],
    [1, 0, -1],
  ]),
);
if (A2.shape.join(",") !== "1,3" || !(A2.min().item() > 0 && A2.max().item() < 1)) {
  throw new Error(`TwoLayerNet: A2 should be (1,3) in (0,1), got ${A2.toString()}`);
}

// The testing package's arbitraries run under the consumer's own fast-check.
fc.assert(
  fc.property(float64Tensor({ shape: [2, 3] }), (t) => t.add(t).sub(t.mul(2)).abs().max().item() === 0),
  propertyParams(20),
);

if (typeof startGemmWorkerThread !== "function" || typeof saveParameters !== "function") {
  throw new Error("the node subpaths do not export their functions");
}
console.log("smoke: ok");
