/** The jit contenders: the course's planar step written plainly, the 1,000-op chain and the MLP step under `jit`, beside the same code run eagerly. */
import { type DType, grad, jit, Tensor, type TensorFunction, valueAndGrad } from "@backprop/core";
import type { MlpData, PlanarData } from "./data.js";
import { type Contender, collectGarbage, median } from "./harness.js";
import { MLP_LR } from "./mlp.js";
import { CHAIN_OPS, chainCore, checksum } from "./overhead.js";
import { newCosts, PLANAR_CHECK_STEP, PLANAR_LR, type PlanarCosts } from "./planar.js";

/** A step function: the cost and the gradients of the four parameters, given the parameters. */
type Step = (W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor) => [Tensor, Tensor[]];

/** How a contender runs its step: eagerly, or compiled by `jit`. */
export type JitMode = "eager" | "jit";

/**
 * The course's cost written plainly — Z = W·A + b, tanh, sigmoid, J = −mean(Y log A2 + (1 − Y) log(1 − A2)) —
 * as `valueAndGrad` over the four parameters (X and Y closed over).
 */
export function planarPlainStep(X: Tensor, Y: Tensor): Step {
  const loss: TensorFunction = (W1, b1, W2, b2) => {
    const A1 = W1.matmul(X).add(b1).tanh();
    const A2 = W2.matmul(A1).add(b2).sigmoid();
    return Y.mul(A2.log())
      .add(Y.neg().add(1).mul(A2.neg().add(1).log()))
      .mean()
      .neg();
  };
  return valueAndGrad(loss, { argnums: [0, 1, 2, 3] }) as Step;
}

/** The four parameters as plain tensors (no requiresGrad: valueAndGrad differentiates its own copies). */
function params(d: { W1: Float64Array; b1: Float64Array; W2: Float64Array; b2: Float64Array }, shapes: number[][]) {
  const initial = [d.W1, d.b1, d.W2, d.b2];
  return initial.map((a, i) => new Tensor(new Float64Array(a), shapes[i]));
}

/** The planar tensors X, Y and the parameters W1, b1, W2, b2 at their initial values. */
function planarTensors(d: PlanarData) {
  const X = new Tensor(new Float64Array(d.X), [d.nx, d.m]);
  const Y = new Tensor(new Float64Array(d.Y), [1, d.m]);
  const ps = params(d, [
    [d.nh, d.nx],
    [d.nh, 1],
    [1, d.nh],
    [1, 1],
  ]);
  return { X, Y, ps };
}

/**
 * The planar step written plainly, eager or as `jit(valueAndGrad(loss, { argnums: [0, 1, 2, 3] }))`, then
 * W := W − α dW in place (`sub_`). Both must give the same costs, bit for bit.
 */
export function planarPlain(
  d: PlanarData,
  iterations: number,
  mode: JitMode,
  costs: PlanarCosts = newCosts(),
): Contender {
  const { X, Y, ps } = planarTensors(d);
  const initial = [d.W1, d.b1, d.W2, d.b2];
  const plain = planarPlainStep(X, Y);
  const step = mode === "jit" ? jit(plain) : plain;
  return {
    name:
      mode === "jit"
        ? "backprop jit(valueAndGrad) (course formula)"
        : "backprop core ops (course formula, valueAndGrad)",
    dtype: "float64",
    run() {
      ps.forEach((p, i) => {
        p.data.set(initial[i]);
      });
      const [W1, b1, W2, b2] = ps;
      let J = Number.NaN;
      const checkAt = Math.min(iterations, PLANAR_CHECK_STEP) - 1;
      for (let it = 0; it < iterations; it++) {
        const [cost, grads] = step(W1, b1, W2, b2);
        J = cost.item();
        if (it === checkAt) costs.check = J;
        for (let i = 0; i < 4; i++) ps[i].sub_(grads[i], PLANAR_LR);
      }
      costs.final = J;
      return costs.check;
    },
  };
}

/**
 * Compile time of the planar step: the first call of a fresh `jit(valueAndGrad(loss))` (trace, plan, code
 * generation and one run), `n` times in a row, in ms. The first of them also pays for V8 compiling jit itself.
 */
export function planarCompileTimes(d: PlanarData, n: number): number[] {
  const { X, Y, ps } = planarTensors(d);
  const [W1, b1, W2, b2] = ps;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const step = jit(planarPlainStep(X, Y));
    const t0 = performance.now();
    step(W1, b1, W2, b2);
    times.push(performance.now() - t0);
  }
  return times;
}

/** The chain's value y and dΣy/dx, by `grad` (y detached: an output of jit must not require grad). */
function chainValueAndGrad(x: Tensor): [Tensor, Tensor] {
  let y: Tensor | null = null;
  const g = grad((xx: Tensor) => {
    y = chainCore(xx);
    return y.sum();
  })(x);
  return [(y as unknown as Tensor).detach(), g];
}

/** The 1,000-op chain (fwd + bwd) as one jitted function of x; `reps` chains per run. */
export function overheadJit(reps: number): Contender {
  const x = new Tensor(Float64Array.from([0.5, -0.25, 1, 2]), [4, 1]);
  const f = jit(chainValueAndGrad);
  return {
    name: "backprop jit (fwd + bwd)",
    dtype: "float64",
    run() {
      let c = 0;
      for (let r = 0; r < reps; r++) {
        const [y, g] = f(x);
        c = checksum(y.data, g.data);
      }
      return c;
    },
  };
}

/** The number of ops one jitted chain call stands for (the unit of the µs/op row). */
export const JIT_CHAIN_OPS = CHAIN_OPS;

/** The MLP tensors in a dtype: X, Y and the parameters at their initial values. */
function mlpTensors(d: MlpData, dtype: DType) {
  const as = (a: Float64Array, shape: number[]) =>
    new Tensor(dtype === "float64" ? new Float64Array(a) : Float32Array.from(a), shape);
  const X = as(d.X, [d.nx, d.m]);
  const Y = as(d.Y, [d.ny, d.m]);
  const shapes = [
    [d.nh, d.nx],
    [d.nh, 1],
    [d.ny, d.nh],
    [d.ny, 1],
  ];
  const ps = [d.W1, d.b1, d.W2, d.b2].map((a, i) => as(a, shapes[i]));
  return { X, Y, ps };
}

/** The MLP cost as `mlpCore` writes it (relu, logSoftmax over axis 0), as valueAndGrad over the parameters. */
function mlpStep(d: MlpData, X: Tensor, Y: Tensor): Step {
  const loss: TensorFunction = (W1, b1, W2, b2) => {
    const A1 = W1.matmul(X).add(b1).relu();
    const Z2 = W2.matmul(A1).add(b2);
    return Y.mul(Z2.logSoftmax(0))
      .sum()
      .mul(-1 / d.m);
  };
  return valueAndGrad(loss, { argnums: [0, 1, 2, 3] }) as Step;
}

/** The MLP step under jit(valueAndGrad), then W −= α dW in place: the same ops and bits as `mlpCore`. */
export function mlpJit(d: MlpData, dtype: DType, steps: number): Contender {
  const { X, Y, ps } = mlpTensors(d, dtype);
  const initial = [d.W1, d.b1, d.W2, d.b2];
  const step = jit(mlpStep(d, X, Y));
  return {
    name: "backprop jit(valueAndGrad)",
    dtype,
    run() {
      ps.forEach((p, i) => {
        p.data.set(initial[i]);
      });
      const [W1, b1, W2, b2] = ps;
      let cost = Number.NaN;
      for (let s = 0; s < steps; s++) {
        const [J, grads] = step(W1, b1, W2, b2);
        cost = J.item();
        for (let i = 0; i < 4; i++) ps[i].sub_(grads[i], MLP_LR);
      }
      return cost;
    },
  };
}

/** Bytes allocated per MLP step, eager and jitted, and the bytes of the step's outputs (J and the four gradients). */
export interface StepAllocation {
  readonly eager: number;
  readonly jit: number;
  readonly outputs: number;
}

/** The heap (V8's, where small typed arrays live) plus ArrayBuffer backing stores, in bytes. */
function allocatedBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Per-step allocation of the MLP step, eager (valueAndGrad) and jitted: after a full GC, the growth of heapUsed +
 * arrayBuffers over one step (nothing is freed until the next GC), median over `samples` steps after ten warm-up
 * steps (heapUsed also counts V8's optimized code, which grows in a new function's first steps).
 * Needs node --expose-gc.
 */
export function mlpStepAllocation(d: MlpData, dtype: DType, samples: number): StepAllocation {
  const measure = (step: Step, ps: Tensor[]) => {
    const [W1, b1, W2, b2] = ps;
    const run = () => {
      const [, grads] = step(W1, b1, W2, b2);
      for (let i = 0; i < 4; i++) ps[i].sub_(grads[i], MLP_LR);
    };
    // Warm-up: under jit the compile, and for both V8's own code for the step (optimized code lives on the heap too).
    for (let i = 0; i < 10; i++) run();
    const deltas: number[] = [];
    for (let i = 0; i < samples; i++) {
      collectGarbage();
      const before = allocatedBytes();
      run();
      deltas.push(allocatedBytes() - before);
    }
    return median(deltas);
  };
  const e = mlpTensors(d, dtype);
  const j = mlpTensors(d, dtype);
  const eager = measure(mlpStep(d, e.X, e.Y), e.ps);
  const jitted = measure(jit(mlpStep(d, j.X, j.Y)), j.ps);
  const bytes = dtype === "float64" ? 8 : 4;
  const outputs = (1 + j.ps.reduce((n, p) => n + p.size, 0)) * bytes;
  return { eager, jit: jitted, outputs };
}
