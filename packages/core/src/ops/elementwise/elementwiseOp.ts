/** Shared forward plumbing of elementwise ops: operand conversion, broadcasting, kernel call, recording. */
import { type OpDef, record } from "../../autodiff/node.js";
import { type BinaryKernel, binary } from "../../kernels/binary.js";
import { allocate } from "../../kernels/floatArray.js";
import { type UnaryKernel, unary } from "../../kernels/unary.js";
import { broadcastShapes, broadcastStrides, sizeOf } from "../../shape.js";
import { Tensor, type TensorLike } from "../../tensor.js";
import { operands, toTensor } from "../operand.js";

/** f(x) elementwise through the named kernel, recorded as `def`. */
export function unaryOp(def: OpDef<undefined>, kernel: UnaryKernel, x: TensorLike): Tensor {
  const t = toTensor(def.name, x);
  return record(def, unaryValue(kernel, t), [t], undefined);
}

/** f(x) elementwise, not recorded (masks and helpers of backward rules). */
export function unaryValue(kernel: UnaryKernel, t: Tensor): Tensor {
  return new Tensor(unary(kernel, t._data, allocate(t.dtype, t.size)), t.shape);
}

/** f(a, b) with numpy broadcasting through the named kernel, recorded as `def`. */
export function binaryOp(def: OpDef<undefined>, kernel: BinaryKernel, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(def.name, a, b);
  return record(def, binaryValue(def.name, kernel, ta, tb), [ta, tb], undefined);
}

/** f(a, b) with numpy broadcasting, not recorded (comparisons, masks). */
export function binaryValue(op: string, kernel: BinaryKernel, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocate(a.dtype, sizeOf(shape));
  if (a.shape === shape && b.shape === shape) {
    binary(kernel, a._data, [], b._data, [], shape, out);
  } else {
    binary(kernel, a._data, broadcastStrides(a.shape, shape), b._data, broadcastStrides(b.shape, shape), shape, out);
  }
  return new Tensor(out, shape);
}
