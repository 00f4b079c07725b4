/** transpose: permutes the axes (reverses them by default: Wᵀ). */
import { type OpDef, record } from "../../autodiff/node.js";
import { formatShape, ShapeError } from "../../errors.js";
import { allocate } from "../../kernels/floatArray.js";
import { gather } from "../../kernels/strided.js";
import { expectArray, normalizeAxis, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import { toTensor } from "../operand.js";

/** d transpose(x, p) = transpose(dz, p⁻¹). */
export const transposeOp: OpDef<{ axes: readonly number[] }> = {
  name: "transpose",
  saves: { inputs: false, output: false },
  formula: "transpose(dz, inverse(axes))",
  backward: (g, { attrs: { axes } }) => {
    const inverse = new Array<number>(axes.length);
    for (let i = 0; i < axes.length; i++) inverse[axes[i]] = i;
    return [transpose(g, inverse)];
  },
  jvpFormula: "ż = transpose(ẋ, axes)",
  jvp: ([t], { attrs: { axes } }) => t && transpose(t, axes),
};

/**
 * Permutes the axes; with no `axes`, reverses them (the matrix transpose for 2-D).
 * @example transpose(A1) // A1ᵀ
 */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  const t = toTensor("transpose", x);
  const rank = t.rank;
  if (axes != null) expectArray("transpose", "axes", axes, "an array of axes (a permutation)");
  const perm = axes
    ? axes.map((a) => normalizeAxis("transpose", a, rank, t.shape))
    : t.shape.map((_, i) => rank - 1 - i);
  if (perm.length !== rank || new Set(perm).size !== rank) {
    throw new ShapeError(
      "transpose",
      `axes [${axes?.join(",")}] are not a permutation of the ${rank} axes of ${formatShape(t.shape)}`,
    );
  }
  const strides = stridesOf(t.shape);
  const shape = perm.map((a) => t.shape[a]);
  const out = gather(
    t._data,
    0,
    perm.map((a) => strides[a]),
    shape,
    allocate(t.dtype, t.size),
  );
  return record(transposeOp, new Tensor(out, shape), [t], { axes: perm });
}
