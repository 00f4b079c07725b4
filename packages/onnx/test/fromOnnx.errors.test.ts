/** fromOnnx's bad inputs: each is a typed error naming the node (op type and name) or the input, never a crash. */
import { DTypeError, ShapeError, tensor, ValueError, zeros } from "@backprop/core";
import { fromOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { DataType } from "../src/proto/types.js";
import { bytesOf, floatTensor, info, matMulModel, node } from "./protoModels.js";

const base = matMulModel;

describe("fromOnnx rejects bad models with typed errors", () => {
  it("accepts the base model (so each case below fails for its one change)", () => {
    const { y } = fromOnnx(bytesOf(base())).run({ x: tensor([[1, 1]]) });
    expect(y.toArray()).toEqual([[5, 7, 9]]); // [1,1]·[[1,2,3],[4,5,6]] by hand
  });

  it("corrupt or truncated bytes", () => {
    const good = bytesOf(base());
    expect(() => fromOnnx(new Uint8Array(0))).toThrow(/fromOnnx: corrupt or truncated ONNX bytes: no graph/);
    for (const cut of [1, 7, good.length >> 1, good.length - 1]) {
      expect(() => fromOnnx(good.subarray(0, cut)), `cut at ${cut}`).toThrow(ValueError);
    }
    expect(() => fromOnnx(new TextEncoder().encode("not an onnx file at all"))).toThrow(ValueError);
    // Random bytes: always a ValueError (never a RangeError or a hang), checked over many seeds.
    let state = 12345;
    for (let trial = 0; trial < 300; trial++) {
      const junk = new Uint8Array(64);
      for (let i = 0; i < junk.length; i++) {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        junk[i] = state >> 23;
      }
      expect(() => fromOnnx(junk)).toThrow(ValueError);
    }
    expect(() => fromOnnx([1, 2] as unknown as Uint8Array)).toThrow(
      /fromOnnx: expected the model's bytes as a Uint8Array/,
    );
  });

  it("an unsupported op, domain or node form names the node", () => {
    const conv = base({ node: [node("Conv", ["x", "w"], ["y"], {}, "/conv1/Conv")] });
    expect(() => fromOnnx(bytesOf(conv))).toThrow(
      /fromOnnx: node Conv '\/conv1\/Conv': op Conv is not supported; supported ops: Abs, Add/,
    );
    const ms = base({ node: [{ ...node("FusedMatMul", ["x", "w"], ["y"], {}, "f"), domain: "com.microsoft" }] });
    expect(() => fromOnnx(bytesOf(ms))).toThrow(
      /node FusedMatMul 'f': op FusedMatMul of domain com.microsoft is not supported/,
    );
    const undefinedInput = base({ node: [node("MatMul", ["x", "nowhere"], ["y"])] });
    expect(() => fromOnnx(bytesOf(undefinedInput))).toThrow(/node MatMul #0: input 'nowhere' is not defined/);
    const twoOutputs = base({ node: [node("MatMul", ["x", "w"], ["y", "z"], {}, "mm")] });
    expect(() => fromOnnx(bytesOf(twoOutputs))).toThrow(/node MatMul 'mm': has 2 outputs/);
    const notComputed = base({ node: [node("MatMul", ["x", "w"], ["q"])] });
    expect(() => fromOnnx(bytesOf(notComputed))).toThrow(/graph output 'y' is never computed/);
    const castToInt = base({ node: [node("Cast", ["x"], ["y"], { to: DataType.INT64 }, "c")] });
    expect(() => fromOnnx(bytesOf(castToInt)).run({ x: zeros([1, 2]) })).toThrow(
      /node Cast 'c': Cast to int64 is not supported/,
    );
  });

  it("opsets outside 13–18", () => {
    expect(() => fromOnnx(bytesOf(base({}, 12)))).toThrow(
      /fromOnnx: opset 12 is not supported \(fromOnnx reads opsets 13–18\)/,
    );
    expect(() => fromOnnx(bytesOf(base({}, 19)))).toThrow(/opset 19 is not supported/);
  });

  it("unsupported data types and tensor storage name the input or tensor", () => {
    const intInput = base({ input: [info("ids", DataType.INT64, ["m", 2])] });
    expect(() => fromOnnx(bytesOf(intInput))).toThrow(DTypeError);
    expect(() => fromOnnx(bytesOf(intInput))).toThrow(/input 'ids' has type int64/);
    const half = base({
      initializer: [{ ...floatTensor("w", [2, 3], [1, 2, 3, 4, 5, 6], "float32"), dataType: DataType.FLOAT16 }],
    });
    expect(() => fromOnnx(bytesOf(half))).toThrow(/initializer 'w': tensor 'w' has data type float16/);
    const external = base({ initializer: [{ ...floatTensor("w", [2, 3], [], "float64"), external: true }] });
    expect(() => fromOnnx(bytesOf(external))).toThrow(/tensor 'w' keeps its data in an external file/);
    const short = base({ initializer: [floatTensor("w", [2, 3], [1, 2, 3, 4, 5], "float64", true)] });
    expect(() => fromOnnx(bytesOf(short))).toThrow(
      /initializer 'w': tensor 'w' of shape \(2,3\) holds 5 values, expected 6/,
    );
    const shortTyped = base({ initializer: [floatTensor("w", [2, 3], [1, 2], "float64")] });
    expect(() => fromOnnx(bytesOf(shortTyped))).toThrow(/holds 2 values, expected 6/);
  });

  it("missing, unknown, wrong-dtype and wrong-shape feeds name the input", () => {
    const m = fromOnnx(bytesOf(base()));
    expect(() => m.run({})).toThrow(/fromOnnx.run: missing feed for input 'x'/);
    expect(() => m.run({ x: zeros([1, 2]), z: zeros([1]) })).toThrow(
      /fromOnnx.run: unknown input 'z'; the model's inputs: x/,
    );
    expect(() => m.run({ x: zeros([1, 2]).astype("float32") })).toThrow(DTypeError);
    expect(() => m.run({ x: zeros([1, 2]).astype("float32") })).toThrow(
      /input 'x' is float64 in the model, the feed is float32/,
    );
    expect(() => m.run({ x: zeros([1, 3]) })).toThrow(ShapeError);
    expect(() => m.run({ x: zeros([1, 3]) })).toThrow(/input 'x' has shape \(m,2\) in the model, the feed is \(1,3\)/);
    expect(() => m.run({ x: zeros([2]) })).toThrow(/the feed is \(2\)/);
    expect(() => m.run({ x: [[1, 2]] as never })).toThrow(/feed 'x' must be a Tensor/);
  });

  it("a shape error inside the graph keeps its class and names the node", () => {
    const bad = base({ input: [info("x", "float64", ["m", "k"])] });
    expect(() => fromOnnx(bytesOf(bad)).run({ x: zeros([1, 5]) })).toThrow(ShapeError);
    expect(() => fromOnnx(bytesOf(bad)).run({ x: zeros([1, 5]) })).toThrow(
      /^fromOnnx: node MatMul 'proj': matmul: \(1,5\) @ \(2,3\)/,
    );
  });
});
