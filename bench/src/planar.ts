/** The planar workload: the course's 2-layer net (2 → 4 tanh → 1 sigmoid, m = 400), full-batch gradient descent, lr 1.2. */
import { linear, linearActivation, noGrad, sigmoidCrossEntropy, Tensor } from "@backprop/core";
import { sgd, TwoLayerNet } from "@backprop/layers";
import type { PlanarData } from "./data.js";
import type { Contender } from "./harness.js";
import type { Tf, TfBackend } from "./tfjs.js";
import { useBackend } from "./tfjs.js";

/** The learning rate of the course's planar exercise. */
export const PLANAR_LR = 1.2;

/**
 * The step whose cost every implementation must agree on. At lr 1.2 the trajectory turns chaotic
 * after ~7,000 steps: float64 rounding differences between correct implementations (a different
 * but equally exact order of operations) grow from 1e-16 to ~1e-5 by step 10,000, so the check is
 * taken before that; the final cost is reported beside it.
 */
export const PLANAR_CHECK_STEP = 5000;

/** The check value and final cost of one run, read back by the bench after the contender's run. */
export interface PlanarCosts {
  check: number;
  final: number;
}

/** A fresh record of costs. */
export function newCosts(): PlanarCosts {
  return { check: Number.NaN, final: Number.NaN };
}

/**
 * The hand-written floor: closed-form gradients over preallocated Float64Arrays, loops fused
 * where the data allow (dZ1 is never stored; dW1, db1 accumulate as it is computed).
 */
export function planarFloor(d: PlanarData, iterations: number, costs: PlanarCosts = newCosts()): Contender {
  const { nx, nh, m, X, Y } = d;
  const W1 = new Float64Array(nh * nx);
  const b1 = new Float64Array(nh);
  const W2 = new Float64Array(nh);
  const b2 = new Float64Array(1);
  const A1 = new Float64Array(nh * m);
  const dZ2 = new Float64Array(m);
  const dW1 = new Float64Array(nh * nx);
  const db1 = new Float64Array(nh);
  const dW2 = new Float64Array(nh);
  if (nx !== 2) throw new Error("planarFloor is written for n_x = 2");
  return {
    name: "hand-written floor",
    dtype: "float64",
    run() {
      W1.set(d.W1);
      b1.set(d.b1);
      W2.set(d.W2);
      b2.set(d.b2);
      const inv = 1 / m;
      let cost = Number.NaN;
      const checkAt = Math.min(iterations, PLANAR_CHECK_STEP) - 1;
      for (let it = 0; it < iterations; it++) {
        // Z1 = W1·X + b1, A1 = tanh(Z1)
        for (let i = 0; i < nh; i++) {
          const w0 = W1[i * 2];
          const w1 = W1[i * 2 + 1];
          const bi = b1[i];
          const row = i * m;
          for (let j = 0; j < m; j++) A1[row + j] = Math.tanh(w0 * X[j] + w1 * X[m + j] + bi);
        }
        // Z2 = W2·A1 + b2, A2 = σ(Z2), J, dZ2 = A2 − Y, db2
        let total = 0;
        let sdZ2 = 0;
        for (let j = 0; j < m; j++) {
          let z = b2[0];
          for (let i = 0; i < nh; i++) z += W2[i] * A1[i * m + j];
          const a = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
          const y = Y[j];
          total += y * Math.log(a) + (1 - y) * Math.log(1 - a);
          const dz = a - y;
          dZ2[j] = dz;
          sdZ2 += dz;
        }
        cost = -total * inv;
        if (it === checkAt) costs.check = cost;
        // dW2 = dZ2·A1ᵀ/m; dZ1 = W2ᵀdZ2 ∗ (1 − A1²); dW1 = dZ1·Xᵀ/m; db1 = Σ dZ1/m
        for (let i = 0; i < nh; i++) {
          const row = i * m;
          const w2 = W2[i];
          let sW2 = 0;
          let s0 = 0;
          let s1 = 0;
          let sb = 0;
          for (let j = 0; j < m; j++) {
            const a1 = A1[row + j];
            const dz2 = dZ2[j];
            sW2 += dz2 * a1;
            const dz1 = w2 * dz2 * (1 - a1 * a1);
            s0 += dz1 * X[j];
            s1 += dz1 * X[m + j];
            sb += dz1;
          }
          dW2[i] = sW2 * inv;
          dW1[i * 2] = s0 * inv;
          dW1[i * 2 + 1] = s1 * inv;
          db1[i] = sb * inv;
        }
        for (let i = 0; i < nh * nx; i++) W1[i] -= PLANAR_LR * dW1[i];
        for (let i = 0; i < nh; i++) {
          b1[i] -= PLANAR_LR * db1[i];
          W2[i] -= PLANAR_LR * dW2[i];
        }
        b2[0] -= PLANAR_LR * sdZ2 * inv;
      }
      costs.final = cost;
      return costs.check;
    },
  };
}

/** Parameters as leaves that require grad, reset to the initial values before each run. */
function planarParams(d: PlanarData) {
  const W1 = new Tensor(new Float64Array(d.W1), [d.nh, d.nx], true, "W1");
  const b1 = new Tensor(new Float64Array(d.b1), [d.nh, 1], true, "b1");
  const W2 = new Tensor(new Float64Array(d.W2), [1, d.nh], true, "W2");
  const b2 = new Tensor(new Float64Array(d.b2), [1, 1], true, "b2");
  const params = [W1, b1, W2, b2];
  const initial = [d.W1, d.b1, d.W2, d.b2];
  const reset = () => {
    params.forEach((p, i) => {
      p.data.set(initial[i]);
      p.grad = null;
    });
  };
  return { W1, b1, W2, b2, params, reset };
}

/** How the backprop contender writes the step: the course's ops one by one, or with the fused primitives. */
export type PlanarVariant = "course" | "fused";

/**
 * @backprop/core ops written the way a user of the course would: forward, the cost on the graph,
 * `backward()`, then W := W − α dW in place. "course": Z = W·A + b, tanh, sigmoid, and
 * J = −(1/m) Σ (Y log A2 + (1 − Y) log(1 − A2)); "fused": `linearActivation` for tanh(W·A + b), `linear` for Z2 and
 * `sigmoidCrossEntropy` on Z2 for the cost (the same J without forming A2).
 */
export function planarCore(
  d: PlanarData,
  iterations: number,
  variant: PlanarVariant,
  costs: PlanarCosts = newCosts(),
): Contender {
  const X = new Tensor(new Float64Array(d.X), [d.nx, d.m], false, "X");
  const Y = new Tensor(new Float64Array(d.Y), [1, d.m], false, "Y");
  const oneMinusY = new Tensor(
    d.Y.map((y) => 1 - y),
    [1, d.m],
  );
  const { W1, b1, W2, b2, params, reset } = planarParams(d);
  const m = d.m;
  const loss =
    variant === "fused"
      ? () => {
          const A1 = linearActivation(W1, X, b1, "tanh").A;
          return sigmoidCrossEntropy(linear(W2, A1, b2), Y).mean();
        }
      : () => {
          const A1 = W1.matmul(X).add(b1).tanh();
          const A2 = W2.matmul(A1).add(b2).sigmoid();
          return Y.mul(A2.log())
            .add(oneMinusY.mul(A2.neg().add(1).log()))
            .sum()
            .mul(-1 / m);
        };
  return {
    name:
      variant === "fused" ? "backprop core ops (fused linear + sigmoidCrossEntropy)" : "backprop core ops (course ops)",
    dtype: "float64",
    run() {
      reset();
      let J = Number.NaN;
      const checkAt = Math.min(iterations, PLANAR_CHECK_STEP) - 1;
      for (let it = 0; it < iterations; it++) {
        const cost = loss();
        cost.backward();
        J = cost.item();
        if (it === checkAt) costs.check = J;
        noGrad(() => {
          for (const p of params) {
            p.sub_(p.grad as Tensor, PLANAR_LR);
            p.grad = null;
          }
        });
      }
      costs.final = J;
      return costs.check;
    },
  };
}

/** @backprop/layers as its README shows it: TwoLayerNet (tanh hidden layer) and sgd, `loss(X, Y).backward()`, `step()`. */
export function planarLayers(d: PlanarData, iterations: number, costs: PlanarCosts = newCosts()): Contender {
  const X = new Tensor(new Float64Array(d.X), [d.nx, d.m]);
  const Y = new Tensor(new Float64Array(d.Y), [1, d.m]);
  const net = new TwoLayerNet({ nx: d.nx, nh: d.nh, ny: 1, seed: 2 });
  const params = [net.W1, net.b1, net.W2, net.b2];
  const initial = [d.W1, d.b1, d.W2, d.b2];
  const optimizer = sgd(params, { learningRate: PLANAR_LR });
  return {
    name: "backprop layers (TwoLayerNet + sgd)",
    dtype: "float64",
    run() {
      params.forEach((p, i) => {
        p.data.set(initial[i]);
      });
      let J = Number.NaN;
      const checkAt = Math.min(iterations, PLANAR_CHECK_STEP) - 1;
      for (let it = 0; it < iterations; it++) {
        optimizer.zeroGrad();
        const cost = net.loss(X, Y);
        cost.backward();
        J = cost.item();
        if (it === checkAt) costs.check = J;
        optimizer.step();
      }
      costs.final = J;
      return costs.check;
    },
  };
}

/** The same net in TensorFlow.js (float32 only): `optimizer.minimize` over tf.variables. */
export function planarTf(
  tf: Tf,
  backend: TfBackend,
  d: PlanarData,
  iterations: number,
  costs: PlanarCosts = newCosts(),
): Contender {
  useBackend(tf, backend);
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const X = tf.tensor2d(f32(d.X), [d.nx, d.m]);
  const Y = tf.tensor2d(f32(d.Y), [1, d.m]);
  const oneMinusY = tf.sub(1, Y);
  const init = [
    tf.tensor2d(f32(d.W1), [d.nh, d.nx]),
    tf.tensor2d(f32(d.b1), [d.nh, 1]),
    tf.tensor2d(f32(d.W2), [1, d.nh]),
    tf.tensor2d(f32(d.b2), [1, 1]),
  ];
  const [W1, b1, W2, b2] = init.map((t) => tf.variable(t.clone()));
  const optimizer = tf.train.sgd(PLANAR_LR);
  const loss = () => {
    const A1 = tf.tanh(tf.add(tf.matMul(W1, X), b1));
    const A2 = tf.sigmoid(tf.add(tf.matMul(W2, A1), b2));
    const total = tf.add(tf.mul(Y, tf.log(A2)), tf.mul(oneMinusY, tf.log(tf.sub(1, A2))));
    return tf.neg(tf.mean(total)) as import("@tensorflow/tfjs-core").Scalar;
  };
  return {
    name: `tfjs-${backend}`,
    dtype: "float32",
    run() {
      useBackend(tf, backend);
      [W1, b1, W2, b2].forEach((v, i) => {
        v.assign(init[i]);
      });
      const checkAt = Math.min(iterations, PLANAR_CHECK_STEP) - 1;
      for (let it = 0; it < iterations; it++) {
        const J = optimizer.minimize(loss, it === iterations - 1 || it === checkAt);
        if (J) {
          const cost = J.dataSync()[0];
          if (it === checkAt) costs.check = cost;
          if (it === iterations - 1) costs.final = cost;
          J.dispose();
        }
      }
      return costs.check;
    },
    dispose() {
      for (const t of [X, Y, oneMinusY, ...init, W1, b1, W2, b2]) t.dispose();
      optimizer.dispose();
    },
  };
}
