/** jit on the course's two-layer step written plainly: every bit of the cost and the four gradients equals eager's, in both dtypes and both backends. */
import { type DType, jit, RandomState, type Tensor, tensor, valueAndGrad } from "@backprop/core";
import { describe, expect, it } from "vitest";

/** The course's forward pass and cost, written as the course writes them. */
function loss(W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, X: Tensor, Y: Tensor): Tensor {
  const A1 = W1.matmul(X).add(b1).tanh();
  const A2 = W2.matmul(A1).add(b2).sigmoid();
  return Y.mul(A2.log())
    .add(Y.neg().add(1).mul(A2.neg().add(1).log()))
    .mean()
    .neg();
}

function problem(dtype: DType, m = 40) {
  const rng = new RandomState(1);
  const make = (shape: number[], scale = 1) => (rng.randn(...shape) as Tensor).mul(scale).astype(dtype);
  const X = make([2, m]);
  const Y = tensor(
    Array.from({ length: m }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    { dtype },
  ).reshape([1, m]);
  return { W1: make([4, 2], 0.5), b1: make([4, 1], 0.1), W2: make([1, 4], 0.5), b2: make([1, 1], 0.1), X, Y };
}

const bits = (t: Tensor) => Array.from(t.data, (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe.each(["float64", "float32"] as const)("jit of the course's step (%s)", (dtype) => {
  it.each(["codegen", "interpret"] as const)(
    "%s: cost and gradients equal eager's bit for bit over 5 steps",
    (backend) => {
      const eagerP = problem(dtype);
      const jitP = problem(dtype);
      const step = valueAndGrad(loss, { argnums: [0, 1, 2, 3] });
      const jitted = jit(step, { backend });
      for (let i = 0; i < 5; i++) {
        const e = eagerP;
        const j = jitP;
        const [J, grads] = step(e.W1, e.b1, e.W2, e.b2, e.X, e.Y);
        const [Jj, gradsJ] = jitted(j.W1, j.b1, j.W2, j.b2, j.X, j.Y);
        expect(bits(Jj)).toEqual(bits(J));
        for (let g = 0; g < 4; g++) expect(bits(gradsJ[g])).toEqual(bits(grads[g]));
        [e.W1, e.b1, e.W2, e.b2].forEach((p, g) => {
          p.sub_(grads[g], 1.2);
        });
        [j.W1, j.b1, j.W2, j.b2].forEach((p, g) => {
          p.sub_(gradsJ[g], 1.2);
        });
      }
      expect(jitted.traceCount).toBe(1);
    },
  );
});
