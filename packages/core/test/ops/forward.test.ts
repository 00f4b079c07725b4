import {
  abs,
  arange,
  broadcastTo,
  clip,
  concat,
  div,
  exp,
  expandDims,
  eye,
  flatten,
  full,
  greater,
  leakyRelu,
  linspace,
  log,
  logSigmoid,
  logSoftmax,
  logSumExp,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  pow,
  relu,
  reshape,
  sigmoid,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squeeze,
  stack,
  sub,
  sum,
  tanh,
  tensor,
  transpose,
  where,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

describe("elementwise forward values", () => {
  const x = tensor([-2, -0.5, 0, 0.5, 3]);
  it("unary functions", () => {
    expect(exp(x).toArray()).toEqual([-2, -0.5, 0, 0.5, 3].map(Math.exp));
    expect(abs(x).toArray()).toEqual([2, 0.5, 0, 0.5, 3]);
    expect(square(x).toArray()).toEqual([4, 0.25, 0, 0.25, 9]);
    expect(relu(x).toArray()).toEqual([0, 0, 0, 0.5, 3]);
    expect(leakyRelu(x, 0.1).toArray()).toEqual([-0.2, -0.05, 0, 0.5, 3]);
    expect(tanh(x).toArray()).toEqual([-2, -0.5, 0, 0.5, 3].map(Math.tanh));
    expect(sqrt(tensor([4, 2])).toArray()).toEqual([2, Math.SQRT2]);
    expect(log(tensor([1, Math.E, 0])).toArray()).toEqual([0, 1, Number.NEGATIVE_INFINITY]);
    expect(clip(x, -1, 1).toArray()).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it("is stable at |z| = 800", () => {
    const z = tensor([-800, 800]);
    expect(sigmoid(z).toArray()).toEqual([0, 1]);
    expect(logSigmoid(z).toArray()).toEqual([-800, 0]);
    expect(softplus(z).toArray()).toEqual([0, 800]);
    expect(softmax(tensor([800, 0, -800])).toArray()).toEqual([1, Math.exp(-800), 0]);
    expect(logSumExp(tensor([800, 800])).item()).toBeCloseTo(800 + Math.LN2, 12);
    expect(logSoftmax(tensor([800, 0])).toArray()).toEqual([0, -800]);
  });

  it("broadcasts binary ops like numpy", () => {
    const col = tensor([[1], [2]]);
    const row = tensor([10, 20, 30]);
    expect(sub(row, col).toArray()).toEqual([
      [9, 19, 29],
      [8, 18, 28],
    ]);
    expect(div(tensor([[2, 4]]), 2).toArray()).toEqual([[1, 2]]);
    expect(pow(tensor([2, 3]), 2).toArray()).toEqual([4, 9]);
    expect(pow(2, tensor([0.5])).toArray()).toEqual([Math.SQRT2]);
    expect(maximum(tensor([1, 5]), tensor([[3], [0]])).toArray()).toEqual([
      [3, 5],
      [1, 5],
    ]);
    expect(minimum(tensor([1, 5]), 2).toArray()).toEqual([1, 2]);
    expect(where(greater(row, 15), row, 0).toArray()).toEqual([0, 20, 30]);
  });

  it("promotes float32 with float64 to float64; scalars keep the tensor's dtype", () => {
    const a = tensor([1.5], { dtype: "float32" });
    expect(a.add(tensor([1])).dtype).toBe("float64");
    expect(a.mul(0.1).dtype).toBe("float32");
    expect(a.mul(0.1).item()).toBe(Math.fround(Math.fround(1.5) * Math.fround(0.1)));
  });
});

describe("linear algebra and shape", () => {
  const A = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it("matmul for matrices, matrix-vector, vector-matrix and vector-vector", () => {
    const B = tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(matmul(A, B).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(matmul(A, tensor([1, 1, 1])).toArray()).toEqual([6, 15]);
    expect(matmul(tensor([1, 1]), A).toArray()).toEqual([5, 7, 9]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).toArray()).toBe(11);
  });

  it("transpose, reshape, flatten, squeeze, expandDims", () => {
    expect(transpose(A).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(A.T.shape).toEqual([3, 2]);
    expect(reshape(A, [3, -1]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(flatten(A).toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(squeeze(tensor([[[1], [2]]])).shape).toEqual([2]);
    expect(expandDims(tensor([1, 2]), 1).shape).toEqual([2, 1]);
    expect(transpose(reshape(arange(24), [2, 3, 4]), [1, 2, 0]).shape).toEqual([3, 4, 2]);
  });

  it("slice, concat, stack, broadcastTo", () => {
    expect(slice(A, [null, [1, 3]]).toArray()).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(slice(A, [[-1, 2]]).toArray()).toEqual([[4, 5, 6]]);
    expect(concat([A, A], 1).shape).toEqual([2, 6]);
    expect(concat([A, tensor([[7, 8, 9]])], 0).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(broadcastTo(tensor([[1], [2]]), [2, 3]).toArray()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
  });

  it("reductions with axis, negative axis, axis lists and keepdims", () => {
    expect(sum(A).item()).toBe(21);
    expect(sum(A, 1, true).toArray()).toEqual([[6], [15]]);
    expect(sum(A, -2).toArray()).toEqual([5, 7, 9]);
    expect(sum(A, [0, 1]).item()).toBe(21);
    expect(mean(A, 0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(max(A, 1).toArray()).toEqual([3, 6]);
    expect(min(A, 0, true).toArray()).toEqual([[1, 2, 3]]);
    expect(logSumExp(tensor([[0, 0]]), 1).toArray()).toEqual([Math.LN2]);
  });

  it("creation: linspace as numpy, eye, arange, full", () => {
    const l = linspace(0, 3.12, 200);
    expect(l.data[199]).toBe(3.12);
    expect(l.data[1]).toBe(0 + 1 * (3.12 / 199));
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(full([2], 7, { dtype: "float32" }).dtype).toBe("float32");
  });
});
