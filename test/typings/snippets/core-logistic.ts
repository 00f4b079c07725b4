/** README snippet (checked by test/typings.test.ts): the core README's logistic-regression step. */
// ---- the README block, verbatim:
import { tensor, randn, noGrad } from "@backprop/core";

const X = tensor([[0.5, -1.2, 3.0], [1.0, 0.0, -2.0]]);            // (n_x, m) = (2, 3): examples are columns
const Y = tensor([[1, 0, 1]]);
const W = randn([1, 2], 2).mul(0.01).requiresGrad_().named("W");      // np.random.seed(2); randn(1, 2) * 0.01
const b = tensor([[0]], { requiresGrad: true, name: "b" });
const A = W.matmul(X).add(b).sigmoid().named("A");                    // A = σ(W·X + b)
const J = Y.mul(A.log()).add(Y.neg().add(1).mul(A.neg().add(1).log())).mean().neg().named("J");
J.backward();                                                         // dW = (1/m)(A − Y)Xᵀ, db = (1/m)Σ(A − Y)
noGrad(() => { W.sub_(W.grad!, 1.2); b.sub_(b.grad!, 1.2); });  // W := W − α dW, in place, outside the graph
