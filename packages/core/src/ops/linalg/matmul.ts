/** matmul: matrix products (2-D, and matrix-vector / vector-matrix / vector-vector as numpy does). */
import { type OpDef, record } from "../../autodiff/node.js";
import { formatShape, ShapeError } from "../../errors.js";
import { allocateForOverwrite } from "../../kernels/floatArray.js";
import { gemm } from "../../kernels/gemm.js";
import { Tensor } from "../../tensor.js";
import { addOptional } from "../elementwise/add.js";
import { operands } from "../operand.js";
import { reshape } from "../shape/reshape.js";

/** Whether each operand enters transposed: op(A)·op(B). Folded into the kernel, never materialised. */
export interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

/**
 * C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC (dW2 = dZ2·A1ᵀ, dA1 = W2ᵀ·dZ2 in the course's names);
 * the transposed variants follow from the same identity.
 */
export const matmulOp: OpDef<MatmulAttrs> = {
  name: "matmul",
  saves: { inputs: true, output: false },
  formula: "dA = dC·Bᵀ, dB = Aᵀ·dC",
  backward: (g, { inputs: [a, b], attrs: { transA, transB } }) => {
    const da = !a.requiresGrad
      ? null
      : transA
        ? matmul2d(b, g, transB, true) // A is (k×m): dA = op(B)·dCᵀ
        : matmul2d(g, b, false, !transB); // dA = dC·op(B)ᵀ
    const db = !b.requiresGrad
      ? null
      : transB
        ? matmul2d(g, a, true, transA) // B is (n×k): dB = dCᵀ·op(A)
        : matmul2d(a, g, !transA, false); // dB = op(A)ᵀ·dC
    return [da, db];
  },
  jvpFormula: "Ċ = op(Ȧ)·op(B) + op(A)·op(Ḃ)",
  jvp: ([ta, tb], { inputs: [a, b], attrs: { transA, transB } }) =>
    addOptional(ta && matmul2d(ta, b, transA, transB), tb && matmul2d(a, tb, transA, transB)),
};

/** op(A)·op(B) for 2-D tensors of one dtype, recorded. */
export function matmul2d(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [k2, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (k !== k2) {
    const left = `${formatShape(a.shape)}${transA ? "ᵀ" : ""}`;
    const right = `${formatShape(b.shape)}${transB ? "ᵀ" : ""}`;
    throw new ShapeError("matmul", `${left} @ ${right}: inner dimensions ${k} and ${k2} differ`);
  }
  const out = allocateForOverwrite(a.dtype, m * n);
  gemm(transA, transB, m, n, k, a._data, b._data, out);
  return record(matmulOp, new Tensor(out, [m, n]), [a, b], { transA, transB });
}

/**
 * The matrix product with numpy's rules for 1-D operands: a vector on the left is a row, on the
 * right a column, and the added axis is removed from the result.
 * @example matmul(W1, X) // (4,2) @ (2,400) → (4,400)
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const [ta, tb] = operands("matmul", a, b);
  if (ta.rank < 1 || ta.rank > 2 || tb.rank < 1 || tb.rank > 2) {
    throw new ShapeError("matmul", `${formatShape(ta.shape)} @ ${formatShape(tb.shape)}: operands must be 1-D or 2-D`);
  }
  const a2 = ta.rank === 1 ? reshape(ta, [1, ta.shape[0]]) : ta;
  const b2 = tb.rank === 1 ? reshape(tb, [tb.shape[0], 1]) : tb;
  if (a2.shape[1] !== b2.shape[0]) {
    throw new ShapeError(
      "matmul",
      `${formatShape(ta.shape)} @ ${formatShape(tb.shape)}: inner dimensions ${a2.shape[1]} and ${b2.shape[0]} differ`,
    );
  }
  const c = matmul2d(a2, b2, false, false);
  if (ta.rank === 2 && tb.rank === 2) return c;
  const shape = ta.rank === 1 && tb.rank === 1 ? [] : ta.rank === 1 ? [c.shape[1]] : [c.shape[0]];
  return reshape(c, shape);
}
