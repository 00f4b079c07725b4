/** where: cond ? a : b elementwise with broadcasting; the gradient flows to the branch that was taken. */
import { type OpDef, record } from "../../autodiff/node.js";
import { select } from "../../kernels/binary.js";
import { allocate } from "../../kernels/floatArray.js";
import { broadcastShapes, broadcastStrides, sizeOf } from "../../shape.js";
import { Tensor, type TensorLike } from "../../tensor.js";
import { operands, toTensor } from "../operand.js";

/** d where(c, a, b) = where(c, dz, 0) for a, where(c, 0, dz) for b; the mask c gets none. */
export const whereOp: OpDef<{ cond: Tensor }> = {
  name: "where",
  saves: { inputs: false, output: false },
  formula: "where(c, dz, 0), where(c, 0, dz)",
  broadcasts: "all",
  backward: (g, { inputs: [a, b], attrs: { cond } }) => [
    a.requiresGrad ? where(cond, g, 0) : null,
    b.requiresGrad ? where(cond, 0, g) : null,
  ],
  jvpFormula: "ż = where(c, ȧ, ḃ)",
  jvp: ([ta, tb], { attrs: { cond } }) => where(cond, ta ?? 0, tb ?? 0),
};

/**
 * Elementwise choice: a where `cond` is non-zero, else b (all three broadcast together).
 * @example where(greater(Z, 0), Z, mul(Z, 0.01)) // leaky relu
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands("where", a, b);
  const c = toTensor("where", cond, ta.dtype);
  const shape = broadcastShapes("where", broadcastShapes("where", c.shape, ta.shape), tb.shape);
  const out = allocate(ta.dtype, sizeOf(shape));
  select(
    c._data,
    broadcastStrides(c.shape, shape),
    ta._data,
    broadcastStrides(ta.shape, shape),
    tb._data,
    broadcastStrides(tb.shape, shape),
    shape,
    out,
  );
  return record(whereOp, new Tensor(out, shape), [ta, tb], { cond });
}
