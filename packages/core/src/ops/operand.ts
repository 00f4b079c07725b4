/** Turning op arguments into tensors: numbers become scalars of the other operand's dtype; mixed dtypes promote to float64. */
import { describeValue, ValueError } from "../errors.js";
import { checkDType, type DType, newFloatArray } from "../kernels/floatArray.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { cast } from "./elementwise/cast.js";

/** A 0-d tensor holding `value`. */
export function scalar(value: number, dtype: DType = "float64"): Tensor {
  if (typeof value !== "number") throw new ValueError("scalar", `value must be a number, got ${describeValue(value)}`);
  const data = newFloatArray(checkDType("scalar", dtype), 1);
  data[0] = value;
  return new Tensor(data, []);
}

/** Checks that `x` is a Tensor or a number; returns a tensor (numbers become scalars of `dtype`). */
export function toTensor(op: string, x: TensorLike, dtype: DType = "float64"): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return scalar(x, dtype);
  throw new ValueError(op, `expected a Tensor or a number, got ${describeValue(x)}`);
}

/** Both operands as tensors of one dtype: numbers take the tensor's dtype, float32 with float64 promotes to float64. */
export function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) {
    if (a.dtype === b.dtype) return [a, b];
    return a.dtype === "float32" ? [cast(a, "float64"), b] : [a, cast(b, "float64")];
  }
  if (a instanceof Tensor) return [a, toTensor(op, b, a.dtype)];
  if (b instanceof Tensor) return [toTensor(op, a, b.dtype), b];
  return [toTensor(op, a), toTensor(op, b)];
}
