/** Reads a ModelProto from protobuf bytes: every field backprop uses, unknown fields skipped, malformed bytes a ValueError. */
import type {
  AttributeProto,
  Dimension,
  GraphProto,
  ModelProto,
  NodeProto,
  OperatorSetId,
  TensorProto,
  ValueInfoProto,
} from "./types.js";
import { Reader, WireType } from "./wire.js";

const readFloat = (r: Reader) => r.float();
const readDouble = (r: Reader) => r.double();
const readInt64 = (r: Reader) => r.int64();
const readInt32 = (r: Reader) => r.int32();

/** A dimension or count read as int64 that must be a safe non-negative integer. */
function safeSize(r: Reader, v: bigint, what: string): number {
  if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) r.fail(`${what} ${v} is not a valid size`);
  return Number(v);
}

export function decodeTensor(r: Reader): TensorProto {
  const t: TensorProto = {
    name: "",
    dims: [],
    dataType: 0,
    floatData: [],
    doubleData: [],
    int32Data: [],
    int64Data: [],
    external: false,
  };
  const dims: bigint[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) r.repeated(wire, WireType.Varint, readInt64, dims);
    else if (field === 2) {
      r.expect(wire, WireType.Varint, "TensorProto.data_type");
      t.dataType = r.int32();
    } else if (field === 4) r.repeated(wire, WireType.Fixed32, readFloat, t.floatData);
    else if (field === 5) r.repeated(wire, WireType.Varint, readInt32, t.int32Data);
    else if (field === 7) r.repeated(wire, WireType.Varint, readInt64, t.int64Data);
    else if (field === 8) {
      r.expect(wire, WireType.Bytes, "TensorProto.name");
      t.name = r.string();
    } else if (field === 9) {
      r.expect(wire, WireType.Bytes, "TensorProto.raw_data");
      t.rawData = r.bytes();
    } else if (field === 10) r.repeated(wire, WireType.Fixed64, readDouble, t.doubleData);
    else if (field === 14) {
      r.expect(wire, WireType.Varint, "TensorProto.data_location");
      t.external = r.int32() === 1;
    } else r.skip(wire);
  }
  t.dims = dims.map((d) => safeSize(r, d, "a tensor dimension"));
  return t;
}

function decodeAttribute(r: Reader): AttributeProto {
  const a: AttributeProto = { name: "", type: 0, floats: [], ints: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WireType.Bytes, "AttributeProto.name");
      a.name = r.string();
    } else if (field === 2) {
      r.expect(wire, WireType.Fixed32, "AttributeProto.f");
      a.f = r.float();
    } else if (field === 3) {
      r.expect(wire, WireType.Varint, "AttributeProto.i");
      a.i = r.int64();
    } else if (field === 4) {
      r.expect(wire, WireType.Bytes, "AttributeProto.s");
      a.s = r.bytes();
    } else if (field === 5) {
      r.expect(wire, WireType.Bytes, "AttributeProto.t");
      a.t = decodeTensor(r.sub("TensorProto"));
    } else if (field === 7) r.repeated(wire, WireType.Fixed32, readFloat, a.floats);
    else if (field === 8) r.repeated(wire, WireType.Varint, readInt64, a.ints);
    else if (field === 20) {
      r.expect(wire, WireType.Varint, "AttributeProto.type");
      a.type = r.int32();
    } else r.skip(wire);
  }
  return a;
}

function decodeNode(r: Reader): NodeProto {
  const n: NodeProto = { input: [], output: [], name: "", opType: "", domain: "", attribute: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WireType.Bytes, "NodeProto.input");
      n.input.push(r.string());
    } else if (field === 2) {
      r.expect(wire, WireType.Bytes, "NodeProto.output");
      n.output.push(r.string());
    } else if (field === 3) {
      r.expect(wire, WireType.Bytes, "NodeProto.name");
      n.name = r.string();
    } else if (field === 4) {
      r.expect(wire, WireType.Bytes, "NodeProto.op_type");
      n.opType = r.string();
    } else if (field === 5) {
      r.expect(wire, WireType.Bytes, "NodeProto.attribute");
      n.attribute.push(decodeAttribute(r.sub("AttributeProto")));
    } else if (field === 7) {
      r.expect(wire, WireType.Bytes, "NodeProto.domain");
      n.domain = r.string();
    } else r.skip(wire);
  }
  return n;
}

function decodeDimension(r: Reader): Dimension {
  const d: Dimension = {};
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WireType.Varint, "Dimension.dim_value");
      d.value = safeSize(r, r.int64(), "a dimension");
    } else if (field === 2) {
      r.expect(wire, WireType.Bytes, "Dimension.dim_param");
      d.param = r.string();
    } else r.skip(wire);
  }
  return d;
}

function decodeTensorType(r: Reader, v: ValueInfoProto): void {
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WireType.Varint, "TypeProto.Tensor.elem_type");
      v.elemType = r.int32();
    } else if (field === 2) {
      r.expect(wire, WireType.Bytes, "TypeProto.Tensor.shape");
      const s = r.sub("TensorShapeProto");
      const shape: Dimension[] = [];
      while (!s.done()) {
        const [f, w] = s.tag();
        if (f === 1) {
          s.expect(w, WireType.Bytes, "TensorShapeProto.dim");
          shape.push(decodeDimension(s.sub("TensorShapeProto.Dimension")));
        } else s.skip(w);
      }
      v.shape = shape;
    } else r.skip(wire);
  }
}

function decodeValueInfo(r: Reader): ValueInfoProto {
  const v: ValueInfoProto = { name: "", elemType: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WireType.Bytes, "ValueInfoProto.name");
      v.name = r.string();
    } else if (field === 2) {
      r.expect(wire, WireType.Bytes, "ValueInfoProto.type");
      const type = r.sub("TypeProto");
      while (!type.done()) {
        const [f, w] = type.tag();
        if (f === 1) {
          type.expect(w, WireType.Bytes, "TypeProto.tensor_type");
          decodeTensorType(type.sub("TypeProto.Tensor"), v);
        } else type.skip(w);
      }
    } else r.skip(wire);
  }
  return v;
}

function decodeGraph(r: Reader): GraphProto {
  const g: GraphProto = {
    name: "",
    node: [],
    initializer: [],
    input: [],
    output: [],
    valueInfo: [],
    sparseInitializers: 0,
  };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WireType.Bytes, "GraphProto.node");
      g.node.push(decodeNode(r.sub("NodeProto")));
    } else if (field === 2) {
      r.expect(wire, WireType.Bytes, "GraphProto.name");
      g.name = r.string();
    } else if (field === 5) {
      r.expect(wire, WireType.Bytes, "GraphProto.initializer");
      g.initializer.push(decodeTensor(r.sub("TensorProto")));
    } else if (field === 11 || field === 12 || field === 13) {
      r.expect(wire, WireType.Bytes, "GraphProto.input/output/value_info");
      const v = decodeValueInfo(r.sub("ValueInfoProto"));
      (field === 11 ? g.input : field === 12 ? g.output : g.valueInfo).push(v);
    } else if (field === 15) {
      r.skip(wire);
      g.sparseInitializers++;
    } else r.skip(wire);
  }
  return g;
}

/** Decodes a ModelProto; throws a ValueError naming the message and byte offset on malformed input. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const r = new Reader(bytes);
  let graph: GraphProto | undefined;
  const model: Omit<ModelProto, "graph"> = {
    irVersion: 0,
    opsetImport: [],
    producerName: "",
    producerVersion: "",
    docString: "",
  };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WireType.Varint, "ModelProto.ir_version");
      model.irVersion = Number(r.int64());
    } else if (field === 2) {
      r.expect(wire, WireType.Bytes, "ModelProto.producer_name");
      model.producerName = r.string();
    } else if (field === 3) {
      r.expect(wire, WireType.Bytes, "ModelProto.producer_version");
      model.producerVersion = r.string();
    } else if (field === 6) {
      r.expect(wire, WireType.Bytes, "ModelProto.doc_string");
      model.docString = r.string();
    } else if (field === 7) {
      r.expect(wire, WireType.Bytes, "ModelProto.graph");
      graph = decodeGraph(r.sub("GraphProto"));
    } else if (field === 8) {
      r.expect(wire, WireType.Bytes, "ModelProto.opset_import");
      const o = r.sub("OperatorSetIdProto");
      const id: OperatorSetId = { domain: "", version: 0 };
      while (!o.done()) {
        const [f, w] = o.tag();
        if (f === 1) {
          o.expect(w, WireType.Bytes, "OperatorSetIdProto.domain");
          id.domain = o.string();
        } else if (f === 2) {
          o.expect(w, WireType.Varint, "OperatorSetIdProto.version");
          id.version = Number(o.int64());
        } else o.skip(w);
      }
      model.opsetImport.push(id);
    } else r.skip(wire);
  }
  if (graph === undefined) return r.fail("no graph (ModelProto.graph is missing)");
  return { ...model, graph };
}
