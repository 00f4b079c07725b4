/** Helpers of the op-level catalogues: one-node models on x (2, 3) float64, built with the package's own protobuf writer. */
import type { BackpropError, Tensor } from "@backprop/core";
import { tensor } from "@backprop/core";
import { fromOnnx } from "@backprop/onnx";
import type { TensorProto } from "../src/proto/types.js";
import { bytesOf, info, int64Tensor, model, node } from "./protoModels.js";

export type ErrorClass = new (...args: never[]) => BackpropError;
export type Attrs = Parameters<typeof node>[3];

/** One node `n` of `op` on x (2, 3) float64 (plus initializers), output y; run on `x`. */
export function one(op: string, attrs: Attrs, inputs: string[] = ["x"], inits: TensorProto[] = [], opset = 18) {
  return model(
    {
      input: [info("x", "float64", [2, 3])],
      output: [info("y", "float64", [])].map((v) => ({ ...v, shape: undefined })),
      initializer: inits,
      node: [node(op, inputs, ["y"], attrs, "n")],
    },
    opset,
  );
}
export const x = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
export const run = (m: ReturnType<typeof one>): Tensor => fromOnnx(bytesOf(m)).run({ x: x() }).y;
/** Runs `m` with x's declared shape removed, on a feed of any rank. */
export function anyShape(m: ReturnType<typeof one>, feed: Tensor): Tensor {
  m.graph.input[0].shape = undefined;
  return fromOnnx(bytesOf(m)).run({ x: feed }).y;
}
export const ints = (name: string, values: number[], dims = [values.length]) => int64Tensor(name, values, dims);

/** An attribute with a value in the field of another type (what a careless writer produces). */
export const wrongType = (name: string, field: "f" | "i", type: number) => ({
  opType: "",
  attr: { name, type, floats: [], ints: [], ...(field === "f" ? { f: 1 } : { i: 1n }) },
});
