/** concat: joins tensors along an existing axis; the gradient is sliced back into the pieces. */
import { type OpDef, record } from "../../autodiff/node.js";
import { formatShape, ShapeError, ValueError } from "../../errors.js";
import { allocate, allocateFor } from "../../kernels/floatArray.js";
import { scatter } from "../../kernels/strided.js";
import { normalizeAxis, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import { cast } from "../elementwise/cast.js";
import { toTensor } from "../operand.js";
import { slice } from "./slice.js";

/** d concat(x₁…xₙ) = the slices of dz where each xᵢ was placed. */
export const concatOp: OpDef<{ axis: number }> = {
  name: "concat",
  saves: { inputs: false, output: false },
  formula: "slices of dz along axis",
  backward: (g, { inputs, attrs: { axis } }) => {
    let start = 0;
    return inputs.map((x) => {
      const end = start + x.shape[axis];
      const piece = x.requiresGrad
        ? slice(
            g,
            g.shape.map((_d, i) => (i === axis ? ([start, end] as const) : null)),
          )
        : null;
      start = end;
      return piece;
    });
  },
  jvpFormula: "ż = concat(ẋ₁…ẋₙ) along axis (zeros for an input without a tangent)",
  jvp: (tangents, { inputs, attrs: { axis } }) =>
    concat(
      inputs.map((x, i) => tangents[i] ?? new Tensor(allocate(x.dtype, x.size), x.shape)),
      axis,
    ),
};

/**
 * Joins tensors along `axis` (default 0); all other dimensions must match.
 * @example concat([X1, X2], 1) // more examples (columns)
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) {
    throw new ValueError("concat", "needs a non-empty array of tensors");
  }
  const checked = tensors.map((t) => toTensor("concat", t));
  const dtype = checked.some((t) => t.dtype === "float64") ? "float64" : "float32";
  const parts = checked.map((t) => (t.dtype === dtype ? t : cast(t, dtype)));
  const first = parts[0];
  const ax = normalizeAxis("concat", axis, first.rank, first.shape);
  const shape = first.shape.slice();
  shape[ax] = 0;
  for (const p of parts) {
    const compatible = p.rank === first.rank && p.shape.every((d, i) => i === ax || d === first.shape[i]);
    if (!compatible) {
      throw new ShapeError(
        "concat",
        `shapes ${parts.map((q) => formatShape(q.shape)).join(", ")} differ outside axis ${axis}`,
      );
    }
    shape[ax] += p.shape[ax];
  }
  const out = allocateFor("concat", dtype, shape);
  const strides = stridesOf(shape);
  let offset = 0;
  for (const p of parts) {
    scatter(p._data, p.shape, out, offset, strides);
    offset += p.shape[ax] * strides[ax];
  }
  return record(concatOp, new Tensor(out, shape), parts, { axis: ax });
}
