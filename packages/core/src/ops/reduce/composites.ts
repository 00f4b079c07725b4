/** Reductions composed from primitives: mean and logSumExp. */
import { formatShape, ShapeError } from "../../errors.js";
import { checkKeepdims, normalizeAxes } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { add } from "../elementwise/add.js";
import { notEqual } from "../elementwise/compare.js";
import { div } from "../elementwise/div.js";
import { exp } from "../elementwise/exp.js";
import { log } from "../elementwise/log.js";
import { sub } from "../elementwise/sub.js";
import { where } from "../elementwise/where.js";
import { scalar, toTensor } from "../operand.js";
import { reshape } from "../shape/reshape.js";
import { countOf } from "../trace/nonDifferentiable.js";
import { max } from "./extremum.js";
import { sum } from "./sum.js";

/**
 * Mean along `axis` (all axes when omitted).
 * @example mean(losses) // the cost J over the m examples
 */
export function mean(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  const t = toTensor("mean", x);
  const axes = normalizeAxes("mean", axis, t.shape);
  checkKeepdims("mean", keepdims);
  let count = 1;
  for (const a of axes) count *= t.shape[a];
  // numpy returns NaN (with a RuntimeWarning) here; a silent NaN is what this library avoids.
  if (count === 0) {
    throw new ShapeError(
      "mean",
      `cannot average over the empty axes [${axes.join(",")}] of ${formatShape(t.shape)} (0 elements; numpy gives NaN)`,
    );
  }
  return div(sum(t, axes, keepdims), countOf(t, axes)); // the count is read from t's shape when a traced graph runs
}

/**
 * log Σ eˣ along `axis`, computed as m + log Σ e^(x − m) with m = max x so it never overflows;
 * its gradient is softmax(x). Over an empty axis it is −∞ (log of an empty sum).
 */
export function logSumExp(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  const t = toTensor("logSumExp", x);
  const axes = normalizeAxes("logSumExp", axis, t.shape);
  checkKeepdims("logSumExp", keepdims);
  // Over an empty axis the sum has no terms: log 0 = −∞, as numpy's log(sum(exp(x))) (max has no identity there).
  const empty = axes.some((a) => t.shape[a] === 0);
  // The shift is a constant (detached): the result does not depend on it mathematically.
  const m = empty ? scalar(0, t.dtype) : max(t, axes, true).detach(); // a tensor of t's dtype: a float32 x stays float32
  const shift = where(notEqual(sub(m, m), 0), 0, m); // a ±Infinity or NaN max: no shift
  const lse = add(log(sum(exp(sub(t, shift)), axes, true)), shift);
  return keepdims
    ? lse
    : reshape(
        lse,
        lse.shape.filter((_, i) => !axes.includes(i)),
      );
}
