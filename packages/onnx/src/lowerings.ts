/** ONNX lowerings that keep backprop's numerics where ONNX Runtime's own kernels would not (float64 Sigmoid, LeakyRelu, softmax layout). */
import { type DType, scalar } from "@backprop/core";
import type { GraphBuilder } from "./builder.js";

/** A scalar Constant of the graph's dtype. */
export function scalarConstant(b: GraphBuilder, value: number, dtype: DType): string {
  return b.constant(scalar(value, dtype), "c");
}

/**
 * σ(z) as Where(z ≥ 0, 1/(1 + e), e/(1 + e)) with e = Exp(−|z|): ONNX Runtime's float64 Sigmoid computes
 * 1 − 1/(1 + e^−|z|) for negative z, which loses all relative precision below z ≈ −30 (see ONNX.md).
 */
export function stableSigmoid(b: GraphBuilder, z: string, dtype: DType, output?: string): string {
  const one = scalarConstant(b, 1, dtype);
  const e = b.node("Exp", [b.node("Neg", [b.node("Abs", [z])])]);
  const denominator = b.node("Add", [one, e]);
  const positive = b.node("GreaterOrEqual", [z, scalarConstant(b, 0, dtype)]);
  return b.node(
    "Where",
    [positive, b.node("Div", [one, denominator]), b.node("Div", [e, denominator])],
    {},
    undefined,
    output,
  );
}

/** z where z > 0, else slope·z (ONNX Runtime has no float64 LeakyRelu kernel). */
export function leakyRelu(b: GraphBuilder, z: string, slope: number, dtype: DType, output?: string): string {
  const positive = b.node("Greater", [z, scalarConstant(b, 0, dtype)]);
  const scaled = b.node("Mul", [z, scalarConstant(b, slope, dtype)]);
  return b.node("Where", [positive, z, scaled], {}, undefined, output);
}
