/** linear: Z = W·X + b in one op (the course's linear forward), the bias added in the product's output buffer. */
import { type OpDef, record } from "../../autodiff/node.js";
import { formatShape, ShapeError } from "../../errors.js";
import { binary } from "../../kernels/binary.js";
import { allocate } from "../../kernels/floatArray.js";
import { gemm } from "../../kernels/gemm.js";
import { broadcastStrides, type Shape, stridesOf } from "../../shape.js";
import { Tensor, type TensorLike } from "../../tensor.js";
import { addOptional } from "../elementwise/add.js";
import { cast } from "../elementwise/cast.js";
import { operands } from "../operand.js";
import { matmul2d } from "./matmul.js";

/**
 * dW = dZ·Xᵀ, dX = Wᵀ·dZ, db = dZ — which the engine, as for add, sums over the axes b was
 * broadcast along (Σ_axis1 dZ for the course's (n, 1) bias).
 */
export const linearOp: OpDef<undefined> = {
  name: "linear",
  saves: { inputs: true, output: false },
  formula: "dW = dZ·Xᵀ, dX = Wᵀ·dZ, db = dZ",
  broadcasts: [2], // the bias b
  backward: (g, { inputs: [W, X, b] }) => [
    W.requiresGrad ? matmul2d(g, X, false, true) : null,
    X.requiresGrad ? matmul2d(W, g, true, false) : null,
    b.requiresGrad ? g : null,
  ],
  jvpFormula: "Ż = Ẇ·X + W·Ẋ + ḃ",
  jvp: ([tW, tX, tb], { inputs: [W, X] }) =>
    addOptional(addOptional(tW && matmul2d(tW, X, false, false), tX && matmul2d(W, tX, false, false)), tb),
};

/** Whether a bias of shape `b` broadcasts to `out` without enlarging it (each trailing dimension 1 or equal). */
function fitsBias(b: Shape, out: Shape): boolean {
  if (b.length > out.length) return false;
  for (let i = 1; i <= b.length; i++) {
    const d = b[b.length - i];
    if (d !== 1 && d !== out[out.length - i]) return false;
  }
  return true;
}

/**
 * Z = W·X + b for a 2-D W (n, k) and X (k, m), with b broadcast to (n, m) — a column (n, 1) as in
 * the course, a row, a scalar or a full (n, m). The same values as `W.matmul(X).add(b)` with one
 * graph node and one buffer instead of two.
 * @example const Z1 = linear(W1, X, b1); // (4,2)·(2,400) + (4,1) → (4,400)
 */
export function linear(W: Tensor, X: Tensor, b: TensorLike): Tensor {
  // dtypes promote as in W.matmul(X).add(b): any float64 operand makes the result float64.
  const [w1, x1] = operands("linear", W, X);
  const [tw, tb] = operands("linear", w1, b);
  const tx = x1.dtype === tw.dtype ? x1 : cast(x1, tw.dtype);
  if (tw.rank !== 2 || tx.rank !== 2 || tw.shape[1] !== tx.shape[0]) {
    throw new ShapeError(
      "linear",
      `W ${formatShape(tw.shape)} · X ${formatShape(tx.shape)}: W and X must be 2-D with W's columns equal to X's rows`,
    );
  }
  const n = tw.shape[0];
  const k = tw.shape[1];
  const m = tx.shape[1];
  const shape = [n, m];
  if (!fitsBias(tb.shape, shape)) {
    throw new ShapeError(
      "linear",
      `bias ${formatShape(tb.shape)} does not broadcast to W·X's shape ${formatShape(shape)}`,
    );
  }
  const out = allocate(tw.dtype, n * m);
  gemm(false, false, n, m, k, tw._data, tx._data, out);
  binary("add", out, stridesOf(shape), tb._data, broadcastStrides(tb.shape, shape), shape, out);
  return record(linearOp, new Tensor(out, shape), [tw, tx, tb], undefined);
}
