/** `--jit`: the two-layer net's training loop compiled by core's `jit`, with the same costs as `fit`, bit for bit. */
import { jit, linear, sub, Tensor, type TensorFunction, valueAndGrad, where } from "@backprop/core";
import { divergenceGuard, type ProgressEvent, type TwoLayerNet } from "@backprop/layers";

/** A compiled training step: the cost J and dJ/dW1, dJ/db1, dJ/dW2, dJ/db2 at the given parameters. */
export type JitStep = (W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor) => [Tensor, Tensor[]];

/**
 * `net.loss(X, Y)` written with core's ops, so that `jit` can compile it: Z1 = W1·X + b1 (`linear`), the net's
 * hidden activation, Z2 = W2·A1 + b2, A2 = σ(Z2), and binary cross-entropy as `TwoLayerNet` computes it,
 * J = (0 − Σ log p)/m with p = A2 where Y = 1 and 1 − A2 where Y = 0. (layers' `binaryCrossEntropy` is a custom op,
 * which jit does not compile; its backward rule is, by design, the same operations in the same order as autodiff of
 * these ops, so the gradients are the same bits.) X and Y are closed over; the parameters are the arguments.
 * @example const step = jitStep(net, X, Y); const [J, [dW1, db1, dW2, db2]] = step(W1, b1, W2, b2);
 */
export function jitStep(net: TwoLayerNet, X: Tensor, Y: Tensor): JitStep {
  const m = X.shape[1];
  const hidden = net.hiddenActivation;
  const loss: TensorFunction = (W1, b1, W2, b2) => {
    const A2 = linear(W2, hidden.forward(linear(W1, X, b1)), b2).sigmoid();
    return sub(0, where(Y, A2, sub(1, A2)).log().sum()).div(m);
  };
  return jit(valueAndGrad(loss, { argnums: [0, 1, 2, 3] }));
}

/** What `fitJit` needs: fit's options for full-batch gradient descent. */
export interface FitJitOptions {
  iterations: number;
  learningRate: number;
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * `fit(net, X, Y, { iterations, learningRate, onProgress })` for a TwoLayerNet, full batch, with the step compiled
 * by `jit`: each iteration runs the compiled cost and gradients, then W := W − α·dW in place (sgd's `sub_`), so
 * the costs are fit's, bit for bit. Like fit, it stops with a `TrainingDivergedError` at the first NaN or ±Infinity
 * in the cost or a gradient (before the update) or in an updated parameter (restoring the parameters first).
 * @example const costs = fitJit(net, X, Y, { iterations: 10000, learningRate: 1.2 });
 */
export function fitJit(net: TwoLayerNet, X: Tensor, Y: Tensor, options: FitJitOptions): number[] {
  net.checkData("fit", X, Y);
  // The parameters' storage without requiresGrad: jit compiles a call that nothing differentiates.
  const named = net.namedParameters().map(([name, p]) => [name, new Tensor(p.data, p.shape)] as const);
  const params = named.map(([, p]) => p);
  const guard = divergenceGuard(named);
  const [W1, b1, W2, b2] = params;
  const step = jitStep(net, X, Y);
  const { iterations, learningRate, onProgress } = options;
  const start = Date.now();
  const costs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const [J, grads] = step(W1, b1, W2, b2);
    const cost = J.data[0];
    guard.beforeStep(i, cost, grads);
    params.forEach((p, k) => {
      p.sub_(grads[k], learningRate);
    });
    guard.afterStep(i);
    costs.push(cost);
    onProgress?.({ iteration: i, total: iterations, cost, elapsedMs: Date.now() - start });
  }
  return costs;
}
