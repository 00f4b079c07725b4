/** The subset of onnx.proto's messages that backprop writes and reads, as plain objects (field names follow the schema). */

/** TensorProto.DataType values backprop meets. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;

/** AttributeProto.AttributeType values. */
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

/** TensorProto: dims and data, either in raw_data (little-endian) or in a typed field. */
export interface TensorProto {
  name: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData: number[];
  doubleData: number[];
  int32Data: number[];
  int64Data: bigint[];
  /** data_location = EXTERNAL (the data lives in another file; not supported). */
  external: boolean;
}

/** AttributeProto; `type` says which value field is set. */
export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: bigint;
  s?: Uint8Array;
  t?: TensorProto;
  floats: number[];
  ints: bigint[];
}

/** NodeProto. */
export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  domain: string;
  attribute: AttributeProto[];
}

/** A dimension of TensorShapeProto: a fixed size or a symbolic name (neither when unknown). */
export interface Dimension {
  value?: number;
  param?: string;
}

/** ValueInfoProto with a tensor type (elemType 0 when the type is not a tensor type). */
export interface ValueInfoProto {
  name: string;
  elemType: number;
  /** Undefined when the type has no shape (any rank). */
  shape?: Dimension[];
}

/** GraphProto. */
export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
  /** How many sparse_initializer entries the graph has (not supported when reading). */
  sparseInitializers: number;
}

/** OperatorSetIdProto. */
export interface OperatorSetId {
  domain: string;
  version: number;
}

/** ModelProto. */
export interface ModelProto {
  irVersion: number;
  opsetImport: OperatorSetId[];
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: GraphProto;
}
