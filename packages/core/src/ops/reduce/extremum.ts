/** max and min reductions; ties split the gradient evenly among the extreme elements. */
import { type OpDef, record } from "../../autodiff/node.js";
import { formatShape, ShapeError } from "../../errors.js";
import { allocate } from "../../kernels/floatArray.js";
import { type ReduceKernel, reduce } from "../../kernels/strided.js";
import { checkKeepdims, normalizeAxes, reducedShape, sizeOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import { equal } from "../elementwise/compare.js";
import { div } from "../elementwise/div.js";
import { mul } from "../elementwise/mul.js";
import { toTensor } from "../operand.js";
import { broadcastTo } from "../shape/broadcastTo.js";
import { keptDims, type ReduceAttrs, reduceStrides, sum } from "./sum.js";

/** dz to the elements equal to the extreme, divided by how many tie. */
function extremumBackward(g: Tensor, x: Tensor, output: Tensor, attrs: ReduceAttrs): Tensor {
  return mul(broadcastTo(keptDims(g, x.shape, attrs), x.shape), tieShares(x, output, attrs));
}

/** Each element's share of the extreme: [x = extreme] / #ties along the reduced axes (a constant). */
function tieShares(x: Tensor, output: Tensor, attrs: ReduceAttrs): Tensor {
  const extreme = broadcastTo(keptDims(output.detach(), x.shape, attrs), x.shape);
  const mask = equal(x, extreme);
  const ties = broadcastTo(sum(mask, attrs.axes, true), x.shape);
  return div(mask, ties);
}

/** d max x = dz at the maximal elements (split evenly between ties). */
export const maxOp: OpDef<ReduceAttrs> = {
  name: "max",
  saves: { inputs: true, output: true },
  formula: "dz ∗ [x = max] / #ties",
  backward: (g, { inputs: [x], output, attrs }) => [extremumBackward(g, x, output, attrs)],
  jvpFormula: "ż = Σ ẋ ∗ [x = max] / #ties",
  jvp: ([t], { inputs: [x], output, attrs }) =>
    t && sum(mul(t, tieShares(x, output, attrs)), attrs.axes, attrs.keepdims),
};

/** d min x = dz at the minimal elements (split evenly between ties). */
export const minOp: OpDef<ReduceAttrs> = {
  name: "min",
  saves: { inputs: true, output: true },
  formula: "dz ∗ [x = min] / #ties",
  backward: (g, { inputs: [x], output, attrs }) => [extremumBackward(g, x, output, attrs)],
  jvpFormula: "ż = Σ ẋ ∗ [x = min] / #ties",
  jvp: ([t], { inputs: [x], output, attrs }) =>
    t && sum(mul(t, tieShares(x, output, attrs)), attrs.axes, attrs.keepdims),
};

/** The reduction's values, not recorded. */
function reduceValue(kind: ReduceKernel, t: Tensor, axes: readonly number[], keepdims: boolean): Tensor {
  const shape = reducedShape(t.shape, axes, keepdims);
  const out = allocate(t.dtype, sizeOf(shape));
  if (kind === "max") out.fill(Number.NEGATIVE_INFINITY);
  else if (kind === "min") out.fill(Number.POSITIVE_INFINITY);
  return new Tensor(reduce(kind, t._data, t.shape, reduceStrides(t.shape, axes), out), shape);
}

function extremum(
  op: OpDef<ReduceAttrs>,
  kind: "max" | "min",
  x: Tensor,
  axis: number | readonly number[] | undefined,
  keepdims: boolean,
): Tensor {
  const t = toTensor(kind, x);
  const axes = normalizeAxes(kind, axis, t.shape);
  checkKeepdims(kind, keepdims);
  for (const a of axes) {
    if (t.shape[a] === 0)
      throw new ShapeError(
        kind,
        `cannot reduce the empty axis ${a} of ${formatShape(t.shape)} (no identity for ${kind})`,
      );
  }
  return record(op, reduceValue(kind, t, axes, keepdims), [t], { axes, keepdims });
}

/**
 * Maximum along `axis` (all axes when omitted); NaN propagates.
 * @example max(Z, 0, true)
 */
export function max(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return extremum(maxOp, "max", x, axis, keepdims);
}

/** Minimum along `axis` (all axes when omitted); NaN propagates. */
export function min(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return extremum(minOp, "min", x, axis, keepdims);
}
