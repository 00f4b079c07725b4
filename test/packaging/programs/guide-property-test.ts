/** The guide's second program: a property test of your own hand-derived gradient, with @backprop/testing and fast-check. */
import { grad, type Tensor } from "@backprop/core";
import { assertGradcheck, expectClose, floatTensor, propertyParams } from "@backprop/testing";
import fc from "fast-check";

// Your cost: linear regression's J(w, b) = (1/(2m)) Σ (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)², examples as columns of X (n, m).
function cost(w: Tensor, b: Tensor, X: Tensor, Y: Tensor): Tensor {
  const m = X.shape[1] ?? 1;
  return w.T.matmul(X)
    .add(b)
    .sub(Y)
    .square()
    .sum()
    .div(2 * m);
}

// Your hand derivation: dw = (1/m) X (wᵀX + b − Y)ᵀ, db = (1/m) Σ (wᵀX + b − Y).
function handGradients(w: Tensor, b: Tensor, X: Tensor, Y: Tensor): { dw: Tensor; db: Tensor } {
  const m = X.shape[1] ?? 1;
  const error = w.T.matmul(X).add(b).sub(Y); // (1, m)
  return { dw: X.matmul(error.T).div(m), db: error.sum(1, true).div(m) };
}

// Random problems: n features, m examples; values in [−3, 3].
const problem = fc.record({ n: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 1, max: 6 }) }).chain(({ n, m }) =>
  fc.record({
    w: floatTensor({ shape: [n, 1] }),
    b: floatTensor({ shape: [1, 1] }),
    X: floatTensor({ shape: [n, m] }),
    Y: floatTensor({ shape: [1, m] }),
  }),
);

fc.assert(
  fc.property(problem, ({ w, b, X, Y }) => {
    // Autodiff's gradients of your cost equal your derivation (to rounding: 1e-12 relative, 1e-12 absolute near 0) …
    const [dw, db] = grad((w_: Tensor, b_: Tensor) => cost(w_, b_, X, Y), { argnums: [0, 1] })(w, b);
    const hand = handGradients(w, b, X, Y);
    if (dw === undefined || db === undefined) throw new Error("grad returned fewer gradients than argnums");
    expectClose(dw, hand.dw, { rtol: 1e-12, atol: 1e-12, name: "dw" });
    expectClose(db, hand.db, { rtol: 1e-12, atol: 1e-12, name: "db" });
    // … and both agree with central finite differences.
    assertGradcheck((w_, b_) => cost(w_, b_, X, Y), [w, b]);
  }),
  propertyParams(100),
);
console.log("dw and db: autodiff = hand derivation = finite differences on 100 random problems");
