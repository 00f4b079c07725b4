/** Shared forward plumbing of elementwise ops: operand conversion, broadcasting, kernel call, recording. */
import { isGradEnabled } from "../../autodiff/gradMode.js";
import { type OpDef, record } from "../../autodiff/node.js";
import { type BinaryKernel, binary, row } from "../../kernels/binary.js";
import { allocate } from "../../kernels/floatArray.js";
import { type FusedGradKernel, fusedGrad } from "../../kernels/fused.js";
import { type UnaryKernel, unary } from "../../kernels/unary.js";
import { broadcastShapes, broadcastStrides, shapesEqual, sizeOf } from "../../shape.js";
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
  // Fast paths without stride arrays: equal shapes, or a one-element operand of no higher rank
  // (a scalar, or a (1,1) bias against a matrix), which the flat loop repeats with stride 0.
  const sa = a.shape;
  const sb = b.shape;
  if (shapesEqual(sa, sb) || (b.size === 1 && sb.length <= sa.length)) {
    const out = allocate(a.dtype, a.size);
    row(kernel, a._data, 0, 1, b._data, 0, b.size === 1 ? 0 : 1, out, 0, a.size);
    return new Tensor(out, sa);
  }
  if (a.size === 1 && sa.length <= sb.length) {
    const out = allocate(a.dtype, b.size);
    row(kernel, a._data, 0, 0, b._data, 0, 1, out, 0, b.size);
    return new Tensor(out, sb);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocate(a.dtype, sizeOf(shape));
  if (a.shape === shape && b.shape === shape) {
    binary(kernel, a._data, [], b._data, [], shape, out);
  } else {
    binary(kernel, a._data, broadcastStrides(a.shape, shape), b._data, broadcastStrides(b.shape, shape), shape, out);
  }
  return new Tensor(out, shape);
}

/** True when ops applied to these tensors now would be recorded (backward rules then keep their differentiable form). */
export function recordsGraph(a: Tensor, b: Tensor): boolean {
  return isGradEnabled() && (a.requiresGrad || b.requiresGrad);
}

/** A fused backward rule's value g ∘ x in one pass, not recorded; g and x have one shape. */
export function fusedGradValue(kernel: FusedGradKernel, g: Tensor, x: Tensor): Tensor {
  return new Tensor(fusedGrad(kernel, g._data, x._data, allocate(g.dtype, g.size)), g.shape);
}
