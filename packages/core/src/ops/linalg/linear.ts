/** linear: Z = W·X + b in one op (the course's linear forward), the bias added in the product's output buffer. */
import { type OpDef, record } from "../../autodiff/node.js";
import { formatShape, ShapeError, ValueError } from "../../errors.js";
import { allocateForOverwrite } from "../../kernels/floatArray.js";
import { gemm } from "../../kernels/gemm.js";
import { broadcastStrides, type Shape } from "../../shape.js";
import { Tensor, type TensorLike } from "../../tensor.js";
import { relu, reluOp } from "../activation/relu.js";
import { sigmoid, sigmoidOp } from "../activation/sigmoid.js";
import { tanh, tanhOp } from "../activation/tanh.js";
import { add, addOptional } from "../elementwise/add.js";
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
 * graph node and one buffer instead of two; the bias is added as the product is stored. (A float32 W and X with a
 * float64 b are recorded as those two ops: the product is rounded to float32 before the add, as in numpy.)
 * @example const Z1 = linear(W1, X, b1); // (4,2)·(2,400) + (4,1) → (4,400)
 */
export function linear(W: Tensor, X: Tensor, b: TensorLike): Tensor {
  return linearForward("linear", W, X, b, undefined).Z;
}

/** The activations `linearActivation` fuses into the product: relu, tanh, sigmoid. */
export type LinearActivation = "relu" | "tanh" | "sigmoid";

const activationOps = { relu: reluOp, tanh: tanhOp, sigmoid: sigmoidOp } as const;

/**
 * The course's linear_activation_forward: Z = W·X + b and A = g(Z) for g relu, tanh or sigmoid, both
 * computed in the pass that stores the product (one read of it instead of three passes). Bit for bit
 * `linear(W, X, b)` then `Z.relu()` (or tanh, sigmoid), recorded as those two nodes, so gradients,
 * tangents and traces are theirs.
 * @example const { Z: Z1, A: A1 } = linearActivation(W1, X, b1, "relu");
 */
export function linearActivation(
  W: Tensor,
  X: Tensor,
  b: TensorLike,
  activation: LinearActivation,
): { Z: Tensor; A: Tensor } {
  const op = activationOps[activation];
  if (op === undefined) {
    throw new ValueError(
      "linearActivation",
      `activation must be one of ${Object.keys(activationOps).join(", ")}, got ${String(activation)}`,
    );
  }
  return linearForward("linearActivation", W, X, b, activation);
}

/** Z = W·X + b (and A = g(Z)), recorded as linear (and the activation's op). */
function linearForward(
  name: string,
  W: Tensor,
  X: Tensor,
  b: TensorLike,
  activation: LinearActivation | undefined,
): { Z: Tensor; A: Tensor } {
  // dtypes promote as in W.matmul(X).add(b): any float64 operand makes the result float64.
  const [w1, x1] = operands(name, W, X);
  const [tw, tb] = operands(name, w1, b);
  const tx = x1.dtype === tw.dtype ? x1 : cast(x1, tw.dtype);
  if (tw.rank !== 2 || tx.rank !== 2 || tw.shape[1] !== tx.shape[0]) {
    throw new ShapeError(
      name,
      `W ${formatShape(tw.shape)} · X ${formatShape(tx.shape)}: W and X must be 2-D with W's columns equal to X's rows`,
    );
  }
  const n = tw.shape[0];
  const k = tw.shape[1];
  const m = tx.shape[1];
  const shape = [n, m];
  if (!fitsBias(tb.shape, shape)) {
    throw new ShapeError(name, `bias ${formatShape(tb.shape)} does not broadcast to W·X's shape ${formatShape(shape)}`);
  }
  if (w1.dtype !== tw.dtype) {
    // A float32 W·X with a float64 bias: numpy (and W.matmul(X).add(b)) round the product to float32 before the
    // float64 add, so the fused kernel (one dtype throughout) would differ; compose the two ops instead.
    const Z = add(matmul2d(w1, x1, false, false), tb);
    return { Z, A: activation === undefined ? Z : { relu, tanh, sigmoid }[activation](Z) };
  }
  const z = allocateForOverwrite(tw.dtype, n * m);
  const a = activation === undefined ? undefined : allocateForOverwrite(tw.dtype, n * m);
  const [rowStride, colStride] = broadcastStrides(tb.shape, shape);
  gemm(false, false, n, m, k, tw._data, tx._data, z, { bias: tb._data, rowStride, colStride, activation, a });
  const Z = record(linearOp, new Tensor(z, shape), [tw, tx, tb], undefined);
  if (activation === undefined || a === undefined) return { Z, A: Z };
  return { Z, A: record(activationOps[activation], new Tensor(a, shape), [Z], undefined) };
}
