/** numpy conventions kept as typed errors, each naming the op the user called (issue 12). */
import {
  BackpropError,
  clip,
  logSoftmax,
  logSumExp,
  max,
  mean,
  ShapeError,
  softmax,
  softplus,
  squeeze,
  stack,
  sum,
  tensor,
  ValueError,
  zeros,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

/** The error fn throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BackpropError);
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("an axis on a 0-d tensor is an error (numpy: AxisError), named for the op called", () => {
  const s = tensor(2);
  it.each([
    ["sum", () => sum(s, 0)],
    ["mean", () => mean(s, -1)],
    ["max", () => max(s, 0)],
    ["logSumExp", () => logSumExp(s, 0)],
    ["softmax", () => softmax(s)],
    ["logSoftmax", () => logSoftmax(s, 0)],
  ])("%s", (op, call) => {
    const e = thrown(call);
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(new RegExp(`^${op}: axis -?[01] given for a 0-d tensor, which has no axes$`));
    expect(e.message).not.toMatch(/valid: 0\.\.-1/);
  });
});

describe("softmax and logSoftmax report their own name, not logSumExp's", () => {
  it("an axis out of range", () => {
    const z = zeros([2, 3]);
    expect(thrown(() => softmax(z, 2)).message).toMatch(
      /^softmax: axis 2 is out of range for a tensor of shape \(2,3\) \(valid: -2\.\.1\)$/,
    );
    expect(thrown(() => logSoftmax(z, -3)).message).toMatch(/^logSoftmax: axis -3 is out of range/);
    expect(thrown(() => z.softmax(5)).message).toMatch(/^softmax: /);
  });

  it("softplus reports a bad operand as its own, not neg's", () => {
    expect(thrown(() => softplus("x" as unknown as number)).message).toMatch(
      /^softplus: expected a Tensor or a number/,
    );
  });

  it("stack's axis is reported as stack's, not expandDims's", () => {
    expect(thrown(() => stack([zeros([2]), zeros([2])], 3)).message).toMatch(/^stack: axis 3 is out of range/);
  });
});

describe("the other kept conventions", () => {
  it("squeeze of an axis whose size is not 1 (numpy: ValueError)", () => {
    const e = thrown(() => squeeze(zeros([1, 3]), 1));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("squeeze: axis 1 of (1,3) has size 3, not 1");
  });

  it("clip with min > max (numpy would return max everywhere; here it is an error)", () => {
    const e = thrown(() => clip(tensor([1, 2]), 2, 1));
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe("clip: needs numbers min ≤ max, got min=2, max=1");
  });

  it("mean over an empty axis is an error rather than numpy's silent NaN", () => {
    const e = thrown(() => mean(zeros([0, 3]), 0));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("mean: cannot average over the empty axes [0] of (0,3) (0 elements; numpy gives NaN)");
    // Over the non-empty axis the mean of a (0,3) tensor is the empty (0,) tensor, as in numpy.
    expect(mean(zeros([0, 3]), 1).shape).toEqual([0]);
  });
});
