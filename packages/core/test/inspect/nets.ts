/** Graphs the inspection tests share: the course's J = 3(a + bc) and a hand-built two-layer net with the course's names. */
import { RandomState, type Tensor, tensor, zeros } from "@backprop/core";

/** J = 3(a + bc) with a = 5, b = 3, c = 2: u = bc, v = a + u, J = 3v (course week 2, "Computation graph"). */
export function courseGraph(): { a: Tensor; b: Tensor; c: Tensor; u: Tensor; v: Tensor; J: Tensor } {
  const a = tensor(5, { requiresGrad: true, name: "a" });
  const b = tensor(3, { requiresGrad: true, name: "b" });
  const c = tensor(2, { requiresGrad: true, name: "c" });
  const u = b.mul(c).named("u");
  const v = a.add(u).named("v");
  const J = v.mul(3).named("J");
  return { a, b, c, u, v, J };
}

/** The tensors of the two-layer net's forward pass and cost. */
export interface TwoLayerGraph {
  X: Tensor;
  Y: Tensor;
  W1: Tensor;
  b1: Tensor;
  W2: Tensor;
  b2: Tensor;
  Z1: Tensor;
  A1: Tensor;
  Z2: Tensor;
  A2: Tensor;
  J: Tensor;
}

/**
 * The course's 2-layer net (n_x = 2, n_h = 4, n_y = 1, m examples as columns, tanh then sigmoid,
 * mean binary cross-entropy) written with core ops and named as the course names it.
 */
export function twoLayerGraph(m = 400, hidden: "tanh" | "relu" | "sigmoid" = "tanh"): TwoLayerGraph {
  const rs = new RandomState(3);
  const X = rs.randn(2, m).named("X");
  const Y = rs.rand(1, m).gt(0.5).named("Y");
  const W1 = rs.randn(4, 2).mul(0.01).requiresGrad_().named("W1");
  const b1 = zeros([4, 1]).requiresGrad_().named("b1");
  const W2 = rs.randn(1, 4).mul(0.01).requiresGrad_().named("W2");
  const b2 = zeros([1, 1]).requiresGrad_().named("b2");
  const Z1 = W1.matmul(X).add(b1).named("Z1");
  const A1 = Z1[hidden]().named("A1");
  const Z2 = W2.matmul(A1).add(b2).named("Z2");
  const A2 = Z2.sigmoid().named("A2");
  // J = −(1/m) Σ (Y log A2 + (1 − Y) log(1 − A2))
  const J = Y.mul(A2.log())
    .add(Y.neg().add(1).mul(A2.neg().add(1).log()))
    .mean()
    .neg()
    .named("J");
  return { X, Y, W1, b1, W2, b2, Z1, A1, Z2, A2, J };
}
