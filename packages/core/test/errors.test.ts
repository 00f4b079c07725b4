import {
  AutodiffError,
  add,
  BackpropError,
  concat,
  DTypeError,
  matmul,
  ones,
  reshape,
  ShapeError,
  sum,
  type Tensor,
  tensor,
  ValueError,
  zeros,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

/** Asserts fn throws an error of `type` whose message matches `message`. */
function expectError(fn: () => unknown, type: typeof BackpropError, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(BackpropError);
  expect((caught as Error).message).toMatch(message);
}

describe("user mistakes get typed errors naming the op and the shapes", () => {
  it("matmul inner-dimension mismatch", () => {
    expectError(
      () => matmul(zeros([4, 3]), zeros([2, 400])),
      ShapeError,
      /^matmul: \(4,3\) @ \(2,400\): inner dimensions 3 and 2 differ$/,
    );
    expectError(() => matmul(zeros([2, 2, 2]), zeros([2, 2])), ShapeError, /operands must be 1-D or 2-D/);
  });

  it("incompatible broadcast", () => {
    expectError(
      () => add(zeros([4, 3]), zeros([2, 3])),
      ShapeError,
      /^add: shapes \(4,3\) and \(2,3\) cannot be broadcast together/,
    );
  });

  it("reshape size mismatch", () => {
    expectError(
      () => reshape(zeros([2, 3]), [4, 2]),
      ShapeError,
      /^reshape: cannot reshape \(2,3\) \(6 elements\) to \(4,2\)/,
    );
    expectError(() => reshape(zeros([2, 3]), [4, -1]), ShapeError, /cannot reshape \(2,3\)/);
  });

  it("axis out of range", () => {
    expectError(
      () => sum(zeros([2, 3]), 2),
      ShapeError,
      /^sum: axis 2 is out of range for a tensor of shape \(2,3\) \(valid: -2\.\.1\)/,
    );
    expectError(() => concat([zeros([2]), zeros([2])], -2), ShapeError, /concat: axis -2 is out of range/);
  });

  it("non-numeric data and ragged arrays", () => {
    expectError(
      () => tensor([1, "2" as unknown as number]),
      ValueError,
      /^tensor: data must hold numbers; found the string "2" at \[1\]/,
    );
    expectError(
      () =>
        tensor([
          [1, 2],
          [3, undefined as unknown as number],
        ]),
      ValueError,
      /found undefined at \[1\]\[1\]/,
    );
    expectError(
      () => tensor([[1, 2], [3]]),
      ValueError,
      /^tensor: ragged nested array: at \[1\] expected an array of length 2, got length 1/,
    );
    expectError(
      () => add(zeros([1]), "x" as unknown as number),
      ValueError,
      /^add: expected a Tensor or a number, got the string "x"/,
    );
  });

  it("unknown dtype", () => {
    expectError(() => ones([2], { dtype: "int8" as "float32" }), DTypeError, /^ones: unknown dtype "int8"/);
  });

  it("backward without grad, without a seed, twice, and after a mutation", () => {
    expectError(() => sum(ones([2])).backward(), AutodiffError, /does not require grad/);
    const x = tensor([1, 2], { requiresGrad: true, name: "x" });
    expectError(() => x.mul(2).backward(), AutodiffError, /is not a scalar/);
    const J = x.mul(x).sum();
    J.backward();
    expectError(() => J.backward(), AutodiffError, /already freed/);
    const K: Tensor = x.mul(x).sum();
    x.sub_(1);
    expectError(
      () => K.backward(),
      AutodiffError,
      /input 0 'x' \(2\) of mul was modified in place .*version 0 when recorded, now 1/,
    );
  });
});
