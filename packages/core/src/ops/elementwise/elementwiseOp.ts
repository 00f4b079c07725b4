/** Shared forward plumbing of elementwise ops: operand conversion, broadcasting, kernel call, recording. */
import { hasActiveTangent, isForwardActive } from "../../autodiff/forwardMode.js";
import { isGradEnabled } from "../../autodiff/gradMode.js";
import { type OpDef, record } from "../../autodiff/node.js";
import { isTracing } from "../../autodiff/tracing.js";
import { type BinaryKernel, binary, binaryFlat } from "../../kernels/binary.js";
import { allocateForOverwrite } from "../../kernels/floatArray.js";
import { type FusedGradKernel, fusedGrad } from "../../kernels/fused.js";
import { productRule } from "../../kernels/productRule.js";
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
  return new Tensor(unary(kernel, t._data, allocateForOverwrite(t.dtype, t.size)), t.shape);
}

/** f(a, b) with numpy broadcasting through the named kernel, recorded as `def`. */
export function binaryOp(def: OpDef<undefined>, kernel: BinaryKernel, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(def.name, a, b);
  return record(def, binaryValue(def.name, kernel, ta, tb), [ta, tb], undefined);
}

/** f(a, b) with numpy broadcasting, not recorded (comparisons, masks). */
export function binaryValue(op: string, kernel: BinaryKernel, a: Tensor, b: Tensor): Tensor {
  // Flat loops without stride arrays: equal shapes, or a one-element operand of no higher rank
  // (a scalar, or a (1,1) bias against a matrix), which the loop holds in a register.
  const sa = a.shape;
  const sb = b.shape;
  if (shapesEqual(sa, sb) || (b.size === 1 && sb.length <= sa.length)) {
    return new Tensor(binaryFlat(kernel, a._data, b._data, allocateForOverwrite(a.dtype, a.size)), sa);
  }
  if (a.size === 1 && sa.length <= sb.length) {
    return new Tensor(binaryFlat(kernel, a._data, b._data, allocateForOverwrite(a.dtype, b.size)), sb);
  }
  const shape = broadcastShapes(op, sa, sb);
  const out = allocateForOverwrite(a.dtype, sizeOf(shape));
  binary(kernel, a._data, broadcastStrides(sa, shape), b._data, broadcastStrides(sb, shape), shape, out);
  return new Tensor(out, shape);
}

/**
 * True when ops applied to these tensors now would be recorded, or would carry a jvp's tangents, and always while
 * tracing (rules then keep their differentiable form instead of a fused kernel).
 */
export function recordsGraph(a: Tensor, b: Tensor): boolean {
  return (
    (isGradEnabled() && (a.requiresGrad || b.requiresGrad)) ||
    (isForwardActive() && (hasActiveTangent(a) || hasActiveTangent(b))) ||
    isTracing()
  );
}

/**
 * A fused backward rule's value g ∘ x in one pass, not recorded; g and x have one shape. Null when g's dtype is not
 * x's (the rule's ops would round x's intermediates to x's dtype and the product to the wider one): use the rule.
 */
export function fusedGradValue(kernel: FusedGradKernel, g: Tensor, x: Tensor): Tensor | null {
  if (g.dtype !== x.dtype) return null;
  return new Tensor(fusedGrad(kernel, g._data, x._data, allocateForOverwrite(g.dtype, g.size)), g.shape);
}

/**
 * mul's tangent ȧ ∗ b + a ∗ ḃ in one pass when all four have one shape and one dtype and nothing
 * records or carries tangents through them (the same values as the three ops); null otherwise.
 */
export function productRuleValue(ta: Tensor, b: Tensor, a: Tensor, tb: Tensor): Tensor | null {
  const shape = a.shape;
  const same = (t: Tensor) => t.dtype === a.dtype && shapesEqual(t.shape, shape);
  if (!same(b) || !same(ta) || !same(tb) || recordsGraph(ta, b) || recordsGraph(a, tb)) return null;
  return new Tensor(productRule(ta._data, b._data, a._data, tb._data, allocateForOverwrite(a.dtype, a.size)), shape);
}
