/** Writes a ModelProto to protobuf bytes (field numbers from onnx.proto). */
import type {
  AttributeProto,
  Dimension,
  GraphProto,
  ModelProto,
  NodeProto,
  TensorProto,
  ValueInfoProto,
} from "./types.js";
import { WireType, Writer } from "./wire.js";

function writeTensor(w: Writer, t: TensorProto): void {
  for (const d of t.dims) {
    w.tag(1, WireType.Varint);
    w.int64(d);
  }
  w.tag(2, WireType.Varint);
  w.varint(t.dataType);
  if (t.name) w.string(8, t.name);
  if (t.rawData) w.bytes(9, t.rawData);
  // Typed fields, packed as onnx.proto declares them (models written by other tools keep data here).
  if (t.floatData.length > 0) packed(w, 4, t.floatData, (p, v) => p.fixed32(v));
  if (t.int32Data.length > 0) packed(w, 5, t.int32Data, (p, v) => p.int64(v));
  if (t.int64Data.length > 0) packed(w, 7, t.int64Data, (p, v) => p.int64(v));
  if (t.doubleData.length > 0) packed(w, 10, t.doubleData, (p, v) => p.fixed64(v));
  if (t.external) {
    w.tag(14, WireType.Varint);
    w.varint(1);
  }
}

function packed<T>(w: Writer, field: number, values: readonly T[], write: (p: Writer, v: T) => void): void {
  const p = new Writer();
  for (const v of values) write(p, v);
  w.bytes(field, p.finish());
}

function writeAttribute(w: Writer, a: AttributeProto): void {
  w.string(1, a.name);
  if (a.f !== undefined) w.float(2, a.f);
  if (a.i !== undefined) {
    w.tag(3, WireType.Varint);
    w.int64(a.i);
  }
  if (a.s !== undefined) w.bytes(4, a.s);
  const t = a.t;
  if (t !== undefined) w.message(5, (m) => writeTensor(m, t));
  for (const f of a.floats) w.float(7, f);
  for (const i of a.ints) {
    w.tag(8, WireType.Varint);
    w.int64(i);
  }
  w.tag(20, WireType.Varint);
  w.varint(a.type);
}

function writeNode(w: Writer, n: NodeProto): void {
  for (const i of n.input) w.string(1, i);
  for (const o of n.output) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attribute) w.message(5, (m) => writeAttribute(m, a));
  if (n.domain) w.string(7, n.domain);
}

function writeDimension(w: Writer, d: Dimension): void {
  if (d.value !== undefined) {
    w.tag(1, WireType.Varint);
    w.int64(d.value);
  } else if (d.param !== undefined) {
    w.string(2, d.param);
  }
}

function writeValueInfo(w: Writer, v: ValueInfoProto): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.tag(1, WireType.Varint);
      tensorType.varint(v.elemType);
      const shape = v.shape;
      if (shape !== undefined) {
        tensorType.message(2, (s) => {
          for (const d of shape) s.message(1, (dim) => writeDimension(dim, d));
        });
      }
    }),
  );
}

function writeGraph(w: Writer, g: GraphProto): void {
  for (const n of g.node) w.message(1, (m) => writeNode(m, n));
  w.string(2, g.name);
  for (const t of g.initializer) w.message(5, (m) => writeTensor(m, t));
  for (const v of g.input) w.message(11, (m) => writeValueInfo(m, v));
  for (const v of g.output) w.message(12, (m) => writeValueInfo(m, v));
  for (const v of g.valueInfo) w.message(13, (m) => writeValueInfo(m, v));
}

/** The protobuf bytes of a model. */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new Writer();
  w.tag(1, WireType.Varint);
  w.varint(model.irVersion);
  if (model.producerName) w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (m) => writeGraph(m, model.graph));
  for (const o of model.opsetImport) {
    w.message(8, (m) => {
      if (o.domain) m.string(1, o.domain);
      m.tag(2, WireType.Varint);
      m.int64(o.version);
    });
  }
  return w.finish();
}
