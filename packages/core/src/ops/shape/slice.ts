/** slice and its adjoint pad: a box of a tensor, and a tensor placed into a box of zeros. */
import { type OpDef, record } from "../../autodiff/node.js";
import { describeValue, formatShape, ShapeError, ValueError } from "../../errors.js";
import { allocate, allocateFor } from "../../kernels/floatArray.js";
import { gather, scatter } from "../../kernels/strided.js";
import { checkShape, expectArray, type Shape, sizeOf, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import { toTensor } from "../operand.js";

/**
 * One axis of a slice: `[start, end)` (negative counts from the end; clamped to the axis as in
 * Python, so it may come out empty), a single index `n` (the entry `n`, `-1` the last; the axis
 * is kept with size 1), or null for all.
 */
export type SliceRange = readonly [number, number] | readonly [number] | number | null;

/** Where a box sits inside a larger tensor. */
export interface Box {
  readonly starts: readonly number[];
  readonly outer: Shape;
}

/** d slice(x) = dz placed into zeros of x's shape. */
export const sliceOp: OpDef<Box> = {
  name: "slice",
  saves: { inputs: false, output: false },
  formula: "pad(dz) into zeros of x.shape",
  backward: (g, { attrs }) => [pad(g, attrs.outer, attrs.starts)],
  jvpFormula: "ż = slice(ẋ) at the same box",
  jvp: ([t], { output, attrs: { starts } }) =>
    t &&
    slice(
      t,
      starts.map((s, i) => [s, s + output.shape[i]] as const),
    ),
};

/** d pad(x) = the box of dz where x was placed. */
export const padOp: OpDef<Box> = {
  name: "pad",
  saves: { inputs: false, output: false },
  formula: "slice(dz) at x's box",
  backward: (g, { inputs: [x], attrs }) => [
    slice(
      g,
      attrs.starts.map((s, i) => [s, s + x.shape[i]] as const),
    ),
  ],
  jvpFormula: "ż = pad(ẋ) into zeros at the same box",
  jvp: ([t], { attrs }) => t && pad(t, attrs.outer, attrs.starts),
};

/**
 * A box of x: one range per leading axis (missing trailing axes are taken whole). Keeps the rank.
 * Ranges follow numpy's slicing (clamped bounds, possibly empty axes, whose gradient is zeros).
 * @example slice(X, [null, [0, 10]]) // the first 10 columns (examples) of X
 */
export function slice(x: Tensor, ranges: readonly SliceRange[]): Tensor {
  const t = toTensor("slice", x);
  expectArray("slice", "ranges", ranges, "an array with one range per leading axis");
  if (ranges.length > t.rank) {
    throw new ShapeError("slice", `${ranges.length} ranges given for a tensor of shape ${formatShape(t.shape)}`);
  }
  const starts: number[] = [];
  const shape: number[] = [];
  for (let axis = 0; axis < t.rank; axis++) {
    const [start, end] = resolveRange(ranges[axis] ?? null, t.shape[axis], axis, t.shape);
    starts.push(start);
    shape.push(end - start);
  }
  const strides = stridesOf(t.shape);
  let offset = 0;
  for (let i = 0; i < starts.length; i++) offset += starts[i] * strides[i];
  const out = gather(t._data, offset, strides, shape, allocate(t.dtype, sizeOf(shape)));
  return record(sliceOp, new Tensor(out, shape), [t], { starts, outer: t.shape });
}

/**
 * `[start, end)` of one axis, as Python/numpy slicing reads it: a negative bound counts from the
 * end, bounds past either end are clamped (`[1, 50)` on an axis of 3 is `[1, 3)`, `[-6, 4)` is
 * `[0, 3)`), and `end ≤ start` is an empty axis. A single index must exist (`-dim ≤ n < dim`, as
 * `x[n]` in numpy) and counts from the end when negative (`-1` is the last entry).
 */
function resolveRange(range: SliceRange, dim: number, axis: number, shape: Shape): [number, number] {
  if (range === null) return [0, dim];
  if (typeof range !== "number" && (!Array.isArray(range) || range.length < 1 || range.length > 2)) {
    throw new ValueError(
      "slice",
      `range for axis ${axis} must be null, an index, [index] or [start, end], got ${Array.isArray(range) ? `[${range.join(",")}]` : describeValue(range)}`,
    );
  }
  if (typeof range === "number" || range.length === 1) {
    const index = typeof range === "number" ? range : range[0];
    if (!Number.isInteger(index)) {
      throw new ValueError("slice", `index for axis ${axis} must be an integer, got ${index}`);
    }
    if (index < -dim || index >= dim) {
      throw new ShapeError(
        "slice",
        `index ${index} is out of bounds for axis ${axis} of size ${dim} in ${formatShape(shape)}`,
      );
    }
    const start = index < 0 ? index + dim : index;
    return [start, start + 1];
  }
  const [rawStart, rawEnd] = range;
  if (!Number.isInteger(rawStart) || !Number.isInteger(rawEnd)) {
    throw new ValueError("slice", `range for axis ${axis} must hold integers, got [${rawStart}, ${rawEnd}]`);
  }
  const clamp = (b: number) => Math.min(dim, Math.max(0, b < 0 ? b + dim : b));
  const start = clamp(rawStart);
  return [start, Math.max(start, clamp(rawEnd))];
}

/**
 * x placed at `starts` inside zeros of shape `outer` (the adjoint of slice).
 * @example pad(g, [4, 400], [0, 10])
 */
export function pad(x: Tensor, outer: Shape, starts: readonly number[]): Tensor {
  const t = toTensor("pad", x);
  checkShape("pad", outer);
  expectArray("pad", "starts", starts, "an array of non-negative integers");
  if (outer.length !== t.rank || starts.length !== t.rank) {
    throw new ShapeError(
      "pad",
      `rank mismatch: ${formatShape(t.shape)} into ${formatShape(outer)} at [${starts.join(",")}]`,
    );
  }
  for (let i = 0; i < t.rank; i++) {
    if (!Number.isInteger(starts[i]) || starts[i] < 0 || starts[i] + t.shape[i] > outer[i]) {
      throw new ShapeError(
        "pad",
        `${formatShape(t.shape)} at [${starts.join(",")}] does not fit in ${formatShape(outer)}`,
      );
    }
  }
  const strides = stridesOf(outer);
  let offset = 0;
  for (let i = 0; i < starts.length; i++) offset += starts[i] * strides[i];
  const out = scatter(t._data, t.shape, allocateFor("pad", t.dtype, outer), offset, strides);
  return record(padOp, new Tensor(out, outer.slice()), [t], { starts: starts.slice(), outer });
}
