/** sum: adds along axes (all by default), optionally keeping them as size-1 dimensions. */
import { type OpDef, record } from "../../autodiff/node.js";
import { allocate } from "../../kernels/floatArray.js";
import { reduce } from "../../kernels/strided.js";
import { checkKeepdims, normalizeAxes, reducedShape, type Shape, sizeOf, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import { toTensor } from "../operand.js";
import { broadcastTo } from "../shape/broadcastTo.js";
import { reshape } from "../shape/reshape.js";

/** Axes reduced and whether they were kept. */
export interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

/** d Σ x = dz repeated over the summed axes. */
export const sumOp: OpDef<ReduceAttrs> = {
  name: "sum",
  saves: { inputs: false, output: false },
  formula: "broadcast dz over the summed axes",
  backward: (g, { inputs: [x], attrs }) => [broadcastTo(keptDims(g, x.shape, attrs), x.shape)],
  jvpFormula: "ż = Σ ẋ over the axes",
  jvp: ([t], { attrs: { axes, keepdims } }) => t && sum(t, axes, keepdims),
};

/** dz reshaped so the reduced axes are size-1 again (a no-op when they were kept). */
export function keptDims(g: Tensor, inputShape: Shape, { axes, keepdims }: ReduceAttrs): Tensor {
  return keepdims ? g : reshape(g, reducedShape(inputShape, axes, true));
}

/** Output strides for the reduce kernel: the kept-dims strides, 0 on reduced axes. */
export function reduceStrides(shape: Shape, axes: readonly number[]): number[] {
  const strides = stridesOf(reducedShape(shape, axes, true));
  for (const a of axes) strides[a] = 0;
  return strides;
}

/**
 * Sum along `axis` (a number, a list, negative counts from the end; all axes when omitted).
 * @example sum(dZ2, 1, true) // Σ over the m examples, shape (n, 1) as db needs
 */
export function sum(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  const t = toTensor("sum", x);
  const axes = normalizeAxes("sum", axis, t.shape);
  checkKeepdims("sum", keepdims);
  const shape = reducedShape(t.shape, axes, keepdims);
  const out = reduce("sum", t._data, t.shape, reduceStrides(t.shape, axes), allocate(t.dtype, sizeOf(shape)));
  return record(sumOp, new Tensor(out, shape), [t], { axes, keepdims });
}
