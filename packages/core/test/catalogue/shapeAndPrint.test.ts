/** Catalogue: shape ops, indexing, conversion and printing against numpy 2.x — typed errors naming the op, numpy's results. */
import {
  arange,
  astype,
  broadcastTo,
  concat,
  DTypeError,
  expandDims,
  pad,
  reshape,
  ShapeError,
  slice,
  squeeze,
  stack,
  type Tensor,
  tensor,
  transpose,
  ValueError,
  zeros,
} from "@backprop/core";
import { describe, expect, it } from "vitest";
import { expectTyped } from "../../../../test/expectTyped.js";
import { withRefusedAllocation } from "./refusedAllocation.js";

const bad = <T>(v: unknown) => v as T;
const values = (t: Tensor) => Array.from(t.data);
const range = (...shape: number[]) => reshape(arange(shape.reduce((a, b) => a * b, 1)), shape);

describe("reshape (np.reshape)", () => {
  it("one -1 is inferred; two are an error; -1 beside a 0 cannot be inferred (numpy: cannot reshape size 0 into (0,newaxis))", () => {
    expect(reshape(range(2, 3), [1, -1, 1]).shape).toEqual([1, 6, 1]);
    expect(reshape(tensor(5), [-1]).shape).toEqual([1]);
    expect(reshape(tensor([5]), []).shape).toEqual([]);
    expectTyped(() => reshape(range(2, 3), [-1, -1]), ShapeError, "reshape", /\(-1,-1\)/);
    expectTyped(
      () => reshape(zeros([0, 3]), [0, -1]),
      ShapeError,
      "reshape",
      /cannot reshape \(0,3\) \(0 elements\) to \(0,-1\)/,
    );
    expectTyped(() => reshape(range(2, 3), [-1, 4]), ShapeError, "reshape", /\(6 elements\) to \(-1,4\)/);
    expectTyped(() => reshape(range(2), []), ShapeError, "reshape", /to \(\) \(1 elements\)/);
  });

  it("more than numpy's 64 dimensions is an error (numpy: maximum supported dimension for an ndarray is 64)", () => {
    const ones65 = new Array<number>(65).fill(1);
    expectTyped(() => zeros(ones65), ShapeError, "zeros", /a shape of 65 dimensions; numpy's limit is 64/);
    expectTyped(() => reshape(tensor([1]), ones65), ShapeError, "reshape", /65 dimensions/);
    expectTyped(() => expandDims(reshape(tensor([1]), ones65.slice(1)), 0), ShapeError, "expandDims", /65 dimensions/);
    expect(zeros(ones65.slice(1)).rank).toBe(64);
  });

  it("a string dimension is named as a string (it printed as (2,3), a valid-looking shape)", () => {
    expectTyped(() => reshape(range(2, 3), bad(["2", 3])), ShapeError, "reshape", /dimension 0 is the string "2"/);
  });
});

describe("transpose, squeeze and expandDims axis rules (numpy's AxisError / ValueError)", () => {
  it("transpose: negative axes count from the end; duplicates, short lists and out-of-range axes are errors", () => {
    const x = range(2, 3, 4);
    expect(transpose(x, [-1, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(values(transpose(x, [-1, 0, 1])).slice(0, 4)).toEqual([0, 4, 8, 12]);
    expect(transpose(tensor(3), []).shape).toEqual([]);
    expect(values(transpose(tensor([1, 2])))).toEqual([1, 2]);
    expectTyped(() => transpose(x, [0, 0, 1]), ShapeError, "transpose", /\[0,0,1\] are not a permutation/);
    expectTyped(() => transpose(x, [1, 0]), ShapeError, "transpose", /not a permutation of the 3 axes/);
    expectTyped(() => transpose(x, [0, 1, 3]), ShapeError, "transpose", /axis 3 is out of range .*\(valid: -3\.\.2\)/);
  });

  it("a non-integer axis says so (numpy: TypeError) instead of 'out of range'", () => {
    expectTyped(() => transpose(range(2, 3), [1.5, 0]), ValueError, "transpose", /axis must be an integer, got 1\.5/);
    expectTyped(
      () => expandDims(zeros([2]), bad([0, 1])),
      ValueError,
      "expandDims",
      /axis must be an integer, got an array/,
    );
    expectTyped(
      () => expandDims(zeros([2]), bad(undefined)),
      ValueError,
      "expandDims",
      /axis must be an integer, got undefined/,
    );
    expectTyped(
      () => concat([zeros([2]), zeros([2])], bad(null)),
      ValueError,
      "concat",
      /axis must be an integer, got null/,
    );
    expectTyped(() => squeeze(zeros([1, 2]), bad("0")), ValueError, "squeeze", /got the string "0"/);
  });

  it("squeeze: all size-1 axes, or named ones; a repeated axis (0 and -3) is an error; (0,1) squeezes to (0,)", () => {
    expect(squeeze(zeros([1, 3, 1])).shape).toEqual([3]);
    expect(squeeze(zeros([1, 3, 1]), -1).shape).toEqual([1, 3]);
    expect(squeeze(zeros([1, 3, 1]), []).shape).toEqual([1, 3, 1]);
    expect(squeeze(tensor(1)).shape).toEqual([]);
    expect(squeeze(zeros([0, 1])).shape).toEqual([0]);
    expectTyped(() => squeeze(zeros([1, 3, 1]), [0, -3]), ShapeError, "squeeze", /axis -3 is repeated/);
    expectTyped(() => squeeze(zeros([0, 1]), 0), ShapeError, "squeeze", /axis 0 of \(0,1\) has size 0, not 1/);
  });

  it("expandDims: axis in [-rank-1, rank] of the result, a 0-d tensor takes 0 and -1", () => {
    expect(expandDims(zeros([2, 3]), -1).shape).toEqual([2, 3, 1]);
    expect(expandDims(zeros([2, 3]), -3).shape).toEqual([1, 2, 3]);
    expect(expandDims(tensor(1), -1).shape).toEqual([1]);
    expectTyped(() => expandDims(zeros([2, 3]), 3), ShapeError, "expandDims", /axis 3 is out of range/);
    expectTyped(() => expandDims(zeros([2, 3]), -4), ShapeError, "expandDims", /axis -4 is out of range/);
  });
});

describe("slice: numpy's slice clamping, integer indexing is checked", () => {
  const x = range(3, 4);
  it("ranges clamp and may come out empty; -1 indexes the last row", () => {
    expect(values(slice(x, [-1]))).toEqual([8, 9, 10, 11]);
    expect(slice(x, [[-2, 100]]).shape).toEqual([2, 4]); // x[-2:100]
    expect(slice(x, [[5, 10]]).shape).toEqual([0, 4]); // x[5:10]
    expect(slice(x, [[-100, -50]]).shape).toEqual([0, 4]);
    expect(slice(x, [[2, 1]]).shape).toEqual([0, 4]);
    expect(values(slice(x, [undefined as unknown as null, 1]))).toEqual([1, 5, 9]); // x[:, 1:2]
  });

  it("an index outside the axis is an error (numpy: IndexError), also on an empty axis", () => {
    expectTyped(() => slice(x, [3]), ShapeError, "slice", /index 3 is out of bounds for axis 0 of size 3/);
    expectTyped(() => slice(x, [-4]), ShapeError, "slice", /index -4 is out of bounds/);
    expectTyped(() => slice(zeros([0, 2]), [0]), ShapeError, "slice", /index 0 is out of bounds for axis 0 of size 0/);
    expectTyped(() => slice(x, bad([[0, 3, 0]])), ValueError, "slice", /got \[0,3,0\]/); // no step: x[0:3:0] is an error too
    expectTyped(() => slice(x, [[0, Infinity]]), ValueError, "slice", /must hold integers/);
  });
});

describe("concat, stack and broadcastTo", () => {
  it("concat: shapes must agree off the axis; float32 with float64 is float64; 0-d parts cannot be joined", () => {
    expect(values(concat([tensor([[1], [2]]), zeros([2, 2])], -1))).toEqual([1, 0, 0, 2, 0, 0]);
    expect(concat([tensor([1], { dtype: "float32" }), zeros([1])]).dtype).toBe("float64");
    expect(concat([tensor([1], { dtype: "float32" })]).dtype).toBe("float32");
    expectTyped(() => concat([]), ValueError, "concat", /non-empty array/);
    expectTyped(
      () => concat([zeros([2, 3]), zeros([2, 4])]),
      ShapeError,
      "concat",
      /\(2,3\), \(2,4\) differ outside axis 0/,
    );
    expectTyped(() => concat([zeros([2, 3]), zeros([3])]), ShapeError, "concat", /\(2,3\), \(3\)/);
    expectTyped(() => concat([tensor(1), tensor(2)]), ShapeError, "concat", /0-d tensor/);
  });

  it("stack: a new axis anywhere in [-rank-1, rank]; 0-d tensors stack to a vector; shapes must match", () => {
    expect(values(stack([tensor([0, 1]), tensor([2, 3])], -1))).toEqual([0, 2, 1, 3]);
    expect(values(stack([tensor(1), tensor(2)]))).toEqual([1, 2]);
    expectTyped(() => stack([]), ValueError, "stack", /non-empty/);
    expectTyped(() => stack([zeros([2]), zeros([3])]), ShapeError, "stack", /same shape, got \(2\), \(3\)/);
  });

  it("broadcastTo follows np.broadcast_to: no shrinking, no new trailing axes, 0 only from 1 or 0", () => {
    expect(values(broadcastTo(tensor([0, 1, 2]), [2, 3]))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(broadcastTo(tensor(1), [0]).shape).toEqual([0]);
    expect(broadcastTo(zeros([0]), [2, 0]).shape).toEqual([2, 0]);
    expectTyped(
      () => broadcastTo(tensor([0, 1, 2]), [3, 1]),
      ShapeError,
      "broadcastTo",
      /cannot broadcast \(3\) to \(3,1\)/,
    );
    expectTyped(() => broadcastTo(zeros([2, 3]), [3]), ShapeError, "broadcastTo", /\(2,3\) to \(3\)/);
    expectTyped(() => broadcastTo(zeros([1]), []), ShapeError, "broadcastTo", /\(1\) to \(\)/);
    expectTyped(() => broadcastTo(zeros([2]), [0]), ShapeError, "broadcastTo", /\(2\) and \(0\)/);
    expectTyped(() => broadcastTo(zeros([0]), [1]), ShapeError, "broadcastTo", /\(0\) to \(1\)/);
  });

  it("outputs the machine cannot allocate are ShapeErrors naming the op (broadcastTo and pad threw a raw RangeError)", () => {
    withRefusedAllocation(() => {
      expectTyped(
        () => broadcastTo(tensor([1]), [2 ** 17, 2 ** 15]),
        ShapeError,
        "broadcastTo",
        /cannot allocate 32 GiB/,
      );
      expectTyped(
        () => pad(tensor([1]), [2 ** 32], [0]),
        ShapeError,
        "pad",
        /cannot allocate 32 GiB for shape \(4294967296\)/,
      );
    });
  });
});

describe("item, toArray and astype (ndarray.item / tolist / astype)", () => {
  it("item needs exactly one element; toArray of 0-d is a number and of empty tensors numpy's nesting", () => {
    expect(range(1, 1).item()).toBe(0);
    expectTyped(() => range(2).item(), ShapeError, "item", /one element, got shape \(2\)/);
    expectTyped(() => zeros([0]).item(), ShapeError, "item", /shape \(0\)/);
    expect(tensor(5).toArray()).toBe(5);
    expect(zeros([0]).toArray()).toEqual([]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(zeros([0, 2]).toArray()).toEqual([]);
    expect(zeros([2, 0, 3]).toArray()).toEqual([[], []]);
    expect(Object.is((tensor([-0]).toArray() as number[])[0], -0)).toBe(true);
  });

  it("astype to float32 rounds as numpy's cast; unknown dtypes are DTypeErrors", () => {
    expect(values(astype(tensor([1e40, 1e-40, 0.1]), "float32"))).toEqual([
      Infinity,
      9.99994610111476e-41,
      0.10000000149011612,
    ]);
    expectTyped(() => astype(range(2), bad("float16")), DTypeError, "astype", /unknown dtype "float16"/);
    expectTyped(() => astype(range(2), bad(undefined)), DTypeError, "astype", /unknown dtype undefined/);
  });
});

describe("printing NaN, ±Infinity, −0 and float32 values", () => {
  it("NaN and ±Infinity print as themselves (they printed as null), −0 keeps its sign as numpy's repr does", () => {
    expect(String(tensor([-0, Number.NaN, Infinity, -Infinity]))).toBe(
      "tensor([-0,NaN,Infinity,-Infinity], shape=(4), dtype=float64)",
    );
    expect(String(tensor(-0))).toBe("tensor(-0, shape=(), dtype=float64)");
    expect(String(tensor(Number.NaN))).toBe("tensor(NaN, shape=(), dtype=float64)");
    expect(String(zeros([2, 0]))).toBe("tensor([[],[]], shape=(2,0), dtype=float64)");
  });

  it("float32 values print as the shortest decimal that reads back as the same float32 (numpy: array([0.1], dtype=float32))", () => {
    expect(String(tensor([0.1, 1 / 3, 3.4028234663852886e38, 1e-45], { dtype: "float32" }))).toBe(
      "tensor([0.1,0.33333334,3.4028235e+38,1e-45], shape=(4), dtype=float32)",
    );
    expect(String(tensor([1e300, 1e-300, 0.1]))).toBe("tensor([1e+300,1e-300,0.1], shape=(3), dtype=float64)");
  });

  it("the elided form of a large tensor uses the same spelling", () => {
    const big = zeros([200], { dtype: "float32" }).add(tensor([0.1], { dtype: "float32" }));
    expect(String(big)).toBe("tensor([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, …], shape=(200), dtype=float32)");
    expect(String(zeros([200]).mul(-1))).toBe("tensor([-0, -0, -0, -0, -0, -0, …], shape=(200), dtype=float64)");
  });
});
