/** Test helpers: ModelProto literals written the way other tools write them (typed data fields or raw_data, Constant nodes). */
import { encodeModel } from "../src/proto/encode.js";
import {
  type AttributeProto,
  AttributeType,
  DataType,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from "../src/proto/types.js";

const empty = { floatData: [], doubleData: [], int32Data: [], int64Data: [], external: false };

/** A float tensor in float_data / double_data (typed fields), or in raw_data when `raw`. */
export function floatTensor(
  name: string,
  dims: number[],
  values: number[],
  dtype: "float32" | "float64",
  raw = false,
): TensorProto {
  const dataType = dtype === "float64" ? DataType.DOUBLE : DataType.FLOAT;
  if (raw) {
    const data = dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values);
    return { ...empty, name, dims, dataType, rawData: new Uint8Array(data.buffer) };
  }
  return dtype === "float64"
    ? { ...empty, name, dims, dataType, doubleData: values }
    : { ...empty, name, dims, dataType, floatData: Array.from(Float32Array.from(values)) };
}

/** An int64 tensor in int64_data. */
export function int64Tensor(name: string, values: number[], dims = [values.length]): TensorProto {
  return { ...empty, name, dims, dataType: DataType.INT64, int64Data: values.map((v) => BigInt(v)) };
}

type Attr = number | { f: number } | number[] | TensorProto;

function attribute(name: string, v: Attr): AttributeProto {
  if (typeof v === "number") return { name, type: AttributeType.INT, i: BigInt(v), floats: [], ints: [] };
  if (Array.isArray(v)) return { name, type: AttributeType.INTS, floats: [], ints: v.map((x) => BigInt(x)) };
  if ("f" in v) return { name, type: AttributeType.FLOAT, f: v.f, floats: [], ints: [] };
  return { name, type: AttributeType.TENSOR, t: v, floats: [], ints: [] };
}

/** A node; integer attributes are INT, `{ f }` FLOAT, arrays INTS, TensorProtos TENSOR. */
export function node(
  opType: string,
  input: string[],
  output: string[],
  attrs: Record<string, Attr> = {},
  name = "",
): NodeProto {
  return {
    opType,
    input,
    output,
    name,
    domain: "",
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

/** A tensor-typed ValueInfoProto; string dims are symbolic. */
export function info(name: string, dtype: "float32" | "float64" | number, dims: (number | string)[]): ValueInfoProto {
  const elemType = dtype === "float64" ? DataType.DOUBLE : dtype === "float32" ? DataType.FLOAT : dtype;
  return { name, elemType, shape: dims.map((d) => (typeof d === "number" ? { value: d } : { param: d })) };
}

/** A model of one graph at `opset`. */
export function model(
  parts: { node: NodeProto[]; initializer?: TensorProto[]; input: ValueInfoProto[]; output: ValueInfoProto[] },
  opset = 17,
): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: "", version: opset }],
    producerName: "pytorch",
    producerVersion: "2.5.0",
    docString: "",
    graph: { name: "main_graph", initializer: [], valueInfo: [], sparseInitializers: 0, ...parts },
  };
}

/** The model's bytes. */
export const bytesOf = (m: ModelProto): Uint8Array => encodeModel(m);

/** y = x·w with x (m, 2), w (2, 3): the base model a bad-input case changes one thing of. */
export function matMulModel(overrides: Partial<Parameters<typeof model>[0]> = {}, opset = 18): ModelProto {
  return model(
    {
      input: [info("x", "float64", ["m", 2])],
      output: [info("y", "float64", ["m", 3])],
      initializer: [floatTensor("w", [2, 3], [1, 2, 3, 4, 5, 6], "float64")],
      node: [node("MatMul", ["x", "w"], ["y"], {}, "proj")],
      ...overrides,
    },
    opset,
  );
}
