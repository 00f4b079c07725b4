/** How each backprop primitive is written as ONNX ops (opset 18), with stable forms where ONNX Runtime's kernels are not. */
import { BackpropError, type DType, type GraphNode, nodeOf, scalar, type Tensor } from "@backprop/core";
import type { Dim, GraphBuilder } from "../builder.js";
import { scalarConstant, stableSigmoid } from "../lowerings.js";
import { onnxType } from "../tensorData.js";

/** A primitive that cannot be written to ONNX (or not with these shapes): names the op and the tensor. */
export class OnnxExportError extends BackpropError {}

/** What a lowering sees: the builder, names of traced tensors, symbolic shapes, shape tensors. */
export interface LowerContext {
  readonly b: GraphBuilder;
  /** The ONNX value name of a traced tensor. */
  name(t: Tensor): string;
  /** The symbolic shape of a traced tensor. */
  dims(t: Tensor): Dim[];
  /** The same tensor in the probe trace (to compare attributes that hold sizes). */
  probe(t: Tensor): Tensor;
  /** An int64 1-D tensor holding `dims`, symbolic entries read from the inputs' shapes at run time. */
  shapeTensor(dims: readonly Dim[]): string;
  /** The bool ONNX value of a traced comparison, if t is one. */
  boolOf(t: Tensor): string | undefined;
  setBool(t: Tensor, name: string): void;
  fail(t: Tensor, message: string): never;
}

type Lowering = (c: LowerContext, t: Tensor, node: GraphNode) => string;

const ins = (c: LowerContext, node: GraphNode) => node.inputs.map((x) => c.name(x));
const simple =
  (op: string): Lowering =>
  (c, _t, node) =>
    c.b.node(op, ins(c, node));

/** log(1 + e) for e = e^(−|z|) ∈ (0, 1] without Log1p (ONNX has none): Where(u = 1, e, Log(u)·e/(u − 1)), u = 1 + e, exact to rounding. */
function log1p(c: LowerContext, e: string, dtype: DType): string {
  const one = scalarConstant(c.b, 1, dtype);
  const u = c.b.node("Add", [one, e]);
  const ratio = c.b.node("Div", [c.b.node("Mul", [c.b.node("Log", [u]), e]), c.b.node("Sub", [u, one])]);
  return c.b.node("Where", [c.b.node("Equal", [u, one]), e, ratio]);
}

const expNegAbs = (c: LowerContext, z: string) => c.b.node("Exp", [c.b.node("Neg", [c.b.node("Abs", [z])])]);

/** The int64 constant of a list of axes. */
const axes = (c: LowerContext, list: readonly number[]) => c.b.int64Constant(list, [list.length], "axes");

function reduce(op: string): Lowering {
  return (c, _t, node) => {
    const attrs = node.attrs as { axes: readonly number[]; keepdims: boolean };
    const x = c.name(node.inputs[0]);
    if (attrs.axes.length === 0) return c.b.node("Identity", [x]);
    return c.b.node(op, [x, axes(c, attrs.axes)], { keepdims: { int: attrs.keepdims ? 1 : 0 } });
  };
}

const comparisons: Record<string, [string, boolean]> = {
  greater: ["Greater", false],
  greaterEqual: ["GreaterOrEqual", false],
  less: ["Less", false],
  lessEqual: ["LessOrEqual", false],
  equal: ["Equal", false],
  notEqual: ["Equal", true],
};

/** Starts and ends of a slice or pad box, checked to hold for any size along the dynamic axes. */
function box(
  c: LowerContext,
  t: Tensor,
  inner: Tensor,
  outer: Tensor,
  starts: readonly number[],
): { starts: number[]; ends: number[] } {
  const probeStarts = (nodeOf(c.probe(t))?.attrs as { starts: readonly number[] } | undefined)?.starts ?? [];
  const innerDims = c.dims(inner);
  const outerDims = c.dims(outer);
  const ends: number[] = [];
  starts.forEach((s, i) => {
    if (s !== probeStarts[i]) c.fail(t, `its start along axis ${i} changes with the dynamic axes`);
    if (typeof innerDims[i] === "string") {
      if (s !== 0 || innerDims[i] !== outerDims[i])
        c.fail(t, `a part of the dynamic axis ${String(innerDims[i])} cannot be exported`);
      ends.push(2 ** 53 - 1); // the whole axis, whatever its size
    } else if (typeof outerDims[i] === "string") {
      c.fail(t, `a fixed-size part of the dynamic axis ${String(outerDims[i])} cannot be exported`);
    } else ends.push(s + (innerDims[i] as number));
  });
  return { starts: [...starts], ends };
}

/** Every primitive's lowering, by name. */
export const lowerings: Record<string, Lowering> = {
  add: simple("Add"),
  sub: simple("Sub"),
  mul: simple("Mul"),
  div: simple("Div"),
  pow: simple("Pow"),
  neg: simple("Neg"),
  exp: simple("Exp"),
  log: simple("Log"),
  sqrt: simple("Sqrt"),
  abs: simple("Abs"),
  tanh: simple("Tanh"),
  relu: simple("Relu"),
  sign: simple("Sign"),
  stopGradient: simple("Identity"),
  maximum: simple("Max"),
  minimum: simple("Min"),
  sigmoid: (c, t, node) => stableSigmoid(c.b, c.name(node.inputs[0]), t.dtype),
  // log σ(z) = min(z, 0) − log1p(e^(−|z|)), as backprop's kernel computes it.
  logSigmoid: (c, t, node) => {
    const z = c.name(node.inputs[0]);
    const low = c.b.node("Min", [z, scalarConstant(c.b, 0, t.dtype)]);
    return c.b.node("Sub", [low, log1p(c, expNegAbs(c, z), t.dtype)]);
  },
  // max(z, 0) − z·y + log1p(e^(−|z|)), as backprop's fused kernel computes it.
  sigmoidCrossEntropy: (c, t, node) => {
    const [z, y] = ins(c, node);
    const high = c.b.node("Max", [z, scalarConstant(c.b, 0, t.dtype)]);
    const linear = c.b.node("Sub", [high, c.b.node("Mul", [z, y])]);
    return c.b.node("Add", [linear, log1p(c, expNegAbs(c, z), t.dtype)]);
  },
  where: (c, _t, node) => {
    const cond = (node.attrs as { cond: Tensor }).cond;
    const bool =
      c.boolOf(cond) ?? c.b.node("Not", [c.b.node("Equal", [c.name(cond), scalarConstant(c.b, 0, cond.dtype)])]);
    return c.b.node("Where", [bool, ...ins(c, node)]);
  },
  compare: (c, t, node) => {
    const [op, negate] = comparisons[(node.attrs as { kind: string }).kind];
    let bool = c.b.node(op, ins(c, node));
    if (negate) bool = c.b.node("Not", [bool]);
    const mask = c.b.node("Cast", [bool], { to: { int: onnxType(t.dtype) } });
    c.setBool(t, bool);
    return mask;
  },
  cast: (c, t, node) => c.b.node("Cast", [c.name(node.inputs[0])], { to: { int: onnxType(t.dtype) } }),
  matmul: (c, _t, node) => {
    const { transA, transB } = node.attrs as { transA: boolean; transB: boolean };
    return c.b.node("Gemm", ins(c, node), { transA: { int: transA ? 1 : 0 }, transB: { int: transB ? 1 : 0 } });
  },
  linear: simple("Gemm"),
  reshape: (c, t, node) => c.b.node("Reshape", [c.name(node.inputs[0]), c.shapeTensor(c.dims(t))]),
  broadcastTo: (c, t, node) => c.b.node("Expand", [c.name(node.inputs[0]), c.shapeTensor(c.dims(t))]),
  transpose: (c, _t, node) =>
    c.b.node("Transpose", ins(c, node), { perm: { ints: (node.attrs as { axes: number[] }).axes } }),
  concat: (c, _t, node) => c.b.node("Concat", ins(c, node), { axis: { int: (node.attrs as { axis: number }).axis } }),
  slice: (c, t, node) => {
    const x = node.inputs[0];
    const { starts, ends } = box(c, t, t, x, (node.attrs as { starts: readonly number[] }).starts);
    const all = starts.map((_, i) => i);
    return c.b.node("Slice", [c.name(x), axes(c, starts), axes(c, ends), axes(c, all)]);
  },
  pad: (c, t, node) => {
    const x = node.inputs[0];
    const { starts, ends } = box(c, t, x, t, (node.attrs as { starts: readonly number[] }).starts);
    const outer = c.dims(t);
    // Pads after each axis: outer − start − inner (0 along a dynamic axis, which box() requires to be whole).
    const after = ends.map((e, i) => (typeof outer[i] === "string" ? 0 : (outer[i] as number) - e));
    return c.b.node("Pad", [c.name(x), c.b.int64Constant([...starts, ...after], [2 * starts.length], "pads")]);
  },
  sum: reduce("ReduceSum"),
  max: reduce("ReduceMax"),
  min: reduce("ReduceMin"),
  // The count of elements along `axes`, read from x's shape when the model runs (mean's divisor).
  size: (c, t, node) => {
    const x = node.inputs[0];
    const list = (node.attrs as { axes: readonly number[] }).axes;
    const dims = c.dims(x);
    if (list.every((a) => typeof dims[a] === "number")) {
      return c.b.constant(
        scalar(
          list.reduce((p, a) => p * (dims[a] as number), 1),
          t.dtype,
        ),
        "count",
      );
    }
    const picked = c.b.node("Gather", [c.b.node("Shape", [c.name(x)]), axes(c, list)]);
    const product = c.b.node("ReduceProd", [picked], { keepdims: { int: 0 } });
    return c.b.node("Cast", [product], { to: { int: onnxType(t.dtype) } });
  },
};
