/** Zero-size dimensions follow numpy, forward and backward (issue 12); the cases numpy rejects are typed errors. */
import {
  add,
  broadcastTo,
  concat,
  exp,
  grad,
  gradcheck,
  linear,
  logSumExp,
  matmul,
  max,
  mean,
  min,
  ones,
  reshape,
  ShapeError,
  sigmoidCrossEntropy,
  slice,
  softmax,
  sum,
  type Tensor,
  tensor,
  transpose,
  zeros,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

const values = (t: Tensor) => Array.from(t.data);

describe("forward values (numpy gives the same shapes and values)", () => {
  it("sum over an empty axis is 0; over the other axis it is empty", () => {
    // numpy: np.zeros((2, 0)).sum(1) = [0, 0]; .sum() = 0.0; .sum(0).shape = (0,).
    expect(values(sum(zeros([2, 0]), 1))).toEqual([0, 0]);
    expect(sum(zeros([2, 0])).item()).toBe(0);
    expect(sum(zeros([2, 0]), 0).shape).toEqual([0]);
  });

  it("(2,0)·(0,3) is the (2,3) zero matrix; (0,k)·(k,3) and (2,k)·(k,0) are empty", () => {
    const C = matmul(ones([2, 0]), ones([0, 3]));
    expect(C.shape).toEqual([2, 3]);
    expect(values(C)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmul(ones([0, 4]), ones([4, 3])).shape).toEqual([0, 3]);
    expect(matmul(ones([2, 4]), ones([4, 0])).shape).toEqual([2, 0]);
    expect(matmul(ones([0]), ones([0])).item()).toBe(0); // numpy: np.ones(0) @ np.ones(0) = 0.0
  });

  it("linear with k = 0 is the bias broadcast", () => {
    // W (2,0)·X (0,3) = zeros (2,3), plus b = [[1], [2]].
    expect(values(linear(ones([2, 0]), ones([0, 3]), tensor([[1], [2]])))).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it("elementwise ops, broadcasting, reshape, transpose, concat and slice keep empty shapes", () => {
    expect(add(zeros([0, 3]), tensor([[1, 2, 3]])).shape).toEqual([0, 3]);
    expect(exp(zeros([0])).shape).toEqual([0]);
    expect(broadcastTo(tensor([[1, 2]]), [0, 2]).shape).toEqual([0, 2]);
    expect(reshape(zeros([0, 3]), [3, 0]).shape).toEqual([3, 0]);
    expect(reshape(zeros([0, 3]), [-1, 3]).shape).toEqual([0, 3]);
    expect(transpose(zeros([0, 3])).shape).toEqual([3, 0]);
    expect(values(concat([zeros([0, 3]), tensor([[1, 2, 3]])], 0))).toEqual([1, 2, 3]);
    expect(sigmoidCrossEntropy(zeros([0, 2]), zeros([0, 2])).shape).toEqual([0, 2]);
  });

  it("logSumExp over an empty axis is −∞ (log of an empty sum); softmax over it is empty", () => {
    // numpy: np.log(np.exp(np.zeros((0, 3))).sum(0)) = [-inf, -inf, -inf].
    expect(values(logSumExp(zeros([0, 3]), 0))).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(logSumExp(zeros([0, 3]), 1).shape).toEqual([0]);
    expect(softmax(zeros([0, 3]), 0).shape).toEqual([0, 3]);
  });

  it("max/min over an empty axis are errors (numpy: 'zero-size array to reduction operation maximum which has no identity')", () => {
    expect(() => max(zeros([0, 3]), 0)).toThrow(ShapeError);
    expect(() => max(zeros([0, 3]), 0)).toThrow(/^max: cannot reduce the empty axis 0 of \(0,3\)/);
    expect(() => min(zeros([0, 3]))).toThrow(/^min: cannot reduce the empty axis 0/);
    expect(max(zeros([0, 3]), 1).shape).toEqual([0]); // over the non-empty axis: empty, as numpy
    expect(() => mean(zeros([0, 3]))).toThrow(/^mean: cannot average over the empty axes \[0,1\]/);
  });
});

describe("gradients (the gradient of an empty tensor is empty; a sum over nothing sends zeros)", () => {
  it("matmul with k = 0: dA (2,0) and dB (0,3) are empty", () => {
    const [dA, dB] = grad((a, b) => matmul(a, b).sum(), { argnums: [0, 1] })(ones([2, 0]), ones([0, 3]));
    expect(dA.shape).toEqual([2, 0]);
    expect(dB.shape).toEqual([0, 3]);
  });

  it("matmul with m = 0: dB is zeros (no row of A contributes)", () => {
    const dB = grad((b: Tensor) => matmul(ones([0, 4]), b).sum())(ones([4, 3]));
    expect(values(dB)).toEqual(Array(12).fill(0));
  });

  it("linear with k = 0: db is the row count of dz per bias entry", () => {
    const [dW, dX, db] = grad((w, x, b) => linear(w, x, b).sum(), { argnums: [0, 1, 2] })(
      ones([2, 0]),
      ones([0, 3]),
      tensor([[1], [2]]),
    );
    expect(dW.shape).toEqual([2, 0]);
    expect(dX.shape).toEqual([0, 3]);
    expect(values(db)).toEqual([3, 3]); // Σ over the 3 columns of dz = 1
  });

  it("broadcasting a (1,2) row to (0,2) sends zeros back", () => {
    expect(values(grad((a: Tensor) => broadcastTo(a, [0, 2]).sum())(tensor([[1, 2]])))).toEqual([0, 0]);
    const [dEmpty, dRow] = grad((a, b) => add(a, b).sum(), { argnums: [0, 1] })(zeros([0, 3]), tensor([[1, 2, 3]]));
    expect(dEmpty.shape).toEqual([0, 3]);
    expect(values(dRow)).toEqual([0, 0, 0]);
  });

  it("sum, concat, slice and logSumExp over empty parts", () => {
    expect(grad((a: Tensor) => sum(a, 1).sum())(zeros([2, 0])).shape).toEqual([2, 0]);
    expect(grad((a: Tensor) => concat([a, tensor([[1, 2, 3]])], 0).sum())(zeros([0, 3])).shape).toEqual([0, 3]);
    expect(values(grad((a: Tensor) => slice(a, [[2, 2]]).sum())(tensor([1, 2, 3])))).toEqual([0, 0, 0]);
    expect(grad((a: Tensor) => logSumExp(a, 1).sum())(zeros([0, 3])).shape).toEqual([0, 3]);
  });

  it("gradcheck passes on an empty input (nothing to compare) and on a zero-size matmul", () => {
    expect(gradcheck((a: Tensor) => a.tanh().sum(), [zeros([0, 2])]).passed).toBe(true);
    expect(gradcheck((a: Tensor, b: Tensor) => matmul(a, b).tanh(), [ones([2, 0]), ones([0, 3])]).passed).toBe(true);
  });
});
