/** broadcastTo: repeats a tensor along size-1 or missing leading axes, as numpy broadcasting does. */
import { type OpDef, record } from "../../autodiff/node.js";
import { formatShape, ShapeError } from "../../errors.js";
import { allocateFor } from "../../kernels/floatArray.js";
import { gather } from "../../kernels/strided.js";
import { broadcastShapes, broadcastStrides, checkShape, shapesEqual } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import { toTensor } from "../operand.js";
import { sumToShape } from "../reduce/sumToShape.js";

/** d broadcastTo(x) = dz summed over the broadcast axes back to x's shape. */
export const broadcastToOp: OpDef<undefined> = {
  name: "broadcastTo",
  saves: { inputs: false, output: false },
  formula: "Σ over broadcast axes of dz",
  backward: (g, { inputs: [x] }) => [sumToShape(g, x.shape)],
  jvpFormula: "ż = broadcastTo(ẋ, z.shape)",
  jvp: ([t], { output }) => t && broadcastTo(t, output.shape),
};

/**
 * x repeated to `shape` by numpy's rules.
 * @example broadcastTo(b1, [4, 400])
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const t = toTensor("broadcastTo", x);
  checkShape("broadcastTo", shape);
  if (shapesEqual(t.shape, shape)) return t;
  const target = broadcastShapes("broadcastTo", t.shape, shape);
  if (!shapesEqual(target, shape)) {
    throw new ShapeError("broadcastTo", `cannot broadcast ${formatShape(t.shape)} to ${formatShape(shape)}`);
  }
  const buffer = allocateFor("broadcastTo", t.dtype, shape);
  const out =
    t.size === 1
      ? buffer.fill(t._data[0]) // one value everywhere (the backward of sum and mean)
      : gather(t._data, 0, broadcastStrides(t.shape, shape), shape, buffer);
  return record(broadcastToOp, new Tensor(out, shape.slice()), [t], undefined);
}
