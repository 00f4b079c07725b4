/** Models written the way PyTorch and other tools write them, run in ONNX Runtime and by fromOnnx: the same values; gradients checked. */
import { gradcheck, randn, type Tensor } from "@backprop/core";
import { fromOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { expectRelClose, runOrt } from "./ort.js";
import { bytesOf, floatTensor, info, int64Tensor, model, node } from "./protoModels.js";

/** Deterministic weights: randn's values as a plain list. */
const weights = (shape: number[], seed: number, scale = 0.5) => Array.from(randn(shape, seed).mul(scale).data);

/**
 * A PyTorch-style MLP on rows (batch, 4), float32: Linear = Gemm(transB = 1) with weights in float_data or raw_data,
 * Relu, LeakyRelu, a Constant scale, Sigmoid, Tanh, Sub, Div, Softmax and LogSoftmax along axis 1 (opset-13 semantics).
 */
function pytorchMlp(opset: number) {
  return model(
    {
      input: [info("input", "float32", ["batch", 4])],
      output: [
        info("probs", "float32", ["batch", 3]),
        info("logprobs", "float32", ["batch", 3]),
        info("gate", "float32", ["batch", 3]),
      ],
      initializer: [
        floatTensor("fc1.weight", [5, 4], weights([5, 4], 1), "float32"),
        floatTensor("fc1.bias", [5], weights([5], 2), "float32", true),
        floatTensor("fc2.weight", [3, 5], weights([3, 5], 3), "float32", true),
        floatTensor("fc2.bias", [3], weights([3], 4), "float32"),
      ],
      node: [
        node(
          "Gemm",
          ["input", "fc1.weight", "fc1.bias"],
          ["h1"],
          { alpha: { f: 1 }, beta: { f: 1 }, transB: 1 },
          "/fc1/Gemm",
        ),
        node("Relu", ["h1"], ["r1"], {}, "/act/Relu"),
        node("LeakyRelu", ["r1"], ["l1"], { alpha: { f: 0.125 } }, "/act2/LeakyRelu"),
        node("Constant", [], ["two"], { value: floatTensor("", [], [2], "float32") }, "/Constant"),
        node("Mul", ["l1", "two"], ["s1"], {}, "/Mul"),
        node("Gemm", ["s1", "fc2.weight", "fc2.bias"], ["logits"], { transB: 1 }, "/fc2/Gemm"),
        node("Softmax", ["logits"], ["probs"], { axis: 1 }, "/Softmax"),
        node("LogSoftmax", ["logits"], ["logprobs"], { axis: -1 }, "/LogSoftmax"),
        node("Sigmoid", ["logits"], ["sg"], {}, "/Sigmoid"),
        node("Tanh", ["logits"], ["th"], {}, "/Tanh"),
        node("Sub", ["sg", "th"], ["d"], {}, "/Sub"),
        node("Div", ["d", "two"], ["gate"], {}, "/Div"),
      ],
    },
    opset,
  );
}

/**
 * A float64 graph with double_data and raw_data initializers: Gemm with transA, alpha, beta; MatMul; Flatten, Reshape
 * (shape from an int64 Constant and from an initializer, with 0 and −1), Transpose, Identity, Add.
 */
function float64Graph(opset: number, parametersAsInputs = false) {
  const parameterInputs = parametersAsInputs
    ? [info("W", "float64", [3, 2]), info("C", "float64", [2, 1]), info("M", "float64", [2, 2])]
    : [];
  return model(
    {
      input: [info("X", "float64", [3, "m"]), info("V", "float64", [2, 2, 3]), ...parameterInputs],
      output: [info("Y", "float64", [2, "m"]), info("T", "float64", [3, 4]), info("F", "float64", [2, 6])],
      initializer: [
        floatTensor("W", [3, 2], weights([3, 2], 5), "float64"),
        floatTensor("C", [2, 1], weights([2, 1], 6), "float64", true),
        floatTensor("M", [2, 2], weights([2, 2], 7), "float64"),
        int64Tensor("shape34", [3, -1]),
      ],
      node: [
        node("Gemm", ["W", "X", "C"], ["G"], { transA: 1, alpha: { f: 0.5 }, beta: { f: 2 } }, "gemm"),
        node("MatMul", ["M", "G"], ["MG"], {}, "matmul"),
        node("Identity", ["MG"], ["Y"], {}, "id"),
        node("Constant", [], ["shape43"], { value: int64Tensor("", [0, 6]) }, "shape"),
        node("Reshape", ["V", "shape43"], ["V2"], {}, "reshape"),
        node("Transpose", ["V2"], ["V3"], { perm: [1, 0] }, "transpose"),
        node("Reshape", ["V3", "shape34"], ["V4"], {}, "reshape2"),
        node("Add", ["V4", "V4"], ["T"], {}, "add"),
        node("Flatten", ["V"], ["F"], { axis: 1 }, "flatten"),
      ],
    },
    opset,
  );
}

describe("fromOnnx runs third-party-style models like ONNX Runtime", () => {
  it("a PyTorch-style float32 MLP (Gemm transB, LeakyRelu, Constant, softmaxes) at opsets 13 and 18, to 1e-5", async () => {
    for (const opset of [13, 18]) {
      const bytes = bytesOf(pytorchMlp(opset));
      const input = randn([6, 4], 8).astype("float32");
      const expected = await runOrt(bytes, { input });
      const imported = fromOnnx(bytes);
      expect(Object.keys(imported.parameters)).toEqual(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
      const got = imported.run({ input });
      for (const name of ["probs", "logprobs", "gate"]) {
        expect(got[name].dtype).toBe("float32");
        expectRelClose(got[name], expected[name], 1e-5, 1e-7);
      }
    }
  });

  it("a float64 graph (Gemm transA/alpha/beta, MatMul, Reshape, Transpose, Flatten, Identity) to 1e-12", async () => {
    const bytes = bytesOf(float64Graph(17));
    const X = randn([3, 5], 9);
    const V = randn([2, 2, 3], 10);
    const expected = await runOrt(bytes, { X, V });
    const got = fromOnnx(bytes).run({ X, V });
    for (const name of ["Y", "T", "F"]) expectRelClose(got[name], expected[name], 1e-12, 1e-300);
  });

  it("gradients of an imported graph pass gradcheck for the feed and every parameter (fed as inputs with defaults)", () => {
    const imported = fromOnnx(bytesOf(float64Graph(18, true)));
    expect(imported.inputNames).toEqual(["X", "V", "W", "C", "M"]);
    const V = randn([2, 2, 3], 10);
    const { W, C, M } = imported.parameters;
    const f = (X: Tensor, W: Tensor, C: Tensor, M: Tensor) => imported.run({ X, V, W, C, M }).Y.tanh().sum();
    expect(gradcheck(f, [randn([3, 4], 11), W.detach(), C.detach(), M.detach()]).passed).toBe(true);
    // Without those feeds the initializers are used, and backward reaches them.
    imported
      .run({ X: randn([3, 4], 11), V })
      .Y.sum()
      .backward();
    expect(W.grad?.shape).toEqual([3, 2]);
  });

  it("initializers in raw_data and in typed fields read the same values", () => {
    const values = [0.1, -2.5, 3e-300, 7];
    for (const dtype of ["float32", "float64"] as const) {
      const readBack = (raw: boolean) =>
        fromOnnx(
          bytesOf(
            model({
              input: [info("x", dtype, [4])],
              output: [info("y", dtype, [4])],
              initializer: [floatTensor("w", [4], values, dtype, raw)],
              node: [node("Add", ["x", "w"], ["y"])],
            }),
          ),
        ).parameters.w;
      const expected = dtype === "float64" ? values : Array.from(Float32Array.from(values));
      expect(Array.from(readBack(true).data)).toEqual(expected);
      expect(Array.from(readBack(false).data)).toEqual(expected);
      expect(readBack(false).dtype).toBe(dtype);
    }
  });
});
