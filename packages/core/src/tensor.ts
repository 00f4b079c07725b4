/** The Tensor class: contiguous row-major data, a shape, a dtype, and the graph node that produced it. */
import { runBackward } from "./autodiff/backward.js";
import type { TangentLink } from "./autodiff/forwardMode.js";
import { checkFunction } from "./autodiff/gradMode.js";
import { type GraphNode, readData, traceOnly } from "./autodiff/node.js";
import { AutodiffError, formatShape, ShapeError } from "./errors.js";
import { formatTensor, inspectTensor, toArrayOfRank, toNestedArray } from "./format.js";
import { type DType, dtypeOfArray, type FloatArray } from "./kernels/floatArray.js";
import * as ops from "./ops/index.js";
import type { SliceRange } from "./ops/shape/slice.js";
import { stopGradientOp } from "./ops/trace/nonDifferentiable.js";
import { checkedSize, type Shape } from "./shape.js";

/** A tensor or a plain number (a scalar that takes the other operand's dtype, as in numpy). */
export type TensorLike = Tensor | number;

/** Nested arrays of numbers, as `toArray()` returns them. */
export type NestedArray = number | NestedArray[];

/** A gradient hook: sees the gradient flowing into a tensor during backward and may return a replacement. */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook that only observes (a block body without return) returns void.
export type GradHook = (grad: Tensor) => Tensor | undefined | void;

/** Options for `backward()`. */
export interface BackwardOptions {
  /** Keep the graph so backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, so the gradients can be differentiated again. */
  createGraph?: boolean;
}

/**
 * An n-dimensional array of float64 (default) or float32 values that records the ops applied to it
 * when it requires grad, so `backward()` can derive gradients by the chain rule.
 *
 * @example
 * const W = tensor([[1, 2], [3, 4]], { requiresGrad: true, name: "W" });
 * const J = W.mul(W).sum();
 * J.backward();
 * W.grad?.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /** The dimensions, outermost first; `[]` for a scalar. */
  readonly shape: Shape;
  /** `"float64"` or `"float32"`. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Whether gradients flow to this tensor; set on leaves by the user, on op outputs by the engine. */
  requiresGrad: boolean;
  /** The accumulated gradient of a leaf (or of a tensor that called `retainGrad()`), after `backward()`. */
  grad: Tensor | null = null;
  /** A label for error messages and graph output (e.g. `"W1"`, `"Z1"`). */
  name: string | undefined;
  /** @internal The node that produced this tensor; null for leaves and untracked results. */
  _node: GraphNode | null = null;
  /** @internal Bumped by every in-place op; checked against what a node saved. */
  _version = 0;
  /** @internal Whether backward stores this non-leaf's gradient in `.grad`. */
  _retainsGrad = false;
  /** @internal Hooks run on the gradient flowing into this tensor. */
  _hooks: GradHook[] | null = null;
  /** @internal The last graph traversal that visited this tensor (`_index`: its position in that order; autodiff/backward.ts). */
  _mark = 0;
  /** @internal */ _index = 0;
  /** @internal Forward-mode tangents, one per active jvp level (see autodiff/forwardMode.ts). */
  _tangents: TangentLink | null = null;
  /** @internal */ _data: FloatArray;

  /** Wraps contiguous row-major data without copying. Prefer `tensor()`, which validates its input. */
  constructor(data: FloatArray, shape: Shape, requiresGrad = false, name?: string) {
    const size = checkedSize("Tensor", data, shape);
    this._data = data;
    this.shape = shape;
    this.dtype = dtypeOfArray(data);
    this.size = size;
    this.requiresGrad = requiresGrad;
    this.name = name;
  }

  /** The flat row-major data. Treat it as read-only: writing through it bypasses the version checks that protect saved tensors. */
  get data(): FloatArray {
    return readData(this, "data");
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True for tensors not produced by a recorded op (parameters, inputs). */
  get isLeaf(): boolean {
    return this._node === null;
  }

  /** The op that produced this tensor (`"matmul"`, `"tanh"`, ...), or null for a leaf. */
  get op(): string | null {
    return this._node ? this._node.label : null;
  }

  /** Sets `name` and returns this tensor, for chaining: `W.matmul(X).add(b).named("Z1")`. */
  named(name: string): this {
    this.name = name;
    return this;
  }

  /** The values as nested arrays (a number for a scalar); `toArray1D()`/`toArray2D()` give typed arrays of a known rank. */
  toArray(): NestedArray {
    return toNestedArray(readData(this, "toArray()"), this.shape);
  }

  /**
   * The values of a 1-d tensor as `number[]` (a ShapeError for any other rank).
   * @example tensor([1, 2]).toArray1D(); // [1, 2]
   */
  toArray1D(): number[] {
    return toArrayOfRank("toArray1D", readData(this, "toArray1D()"), this.shape, 1) as number[];
  }

  /**
   * The rows of a 2-d tensor as `number[][]` (a ShapeError for any other rank).
   * @example W.toArray2D()[0]; // the first row of W
   */
  toArray2D(): number[][] {
    return toArrayOfRank("toArray2D", readData(this, "toArray2D()"), this.shape, 2) as number[][];
  }

  /** The value of a tensor with exactly one element. */
  item(): number {
    if (this.size !== 1)
      throw new ShapeError("item", `needs a tensor with one element, got shape ${formatShape(this.shape)}`);
    return readData(this, "item()")[0];
  }

  /** A readable rendering: `tensor([[1, 2], [3, 4]], shape=(2,2), dtype=float64)`. */
  toString(): string {
    return formatTensor(this);
  }

  // ---- autodiff -------------------------------------------------------------------------------

  /** Runs reverse-mode autodiff from this tensor (a non-scalar needs a `seed` of its shape); `.grad` accumulates. */
  backward(seed?: Tensor, options?: BackwardOptions): void {
    runBackward(this, seed, options);
  }

  /** Keeps this intermediate's gradient in `.grad` after backward (dZ1, dA1, ... in the course's names). */
  retainGrad(): this {
    checkRequiresGrad("retainGrad", this);
    this._retainsGrad = true;
    return this;
  }

  /** Clears `.grad`. */
  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * Registers a hook that sees (and may replace, by returning a tensor) the gradient flowing into
   * this tensor during backward. Returns a function that removes it.
   * @example
   * const remove = Z1.registerHook((g) => { console.log(g.shape); }); // observe only
   * v.registerHook((g) => g.mul(2)); // replace: everything upstream sees 2·dv
   */
  registerHook(hook: GradHook): () => void {
    checkRequiresGrad("registerHook", this);
    checkFunction("registerHook", hook);
    if (this._hooks === null) this._hooks = [];
    this._hooks.push(hook);
    return () => {
      const hooks = this._hooks;
      const i = hooks ? hooks.indexOf(hook) : -1;
      if (hooks && i >= 0) hooks.splice(i, 1);
    };
  }

  /** A new leaf with a copy of the data and no graph history. */
  detach(): Tensor {
    const copy = new Tensor(this._data.slice(), this.shape, false, this.name);
    return traceOnly(stopGradientOp, copy, [this], undefined); // a node only in tracing mode
  }

  /** Sets `requiresGrad` on a leaf and returns it. */
  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf && !requiresGrad) {
      throw new AutodiffError("requiresGrad_", "cannot turn off requiresGrad on a non-leaf tensor; use detach()");
    }
    this.requiresGrad = requiresGrad;
    return this;
  }

  // ---- in place (never recorded; bumps the version counter) ------------------------------------
  /**
   * this -= other (broadcast to this shape), in place and outside the graph; with `alpha`,
   * this -= alpha·other in one pass (the gradient step `W.sub_(dW, lr)`, the same bits as `W.sub_(dW.mul(lr))`).
   */
  sub_(other: TensorLike, alpha?: number): this {
    return alpha === undefined ? ops.inPlace(this, "sub", other) : ops.inPlaceScaled(this, "sub", other, alpha);
  }
  /** this += other (or alpha·other), in place and outside the graph. */
  add_(other: TensorLike, alpha?: number): this {
    return alpha === undefined ? ops.inPlace(this, "add", other) : ops.inPlaceScaled(this, "add", other, alpha);
  }
  /** this *= other, in place and outside the graph. */
  mul_(other: TensorLike): this {
    return ops.inPlace(this, "mul", other);
  }
  /** this /= other, in place and outside the graph. */
  div_(other: TensorLike): this {
    return ops.inPlace(this, "div", other);
  }
  /** Copies other's values (broadcast to this shape) into this tensor, in place. */
  copy_(other: TensorLike): this {
    return ops.inPlace(this, "copy", other);
  }

  // ---- ops as methods (each is the function of the same name) ----------------------------------

  add(other: TensorLike): Tensor {
    return ops.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return ops.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return ops.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return ops.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return ops.pow(this, exponent);
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  square(): Tensor {
    return ops.square(this);
  }
  maximum(other: TensorLike): Tensor {
    return ops.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return ops.minimum(this, other);
  }
  clip(min: number, max: number): Tensor {
    return ops.clip(this, min, max);
  }
  /** 1 where this > other, else 0 (numpy's `greater`). */
  greater(other: TensorLike): Tensor {
    return ops.greater(this, other);
  }
  /** Alias of `greater` (PyTorch's short name). */
  declare gt: (other: TensorLike) => Tensor;
  /** 1 where this ≥ other, else 0 (numpy's `greaterEqual`). */
  greaterEqual(other: TensorLike): Tensor {
    return ops.greaterEqual(this, other);
  }
  /** Alias of `greaterEqual` (PyTorch's short name). */
  declare ge: (other: TensorLike) => Tensor;
  /** 1 where this < other, else 0 (numpy's `less`). */
  less(other: TensorLike): Tensor {
    return ops.less(this, other);
  }
  /** Alias of `less` (PyTorch's short name). */
  declare lt: (other: TensorLike) => Tensor;
  /** 1 where this ≤ other, else 0 (numpy's `lessEqual`). */
  lessEqual(other: TensorLike): Tensor {
    return ops.lessEqual(this, other);
  }
  /** Alias of `lessEqual` (PyTorch's short name). */
  declare le: (other: TensorLike) => Tensor;
  /** 1 where this = other, else 0 (numpy's `equal`). */
  equal(other: TensorLike): Tensor {
    return ops.equal(this, other);
  }
  /** Alias of `equal` (PyTorch's short name). */
  declare eq: (other: TensorLike) => Tensor;
  /** 1 where this ≠ other, else 0 (numpy's `notEqual`). */
  notEqual(other: TensorLike): Tensor {
    return ops.notEqual(this, other);
  }
  /** Alias of `notEqual` (PyTorch's short name). */
  declare ne: (other: TensorLike) => Tensor;
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  tanh(): Tensor {
    return ops.tanh(this);
  }
  relu(): Tensor {
    return ops.relu(this);
  }
  leakyRelu(slope?: number): Tensor {
    return ops.leakyRelu(this, slope);
  }
  softplus(): Tensor {
    return ops.softplus(this);
  }
  logSigmoid(): Tensor {
    return ops.logSigmoid(this);
  }
  softmax(axis?: number): Tensor {
    return ops.softmax(this, axis);
  }
  logSoftmax(axis?: number): Tensor {
    return ops.logSoftmax(this, axis);
  }
  matmul(other: Tensor): Tensor {
    return ops.matmul(this, other);
  }
  /** The transpose (axes reversed). */
  get T(): Tensor {
    return ops.transpose(this);
  }
  transpose(axes?: readonly number[]): Tensor {
    return ops.transpose(this, axes);
  }
  reshape(shape: readonly number[]): Tensor {
    return ops.reshape(this, shape);
  }
  flatten(): Tensor {
    return ops.flatten(this);
  }
  squeeze(axis?: number | readonly number[]): Tensor {
    return ops.squeeze(this, axis);
  }
  expandDims(axis: number): Tensor {
    return ops.expandDims(this, axis);
  }
  broadcastTo(shape: readonly number[]): Tensor {
    return ops.broadcastTo(this, shape);
  }
  slice(ranges: readonly SliceRange[]): Tensor {
    return ops.slice(this, ranges);
  }
  /** This tensor placed at `starts` inside zeros of shape `outer` (the adjoint of `slice`). */
  pad(outer: Shape, starts: readonly number[]): Tensor {
    return ops.pad(this, outer, starts);
  }
  sum(axis?: number | readonly number[], keepdims = false): Tensor {
    return ops.sum(this, axis, keepdims);
  }
  mean(axis?: number | readonly number[], keepdims = false): Tensor {
    return ops.mean(this, axis, keepdims);
  }
  max(axis?: number | readonly number[], keepdims = false): Tensor {
    return ops.max(this, axis, keepdims);
  }
  min(axis?: number | readonly number[], keepdims = false): Tensor {
    return ops.min(this, axis, keepdims);
  }
  logSumExp(axis?: number | readonly number[], keepdims = false): Tensor {
    return ops.logSumExp(this, axis, keepdims);
  }
  /** This tensor converted to `dtype` (numpy's `astype`: always a new tensor; the op is named `cast` in graphs). */
  astype(dtype: DType): Tensor {
    return ops.astype(this, dtype);
  }
  /** A copy that stays in the graph (gradients flow through it). */
  clone(): Tensor {
    return ops.clone(this);
  }
}

// PyTorch's short comparison names are the numpy-named methods themselves, not copies.
const aliases = {
  gt: "greater",
  ge: "greaterEqual",
  lt: "less",
  le: "lessEqual",
  eq: "equal",
  ne: "notEqual",
} as const;
for (const alias of Object.keys(aliases) as (keyof typeof aliases)[])
  Tensor.prototype[alias] = Tensor.prototype[aliases[alias]];
Object.defineProperty(Tensor.prototype, Symbol.for("nodejs.util.inspect.custom"), { value: inspectTensor });

/** retainGrad and registerHook need a gradient to keep or see: say so when the tensor has none. */
function checkRequiresGrad(op: string, t: Tensor): void {
  if (!t.requiresGrad) {
    throw new AutodiffError(op, `tensor${t.name ? ` '${t.name}'` : ""} ${formatShape(t.shape)} does not require grad`);
  }
}
