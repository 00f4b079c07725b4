/** sumToShape: undoes broadcasting on a gradient; the one place broadcasting's backward lives. */
import { type Shape, shapesEqual } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { reshape } from "../shape/reshape.js";
import { sum } from "./sum.js";

/**
 * Sums `g` over the axes along which a tensor of `shape` was broadcast to g's shape: the leading
 * axes it lacked and the axes where it had size 1.
 * @example sumToShape(dZ /* (4,400) *\/, [4, 1]) // db before the 1/m
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const summed = sum(g, axes, true);
  return shapesEqual(summed.shape, shape) ? summed : reshape(summed, shape);
}
