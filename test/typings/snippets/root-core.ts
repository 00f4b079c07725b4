/** README snippet (checked by test/typings.test.ts): the root README's core in one screen. */
// ---- the README block, verbatim:
import { type Tensor, tensor, grad, gradcheck, RandomState } from "@backprop/core";

// The course's 2-layer forward pass, examples as columns: X is (n_x, m).
const rs = new RandomState(2);
const W1 = rs.randn(4, 2).mul(0.01).requiresGrad_().named("W1"); // = np.random.seed(2); np.random.randn(4, 2) * 0.01
const b1 = tensor([[0], [0], [0], [0]], { requiresGrad: true, name: "b1" });
const X = tensor([[1, 2, 3], [0.5, -1, 2]]);                      // (2, 3): three examples
const Z1 = W1.matmul(X).add(b1).named("Z1");                       // b broadcast over the columns
const A1 = Z1.tanh().named("A1").retainGrad();
const J = A1.square().mean();                                      // any scalar
J.backward();
W1.grad;  // dW1, shape (4, 2) — the shape of W1
b1.grad;  // db1, shape (4, 1) — the broadcast is summed back over the m columns
A1.grad;  // dA1, kept by retainGrad()

// Functional transforms: no state leaks between calls; they nest.
const f = (x: Tensor) => x.pow(3).sum();
grad(f)(tensor([1, 2]));                   // [3, 12]
grad((x: Tensor) => grad(f)(x).sum())(tensor([1, 2])); // [6, 12]
gradcheck(f, [tensor([1, 2])]).passed;     // true: autodiff = central finite differences
