/** Catalogue: tensor() and the constructors against numpy 2.x — bad input is a typed error naming the op, valid input numpy's values. */
import {
  arange,
  DTypeError,
  eye,
  full,
  linspace,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
  zeros,
} from "@backprop/core";
import { describe, expect, it } from "vitest";
import { expectTyped } from "../../../../test/expectTyped.js";
import { withRefusedAllocation } from "./refusedAllocation.js";

const bad = <T>(v: unknown) => v as T;
const values = (t: Tensor) => Array.from(t.data);

describe("nested arrays (np.array)", () => {
  it("empty nests keep numpy's shapes: [] (0,), [[]] (1,0), [[],[]] (2,0), [[[]]] (1,1,0)", () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[]]).shape).toEqual([1, 0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor([[[]]]).shape).toEqual([1, 1, 0]);
  });

  it("ragged nests are errors that say where (numpy: inhomogeneous shape after 1 dimensions)", () => {
    expectTyped(
      () => tensor([[1, 2], [3]]),
      ValueError,
      "tensor",
      /ragged nested array: at \[1\] expected .* length 2, got length 1/,
    );
    expectTyped(
      () => tensor(bad([[], [1]])),
      ValueError,
      "tensor",
      /at \[1\] expected an array of length 0, got length 1/,
    );
    expectTyped(() => tensor(bad([[1], 2])), ValueError, "tensor", /at \[1\] .*got number 2/);
    expectTyped(() => tensor(bad([1, [2]])), ValueError, "tensor", /found an array .* at \[1\]/);
  });

  it("holes, strings, null, undefined, bigint and boxed numbers are refused at their index", () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
    expectTyped(() => tensor(bad([1, , 3])), ValueError, "tensor", /found undefined at \[1\]/);
    expectTyped(() => tensor(bad(new Array(2))), ValueError, "tensor", /found undefined at \[0\]/);
    expectTyped(() => tensor(bad([[1, "2"]])), ValueError, "tensor", /found the string "2" at \[0\]\[1\]/);
    expectTyped(() => tensor(bad([1, null])), ValueError, "tensor", /found null at \[1\]/);
    expectTyped(() => tensor(bad([1n])), ValueError, "tensor", /found bigint 1 at \[0\]/);
    expectTyped(() => tensor(bad([new Number(3)])), ValueError, "tensor", /found an object \(Number\) at \[0\]/);
  });

  it("a Tensor where data is expected is named as one, with the way to copy or stack it", () => {
    const t = tensor([1, 2]);
    expectTyped(() => tensor(bad(t)), ValueError, "tensor", /got a Tensor: copy it with x\.clone\(\)/);
    expectTyped(
      () => tensor(bad([t, t])),
      ValueError,
      "tensor",
      /found an object \(Tensor\) at \[0\]; join tensors with stack\(\)/,
    );
  });

  it("booleans are 1 and 0 (np.array([True, False], float)); NaN, ±Infinity and −0 are kept", () => {
    expect(values(tensor([true, false] as unknown as number[]))).toEqual([1, 0]);
    const t = tensor([Number.NaN, Infinity, -Infinity, -0]);
    expect(values(t)).toEqual([Number.NaN, Infinity, -Infinity, -0]);
    expect(Object.is(t.data[3], -0)).toBe(true);
    expect(Object.is(tensor(-0).item(), -0)).toBe(true);
  });

  it("float32 creation rounds as np.array(x, dtype=np.float32): nearest, ties to even, overflow to ±inf, subnormals kept", () => {
    // np.float32(1e-40) = 9.99994610111476e-41; 3.4028235677973366e38 is max + half an ulp (a tie to even: inf);
    // 3.4028235677973362e38 rounds down to max; np.float32(-1e-46) = -0.0.
    const t = tensor([0.1, 1e40, -1e40, 1e-40, 3.4028235677973366e38, 3.4028235677973362e38, -1e-46], {
      dtype: "float32",
    });
    expect(values(t)).toEqual([
      0.10000000149011612,
      Infinity,
      -Infinity,
      9.99994610111476e-41,
      Infinity,
      3.4028234663852886e38,
      -0,
    ]);
    expect(Object.is(t.data[6], -0)).toBe(true);
  });
});

describe("typed arrays (np.asarray of a buffer)", () => {
  it("every integer kind converts exactly to float64, and Float32Array keeps float32", () => {
    expect(values(tensor(new Int8Array([-128, 127])))).toEqual([-128, 127]);
    expect(values(tensor(new Uint8Array([255])))).toEqual([255]);
    expect(values(tensor(new Uint8ClampedArray([255])))).toEqual([255]);
    expect(values(tensor(new Int16Array([-32768])))).toEqual([-32768]);
    expect(values(tensor(new Uint16Array([65535])))).toEqual([65535]);
    expect(values(tensor(new Int32Array([-2147483648])))).toEqual([-2147483648]);
    expect(values(tensor(new Uint32Array([4294967295])))).toEqual([4294967295]);
    expect(tensor(new Uint8Array(2)).dtype).toBe("float64");
    expect(tensor(new Float32Array([0.1])).dtype).toBe("float32");
    // np.float32(4294967295) = 4294967296.0
    expect(values(tensor(new Uint32Array([4294967295]), { dtype: "float32" }))).toEqual([4294967296]);
  });

  it("a subarray view reads only its window, and a SharedArrayBuffer view is copied", () => {
    const base = new Float64Array([1, 2, 3, 4, 5]);
    const t = tensor(base.subarray(1, 3));
    expect(values(t)).toEqual([2, 3]);
    base[1] = 99;
    expect(values(t)).toEqual([2, 3]); // a copy, as np.array (not np.asarray)
    const shared = new Float32Array(new SharedArrayBuffer(8)).fill(2);
    const s = tensor(shared, [2, 1]);
    shared[0] = 7;
    expect(values(s)).toEqual([2, 2]);
    expect(s.dtype).toBe("float32");
  });

  it("BigInt arrays, DataView and a bare ArrayBuffer are refused by name", () => {
    expectTyped(() => tensor(bad(new BigUint64Array(1))), ValueError, "tensor", /BigUint64Array/);
    expectTyped(() => tensor(bad(new DataView(new ArrayBuffer(8)))), ValueError, "tensor", /DataView/);
    expectTyped(() => tensor(bad(new ArrayBuffer(8))), ValueError, "tensor", /ArrayBuffer/);
  });

  it("a shape that disagrees with the data names both", () => {
    expectTyped(() => tensor(new Float64Array(4), [3]), ShapeError, "tensor", /4 elements does not fit shape \(3\)/);
    expectTyped(
      () =>
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          [3],
        ),
      ShapeError,
      "tensor",
      /\(2,2\) \(4 elements\) does not fit shape \(3\)/,
    );
    expectTyped(() => tensor(new Float64Array(4), [Number.NaN]), ShapeError, "tensor", /invalid shape \[NaN\]/);
    expectTyped(() => tensor([1], { dtype: bad("int32") }), DTypeError, "tensor", /unknown dtype "int32"/);
    expect(tensor(new Float64Array(0), [0, 3]).shape).toEqual([0, 3]);
  });
});

describe("shapes numpy cannot hold or memory cannot allocate", () => {
  it("dimensions must be safe integers (numpy: 'Maximum allowed dimension exceeded'); the product is not NaN", () => {
    // 1e308·1e308·0 is NaN in doubles: the error named the Tensor constructor and 'needs NaN'.
    expectTyped(() => zeros([1e308, 1e308, 0]), ShapeError, "zeros", /dimension 1e\+308 .*2\^53/);
    expectTyped(() => full([2 ** 60, 0], 1), ShapeError, "full", /dimension 1152921504606847000 is above 2\^53 - 1/);
    // numpy: np.zeros((2**53, 0)) is a valid empty array; 2**53 - 1 is the largest dimension here.
    expect(zeros([2 ** 53 - 1, 0]).shape).toEqual([2 ** 53 - 1, 0]);
  });

  it("a shape the machine cannot allocate is a typed error naming op, shape, dtype and bytes (it was a raw RangeError)", () => {
    // numpy: MemoryError: Unable to allocate 32.0 GiB for an array with shape (65536, 65536) and data type float64.
    // The engine's refusal is simulated (a machine with 32 GiB to spare would allocate it): a Float64Array that
    // fails as V8 does above a billion elements.
    withRefusedAllocation(() => {
      expectTyped(
        () => zeros([2 ** 17, 2 ** 15]),
        ShapeError,
        "zeros",
        /^cannot allocate 32 GiB for shape \(131072,32768\) of float64 \(Array buffer allocation failed\)/,
      );
      expectTyped(() => eye(2 ** 16), ShapeError, "eye", /cannot allocate 32 GiB for shape \(65536,65536\)/);
      expectTyped(() => arange(2 ** 31), ShapeError, "arange", /cannot allocate 16 GiB/);
    });
  });

  it("non-number dimensions are named as what they are (eye('3') said 'invalid shape [3,3]')", () => {
    expectTyped(() => eye(bad("3")), ShapeError, "eye", /dimension 0 is the string "3"/);
    expectTyped(() => zeros(bad(["3"])), ShapeError, "zeros", /dimension 0 is the string "3"/);
    expectTyped(() => zeros([2, -1]), ShapeError, "zeros", /invalid shape \[2,-1\]/);
  });
});

describe("arange, linspace, eye and full against numpy", () => {
  it("arange's length is ceil((stop − start)/step), negative steps count down, −0 start is kept", () => {
    expect(values(arange(1, 1.3, 0.1))).toEqual([1, 1.1, 1.2000000000000002, 1.3000000000000003]);
    expect(values(arange(0, -3, -1))).toEqual([0, -1, -2]);
    expect(values(arange(0, 5, -1))).toEqual([]);
    expect(values(arange(0.5))).toEqual([0]);
    expect(values(arange(-3))).toEqual([]);
    const t = arange(-0, 2);
    expect(Object.is(t.data[0], -0)).toBe(true); // np.arange(-0.0, 2.0) = [-0., 1.]
    expect(values(arange(0, 1, 0.1, { dtype: "float32" }))[3]).toBe(0.30000001192092896);
  });

  it("arange refuses step 0, NaN and non-numbers, naming what it got", () => {
    expectTyped(() => arange(0, 5, 0), ValueError, "arange", /step/);
    expectTyped(() => arange(Number.NaN), ValueError, "arange", /NaN/);
    expectTyped(() => arange(bad("3")), ValueError, "arange", /the string "3"/);
    // np.arange(3, dtype=...) is a keyword; here the options go fourth, and the error says so
    expectTyped(
      () => arange(3, bad({ dtype: "float32" })),
      ValueError,
      "arange",
      /options go fourth: arange\(0, 3, 1, \{ dtype \}\)/,
    );
    expectTyped(() => arange(0, 1, 1e-320), ShapeError, "arange", /more than a tensor can hold/);
  });

  it("linspace: num 0 and 1, infinite ends as numpy, endpoint=false as numpy", () => {
    expect(values(linspace(0, 1, 0))).toEqual([]);
    expect(values(linspace(-0, 1, 1))).toEqual([0]); // numpy: [0.0] (0·δ + −0 = +0)
    expect(values(linspace(0, Infinity, 3))).toEqual([Number.NaN, Infinity, Infinity]);
    expect(values(linspace(-Infinity, Infinity, 3))).toEqual([Number.NaN, Number.NaN, Infinity]);
    // np.linspace(0, 1, 5, endpoint=False) = [0, .2, .4, .6000000000000001, .8]; the option was silently ignored
    expect(values(linspace(0, 1, 5, { endpoint: false }))).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8]);
    expect(values(linspace(0, 1, 1, { endpoint: false }))).toEqual([0]);
    expect(values(linspace(2, 3, 4, { endpoint: false, dtype: "float32" }))).toEqual([2, 2.25, 2.5, 2.75]);
  });

  it("creation options are checked: an unknown key or a non-boolean endpoint is an error, not ignored", () => {
    expectTyped(
      () => linspace(0, 1, 5, bad({ endpoint: "no" })),
      ValueError,
      "linspace",
      /endpoint must be true or false/,
    );
    expectTyped(() => linspace(0, 1, 5, bad({ retstep: true })), ValueError, "linspace", /unknown option 'retstep'/);
    expectTyped(() => zeros([2], bad({ requires_grad: true })), ValueError, "zeros", /unknown option 'requires_grad'/);
    expectTyped(
      () => tensor([1], bad({ requires_grad: true })),
      ValueError,
      "tensor",
      /unknown option 'requires_grad'/,
    );
    expectTyped(() => linspace(0, 1, bad({ endpoint: false })), ValueError, "linspace", /num must be/);
  });

  it("eye and full edge cases", () => {
    expect(eye(0).shape).toEqual([0, 0]);
    expect(values(eye(2, 3))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(values(full([2], -0)).map((v) => Object.is(v, -0))).toEqual([true, true]);
    expect(values(full([1], 1e40, { dtype: "float32" }))).toEqual([Infinity]);
    expectTyped(() => full([1], bad(true)), ValueError, "full", /boolean true/);
    expectTyped(() => eye(2, Number.NaN), ShapeError, "eye", /invalid shape \[2,NaN\]/);
  });
});
