/** The typed arrays that back tensors, allocation by dtype, and the recycling of buffers proven dead. */
import { DTypeError, formatShape, ShapeError } from "../errors.js";
import { type Shape, sizeOf } from "../shape.js";

/** Storage of a tensor: float64 (default) or float32, always contiguous row-major. */
export type FloatArray = Float64Array | Float32Array;

/** Names of the supported element types. */
export type DType = "float64" | "float32";

/** `dtype` when it names a supported element type, else a DTypeError naming `op`. */
export function checkDType(op: string, dtype: unknown): DType {
  if (dtype !== "float64" && dtype !== "float32") {
    throw new DTypeError(op, `unknown dtype ${JSON.stringify(dtype)}; use "float64" or "float32"`);
  }
  return dtype;
}

// Recycling. A new typed array gets memory the garbage collector freed long ago (V8 frees backing
// stores in batches, after a collection), so writing it misses the cache: in the planar step a
// fresh (4,400) output cost about as much again as the loop filling it. The autodiff engine knows
// when a gradient it made has been consumed and is held by nothing else, and hands its buffer
// here; the next allocation of the same dtype and length takes it while it is still warm. Only
// the engine recycles, so a buffer a user or a graph can still reach never comes back.

/** Arrays up to this many bytes live on V8's heap, where allocation is already cheap. */
const MIN_RECYCLED_BYTES = 64;
/** Spare buffers kept per dtype and length: a training step reuses a handful of shapes. */
const MAX_SPARES_PER_LENGTH = 4;
/** Bound on the bytes held by spare buffers, so recycling never holds much memory for long. */
const MAX_SPARE_BYTES = 16 * 1024 * 1024;

const spares = { float64: new Map<number, FloatArray[]>(), float32: new Map<number, FloatArray[]>() };
let spareBytes = 0;

/** A new zero-filled array of the dtype (never a recycled one): the one place a FloatArray is constructed. */
export function newFloatArray(dtype: DType, size: number): FloatArray {
  return dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
}

/** Allocates a zero-filled array of the dtype, reusing a recycled buffer of that length if one is spare. */
export function allocate(dtype: DType, size: number): FloatArray {
  if (size * (dtype === "float64" ? 8 : 4) <= MIN_RECYCLED_BYTES) return newFloatArray(dtype, size); // never recycled
  return takeSpare(dtype, size)?.fill(0) ?? newFloatArray(dtype, size);
}

/**
 * `allocate` for a tensor of `shape` that a public function (`op`) creates: when the engine cannot allocate it (not
 * enough memory), a ShapeError naming the op, shape, dtype and bytes — numpy's MemoryError — instead of a bare
 * RangeError ("Array buffer allocation failed").
 */
export function allocateFor(op: string, dtype: DType, shape: Shape): FloatArray {
  const size = sizeOf(shape);
  try {
    return allocate(dtype, size);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const bytes = size * (dtype === "float64" ? 8 : 4);
    throw new ShapeError(
      op,
      `cannot allocate ${formatBytes(bytes)} for shape ${formatShape(shape)} of ${dtype} (${e.message}); numpy raises MemoryError`,
    );
  }
}

/** Bytes in binary units with three significant digits: 32 GiB, 1.5 MiB. */
function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) {
    bytes /= 1024;
    i++;
  }
  return `${Number(bytes.toPrecision(3))} ${units[i]}`;
}

/**
 * Like `allocate` for a caller that writes every element before anything reads the array (a
 * kernel's output): a recycled buffer comes back with its old values instead of being zero-filled.
 */
export function allocateForOverwrite(dtype: DType, size: number): FloatArray {
  if (size * (dtype === "float64" ? 8 : 4) <= MIN_RECYCLED_BYTES) return newFloatArray(dtype, size); // never recycled
  return takeSpare(dtype, size) ?? newFloatArray(dtype, size);
}

/** A spare buffer of this dtype and length, taken off the list, or undefined. */
function takeSpare(dtype: DType, size: number): FloatArray | undefined {
  const spare = spares[dtype].get(size)?.pop();
  if (spare !== undefined) spareBytes -= spare.byteLength;
  return spare;
}

/**
 * Offers a buffer nothing references any more to later allocations. The caller must own it
 * outright: no tensor a user, a hook or a graph node can reach may hold it.
 */
export function recycle(data: FloatArray): void {
  const bytes = data.byteLength;
  if (bytes <= MIN_RECYCLED_BYTES || spareBytes + bytes > MAX_SPARE_BYTES) return;
  if (data.byteOffset !== 0 || bytes !== data.buffer.byteLength) return; // a view shares its memory: never reuse it
  const byLength = spares[dtypeOfArray(data)];
  const list = byLength.get(data.length);
  if (list === undefined) byLength.set(data.length, [data]);
  else if (list.length < MAX_SPARES_PER_LENGTH) list.push(data);
  else return;
  spareBytes += bytes;
}

/** Bytes the spare buffers hold now (test hook: never above MAX_SPARE_BYTES). */
export function spareBytesHeld(): number {
  return spareBytes;
}

/** The dtype of a typed array. */
export function dtypeOfArray(data: FloatArray): DType {
  return data instanceof Float64Array ? "float64" : "float32";
}
