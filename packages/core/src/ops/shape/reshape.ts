/** reshape: the same elements in row-major order under a new shape (one dimension may be −1). */
import { type OpDef, record } from "../../autodiff/node.js";
import { describeValue, formatShape, ShapeError } from "../../errors.js";
import { checkRank, expectArray, type Shape, sizeOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import { toTensor } from "../operand.js";

/** d reshape(x) = reshape(dz, x.shape). */
export const reshapeOp: OpDef<undefined> = {
  name: "reshape",
  saves: { inputs: false, output: false },
  formula: "reshape(dz, x.shape)",
  backward: (g, { inputs: [x] }) => [reshape(g, x.shape)],
  jvpFormula: "ż = reshape(ẋ, z.shape)",
  jvp: ([t], { output }) => t && reshape(t, output.shape),
};

/** Resolves a −1 and checks the sizes match. */
export function resolveShape(op: string, from: Shape, shape: readonly number[]): number[] {
  expectArray(op, "shape", shape, "an array of integers (one may be -1)");
  checkRank(op, shape);
  const size = sizeOf(from);
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== "number") {
      throw new ShapeError(op, `invalid target shape [${shape.join(",")}]: dimension ${i} is ${describeValue(d)}`);
    } else if (d === -1 && unknown < 0) unknown = i;
    else if (!Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(
        op,
        `invalid target shape ${formatShape(shape)}: dimensions must be non-negative integers (one may be -1)`,
      );
    } else known *= d;
  }
  const out = shape.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(op, `cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(shape)}`);
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      op,
      `cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(shape)} (${known} elements)`,
    );
  }
  return out;
}

/**
 * The same elements under a new shape.
 * @example reshape(x, [2, -1])
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const t = toTensor("reshape", x);
  const target = resolveShape("reshape", t.shape, shape);
  // A copy, not a view: in-place updates of one can then never corrupt the other's saved values.
  return record(reshapeOp, new Tensor(t._data.slice(), target), [t], undefined);
}
