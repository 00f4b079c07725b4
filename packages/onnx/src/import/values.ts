/** Values flowing through an imported graph: float tensors on backprop's graph, masks from comparisons, integer constants. */
import { BackpropError, DTypeError, type Tensor, tensor, ValueError } from "@backprop/core";
import { type AttributeProto, AttributeType, type NodeProto } from "../proto/types.js";
import type { ConstantValue } from "../tensorData.js";

/** A value: a float tensor, a 0/1 mask (ONNX bool from a comparison), or integer/bool constant data. */
export type Value = ConstantValue | { readonly kind: "mask"; readonly tensor: Tensor };

/** The node's identity for error messages: `Gemm 'fc1'` (or `Gemm #3` when unnamed). */
export function nodeLabel(node: NodeProto, index: number): string {
  return `${node.opType} ${node.name ? `'${node.name}'` : `#${index}`}`;
}

/** What an op implementation sees: its node, inputs and attributes, and the model's opset. */
export class NodeContext {
  constructor(
    readonly node: NodeProto,
    readonly label: string,
    readonly inputs: ReadonlyArray<Value | undefined>,
    readonly opset: number,
  ) {}

  fail(message: string): never {
    throw new ValueError("fromOnnx", `node ${this.label}: ${message}`);
  }

  attr(name: string): AttributeProto | undefined {
    return this.node.attribute.find((a) => a.name === name);
  }

  int(name: string, fallback: number): number {
    const a = this.attr(name);
    if (a === undefined) return fallback;
    if (a.i === undefined) this.fail(`attribute ${name} must be an INT`);
    return Number(a.i);
  }

  float(name: string, fallback: number): number {
    const a = this.attr(name);
    if (a === undefined) return fallback;
    if (a.f === undefined) this.fail(`attribute ${name} must be a FLOAT`);
    return a.f;
  }

  ints(name: string): number[] | undefined {
    const a = this.attr(name);
    if (a === undefined) return undefined;
    // An INTS attribute may be empty; a value in another field (i, f, s, t, floats) is a wrong type, not an empty list.
    if (a.type !== AttributeType.INTS && (a.type !== 0 || a.ints.length === 0))
      this.fail(`attribute ${name} must be INTS`);
    return a.ints.map(Number);
  }

  /** Whether input i is given (ONNX marks an omitted optional input by an empty name). */
  has(i: number): boolean {
    return this.inputs[i] !== undefined;
  }

  /** Input i as a float tensor. */
  float_(i: number): Tensor {
    const v = this.inputs[i];
    if (v === undefined) this.fail(`input ${i} is missing`);
    if (v.kind === "float" || v.kind === "mask") return v.tensor;
    return this.fail(
      `input ${i} ('${this.node.input[i]}') is ${v.kind === "int" ? "integer" : "bool"} data, expected a float tensor`,
    );
  }

  /**
   * Inputs `indices` as float tensors of one dtype: ONNX binds them to one type parameter (ONNX Runtime refuses
   * float64 with float32 at load), so a mix is a DTypeError rather than backprop's silent promotion.
   */
  sameFloats(indices: readonly number[]): Tensor[] {
    const ts = indices.map((i) => this.float_(i));
    const first = indices.findIndex((i) => this.inputs[i]?.kind === "float");
    indices.forEach((i, k) => {
      if (first >= 0 && this.inputs[i]?.kind === "float" && ts[k].dtype !== ts[first].dtype) {
        throw new DTypeError(
          "fromOnnx",
          `node ${this.label}: inputs '${this.node.input[indices[first]]}' and '${this.node.input[i]}' are ${ts[first].dtype} and ${ts[k].dtype}; ONNX needs one type (insert a Cast)`,
        );
      }
    });
    return ts;
  }

  /** Input i as a condition: a mask from a comparison or a bool constant. */
  condition(i: number): Tensor {
    const v = this.inputs[i];
    if (v === undefined) this.fail(`input ${i} is missing`);
    if (v.kind === "mask") return v.tensor;
    if (v.kind === "bool") return tensor(Float64Array.from(v.values), v.shape);
    return this.fail(`input ${i} ('${this.node.input[i]}') must be bool`);
  }

  /** Input i as integer constants (shapes, axes): ONNX models compute these from constants here. */
  ints_(i: number): number[] {
    const v = this.inputs[i];
    if (v === undefined) this.fail(`input ${i} is missing`);
    if (v.kind === "int") return v.values;
    return this.fail(
      `input ${i} ('${this.node.input[i]}') must be int64 data known when the model is loaded (a Constant or an initializer)`,
    );
  }
}

/** Rethrows an error from one of backprop's ops as the same error class naming the node. */
export function inNode(label: string, e: unknown): never {
  if (e instanceof BackpropError && !e.message.startsWith("fromOnnx: ")) {
    const Class = e.constructor as new (op: string, message: string) => BackpropError;
    throw new Class("fromOnnx", `node ${label}: ${e.message}`);
  }
  throw e;
}
