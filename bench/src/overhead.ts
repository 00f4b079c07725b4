/** The overhead workload: a chain of 1,000 small elementwise ops on a (4,1) tensor, forward and backward. */
import { detectAnomaly, noGrad, type Tensor, tensor } from "@backprop/core";
import type { Contender } from "./harness.js";
import type { Tf, TfBackend } from "./tfjs.js";
import { useBackend } from "./tfjs.js";

/** Number of ops in the chain. */
export const CHAIN_OPS = 1000;
const X0 = [0.5, -0.25, 1, 2];

// The chain cycles through four ops: y·1.5, y + 0.1, tanh(y), y·x (x the input, so its gradient
// accumulates from 250 places). Values stay in (−2, 2): nothing saturates to a constant.
export function chainCore(x: Tensor): Tensor {
  let y = x;
  for (let i = 0; i < CHAIN_OPS; i += 4) y = y.mul(1.5).add(0.1).tanh().mul(x);
  return y;
}

/** Check value: Σ y + Σ dJ/dx, so both passes are compared. */
export function checksum(y: ArrayLike<number>, g: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] + g[i];
  return s;
}

/** How backprop runs the chain: recorded (default), with anomaly detection on, or forward only inside noGrad. */
export type ChainMode = "recorded" | "anomaly" | "noGrad" | "forwardRecorded";

/** The chain with @backprop/core; `reps` chains per run (so one run lasts long enough to time). */
export function overheadCore(mode: ChainMode, reps: number): Contender {
  const names: Record<ChainMode, string> = {
    recorded: "backprop (fwd + bwd)",
    anomaly: "backprop, detectAnomaly on (fwd + bwd)",
    noGrad: "backprop forward in noGrad",
    forwardRecorded: "backprop forward, recorded",
  };
  const once = (): number => {
    const x = tensor(X0, { shape: [4, 1], requiresGrad: true });
    if (mode === "noGrad") {
      const y = noGrad(() => chainCore(x));
      return checksum(y.data, [0, 0, 0, 0]);
    }
    const y = chainCore(x);
    if (mode === "forwardRecorded") return checksum(y.data, [0, 0, 0, 0]);
    y.sum().backward();
    return checksum(y.data, (x.grad as Tensor).data);
  };
  return {
    name: names[mode],
    dtype: "float64",
    run() {
      let c = 0;
      for (let r = 0; r < reps; r++) c = mode === "anomaly" ? detectAnomaly(once) : once();
      return c;
    },
  };
}

/** The floor: the chain's forward and its reverse pass written out over 4-element Float64Arrays. */
export function overheadFloor(reps: number, forwardOnly = false): Contender {
  const n = 4;
  const steps = CHAIN_OPS / 4;
  const tapeTanh = new Float64Array(steps * n); // tanh outputs, for their derivative
  const y = new Float64Array(n);
  const gx = new Float64Array(n);
  const x = Float64Array.from(X0);
  return {
    name: forwardOnly ? "hand-written floor (forward)" : "hand-written floor (fwd + bwd)",
    dtype: "float64",
    run() {
      for (let r = 0; r < reps; r++) {
        y.set(x);
        for (let s = 0; s < steps; s++) {
          for (let i = 0; i < n; i++) {
            const a = Math.tanh(y[i] * 1.5 + 0.1);
            tapeTanh[s * n + i] = a;
            y[i] = a * x[i];
          }
        }
        if (forwardOnly) continue;
        gx.fill(0);
        for (let i = 0; i < n; i++) {
          let g = 1;
          for (let s = steps - 1; s >= 0; s--) {
            const a = tapeTanh[s * n + i];
            gx[i] += g * a; // y = a·x: dx += g·a
            g = g * x[i] * (1 - a * a) * 1.5; // back through the mul by x, tanh, the add and the 1.5
          }
          gx[i] += g; // the chain's start is x itself
        }
      }
      return checksum(y, forwardOnly ? [0, 0, 0, 0] : gx);
    },
  };
}

/** The chain in TensorFlow.js: one forward and its gradient with tf.valueAndGrad, inside tidy. */
export function overheadTf(tf: Tf, backend: TfBackend, reps: number): Contender {
  useBackend(tf, backend);
  const x = tf.tensor2d(X0, [4, 1]);
  const f = (input: import("@tensorflow/tfjs-core").Tensor) => {
    let y = input;
    for (let i = 0; i < CHAIN_OPS; i += 4) y = tf.mul(tf.tanh(tf.add(tf.mul(y, 1.5), 0.1)), input);
    return y;
  };
  const vg = tf.valueAndGrad((input: import("@tensorflow/tfjs-core").Tensor) => tf.sum(f(input)));
  return {
    name: `tfjs-${backend} (fwd + bwd)`,
    dtype: "float32",
    run() {
      useBackend(tf, backend);
      let c = 0;
      for (let r = 0; r < reps; r++) {
        c = tf.tidy(() => {
          const { value, grad } = vg(x);
          return checksum(value.dataSync(), [0, 0, 0, 0]) + checksum([0, 0, 0, 0], grad.dataSync());
        });
      }
      return c;
    },
    dispose() {
      x.dispose();
    },
  };
}
