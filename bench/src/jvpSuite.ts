/** The forward-mode workload: jvp of the 1,000-op chain and of the MLP cost, beside the forward pass alone and the vjp. */
import { jvp, noGrad, randn, sum, Tensor, tensor, valueAndGrad } from "@backprop/core";
import { mlpData } from "./data.js";
import { assertAgree, type Contender, measureRounds } from "./harness.js";
import { CHAIN_OPS, chainCore, checksum } from "./overhead.js";
import type { BenchOptions, TargetResult, WorkloadResult } from "./results.js";
import { fmt, rowsFor } from "./rows.js";

const X0 = [0.5, -0.25, 1, 2];

/** A float64 contender whose run calls `once` `times` times and returns the last check value. */
function repeated(name: string, times: number, once: () => number): Contender {
  return {
    name,
    dtype: "float64",
    run() {
      let c = 0;
      for (let r = 0; r < times; r++) c = once();
      return c;
    },
  };
}

/**
 * The chain three ways. Its Jacobian is diagonal (each element runs its own chain), so J·1 = Jᵀ·1:
 * jvp along ones and the gradient of Σy give the same checksum Σy + Σ dy.
 */
function chainContenders(reps: number): Contender[] {
  const ones = tensor([1, 1, 1, 1], { shape: [4, 1] });
  const make = (name: string, once: () => number) => repeated(name, reps, once);
  return [
    make("forward pass alone (noGrad)", () => {
      const y = noGrad(() => chainCore(tensor(X0, { shape: [4, 1] })));
      return checksum(y.data, [0, 0, 0, 0]);
    }),
    make("jvp (forward mode)", () => {
      const [y, dy] = jvp(chainCore, [tensor(X0, { shape: [4, 1] })], [ones]);
      return checksum(y.data, dy.data);
    }),
    make("vjp (fwd + bwd)", () => {
      const x = tensor(X0, { shape: [4, 1], requiresGrad: true });
      const y = chainCore(x);
      y.sum().backward();
      return checksum(y.data, (x.grad as Tensor).data);
    }),
  ];
}

/**
 * The MLP's cost J(W1, b1, W2, b2) (784 → 256 relu → 10 softmax cross-entropy, batch 128, float64)
 * three ways: J alone; jvp along a fixed random direction V; J and ∇J by reverse mode, then ⟨∇J, V⟩.
 * jvp and vjp both return J + ⟨∇J, V⟩.
 */
function mlpContenders(evaluations: number): Contender[] {
  const d = mlpData();
  const X = new Tensor(Float64Array.from(d.X), [d.nx, d.m]);
  const Y = new Tensor(Float64Array.from(d.Y), [d.ny, d.m]);
  const params = [
    new Tensor(Float64Array.from(d.W1), [d.nh, d.nx]),
    new Tensor(Float64Array.from(d.b1), [d.nh, 1]),
    new Tensor(Float64Array.from(d.W2), [d.ny, d.nh]),
    new Tensor(Float64Array.from(d.b2), [d.ny, 1]),
  ];
  const direction = params.map((p, i) => randn([...p.shape], i + 1).mul(0.01));
  const cost = (W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor): Tensor => {
    const A1 = W1.matmul(X).add(b1).relu();
    const Z2 = W2.matmul(A1).add(b2);
    return Y.mul(Z2.logSoftmax(0))
      .sum()
      .mul(-1 / d.m);
  };
  const valueAndGradient = valueAndGrad(cost, { argnums: [0, 1, 2, 3] });
  const make = (name: string, once: () => number) => repeated(name, evaluations, once);
  return [
    make("forward pass alone (noGrad)", () => noGrad(() => cost(params[0], params[1], params[2], params[3])).item()),
    make("jvp (forward mode)", () => {
      const [J, dJ] = jvp(cost, params, direction);
      return J.item() + dJ.item();
    }),
    make("vjp (fwd + bwd)", () => {
      const [J, grads] = valueAndGradient(...params);
      return J.item() + (grads as Tensor[]).reduce((acc, g, i) => acc + sum(g.mul(direction[i])).item(), 0);
    }),
  ];
}

/** jvp: both workloads, with the ratio of each to the forward pass alone and the ≤ 3× targets. */
export async function runJvp(o: BenchOptions): Promise<WorkloadResult> {
  const reps = o.quick ? 20 : 50;
  const evaluations = o.quick ? 3 : 10;
  const chain = chainContenders(reps);
  const tc = measureRounds(chain, 1, o.repeats);
  assertAgree("jvp chain", tc[2], [tc[1]], 1e-12);
  const mlp = mlpContenders(evaluations);
  const tm = measureRounds(mlp, 1, o.repeats);
  assertAgree("jvp mlp", tm[2], [tm[1]], 1e-12);
  const rows = [
    ...rowsFor("jvp", "chain of 1,000 ops on (4,1)", tc, { unit: "µs/op", ops: reps * CHAIN_OPS }, tc[0]),
    ...rowsFor("jvp", "mlp cost, float64", tm, { unit: "ms/step", steps: evaluations }, tm[0]),
  ];
  const ratioOf = (impl: string, caseStart: string) =>
    rows.find((r) => r.impl === impl && r.case.startsWith(caseStart))?.ratio?.value ?? Number.NaN;
  const targets: TargetResult[] = (["chain", "mlp"] as const).map((c) => {
    const ratio = ratioOf("jvp (forward mode)", c);
    return {
      name: `jvp of the ${c === "chain" ? "1,000-op chain" : "MLP cost"} vs the forward pass alone`,
      target: "≤ 3×",
      measured: `${fmt(ratio)}× (vjp: ${fmt(ratioOf("vjp (fwd + bwd)", c))}×)`,
      met: ratio <= 3,
    };
  });
  return {
    workload: "jvp",
    rows,
    targets,
    notes: [
      "jvp ratios are time over the forward pass alone in noGrad (> 1: slower); the vjp row is the reverse-mode price of the same directional derivative (forward + backward)",
    ],
  };
}
