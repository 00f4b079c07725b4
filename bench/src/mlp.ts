/** The MLP workload: 784 → 256 relu → 10 softmax cross-entropy, batch 128, SGD, in float64 and float32. */
import { type DType, linear, linearActivation, noGrad, Tensor } from "@backprop/core";
import type { MlpData } from "./data.js";
import type { Contender } from "./harness.js";
import type { Tf, TfBackend } from "./tfjs.js";
import { useBackend } from "./tfjs.js";

/** Learning rate of the MLP's SGD. */
export const MLP_LR = 0.1;

type Floats = Float64Array | Float32Array;

function copyAs(dtype: DType, a: Float64Array): Floats {
  return dtype === "float64" ? new Float64Array(a) : Float32Array.from(a);
}

/**
 * The hand-written floor: closed-form gradients in plain TypeScript over preallocated arrays of the
 * dtype; the two large products are i-k-j / dot-product loops over contiguous rows, with bias+relu
 * and the SGD update fused into them.
 */
export function mlpFloor(d: MlpData, dtype: DType, steps: number): Contender {
  const { nx, nh, ny, m } = d;
  const X = copyAs(dtype, d.X);
  const Y = copyAs(dtype, d.Y);
  const W1 = copyAs(dtype, d.W1);
  const b1 = copyAs(dtype, d.b1);
  const W2 = copyAs(dtype, d.W2);
  const b2 = copyAs(dtype, d.b2);
  const A1 = copyAs(dtype, new Float64Array(nh * m));
  const dZ2 = new Float64Array(ny * m);
  const dZ1 = copyAs(dtype, new Float64Array(nh * m));
  const acc = new Float64Array(m);
  return {
    name: "hand-written floor",
    dtype,
    run() {
      W1.set(d.W1);
      b1.set(d.b1);
      W2.set(d.W2);
      b2.set(d.b2);
      let cost = Number.NaN;
      const lr = MLP_LR / m;
      for (let s = 0; s < steps; s++) {
        // Z1 = W1·X + b1 (row i of Z1 accumulates rows k of X), A1 = relu(Z1)
        for (let i = 0; i < nh; i++) {
          acc.fill(0);
          for (let k = 0; k < nx; k++) {
            const w = W1[i * nx + k];
            const xr = k * m;
            for (let j = 0; j < m; j++) acc[j] += w * X[xr + j];
          }
          const bi = b1[i];
          for (let j = 0; j < m; j++) {
            const z = acc[j] + bi;
            // biome-ignore lint/complexity/useMathMinMax: a branch, like the relu kernel (Math.max is slower here)
            A1[i * m + j] = z > 0 ? z : 0;
          }
        }
        // Z2 = W2·A1 + b2, column-wise softmax cross-entropy, dZ2 = softmax − Y
        let total = 0;
        for (let c = 0; c < ny; c++) {
          for (let j = 0; j < m; j++) {
            let z = b2[c];
            for (let i = 0; i < nh; i++) z += W2[c * nh + i] * A1[i * m + j];
            dZ2[c * m + j] = z;
          }
        }
        for (let j = 0; j < m; j++) {
          let max = Number.NEGATIVE_INFINITY;
          for (let c = 0; c < ny; c++) max = Math.max(max, dZ2[c * m + j]);
          let sum = 0;
          for (let c = 0; c < ny; c++) sum += Math.exp(dZ2[c * m + j] - max);
          const lse = max + Math.log(sum);
          for (let c = 0; c < ny; c++) {
            const z = dZ2[c * m + j];
            const y = Y[c * m + j];
            total += y * (z - lse);
            dZ2[c * m + j] = Math.exp(z - lse) - y;
          }
        }
        cost = -total / m;
        // dZ1 = W2ᵀ·dZ2 ∗ [Z1 > 0] (A1 > 0 exactly where Z1 > 0)
        for (let i = 0; i < nh; i++) {
          for (let j = 0; j < m; j++) {
            let g = 0;
            if (A1[i * m + j] > 0) for (let c = 0; c < ny; c++) g += W2[c * nh + i] * dZ2[c * m + j];
            dZ1[i * m + j] = g;
          }
        }
        // W2 −= lr·dZ2·A1ᵀ/m, b2 −= lr·Σ dZ2/m
        for (let c = 0; c < ny; c++) {
          let sb = 0;
          for (let j = 0; j < m; j++) sb += dZ2[c * m + j];
          for (let i = 0; i < nh; i++) {
            let s2 = 0;
            for (let j = 0; j < m; j++) s2 += dZ2[c * m + j] * A1[i * m + j];
            W2[c * nh + i] -= lr * s2;
          }
          b2[c] -= lr * sb;
        }
        // W1 −= lr·dZ1·Xᵀ/m (dot products of contiguous rows), b1 −= lr·Σ dZ1/m
        for (let i = 0; i < nh; i++) {
          const zr = i * m;
          let sb = 0;
          for (let j = 0; j < m; j++) sb += dZ1[zr + j];
          for (let k = 0; k < nx; k++) {
            const xr = k * m;
            let s1 = 0;
            for (let j = 0; j < m; j++) s1 += dZ1[zr + j] * X[xr + j];
            W1[i * nx + k] -= lr * s1;
          }
          b1[i] -= lr * sb;
        }
      }
      return cost;
    },
  };
}

/**
 * The forward layers of the core MLP: "ops" writes them with matmul, add and relu as a user would;
 * "fused" with `linearActivation` and `linear` (bias and relu computed as the product is stored).
 */
export type MlpForm = "ops" | "fused";

/** @backprop/core ops as a user writes them: Z = W·A + b, relu, logSoftmax over axis 0, backward, W −= α dW. */
export function mlpCore(d: MlpData, dtype: DType, steps: number, form: MlpForm = "ops"): Contender {
  const t = (a: Float64Array, shape: number[], requiresGrad = false) =>
    new Tensor(copyAs(dtype, a), shape, requiresGrad);
  const X = t(d.X, [d.nx, d.m]);
  const Y = t(d.Y, [d.ny, d.m]);
  const W1 = t(d.W1, [d.nh, d.nx], true);
  const b1 = t(d.b1, [d.nh, 1], true);
  const W2 = t(d.W2, [d.ny, d.nh], true);
  const b2 = t(d.b2, [d.ny, 1], true);
  const params = [W1, b1, W2, b2];
  const initial = [d.W1, d.b1, d.W2, d.b2];
  return {
    name: form === "ops" ? "backprop core ops" : "backprop linearActivation",
    dtype,
    run() {
      params.forEach((p, i) => {
        p.data.set(initial[i]);
        p.grad = null;
      });
      let cost = Number.NaN;
      for (let s = 0; s < steps; s++) {
        const A1 = form === "ops" ? W1.matmul(X).add(b1).relu() : linearActivation(W1, X, b1, "relu").A;
        const Z2 = form === "ops" ? W2.matmul(A1).add(b2) : linear(W2, A1, b2);
        const J = Y.mul(Z2.logSoftmax(0))
          .sum()
          .mul(-1 / d.m);
        J.backward();
        cost = J.item();
        noGrad(() => {
          for (const p of params) {
            p.sub_(p.grad as Tensor, MLP_LR);
            p.grad = null;
          }
        });
      }
      return cost;
    },
  };
}

/** The MLP in TensorFlow.js (float32): `optimizer.minimize` over tf.variables, the same column layout. */
export function mlpTf(tf: Tf, backend: TfBackend, d: MlpData, steps: number): Contender {
  useBackend(tf, backend);
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const X = tf.tensor2d(f32(d.X), [d.nx, d.m]);
  const Y = tf.tensor2d(f32(d.Y), [d.ny, d.m]);
  const init = [
    tf.tensor2d(f32(d.W1), [d.nh, d.nx]),
    tf.tensor2d(f32(d.b1), [d.nh, 1]),
    tf.tensor2d(f32(d.W2), [d.ny, d.nh]),
    tf.tensor2d(f32(d.b2), [d.ny, 1]),
  ];
  const vars = init.map((v) => tf.variable(v.clone()));
  const [W1, b1, W2, b2] = vars;
  const optimizer = tf.train.sgd(MLP_LR);
  const loss = () => {
    const A1 = tf.relu(tf.add(tf.matMul(W1, X), b1));
    const Z2 = tf.add(tf.matMul(W2, A1), b2);
    const logSoftmax = tf.sub(Z2, tf.logSumExp(Z2, 0, true));
    return tf.div(tf.neg(tf.sum(tf.mul(Y, logSoftmax))), d.m) as import("@tensorflow/tfjs-core").Scalar;
  };
  return {
    name: `tfjs-${backend}`,
    dtype: "float32",
    run() {
      useBackend(tf, backend);
      vars.forEach((v, i) => {
        v.assign(init[i]);
      });
      let cost = Number.NaN;
      for (let s = 0; s < steps; s++) {
        const J = optimizer.minimize(loss, s === steps - 1);
        if (J) {
          cost = J.dataSync()[0];
          J.dispose();
        }
      }
      return cost;
    },
    dispose() {
      for (const v of [X, Y, ...init, ...vars]) v.dispose();
      optimizer.dispose();
    },
  };
}
