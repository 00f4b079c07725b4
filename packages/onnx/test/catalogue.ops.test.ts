/** Bad-input catalogue of fromOnnx, op level: attributes missing or of the wrong type, invalid axes, perms and shapes. */
import { ShapeError, type Tensor, tensor, ValueError } from "@backprop/core";
import { describe, expect, it } from "vitest";
import { DataType } from "../src/proto/types.js";
import { anyShape, type ErrorClass, ints, one, run } from "./catalogueOps.js";
import { floatTensor, info, model, node } from "./protoModels.js";

const cases: Array<[string, () => Tensor, ErrorClass, RegExp]> = [
  [
    "Gemm transA as FLOAT",
    () => run(one("Gemm", { transA: { f: 1 } }, ["x", "x"])),
    ValueError,
    /^fromOnnx: node Gemm 'n': attribute transA must be an INT/,
  ],
  [
    "Gemm alpha as INT",
    () => run(one("Gemm", { alpha: 2, transB: 1 }, ["x", "x"])),
    ValueError,
    /node Gemm 'n': attribute alpha must be a FLOAT/,
  ],
  [
    "Gemm of 3-D A",
    () => anyShape(one("Gemm", {}, ["x", "x"]), tensor([[[1]]])),
    ValueError,
    /^fromOnnx: node Gemm 'n': Gemm needs 2-D A and B, got ranks 3 and 3/,
  ],
  [
    "Gemm inner dims differ",
    () => run(one("Gemm", {}, ["x", "x"])),
    ShapeError,
    /^fromOnnx: node Gemm 'n': matmul: \(2,3\) @ \(2,3\)/,
  ],
  [
    "LeakyRelu alpha as INT",
    () => run(one("LeakyRelu", { alpha: 1 })),
    ValueError,
    /node LeakyRelu 'n': attribute alpha must be a FLOAT/,
  ],
  [
    "Softmax axis as FLOAT",
    () => run(one("Softmax", { axis: { f: 0 } })),
    ValueError,
    /node Softmax 'n': attribute axis must be an INT/,
  ],
  [
    "Softmax axis out of range",
    () => run(one("Softmax", { axis: 4 })),
    ShapeError,
    /node Softmax 'n': softmax: axis 4 is out of range .*\(2,3\)/,
  ],
  [
    "Flatten axis out of range",
    () => run(one("Flatten", { axis: 4 })),
    ValueError,
    /node Flatten 'n': axis 4 is out of range for rank 3/,
  ],
  [
    "Transpose perm as INT",
    () => run(one("Transpose", { perm: 1 })),
    ValueError,
    /node Transpose 'n': attribute perm must be INTS/,
  ],
  [
    "Transpose perm as FLOAT",
    () => run(one("Transpose", { perm: { f: 1 } })),
    ValueError,
    /attribute perm must be INTS/,
  ],
  [
    "Transpose perm repeats an axis",
    () => run(one("Transpose", { perm: [0, 0] })),
    ShapeError,
    /node Transpose 'n': transpose: axes \[0,0\] are not a permutation/,
  ],
  [
    "Transpose perm too short",
    () => run(one("Transpose", { perm: [0] })),
    ShapeError,
    /axes \[0\] are not a permutation of the 2 axes/,
  ],
  ["Transpose perm out of range", () => run(one("Transpose", { perm: [0, 5] })), ShapeError, /axis 5 is out of range/],
  [
    "Reshape with -1 twice",
    () => run(one("Reshape", {}, ["x", "s"], [ints("s", [-1, -1])])),
    ShapeError,
    /node Reshape 'n': reshape: invalid target shape \(-1,-1\)/,
  ],
  [
    "Reshape with -2",
    () => run(one("Reshape", {}, ["x", "s"], [ints("s", [-2, -3])])),
    ShapeError,
    /invalid target shape \(-2,-3\)/,
  ],
  [
    "Reshape 0 beyond the input's rank",
    () => run(one("Reshape", {}, ["x", "s"], [ints("s", [1, 1, 0, 6])])),
    ValueError,
    /node Reshape 'n': shape\[2\] = 0 copies a dimension 2-D input lacks/,
  ],
  [
    "Reshape allowzero 0 with -1",
    () => run(one("Reshape", { allowzero: 1 }, ["x", "s"], [ints("s", [0, -1])])),
    ShapeError,
    /cannot reshape \(2,3\) \(6 elements\) to \(0,-1\)/,
  ],
  [
    "Reshape to another size",
    () => run(one("Reshape", {}, ["x", "s"], [ints("s", [4, 2])])),
    ShapeError,
    /cannot reshape \(2,3\) \(6 elements\) to \(4,2\) \(8 elements\)/,
  ],
  [
    "Reshape shape as float",
    () => run(one("Reshape", {}, ["x", "s"], [floatTensor("s", [2], [3, 2], "float64")])),
    ValueError,
    /node Reshape 'n': input 1 \('s'\) must be int64 data known when the model is loaded/,
  ],
  [
    "Reshape shape from a graph input",
    () => run(one("Reshape", {}, ["x", "x"])),
    ValueError,
    /input 1 \('x'\) must be int64 data/,
  ],
  [
    "Concat axis out of range",
    () => run(one("Concat", { axis: 5 }, ["x", "x"])),
    ShapeError,
    /node Concat 'n': concat: axis 5 is out of range/,
  ],
  [
    "Concat axis -3 of rank 2",
    () => run(one("Concat", { axis: -3 }, ["x", "x"])),
    ShapeError,
    /axis -3 is out of range/,
  ],
  [
    "Concat axis as FLOAT",
    () => run(one("Concat", { axis: { f: 1 } }, ["x", "x"])),
    ValueError,
    /node Concat 'n': attribute axis must be an INT/,
  ],
  [
    "ReduceSum axes out of range",
    () => run(one("ReduceSum", {}, ["x", "a"], [ints("a", [7])])),
    ShapeError,
    /node ReduceSum 'n': sum: axis 7 is out of range/,
  ],
  [
    "ReduceSum axes repeated",
    () => run(one("ReduceSum", {}, ["x", "a"], [ints("a", [0, 0])])),
    ShapeError,
    /axis 0 is repeated in \[0,0\]/,
  ],
  [
    "ReduceMean axes attribute at opset 18",
    () => run(one("ReduceMean", { axes: [0] })),
    ValueError,
    /node ReduceMean 'n': the axes attribute does not exist at opset 18/,
  ],
  [
    "ReduceMax axes input at opset 17",
    () => run(one("ReduceMax", {}, ["x", "a"], [ints("a", [0])], 17)),
    ValueError,
    /node ReduceMax 'n': an axes input does not exist at opset 17/,
  ],
  [
    "ReduceSum axes attribute at opset 13",
    () => run(one("ReduceSum", { axes: [0] }, ["x"], [], 13)),
    ValueError,
    /the axes attribute does not exist at opset 13/,
  ],
  [
    "Slice starts and ends of different lengths",
    () => run(one("Slice", {}, ["x", "s", "e"], [ints("s", [0, 0]), ints("e", [1])])),
    ValueError,
    /node Slice 'n': starts, ends and axes must have one entry per sliced axis, got \[0,0\], \[1\], \[0,1\]/,
  ],
  [
    "Slice more axes than starts",
    () => run(one("Slice", {}, ["x", "s", "e", "a"], [ints("s", [0]), ints("e", [1]), ints("a", [0, 1])])),
    ValueError,
    /one entry per sliced axis/,
  ],
  [
    "Slice axes repeated",
    () => run(one("Slice", {}, ["x", "s", "e", "a"], [ints("s", [0, 1]), ints("e", [1, 2]), ints("a", [0, -2])])),
    ValueError,
    /node Slice 'n': axes \[0,-2\] repeat an axis/,
  ],
  [
    "Slice axis out of range",
    () => run(one("Slice", {}, ["x", "s", "e", "a"], [ints("s", [0]), ints("e", [1]), ints("a", [4])])),
    ValueError,
    /node Slice 'n': axis 4 is out of range for rank 2/,
  ],
  [
    "Slice step 2",
    () =>
      run(
        one("Slice", {}, ["x", "s", "e", "a", "p"], [ints("s", [0]), ints("e", [3]), ints("a", [1]), ints("p", [2])]),
      ),
    ValueError,
    /Slice with steps other than 1 is not supported/,
  ],
  [
    "Expand to an incompatible shape",
    () => run(one("Expand", {}, ["x", "s"], [ints("s", [4, 3])])),
    ShapeError,
    /^fromOnnx: node Expand 'n': Expand: shapes \(2,3\) and \(4,3\) cannot be broadcast/,
  ],
  [
    "Pad with a negative pad",
    () => run(one("Pad", {}, ["x", "p"], [ints("p", [0, -1, 0, 0])])),
    ValueError,
    /node Pad 'n': Pad needs 4 non-negative pads, got \[0,-1,0,0\]/,
  ],
  [
    "Pad with too few pads",
    () => run(one("Pad", {}, ["x", "p"], [ints("p", [1, 1])])),
    ValueError,
    /Pad needs 4 non-negative pads, got \[1,1\]/,
  ],
  ["Cast without to", () => run(one("Cast", {})), ValueError, /node Cast 'n': Cast to UNDEFINED is not supported/],
  [
    "Cast to int8",
    () => run(one("Cast", { to: DataType.INT8 })),
    ValueError,
    /node Cast 'n': Cast to int8 is not supported/,
  ],
  ["Add with one input", () => run(one("Add", {}, ["x"])), ValueError, /node Add 'n': input 1 is missing/],
  [
    "Add of shapes that do not broadcast",
    () => run(one("Add", {}, ["x", "b"], [floatTensor("b", [4], [1, 2, 3, 4], "float64")])),
    ShapeError,
    /node Add 'n': add: shapes \(2,3\) and \(4\) cannot be broadcast/,
  ],
  [
    "Pow with an int64 exponent",
    () => run(one("Pow", {}, ["x", "e"], [ints("e", [2], [])])),
    ValueError,
    /node Pow 'n': input 1 \('e'\) is integer data, expected a float tensor/,
  ],
  [
    "Where on a float condition",
    () => run(one("Where", {}, ["x", "x", "x"])),
    ValueError,
    /node Where 'n': input 0 \('x'\) must be bool/,
  ],
  ["Max of no inputs", () => run(one("Max", {}, [])), ValueError, /node Max 'n': input 0 is missing/],
  [
    "MatMul of 3-D operands",
    () => anyShape(one("MatMul", {}, ["x", "x"]), tensor([[[1]]])),
    ShapeError,
    /^fromOnnx: node MatMul 'n': matmul: \(1,1,1\) @ \(1,1,1\): operands must be 1-D or 2-D/,
  ],
  [
    "Gather index out of range",
    () =>
      run(
        model(
          {
            input: [info("x", "float64", [2, 3])],
            output: [info("y", "float64", [1])],
            initializer: [ints("i", [9])],
            node: [
              node("Shape", ["x"], ["s"]),
              node("Gather", ["s", "i"], ["g"], {}, "ga"),
              node("Cast", ["g"], ["y"], { to: DataType.DOUBLE }),
            ],
          },
          18,
        ),
      ),
    ValueError,
    /node Gather 'ga': index 9 is out of range for 2 values/,
  ],
  [
    "Shape with start",
    () => run(one("Shape", { start: 1 })),
    ValueError,
    /node Shape 'n': Shape with start\/end is not supported/,
  ],
  [
    "Constant without a value",
    () => run(one("Constant", {}, [])),
    ValueError,
    /node Constant 'n': Constant needs exactly one value attribute/,
  ],
  [
    "Constant with two values",
    () => run(one("Constant", { value_int: 1, value_ints: [1] }, [])),
    ValueError,
    /Constant needs exactly one value attribute/,
  ],
  [
    "Constant value as INT",
    () => run(one("Constant", { value: 1 }, [])),
    ValueError,
    /node Constant 'n': Constant with attribute value is not supported/,
  ],
];

describe("fromOnnx op-level catalogue: a typed error naming the node and what is wrong", () => {
  it.each(cases)("%s", (_, f, Class, pattern) => {
    expect(f).toThrow(Class);
    expect(f).toThrow(pattern);
  });

  it("Concat without axis on floats defaults to axis 0; an empty INTS perm reverses nothing", () => {
    expect(run(one("Concat", {}, ["x", "x"])).shape).toEqual([4, 3]);
    expect(() => run(one("Transpose", { perm: [] }))).toThrow(/axes \[\] are not a permutation/);
  });
});
