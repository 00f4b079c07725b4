/** cast: converts between float64 and float32; the gradient is cast back to the input's dtype. */
import { type OpDef, record } from "../../autodiff/node.js";
import { describeValue, ValueError } from "../../errors.js";
import { allocate, checkDType, type DType } from "../../kernels/floatArray.js";
import { Tensor } from "../../tensor.js";

/** d cast(x) = cast(dz) back to x's dtype. */
export const castOp: OpDef<undefined> = {
  name: "cast",
  saves: { inputs: false, output: false },
  formula: "cast(dz, x.dtype)",
  backward: (g, { inputs }) => [cast(g, inputs[0].dtype)],
  jvpFormula: "ż = cast(ẋ, z.dtype)",
  jvp: ([t], { output }) => t && cast(t, output.dtype),
};

/**
 * The tensor converted to `dtype` (`"float64"` or `"float32"`); the same tensor when it already has it.
 * @example cast(x, "float32")
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  return castAs("cast", x, dtype, false);
}

/** cast, its checks naming `op` (the function the user called); `copy`: a new tensor even when x has the dtype. */
function castAs(op: string, x: Tensor, dtype: DType, copy: boolean): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(op, `expected a Tensor, got ${describeValue(x)}`);
  checkDType(op, dtype);
  if (x.dtype === dtype && !copy) return x;
  const out = allocate(dtype, x.size);
  out.set(x._data);
  return record(castOp, new Tensor(out, x.shape), [x], undefined);
}

/**
 * numpy's name for `cast` (`np.astype(x, dtype)`, the function form of `x.astype(dtype)`): the tensor converted to
 * `dtype`. As numpy's (`copy=True`), it is always a new tensor, even when x already has `dtype` — an in-place update
 * of the result (`add_`) leaves x alone; `cast` returns x itself then. Graphs and traces name the op `cast`.
 * @example astype(x, "float32")
 */
export function astype(x: Tensor, dtype: DType): Tensor {
  return castAs("astype", x, dtype, true);
}
