/** jit on an MLP step with relu, softmax cross-entropy (logSumExp's max, shift and mask), transposes and a float32 run: every bit equals eager over several updates. */
import { type DType, jit, logSoftmax, RandomState, type Tensor, valueAndGrad } from "@backprop/core";
import { describe, expect, it } from "vitest";

/** Softmax cross-entropy of a 3-layer relu MLP, examples in rows (x·Wᵀ + b), labels one-hot. */
function loss(W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, W3: Tensor, b3: Tensor, X: Tensor, Y: Tensor): Tensor {
  const H1 = X.matmul(W1.transpose()).add(b1).relu();
  const H2 = H1.matmul(W2.transpose()).add(b2).relu();
  const logits = H2.matmul(W3.transpose()).add(b3);
  return logSoftmax(logits, 1).mul(Y).sum(1).mean().neg();
}

function problem(dtype: DType) {
  const rng = new RandomState(7);
  const make = (shape: number[], scale: number) => (rng.randn(...shape) as Tensor).mul(scale).astype(dtype);
  const m = 48;
  const labels = Array.from({ length: m }, (_, i) => (i * 7) % 5);
  const Y = make([m, 5], 0).mul(0);
  const y = Y.data;
  labels.forEach((c, i) => {
    y[i * 5 + c] = 1;
  });
  return {
    params: [
      make([32, 20], 0.3),
      make([32], 0.1),
      make([24, 32], 0.2),
      make([24], 0.1),
      make([5, 24], 0.3),
      make([5], 0),
    ],
    X: make([m, 20], 1),
    Y,
  };
}

const bits = (t: Tensor) => Array.from(t.data, (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe.each(["float64", "float32"] as const)("jit of an MLP step (%s)", (dtype) => {
  it.each(["codegen", "interpret"] as const)("%s: cost and six gradients equal eager's over 4 updates", (backend) => {
    const step = valueAndGrad(loss, { argnums: [0, 1, 2, 3, 4, 5] });
    const jitted = jit(step, { backend });
    const e = problem(dtype);
    const j = problem(dtype);
    for (let it = 0; it < 4; it++) {
      const [J, grads] = step(...(e.params as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]), e.X, e.Y);
      const [Jj, gradsJ] = jitted(...(j.params as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]), j.X, j.Y);
      expect(bits(Jj)).toEqual(bits(J));
      grads.forEach((g, k) => {
        expect(bits(gradsJ[k])).toEqual(bits(g));
        e.params[k].sub_(g, 0.5);
        j.params[k].sub_(gradsJ[k], 0.5);
      });
    }
    expect(jitted.traceCount).toBe(1);
    expect(jitted.lower(...(j.params as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]), j.X, j.Y)).toMatch(
      /kernel v\d+:f\d\d\(48,24\) = matmul/,
    );
  });
});
