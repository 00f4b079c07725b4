/** sigmoidCrossEntropy: the binary cross-entropy of σ(z) against labels y, fused and computed from the logits z. */
import { type OpDef, record } from "../../autodiff/node.js";
import { formatShape, ShapeError } from "../../errors.js";
import { allocate } from "../../kernels/floatArray.js";
import { sigmoidCrossEntropyGrad, sigmoidCrossEntropyLoss } from "../../kernels/fused.js";
import { shapesEqual } from "../../shape.js";
import { Tensor, type TensorLike } from "../../tensor.js";
import { sigmoid } from "../activation/sigmoid.js";
import { addOptional } from "../elementwise/add.js";
import { recordsGraph } from "../elementwise/elementwiseOp.js";
import { mul } from "../elementwise/mul.js";
import { neg } from "../elementwise/neg.js";
import { sub } from "../elementwise/sub.js";
import { operands } from "../operand.js";

/**
 * d/dz = dz ∗ (σ(z) − y) (the course's A − Y), d/dy = −dz ∗ z. Fused into one pass (no
 * transcendental work: σ comes from e^(−|z|) saved by the forward) unless the rule is recorded.
 */
export const sigmoidCrossEntropyOp: OpDef<{ readonly expNegAbs: Tensor }> = {
  name: "sigmoidCrossEntropy",
  saves: { inputs: true, output: false },
  formula: "dz ∗ (σ(z) − y), −dz ∗ z",
  backward: (g, { inputs: [z, y], attrs }) => {
    const recorded = recordsGraph(g, z) || y.requiresGrad || recordsGraph(y, y);
    const dz = z.requiresGrad ? timesResidual(g, z, y, attrs.expNegAbs, recorded) : null;
    return [dz, y.requiresGrad ? neg(mul(g, z)) : null];
  },
  jvpFormula: "ℓ̇ = ż ∗ (σ(z) − y) − ẏ ∗ z",
  jvp: ([tz, ty], { inputs: [z, y], attrs }) =>
    addOptional(
      tz && timesResidual(tz, z, y, attrs.expNegAbs, recordsGraph(tz, z) || recordsGraph(y, y)),
      ty && neg(mul(ty, z)),
    ),
};

/**
 * g ∗ (σ(z) − y), the local derivative in z applied to a gradient (backward) or a tangent (jvp): with ops when
 * that is recorded (or g has another dtype), else in one pass from the saved e^(−|z|) (the same bits).
 */
function timesResidual(g: Tensor, z: Tensor, y: Tensor, expNegAbs: Tensor, recorded: boolean): Tensor {
  if (recorded || g.dtype !== z.dtype) return mul(g, sub(sigmoid(z), y));
  const e = expNegAbs._data as Float64Array;
  const out = sigmoidCrossEntropyGrad(g._data, z._data, e, y._data, allocate(g.dtype, g.size));
  return new Tensor(out, g.shape);
}

/**
 * −(y log σ(z) + (1 − y) log(1 − σ(z))) elementwise, computed stably from the logits as
 * max(z, 0) − z·y + log(1 + e^(−|z|)): finite at z = ±800, and one pass instead of the five ops
 * (sigmoid, two logs, products) of the course's formula. z and y must have the same shape; take
 * the mean (or sum and divide by m) for the cost J.
 * @example const J = sigmoidCrossEntropy(Z2, Y).mean(); // the course's cost, from Z2 instead of A2
 */
export function sigmoidCrossEntropy(z: TensorLike, y: TensorLike): Tensor {
  const [tz, ty] = operands("sigmoidCrossEntropy", z, y);
  if (!shapesEqual(tz.shape, ty.shape)) {
    throw new ShapeError(
      "sigmoidCrossEntropy",
      `logits ${formatShape(tz.shape)} and labels ${formatShape(ty.shape)} must have the same shape`,
    );
  }
  const expNegAbs = allocate("float64", tz.size) as Float64Array; // double whatever the dtype: see the kernel
  const out = sigmoidCrossEntropyLoss(tz._data, ty._data, expNegAbs, allocate(tz.dtype, tz.size));
  return record(sigmoidCrossEntropyOp, new Tensor(out, tz.shape), [tz, ty], {
    expNegAbs: new Tensor(expNegAbs, tz.shape),
  });
}
