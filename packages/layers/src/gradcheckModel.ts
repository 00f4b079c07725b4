/** gradcheckModel: the course's gradient_check_n for a model — autodiff's dW, db of model.loss against central differences of its own parameters. */
import {
  compareGradients,
  GradcheckError,
  type GradcheckReport,
  type InputReport,
  noGrad,
  type Tensor,
  tensor,
  ValueError,
} from "@backprop/core";
import { checkOptionKeys } from "./dataChecks.js";
import type { Model } from "./model.js";

/** Options of `gradcheckModel`: core's gradcheck tolerances. */
export interface GradcheckModelOptions {
  /** Finite-difference step (default 1e-7, the course's epsilon). */
  eps?: number;
  /** Absolute tolerance per element (default 1e-5). */
  atol?: number;
  /** Relative tolerance per element (default 1e-3). */
  rtol?: number;
  /** Throw a `GradcheckError` when the check fails (default true). */
  raise?: boolean;
}

/** gradcheck's report, with each input named after the model's parameter. */
export interface ModelGradcheckReport extends GradcheckReport {
  readonly inputs: readonly (InputReport & { readonly name: string })[];
}

/**
 * Checks `model.loss(X, Y)`'s gradients with respect to the model's own parameters, as the course's
 * gradient_check_n does: autodiff's ∂J/∂θ from one backward pass against (J(θ + ε) − J(θ − ε)) / 2ε, nudging
 * each element of each parameter in place (and restoring it). This is the right pattern for a model, whose
 * loss reads its own tensors: `gradcheck(() => model.loss(X, Y), params)` would check nothing (core's
 * gradcheck passes f copies of the inputs, and says so). The parameters' `.grad` is left as it was.
 * Needs float64 parameters and a deterministic loss (no dropout: build the model without it to check).
 * @example
 * const net = mlp([2, 4, 1], ["tanh", "sigmoid"], { lambd: 0.7 });
 * gradcheckModel(net, X, Y).passed; // true
 */
export function gradcheckModel(
  model: Model,
  X: Tensor,
  Y: Tensor,
  options: GradcheckModelOptions = {},
): ModelGradcheckReport {
  const op = "gradcheckModel";
  const {
    eps = 1e-7,
    atol = 1e-5,
    rtol = 1e-3,
    raise = true,
  } = checkOptionKeys(op, options, ["eps", "atol", "rtol", "raise"]);
  const bad = (v: number, positive: boolean) =>
    !(typeof v === "number" && Number.isFinite(v) && (positive ? v > 0 : v >= 0));
  if (bad(eps, true)) throw new ValueError(op, `eps must be a positive finite number, got ${String(eps)}`);
  if (bad(atol, false) || bad(rtol, false)) {
    throw new ValueError(
      op,
      `atol and rtol must be finite numbers ≥ 0, got atol ${String(atol)}, rtol ${String(rtol)}`,
    );
  }
  if (typeof raise !== "boolean") throw new ValueError(op, `raise must be a boolean, got ${typeof raise}`);
  const named = model.namedParameters();
  const keepProb = (model as { keepProb?: unknown }).keepProb;
  if (typeof keepProb === "number" && keepProb < 1) {
    throw new ValueError(
      op,
      `the model uses dropout (keepProb ${keepProb}): its loss is random; check a model built without dropout, as the course does`,
    );
  }
  for (const [name, p] of named) {
    if (p.dtype !== "float64") {
      throw new ValueError(op, `${name} is ${p.dtype}: finite differences need float64 parameters`);
    }
  }
  const saved = named.map(([, p]) => p.grad);
  let analytical: (Tensor | null)[];
  try {
    for (const [, p] of named) p.grad = null;
    model.loss(X, Y).backward();
    analytical = named.map(([, p]) => p.grad);
  } finally {
    named.forEach(([, p], i) => {
      p.grad = saved[i] ?? null;
    });
  }
  const J = () => noGrad(() => model.loss(X, Y).item());
  const inputs = named.map(([name, p], k) => {
    // Nudged in place and restored bit for bit, one element at a time, as gradient_check_n nudges θ.
    const data = p.data;
    const numerical = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const original = data[i] as number;
      data[i] = original + eps;
      const plus = J();
      data[i] = original - eps;
      const minus = J();
      data[i] = original;
      numerical[i] = (plus - minus) / (2 * eps);
    }
    const dTheta = analytical[k] ?? null;
    const numericalTensor = tensor(numerical, { shape: p.shape });
    // No gradient at all: the loss does not use this parameter (nothing checked for it).
    if (dTheta === null) {
      const report = compareGradients(numericalTensor.mul(0), numericalTensor, { atol, rtol, index: k });
      return { ...report, name, used: false, passed: false };
    }
    return { ...compareGradients(dTheta, numericalTensor, { atol, rtol, index: k }), name };
  });
  const report = { passed: inputs.every((r) => r.passed), inputs };
  if (!report.passed && raise) throw new GradcheckError(op, report);
  return report;
}
