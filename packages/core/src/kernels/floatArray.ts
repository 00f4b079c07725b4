/** The typed arrays that back tensors, and allocation by dtype. */

/** Storage of a tensor: float64 (default) or float32, always contiguous row-major. */
export type FloatArray = Float64Array | Float32Array;

/** Names of the supported element types. */
export type DType = "float64" | "float32";

/** Allocates a zero-filled array of the dtype. */
export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a typed array. */
export function dtypeOfArray(data: FloatArray): DType {
  return data instanceof Float64Array ? "float64" : "float32";
}
