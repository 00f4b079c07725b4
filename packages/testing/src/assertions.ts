/** Assertions for property tests: tensor closeness with a readable worst-element report, and gradient-check wrappers. */
import {
  BackpropError,
  broadcastTo,
  formatShape,
  GradcheckError,
  type GradcheckOptions,
  type GradcheckReport,
  gradcheck,
  gradgradcheck,
  type NestedArray,
  noGrad,
  Tensor,
  type TensorFunction,
  tensor,
  ValueError,
} from "@backprop/core";
import { checkOptionNames, describe } from "./shapes.js";

/** Tolerances of `expectClose`. */
export interface CloseOptions {
  /** Relative tolerance (default 1e-7, as numpy.testing.assert_allclose). */
  rtol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /**
   * The magnitude relative errors are measured against, elementwise: a number, or a tensor that
   * broadcasts to the expected shape (default 0, i.e. plain |e|). Element i passes when
   * |a − e| ≤ atol + rtol·max(|e|, scale_i), so an entry that is tiny by cancellation is judged
   * against the size of the terms that produced it (pass Σ|terms|) rather than its own size.
   */
  scale?: number | Tensor;
  /** NaN equals NaN (default true). */
  equalNaN?: boolean;
  /** Names the compared quantity in the report (e.g. "dW1"). */
  name?: string;
}

/** The element of a failed `expectClose` that exceeds its tolerance by the largest factor. */
export interface WorstElement {
  /** Multi-index into the tensor, e.g. [1, 0]. */
  readonly index: readonly number[];
  readonly actual: number;
  readonly expected: number;
  /** The element's tolerance atol + rtol·max(|e|, scale). */
  readonly tolerance: number;
}

/** Thrown by `expectClose`: a shape mismatch (`worst` null) or elements beyond tolerance. */
export class TensorMismatchError extends BackpropError {
  constructor(
    message: string,
    /** Shapes compared: actual, expected. */
    readonly shapes: readonly [readonly number[], readonly number[]],
    /** The worst element, or null when the shapes differ. */
    readonly worst: WorstElement | null,
    /** How many elements exceed their tolerance. */
    readonly mismatches: number,
  ) {
    super("expectClose", message);
  }
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return index;
}

function scaleData(scale: number | Tensor, shape: readonly number[]): (i: number) => number {
  if (typeof scale === "number") {
    if (!(scale >= 0)) throw new ValueError("expectClose", `scale must be a non-negative number, got ${scale}`);
    return () => scale;
  }
  if (!(scale instanceof Tensor)) {
    throw new ValueError("expectClose", `scale must be a number or a Tensor, got ${describe(scale)}`);
  }
  let data: ArrayLike<number>;
  try {
    data = noGrad(() => broadcastTo(scale, shape)).data;
  } catch (e) {
    if (!(e instanceof BackpropError)) throw e;
    throw new ValueError(
      "expectClose",
      `scale of shape ${formatShape(scale.shape)} does not broadcast to the expected shape ${formatShape(shape)}`,
    );
  }
  return (i) => Math.abs(data[i]);
}

/**
 * Asserts two tensors have the same shape and agree elementwise: |a − e| ≤ atol + rtol·max(|e|, scale).
 * Throws a `TensorMismatchError` naming the worst element (multi-index, both values, the tolerance)
 * and the count of failing elements. dtypes may differ (a float32 result against a float64 reference).
 * @example expectClose(W.grad!, [[2, 4], [6, 8]], { rtol: 1e-12, name: "dW" });
 */
export function expectClose(actual: Tensor, expected: Tensor | NestedArray, options: CloseOptions = {}): void {
  checkOptionNames("expectClose", options, ["rtol", "atol", "scale", "equalNaN", "name"]);
  const { rtol = 1e-7, atol = 0, scale = 0, equalNaN = true, name } = options;
  // Finite: an infinite tolerance would make the assertion unable to fail.
  if (!(typeof rtol === "number" && typeof atol === "number" && rtol >= 0 && atol >= 0 && rtol + atol < Infinity)) {
    throw new ValueError(
      "expectClose",
      `rtol and atol must be non-negative finite numbers, got rtol ${describe(rtol)}, atol ${describe(atol)}`,
    );
  }
  if (typeof equalNaN !== "boolean") {
    throw new ValueError("expectClose", `equalNaN must be true or false, got ${describe(equalNaN)}`);
  }
  if (name !== undefined && typeof name !== "string") {
    throw new ValueError("expectClose", `name must be a string, got ${describe(name)}`);
  }
  if (!(actual instanceof Tensor)) {
    throw new ValueError("expectClose", `actual must be a Tensor, got ${describe(actual)}`);
  }
  if (!(expected instanceof Tensor || typeof expected === "number" || Array.isArray(expected))) {
    throw new ValueError(
      "expectClose",
      `expected must be a Tensor, a number or a nested array, got ${describe(expected)}`,
    );
  }
  const e = expected instanceof Tensor ? expected : tensor(expected);
  const label = name ? `${name}: ` : "";
  if (actual.shape.length !== e.shape.length || actual.shape.some((d, i) => d !== e.shape[i])) {
    throw new TensorMismatchError(
      `${label}shape ${formatShape(actual.shape)} differs from the expected ${formatShape(e.shape)}`,
      [actual.shape, e.shape],
      null,
      actual.size,
    );
  }
  const scaleAt = scaleData(scale, e.shape);
  let mismatches = 0;
  let worst: (WorstElement & { ratio: number }) | null = null;
  for (let i = 0; i < e.size; i++) {
    const a = actual.data[i];
    const x = e.data[i];
    if (a === x || (equalNaN && Number.isNaN(a) && Number.isNaN(x))) continue;
    const tolerance = atol + rtol * Math.max(Math.abs(x), scaleAt(i));
    const diff = Math.abs(a - x);
    // An infinity equals only itself (numpy's assert_allclose): its infinite tolerance would accept any value.
    if (diff <= tolerance && Number.isFinite(a) && Number.isFinite(x)) continue;
    mismatches++;
    const ratio = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff / tolerance;
    if (worst === null || ratio > worst.ratio) {
      worst = { index: unravel(i, e.shape), actual: a, expected: x, tolerance, ratio };
    }
  }
  if (worst === null) return;
  const { ratio, ...element } = worst;
  const scaleNote = typeof scale === "number" && scale === 0 ? "|e|" : "max(|e|, scale)";
  throw new TensorMismatchError(
    `${label}${mismatches} of ${e.size} elements of ${formatShape(e.shape)} differ beyond |a − e| ≤ atol + rtol·${scaleNote} (rtol ${rtol}, atol ${atol}); ` +
      `worst at [${element.index.join(", ")}]: actual ${element.actual}, expected ${element.expected}, ` +
      `|a − e| = ${Math.abs(element.actual - element.expected)} > tolerance ${element.tolerance} (${ratio.toPrecision(3)}×)`,
    [actual.shape, e.shape],
    element,
    mismatches,
  );
}

/** Options of the gradient-check assertions: core's options plus a label for the report. */
export interface AssertGradcheckOptions extends Omit<GradcheckOptions, "raise"> {
  /** Names the checked function in the error (default "assertGradcheck" / "assertGradgradcheck"). */
  label?: string;
}

/**
 * gradcheck for property tests: throws core's `GradcheckError` (with its per-input report) when
 * autodiff's Jacobian disagrees with central differences. Defaults are tighter than core's:
 * atol 1e-6, rtol 1e-5 (suitable for float64 functions with values of order 1).
 * @example test.prop([computationalGraph()])("gradcheck", ({ f, inputs }) => { assertGradcheck(f, inputs, { allowUnused: true }); });
 */
export function assertGradcheck(
  f: TensorFunction,
  inputs: readonly Tensor[],
  options: AssertGradcheckOptions = {},
): GradcheckReport {
  const { label = "assertGradcheck", ...rest } = checkAssertOptions("assertGradcheck", options);
  const report = asCalled("assertGradcheck", () =>
    gradcheck(f, inputs, { atol: 1e-6, rtol: 1e-5, ...rest, raise: false }),
  );
  if (!report.passed) throw new GradcheckError(label, report);
  return report;
}

/** The assertions' options, checked: an object of core's gradcheck options (no `raise`) and a string `label`. */
function checkAssertOptions(op: string, options: AssertGradcheckOptions): AssertGradcheckOptions {
  checkOptionNames(op, options, ["eps", "atol", "rtol", "allowUnused", "label"]);
  if (options.label !== undefined && typeof options.label !== "string") {
    throw new ValueError(op, `label must be a string, got ${describe(options.label)}`);
  }
  return options;
}

/** Runs a core check, re-raising its ValueErrors (bad f, inputs, tolerances) under the assertion's name. */
function asCalled<T>(op: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof ValueError && (e.op === "gradcheck" || e.op === "gradgradcheck")) {
      throw new ValueError(op, e.message.slice(e.op.length + 2));
    }
    throw e;
  }
}

/**
 * gradgradcheck for property tests (second derivatives against finite differences of the
 * gradient); defaults atol 1e-5, rtol 1e-4.
 * @example assertGradgradcheck((x) => x.tanh().sum(), [x]);
 */
export function assertGradgradcheck(
  f: TensorFunction,
  inputs: readonly Tensor[],
  options: AssertGradcheckOptions = {},
): GradcheckReport {
  const { label = "assertGradgradcheck", ...rest } = checkAssertOptions("assertGradgradcheck", options);
  const report = asCalled("assertGradgradcheck", () =>
    gradgradcheck(f, inputs, { atol: 1e-5, rtol: 1e-4, ...rest, raise: false }),
  );
  if (!report.passed) throw new GradcheckError(label, report);
  return report;
}
