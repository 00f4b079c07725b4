/** In-place updates (sub_, add_, mul_, div_, copy_): never recorded, they bump the version counter instead. */
import { hasActiveTangent } from "../autodiff/forwardMode.js";
import { rejectWhileJitTraces } from "../autodiff/tracing.js";
import { AutodiffError, formatShape, ShapeError, ValueError } from "../errors.js";
import { binary, binaryFlat, scaledUpdate } from "../kernels/binary.js";
import { gather } from "../kernels/strided.js";
import { broadcastShapes, broadcastStrides, shapesEqual, stridesOf } from "../shape.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { toTensor } from "./operand.js";

/** What to do instead of an in-place update inside a jitted function. */
const IN_PLACE_FIX =
  "return the new value from the jitted function and update outside it (W.sub_(dW, lr) after the call)";

/** The in-place updates; "copy" overwrites. */
export type InPlaceKind = "add" | "sub" | "mul" | "div" | "copy";

/**
 * A null operand is almost always a `.grad` that backward never filled (`W.sub_(W.grad!, α)`): say why,
 * naming the target when it never required grad.
 */
function checkNotNull(op: string, target: Tensor, other: unknown): void {
  if (other !== null && other !== undefined) return;
  const name = target.name ? `'${target.name}'` : `the ${formatShape(target.shape)} tensor`;
  if (!target.requiresGrad) {
    throw new AutodiffError(
      op,
      `the operand is ${String(other)}: if it is ${target.name ?? "the tensor"}.grad, ${name} never required grad (requiresGrad is false), so backward() gave it no gradient; create it with { requiresGrad: true } or call requiresGrad_() before the forward pass`,
    );
  }
  throw new AutodiffError(
    op,
    `the operand is ${String(other)}: a .grad stays null until backward() reaches the tensor (and after zeroGrad()); did the cost depend on ${name}?`,
  );
}

/** target ∘= other, broadcasting other to target's shape; bumps target's version. */
export function inPlace<T extends Tensor>(target: T, kind: InPlaceKind, other: TensorLike): T {
  const op = `${kind}_`;
  rejectTangent(op, target);
  rejectWhileJitTraces(op, "an in-place update is never recorded", IN_PLACE_FIX);
  checkNotNull(op, target, other);
  const o = toTensor(op, other, target.dtype);
  const shape = broadcastShapes(op, target.shape, o.shape);
  if (!shapesEqual(shape, target.shape)) {
    throw new ShapeError(
      op,
      `cannot update ${formatShape(target.shape)} in place with ${formatShape(o.shape)}: the result would be ${formatShape(shape)}`,
    );
  }
  if (kind !== "copy" && (o.size === target.size || o.size === 1)) {
    // Same shape, or one value repeated: a flat loop.
    binaryFlat(kind, target._data, o._data, target._data);
    target._version++;
    return target;
  }
  const strides = broadcastStrides(o.shape, target.shape);
  if (kind === "copy") {
    gather(o._data, 0, strides, target.shape, target._data);
  } else {
    binary(kind, target._data, stridesOf(target.shape), o._data, strides, target.shape, target._data);
  }
  target._version++;
  return target;
}

/**
 * target ∓= alpha·other (`W.sub_(dW, lr)`, PyTorch's `sub_(other, alpha=)`): the same bits as
 * `target.sub_(other.mul(alpha))` without the temporary — one pass for equal shapes.
 */
export function inPlaceScaled<T extends Tensor>(target: T, kind: "add" | "sub", other: TensorLike, alpha: number): T {
  const op = `${kind}_`;
  rejectTangent(op, target);
  rejectWhileJitTraces(op, "an in-place update is never recorded", IN_PLACE_FIX);
  checkNotNull(op, target, other);
  if (typeof alpha !== "number") throw new ValueError(op, `alpha must be a number, got ${typeof alpha}`);
  if (!Number.isFinite(alpha)) {
    // A NaN learning rate (e.g. parsed from a bad option) would turn every parameter into NaN, silently.
    throw new ValueError(op, `alpha must be a finite number, got ${alpha}: is the learning rate set?`);
  }
  const o = toTensor(op, other, target.dtype);
  if (!shapesEqual(o.shape, target.shape)) return inPlace(target, kind, o.mul(alpha).detach());
  scaledUpdate(kind, target._data, o._data, alpha);
  target._version++;
  return target;
}

/** An in-place update would leave a jvp's tangent describing the old values: refused. */
function rejectTangent(op: string, target: Tensor): void {
  if (hasActiveTangent(target)) {
    throw new AutodiffError(
      op,
      `cannot update ${target.name ? `'${target.name}' ` : ""}${formatShape(target.shape)} in place inside jvp: it carries a tangent, which would no longer match its values; use the out-of-place op`,
    );
  }
}
