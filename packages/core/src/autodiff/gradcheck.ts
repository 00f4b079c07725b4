/** gradcheck and gradgradcheck: autodiff Jacobians against central finite differences in float64. */
import { BackpropError, checkOptionKeys, describeValue, formatShape, ShapeError, ValueError } from "../errors.js";
import { add } from "../ops/elementwise/add.js";
import { cast } from "../ops/elementwise/cast.js";
import { mul } from "../ops/elementwise/mul.js";
import { concat } from "../ops/shape/concat.js";
import { reshape } from "../ops/shape/reshape.js";
import { Tensor } from "../tensor.js";
import { gradients, topologicalOrder } from "./backward.js";
import { withGradMode } from "./gradMode.js";
import type { TensorFunction } from "./transforms.js";
import { jacrevAs, rejectUpdatedArguments } from "./transforms.js";

/** Tolerances and step of a gradient check. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance per Jacobian element (default 1e-5). */
  atol?: number;
  /** Relative tolerance per Jacobian element (default 1e-3). */
  rtol?: number;
  /** Throw a `GradcheckError` with a readable diff when the check fails (default true). */
  raise?: boolean;
  /**
   * Accept inputs that f's output does not depend on in the recorded graph (their Jacobians are then 0 both ways).
   * Default false: such an input fails the check, as it usually means f ignores the copies gradcheck passes it.
   */
  allowUnused?: boolean;
}

/** How one input's analytical and numerical Jacobians compare. */
export interface InputReport {
  readonly index: number;
  readonly shape: readonly number[];
  /** max |analytical − numerical| over the Jacobian's elements. */
  readonly maxAbsError: number;
  /** max |analytical − numerical| / max(|numerical|, tiny). */
  readonly maxRelError: number;
  /** The course's ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂) (0 when both are zero). */
  readonly relativeDifference: number;
  /** Worst element: flat index into the Jacobian (output-major), and both values. */
  readonly worst: { readonly index: number; readonly analytical: number; readonly numerical: number };
  /** Whether f's output depends on this input in the recorded graph (false: nothing about it was checked). */
  readonly used: boolean;
  readonly passed: boolean;
}

/** The outcome of a gradient check. */
export interface GradcheckReport {
  readonly passed: boolean;
  readonly inputs: readonly InputReport[];
}

/** Thrown by a failing gradcheck when `raise` is on; `report` holds the numbers. */
export class GradcheckError extends BackpropError {
  constructor(
    op: string,
    readonly report: GradcheckReport,
  ) {
    const unused = report.inputs.filter((r) => !r.used && !r.passed).map((r) => r.index);
    const lines = report.inputs
      .filter((r) => !r.passed)
      .map((r) =>
        !r.used
          ? `input ${r.index} (${r.shape.join(",")}): f's output does not depend on it`
          : `input ${r.index} (${r.shape.join(",")}): max abs error ${r.maxAbsError.toExponential(3)}, max rel error ${r.maxRelError.toExponential(3)}, relative difference ${r.relativeDifference.toExponential(3)}; worst Jacobian element ${r.worst.index}: analytical ${r.worst.analytical}, numerical ${r.worst.numerical}`,
      );
    const summary =
      unused.length === 0
        ? "analytical and numerical gradients differ"
        : `the output of f does not depend on input${unused.length > 1 ? "s" : ""} ${unused.join(", ")} it was given, so nothing was checked for ${unused.length > 1 ? "them" : "it"}. f receives copies of the inputs (fresh tensors that require grad): an f that ignores its arguments, e.g. one that closes over a model's parameters, checks nothing. Compute the output from f's arguments (gradcheck((W, b) => cost(W, b), [W, b])), use gradcheckModel from @backprop/layers for a model's own parameters, or pass { allowUnused: true } if f is genuinely constant in that input`;
    super(op, `${summary}\n${lines.join("\n")}`);
  }
}

/**
 * @internal Central differences ∂f/∂x, one Jacobian per input, shape out.size × x.size, in the inputs'
 * dtype. The divisor is the difference of the two perturbed values as stored (2·eps up to rounding; exact in float32).
 */
export function numericalJacobians(f: TensorFunction, inputs: Tensor[], eps: number): Float64Array[] {
  return withGradMode(false, () => {
    const outSize = f(...inputs).size;
    return inputs.map((x) => {
      const jac = new Float64Array(outSize * x.size);
      for (let i = 0; i < x.size; i++) {
        const original = x._data[i];
        x._data[i] = original + eps;
        const up = x._data[i];
        const plus = f(...inputs)._data.slice(); // copied: f may return an input (identity, no-op broadcast)
        x._data[i] = original - eps;
        const step = up - x._data[i];
        const minus = f(...inputs)._data.slice();
        x._data[i] = original;
        for (let o = 0; o < outSize; o++) jac[o * x.size + i] = (plus[o] - minus[o]) / step;
      }
      return jac;
    });
  });
}

/** @internal One input's report: analytical against numerical Jacobian, element by element (also used by gradcheckFloat32). */
export function compare(
  index: number,
  x: Tensor,
  analytical: ArrayLike<number>,
  numerical: Float64Array,
  atol: number,
  rtol: number,
): InputReport {
  let maxAbs = 0;
  let maxRel = 0;
  let diff2 = 0;
  let a2 = 0;
  let n2 = 0;
  let worst = { index: 0, analytical: analytical[0] ?? 0, numerical: numerical[0] ?? 0 };
  let worstExcess = Number.NEGATIVE_INFINITY;
  let passed = true;
  for (let i = 0; i < numerical.length; i++) {
    const a = analytical[i];
    const n = numerical[i];
    const err = Math.abs(a - n);
    const rel = err / Math.max(Math.abs(n), 1e-300);
    if (!(err <= atol + rtol * Math.abs(n))) passed = false;
    const excess = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err - (atol + rtol * Math.abs(n));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = { index: i, analytical: a, numerical: n };
    }
    maxAbs = Math.max(maxAbs, err);
    maxRel = Math.max(maxRel, rel);
    diff2 += err * err;
    a2 += a * a;
    n2 += n * n;
  }
  const denom = Math.sqrt(a2) + Math.sqrt(n2);
  const relativeDifference = denom === 0 ? 0 : Math.sqrt(diff2) / denom;
  return {
    index,
    shape: x.shape,
    maxAbsError: maxAbs,
    maxRelError: maxRel,
    relativeDifference,
    worst,
    used: true,
    passed,
  };
}

/**
 * How an analytical gradient (or Jacobian) compares with a numerical one of the same shape, in gradcheck's
 * terms: per element |a − n| ≤ atol + rtol·|n|, the worst element, and the course's relative difference.
 * For checks gradcheck cannot run itself, such as a model's loss against its own parameters.
 * @example compareGradients(W.grad!, numericalDW, { atol: 1e-5, rtol: 1e-3 }).passed
 */
export function compareGradients(
  analytical: Tensor,
  numerical: Tensor,
  options: { atol?: number; rtol?: number; index?: number } = {},
): InputReport {
  checkInputs("compareGradients", () => undefined, [analytical, numerical]);
  checkOptions("compareGradients", options, ["atol", "rtol", "index"]);
  if (analytical.size !== numerical.size || analytical.shape.some((d, i) => d !== numerical.shape[i])) {
    throw new ShapeError(
      "compareGradients",
      `shapes ${formatShape(analytical.shape)} and ${formatShape(numerical.shape)} differ`,
    );
  }
  const { atol = 1e-5, rtol = 1e-3, index = 0 } = options;
  return compare(index, numerical, analytical._data, Float64Array.from(numerical._data), atol, rtol);
}

/**
 * @internal Which inputs f's output depends on in the recorded graph: f is called once on fresh leaves that require
 * grad, and each leaf is looked for among the tensors the output was computed from.
 */
export function inputsUsed(op: string, f: TensorFunction, xs: readonly Tensor[]): boolean[] {
  return withGradMode(true, () => {
    const leaves = xs.map((x) => new Tensor(x._data.slice(), x.shape, true));
    const out: unknown = f(...leaves);
    rejectUpdatedArguments(op, leaves, new Array<number>(leaves.length).fill(0));
    if (!(out instanceof Tensor)) throw new ValueError(op, `f must return a Tensor, got ${describeValue(out)}`);
    if (!out.requiresGrad) return leaves.map(() => false);
    const reached = new Set(topologicalOrder(out));
    return leaves.map((leaf) => reached.has(leaf));
  });
}

const optionNames = ["eps", "atol", "rtol", "raise", "allowUnused"] as const;

/**
 * Throws a ValueError naming `op` unless `options` is an object of the named options (a misspelt tolerance must not be
 * ignored) with a finite eps > 0, finite atol, rtol ≥ 0, and booleans for raise and allowUnused.
 */
export function checkOptions(op: string, options: unknown, names: readonly string[] = optionNames): void {
  checkOptionKeys(op, options, names, "{ atol: 1e-5 }");
  const { eps, atol, rtol, raise, allowUnused } = options as GradcheckOptions;
  const bad = (v: unknown, positive: boolean) =>
    v !== undefined && !(typeof v === "number" && Number.isFinite(v) && (positive ? v > 0 : v >= 0));
  if (bad(eps, true) || bad(atol, false) || bad(rtol, false)) {
    throw new ValueError(
      op,
      `needs a finite eps > 0 and finite atol, rtol ≥ 0, got eps=${String(eps)}, atol=${String(atol)}, rtol=${String(rtol)}`,
    );
  }
  for (const [name, v] of [
    ["raise", raise],
    ["allowUnused", allowUnused],
  ] as const) {
    if (v !== undefined && typeof v !== "boolean") {
      throw new ValueError(op, `${name} must be true or false, got ${describeValue(v)}`);
    }
  }
}

/** Throws a ValueError naming `op` unless f is a function and inputs a non-empty array of Tensors. */
export function checkInputs(op: string, f: unknown, inputs: unknown): void {
  if (typeof f !== "function") throw new ValueError(op, `f must be a function of tensors, got ${describeValue(f)}`);
  if (!Array.isArray(inputs))
    throw new ValueError(op, `inputs must be an array of Tensors, got ${describeValue(inputs)}`);
  if (inputs.length === 0) throw new ValueError(op, "inputs is empty: there is nothing to check");
  inputs.forEach((x: unknown, i) => {
    if (!(x instanceof Tensor)) throw new ValueError(op, `input ${i} must be a Tensor, got ${describeValue(x)}`);
  });
}

/**
 * Compares autodiff's Jacobian of f (any output shape) with central finite differences for each
 * input, in float64 (float32 inputs are checked through a float64 copy; `gradcheckFloat32` checks the
 * float32 computation itself).
 *
 * f receives copies of `inputs` (fresh float64 tensors that require grad), never the tensors themselves, so
 * f must compute its output from its arguments. An input the output does not depend on in the recorded
 * graph — typically because f closes over the original tensors, such as a model's parameters — fails the
 * check with a message that says so (both Jacobians would be 0 and "pass"); pass `allowUnused: true` when f
 * is genuinely constant in an input. To check a model's parameters, use `gradcheckModel(model, X, Y)` from
 * @backprop/layers, or write the cost as a function of the parameters.
 * @example
 * gradcheck((W) => W.matmul(X).tanh().sum(), [W]).passed; // true
 * gradcheck(() => net.loss(X, Y), [net.W1]); // GradcheckError: the output of f does not depend on input 0 …
 */
export function gradcheck(
  f: TensorFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  checkInputs("gradcheck", f, inputs);
  checkOptions("gradcheck", options);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raise = true, allowUnused = false } = options;
  const xs = inputs.map((x) => new Tensor(cast(x, "float64").detach()._data, x.shape));
  const used = inputsUsed("gradcheck", f, xs);
  const numerical = numericalJacobians(f, xs, eps);
  const reports = xs.map((x, k) => {
    const analytical = jacrevAs("gradcheck", f, k)(...xs);
    const report = compare(k, x, analytical._data, numerical[k], atol, rtol);
    return used[k] ? report : { ...report, used: false, passed: report.passed && allowUnused };
  });
  const report = { passed: reports.every((r) => r.passed), inputs: reports };
  if (!report.passed && raise) throw new GradcheckError("gradcheck", report);
  return report;
}

/**
 * Checks second derivatives: gradcheck of x ↦ ∂⟨f(x), u⟩/∂x for a fixed pseudo-random u, so every
 * backward rule's own derivative is compared with finite differences.
 */
export function gradgradcheck(
  f: TensorFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  checkInputs("gradgradcheck", f, inputs);
  checkOptions("gradgradcheck", options);
  const xs = inputs.map((x) => cast(x, "float64").detach());
  const used = inputsUsed("gradgradcheck", f, xs);
  const outShape = withGradMode(false, () => f(...xs)).shape;
  const u = pseudoRandom(outShape);
  const backwardOf: TensorFunction = (...args) =>
    withGradMode(true, () => {
      const tracked = args.map((a) => (a.requiresGrad ? add(a, 0) : new Tensor(a._data, a.shape, true)));
      const out = f(...tracked);
      if (!out.requiresGrad) return concat(tracked.map((t) => reshape(mul(t, 0), [-1])));
      const grads = gradients(out, tracked, u, { createGraph: true });
      return concat(grads.map((g) => reshape(g, [-1])));
    });
  // f's gradient may be constant in an input (f linear in it): only f's own use of its inputs is required.
  const second = gradcheck(backwardOf, xs, { ...options, raise: false, allowUnused: true });
  const reports = second.inputs.map((r, k) =>
    used[k] ? { ...r, used: true } : { ...r, used: false, passed: r.passed && options.allowUnused === true },
  );
  const report = { passed: reports.every((r) => r.passed), inputs: reports };
  if (!report.passed && options.raise !== false) throw new GradcheckError("gradgradcheck", report);
  return report;
}

/** A fixed cotangent with entries in [0.5, 1.5) (deterministic, so failures reproduce). */
function pseudoRandom(shape: readonly number[]): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  const data = new Float64Array(size);
  let state = 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = 0.5 + state / 4294967296;
  }
  return new Tensor(data, shape.slice());
}

/**
 * The course's relative difference ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂) between two gradients of one shape
 * (0 when both are zero): what `gradient_check_n` and gradcheck's reports call the relative difference.
 * @example relativeDifference(dW, dWClosedForm); // ~1e-16 when autodiff equals the closed form
 */
export function relativeDifference(a: Tensor, b: Tensor): number {
  checkInputs("relativeDifference", () => undefined, [a, b]);
  if (a.size !== b.size || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError("relativeDifference", `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`);
  }
  let diff2 = 0;
  let a2 = 0;
  let b2 = 0;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i];
    const y = b.data[i];
    diff2 += (x - y) ** 2;
    a2 += x * x;
    b2 += y * y;
  }
  const denominator = Math.sqrt(a2) + Math.sqrt(b2);
  return denominator === 0 ? 0 : Math.sqrt(diff2) / denominator;
}
