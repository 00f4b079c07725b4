/** @internal Value pools: values drawn beside a structure (not chained from it), so shrinking can drop values as well as shrink sizes. */

import type { DType, Tensor } from "@backprop/core";
import fc from "fast-check";
import { elementsOf, makeTensor, type ValueOptions } from "./tensors.js";

/**
 * Why pools: with `structure.chain(values)`, shrinking the structure redraws the values, and the
 * redrawn ones rarely still fail, so shrinking stalls at mid-sized cases. Drawing a pool of values
 * side by side with the sizes (a tuple) and fitting the sizes to the pool lets fast-check shrink
 * sizes with the values kept, and remove pool entries (moving a culprit value to the front).
 */
export function valuePool(options: ValueOptions, minLength: number, maxLength: number): fc.Arbitrary<number[]> {
  const { element, finish } = elementsOf("valuePool", options);
  return pool(element, minLength, maxLength).map(finish);
}

/** A pool of 0/1 labels. */
export function labelPool(minLength: number, maxLength: number): fc.Arbitrary<number[]> {
  return pool(fc.integer({ min: 0, max: 1 }), minLength, maxLength);
}

/**
 * The last `length` of `maxLength` drawn elements. `length` is usually the full length (3 in 4
 * draws; fc.array's own lengths lean to short arrays, which would make every fitted size small),
 * else uniform; cross-shrinking lets it shrink to any shorter length, and shrinking it drops leading
 * elements, so a culprit value moves to the front.
 */
function pool<T>(element: fc.Arbitrary<T>, minLength: number, maxLength: number): fc.Arbitrary<T[]> {
  const cap = Math.max(minLength, maxLength);
  const length = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.noBias(fc.integer({ min: minLength, max: cap })), weight: 1 },
    { arbitrary: fc.constant(cap), weight: 3 },
  );
  return fc
    .tuple(length, fc.array(element, { minLength: cap, maxLength: cap }))
    .map(([n, items]) => items.slice(cap - n));
}

/**
 * Lowers the largest of `dims` (never below `mins`) until every pool holds what `needs(dims)` asks
 * of it. Pools are drawn with lengths that fit the smallest dims, so this always ends.
 */
export function fitDims(
  dims: readonly number[],
  mins: readonly number[],
  needs: (dims: readonly number[]) => readonly number[],
  lengths: readonly number[],
): number[] {
  const out = dims.slice();
  while (needs(out).some((n, i) => n > lengths[i])) {
    let k = -1;
    for (let i = 0; i < out.length; i++) if (out[i] > mins[i] && (k < 0 || out[i] > out[k])) k = i;
    if (k < 0) break;
    out[k] -= 1;
  }
  return out;
}

/** Hands out consecutive values of a pool (cycling in the rare case it runs short). */
export class PoolCursor {
  private next = 0;
  constructor(
    private readonly pool: readonly number[],
    private readonly dtype: DType,
  ) {}
  /** The next values as a tensor of this shape. */
  tensor(shape: number[], requiresGrad = false): Tensor {
    return makeTensor(this.take(shape.reduce((a, b) => a * b, 1)), shape, this.dtype, requiresGrad);
  }
  take(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.pool.length === 0 ? 0 : this.pool[this.next++ % this.pool.length]);
    return out;
  }
}
