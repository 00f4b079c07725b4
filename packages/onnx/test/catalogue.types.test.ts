/** Bad-input catalogue of fromOnnx, types: float64 mixed with float32 in one type parameter, attributes in the wrong field, Gemm's trans flags against ONNX Runtime. */
import { DTypeError, type Tensor, tensor } from "@backprop/core";
import { fromOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { AttributeType, DataType } from "../src/proto/types.js";
import { type ErrorClass, ints, one, run, wrongType } from "./catalogueOps.js";
import { runOrt } from "./ort.js";
import { bytesOf, floatTensor, info, model, node } from "./protoModels.js";

/** ONNX Runtime refuses each of these models at load ("Type parameter (T) of Optype (Add) bound to different types"). */
const mixed: Array<[string, () => Tensor, ErrorClass, RegExp]> = [
  [
    "Add of float64 and float32 (ONNX Runtime: bound to different types)",
    () => run(one("Add", {}, ["x", "b"], [floatTensor("b", [3], [1, 2, 3], "float32")])),
    DTypeError,
    /^fromOnnx: node Add 'n': inputs 'x' and 'b' are float64 and float32; ONNX needs one type \(insert a Cast\)/,
  ],
  [
    "MatMul of float64 and float32",
    () => run(one("MatMul", {}, ["x", "b"], [floatTensor("b", [3, 1], [1, 2, 3], "float32")])),
    DTypeError,
    /node MatMul 'n': inputs 'x' and 'b' are float64 and float32/,
  ],
  [
    "Gemm with a float32 C",
    () => run(one("Gemm", { transB: 1 }, ["x", "x", "b"], [floatTensor("b", [1], [1], "float32")])),
    DTypeError,
    /node Gemm 'n': inputs 'x' and 'b' are float64 and float32/,
  ],
  [
    "Where of float64 and float32 branches",
    () =>
      run(
        one(
          "Where",
          {},
          ["c", "x", "b"],
          [
            { ...ints("c", [1]), dataType: DataType.BOOL, int64Data: [], int32Data: [1] },
            floatTensor("b", [1], [1], "float32"),
          ],
        ),
      ),
    DTypeError,
    /node Where 'n': inputs 'x' and 'b' are float64 and float32/,
  ],
  [
    "Concat of float64 and float32",
    () => run(one("Concat", { axis: 0 }, ["x", "b"], [floatTensor("b", [1, 3], [1, 2, 3], "float32")])),
    DTypeError,
    /node Concat 'n': inputs 'x' and 'b' are float64 and float32/,
  ],
];

describe("fromOnnx type catalogue", () => {
  it.each(mixed)("%s", (_, f, Class, pattern) => {
    expect(f).toThrow(Class);
    expect(f).toThrow(pattern);
  });

  it("an attribute in the field of another type is a wrong-type error, not a default", () => {
    for (const { attr } of [
      wrongType("transB", "f", AttributeType.INT),
      wrongType("transB", "f", AttributeType.FLOAT),
    ]) {
      const m = one("Gemm", {}, ["x", "x"]);
      m.graph.node[0].attribute.push(attr);
      expect(() => run(m)).toThrow(/node Gemm 'n': attribute transB must be an INT/);
    }
    const perm = one("Transpose", {});
    perm.graph.node[0].attribute.push(wrongType("perm", "i", AttributeType.INT).attr);
    expect(() => run(perm)).toThrow(/node Transpose 'n': attribute perm must be INTS/);
  });

  it("Gemm transA/transB other than 0 and 1 transpose as in ONNX Runtime (was: silently not transposed)", async () => {
    const sq = () =>
      tensor([
        [1, 2],
        [3, 4],
      ]);
    const m = model(
      {
        input: [info("x", "float64", [2, 2])],
        output: [info("y", "float64", [2, 2])],
        initializer: [floatTensor("b", [2, 2], [1, 0, 2, 5], "float64")],
        node: [node("Gemm", ["x", "b"], ["y"], { transA: 2, transB: -1 }, "g")],
      },
      18,
    );
    const ours = fromOnnx(bytesOf(m)).run({ x: sq() }).y;
    expect(ours.toArray()).toEqual([
      [1, 17],
      [2, 24],
    ]); // xᵀ·bᵀ = [[1,3],[2,4]]·[[1,2],[0,5]] by hand
    expect((await runOrt(bytesOf(m), { x: sq() })).y.toArray()).toEqual(ours.toArray());
  });

  it("ONNX Runtime refuses the models fromOnnx now refuses instead of computing something (mixed dtypes, axes of another opset, a repeated Slice axis, an output of another dtype)", async () => {
    const x2 = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const refused = [
      [one("Add", {}, ["x", "b"], [floatTensor("b", [3], [1, 2, 3], "float32")]), /bound to different types/],
      [one("ReduceMean", { axes: [0] }), /Unrecognized attribute: axes for operator ReduceMean/],
      [
        one("Slice", {}, ["x", "s", "e", "a"], [ints("s", [0, 1]), ints("e", [1, 2]), ints("a", [0, 0])]),
        /Axis 0 is referred to more than once/,
      ],
      [
        model(
          {
            input: [info("x", "float64", [2, 3])],
            output: [info("y", "float64", [2, 3])],
            node: [node("Cast", ["x"], ["y"], { to: DataType.FLOAT }, "n")],
          },
          18,
        ),
        /does not match expected type/,
      ],
    ] as const;
    for (const [m, ortMessage] of refused) {
      await expect(runOrt(bytesOf(m), { x: x2 })).rejects.toThrow(ortMessage);
      expect(() => fromOnnx(bytesOf(m)).run({ x: x2 })).toThrow(/^fromOnnx(\.run)?: /);
    }
  });
});
