/** GraphBuilder: collects nodes, initializers, inputs and outputs with unique names and assembles a ModelProto. */
import type { DType, Tensor } from "@backprop/core";
import { encodeModel } from "./proto/encode.js";
import {
  type AttributeProto,
  AttributeType,
  type Dimension,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from "./proto/types.js";
import { int64Proto, onnxType, tensorProto } from "./tensorData.js";

/** The opset written when none is asked for; ONNX Runtime 1.30 loads up to 26. */
export const defaultOpset = 18;

/** An attribute value: integers are INT (bigint or `{ int }`), other numbers FLOAT — ONNX checks the type. */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { tensor: TensorProto };

function attribute(name: string, value: AttributeValue): AttributeProto {
  const a: AttributeProto = { name, type: 0, floats: [], ints: [] };
  if ("int" in value) {
    a.type = AttributeType.INT;
    a.i = BigInt(value.int);
  } else if ("float" in value) {
    a.type = AttributeType.FLOAT;
    a.f = value.float;
  } else if ("ints" in value) {
    a.type = AttributeType.INTS;
    a.ints = value.ints.map((v) => BigInt(v));
  } else {
    a.type = AttributeType.TENSOR;
    a.t = value.tensor;
  }
  return a;
}

/** A dimension: a fixed size or a symbolic name. */
export type Dim = number | string;

function dims(shape: readonly Dim[]): Dimension[] {
  return shape.map((d) => (typeof d === "number" ? { value: d } : { param: d }));
}

/** Builds one ONNX graph. */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  readonly #used = new Set<string>();
  #counter = 0;

  /** `base` if unused, else `base_1`, `base_2`, … */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.#used.has(name); i++) name = `${base}_${i}`;
    this.#used.add(name);
    return name;
  }

  /** Reserves a name the caller must own exactly (an input, output or initializer the user named). */
  reserve(name: string): boolean {
    if (this.#used.has(name)) return false;
    this.#used.add(name);
    return true;
  }

  input(name: string, dtype: DType, shape: readonly Dim[]): string {
    this.inputs.push({ name, elemType: onnxType(dtype), shape: dims(shape) });
    return name;
  }

  output(name: string, dtype: DType, shape: readonly Dim[]): void {
    this.outputs.push({ name, elemType: onnxType(dtype), shape: dims(shape) });
  }

  /** A float initializer holding t's values. */
  initializer(name: string, t: Tensor): string {
    this.initializers.push(tensorProto(name, t));
    return name;
  }

  /** A Constant node holding a float tensor; returns its output name. */
  constant(t: Tensor, hint = "const"): string {
    return this.node("Constant", [], { value: { tensor: tensorProto("", t) } }, hint);
  }

  /** A Constant node holding int64 values (shapes, axes). */
  int64Constant(values: readonly number[], shape: number[] = [values.length], hint = "shape"): string {
    return this.node("Constant", [], { value: { tensor: int64Proto("", values, shape) } }, hint);
  }

  /** Appends a node; returns its (first) output's name, `output` if given (it must be unused) or a fresh one. */
  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttributeValue> = {},
    hint?: string,
    output?: string,
  ): string {
    const out = output ?? this.unique(hint ?? `${opType.toLowerCase()}_${this.#counter}`);
    if (output !== undefined) this.#used.add(output);
    this.nodes.push({
      input: [...inputs],
      output: [out],
      name: `${opType}_${this.#counter++}`,
      opType,
      domain: "",
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** The ModelProto (IR version 8 with opset 18, the pairing onnx.checker expects). */
  model(name: string, opset: number): ModelProto {
    return {
      irVersion: opset >= 19 ? 9 : 8,
      opsetImport: [{ domain: "", version: opset }],
      producerName: "backprop",
      producerVersion: "0.1.0",
      docString: "",
      graph: {
        name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
        valueInfo: [],
        sparseInitializers: 0,
      },
    };
  }

  /** The model's protobuf bytes. */
  encode(name: string, opset: number): Uint8Array {
    return encodeModel(this.model(name, opset));
  }
}
