/** Converting between backprop tensors and ONNX TensorProtos (raw_data little-endian on write; raw or typed fields on read). */
import { type DType, DTypeError, formatShape, Tensor, ValueError } from "@backprop/core";
import { DataType, type TensorProto } from "./proto/types.js";

/** The ONNX element type of a backprop dtype. */
export function onnxType(dtype: DType): number {
  return dtype === "float64" ? DataType.DOUBLE : DataType.FLOAT;
}

/** A readable name of an ONNX element type, for error messages. */
export function typeName(dataType: number): string {
  const names: Record<number, string> = {
    0: "UNDEFINED",
    1: "float32",
    2: "uint8",
    3: "int8",
    4: "uint16",
    5: "int16",
    6: "int32",
    7: "int64",
    8: "string",
    9: "bool",
    10: "float16",
    11: "float64",
    12: "uint32",
    13: "uint64",
    14: "complex64",
    15: "complex128",
    16: "bfloat16",
    17: "float8e4m3fn",
    18: "float8e4m3fnuz",
    19: "float8e5m2",
    20: "float8e5m2fnuz",
    21: "uint4",
    22: "int4",
  };
  return names[dataType] ?? `type ${dataType}`;
}

/** Whether data is little-endian in memory (raw_data is little-endian by the spec). */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function rawBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** A TensorProto of a float tensor, data in raw_data. */
export function tensorProto(name: string, t: Tensor): TensorProto {
  if (!littleEndian) throw new ValueError("toOnnx", "writing ONNX needs a little-endian platform");
  return {
    name,
    dims: [...t.shape],
    dataType: onnxType(t.dtype),
    rawData: rawBytes(t.data),
    floatData: [],
    doubleData: [],
    int32Data: [],
    int64Data: [],
    external: false,
  };
}

/** A TensorProto of int64 values (shapes, axes), data in raw_data. */
export function int64Proto(name: string, values: readonly number[], dims: number[]): TensorProto {
  return {
    name,
    dims,
    dataType: DataType.INT64,
    rawData: rawBytes(BigInt64Array.from(values, (v) => BigInt(v))),
    floatData: [],
    doubleData: [],
    int32Data: [],
    int64Data: [],
    external: false,
  };
}

/** A constant read from a model: float data as a backprop tensor, integer and bool data as numbers. */
export type ConstantValue =
  | { readonly kind: "float"; readonly tensor: Tensor }
  | { readonly kind: "int" | "bool"; readonly values: number[]; readonly shape: number[] };

function expectCount(where: string, t: TensorProto, got: number, size: number): void {
  if (got !== size) {
    throw new ValueError(
      "fromOnnx",
      `${where}: tensor '${t.name}' of shape ${formatShape(t.dims)} holds ${got} values, expected ${size}`,
    );
  }
}

/** The values of a TensorProto, from raw_data or the typed field, checked against its dims. */
export function readTensorProto(where: string, t: TensorProto): ConstantValue {
  if (t.external) {
    throw new ValueError("fromOnnx", `${where}: tensor '${t.name}' keeps its data in an external file (not supported)`);
  }
  const size = t.dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  // Counts are checked before anything is allocated: a declared size is only believed when the data is there.
  const rawCount = (width: number) => {
    if (!raw) return 0;
    if (raw.byteLength % width !== 0) {
      throw new ValueError(
        "fromOnnx",
        `${where}: tensor '${t.name}' of shape ${formatShape(t.dims)} has ${raw.byteLength} bytes of raw_data, not a whole number of ${width}-byte ${typeName(t.dataType)} values`,
      );
    }
    return raw.byteLength / width;
  };
  switch (t.dataType) {
    case DataType.DOUBLE:
    case DataType.FLOAT: {
      const f64 = t.dataType === DataType.DOUBLE;
      expectCount(where, t, view ? rawCount(f64 ? 8 : 4) : (f64 ? t.doubleData : t.floatData).length, size);
      const data = f64 ? new Float64Array(size) : new Float32Array(size);
      if (view) {
        for (let i = 0; i < size; i++) data[i] = f64 ? view.getFloat64(8 * i, true) : view.getFloat32(4 * i, true);
      } else {
        data.set(f64 ? t.doubleData : t.floatData);
      }
      return { kind: "float", tensor: new Tensor(data, t.dims) };
    }
    case DataType.INT64:
    case DataType.INT32:
    case DataType.BOOL:
    case DataType.UINT8:
    case DataType.INT8: {
      const width = t.dataType === DataType.INT64 ? 8 : t.dataType === DataType.INT32 ? 4 : 1;
      const typedCount = t.dataType === DataType.INT64 ? t.int64Data.length : t.int32Data.length;
      expectCount(where, t, view ? rawCount(width) : typedCount, size);
      const values = new Array<number>(size);
      if (view) {
        for (let i = 0; i < size; i++) {
          values[i] =
            width === 8
              ? Number(view.getBigInt64(8 * i, true))
              : width === 4
                ? view.getInt32(4 * i, true)
                : t.dataType === DataType.INT8
                  ? view.getInt8(i)
                  : view.getUint8(i);
        }
      } else if (t.dataType === DataType.INT64) {
        for (let i = 0; i < size; i++) values[i] = Number(t.int64Data[i]);
      } else {
        for (let i = 0; i < size; i++) values[i] = t.int32Data[i];
      }
      return { kind: t.dataType === DataType.BOOL ? "bool" : "int", values, shape: t.dims };
    }
    default:
      throw new DTypeError(
        "fromOnnx",
        `${where}: tensor '${t.name}' has data type ${typeName(t.dataType)}; supported: float32, float64 (and int64/int32/bool constants)`,
      );
  }
}
