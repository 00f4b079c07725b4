/** The ONNX ops fromOnnx runs, each on backprop's differentiable ops (opset 13–18 semantics). */
import {
  abs,
  add,
  broadcastShapes,
  broadcastTo,
  cast,
  concat,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  leakyRelu,
  less,
  lessEqual,
  linear,
  log,
  logSoftmax,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  notEqual,
  pad,
  pow,
  relu,
  reshape,
  sigmoid,
  slice,
  softmax,
  sqrt,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  transpose,
  where,
} from "@backprop/core";
import { DataType } from "../proto/types.js";
import { readTensorProto, typeName } from "../tensorData.js";
import type { NodeContext, Value } from "./values.js";

type OpImpl = (ctx: NodeContext) => Value;

const float = (tensor: Tensor): Value => ({ kind: "float", tensor });
const mask = (tensor: Tensor): Value => ({ kind: "mask", tensor });

const unary =
  (f: (x: Tensor) => Tensor): OpImpl =>
  (c) =>
    float(f(c.float_(0)));
const binary =
  (f: (a: Tensor, b: Tensor) => Tensor): OpImpl =>
  (c) =>
    float(f(...(c.sameFloats([0, 1]) as [Tensor, Tensor])));
const comparison =
  (f: (a: Tensor, b: Tensor) => Tensor): OpImpl =>
  (c) =>
    mask(f(...(c.sameFloats([0, 1]) as [Tensor, Tensor])));
const variadic =
  (f: (a: Tensor, b: Tensor) => Tensor): OpImpl =>
  (c) => {
    const [first, ...rest] = c.sameFloats(c.node.input.map((_, i) => i).concat(c.node.input.length === 0 ? [0] : []));
    return float(rest.reduce(f, first));
  };

/** A normalised axis of a rank-r tensor. */
function axisOf(c: NodeContext, axis: number, rank: number): number {
  if (axis < -rank || axis >= Math.max(rank, 1)) c.fail(`axis ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Reduce ops: axes from the attribute (ReduceMax/Min/Mean before opset 18) or the second input. */
function reduction(f: (x: Tensor, axes: number[] | undefined, keepdims: boolean) => Tensor, axesInput: number): OpImpl {
  return (c) => {
    const x = c.float_(0);
    // The axes moved from an attribute to an input (ReduceSum at opset 13, the others at 18): the other form is an error,
    // never silently ignored (ignoring it would reduce over every axis).
    if (c.opset >= axesInput && c.attr("axes") !== undefined) {
      c.fail(
        `the axes attribute does not exist at opset ${c.opset} (axes are the second input from opset ${axesInput})`,
      );
    }
    if (c.opset < axesInput && c.node.input.length > 1) {
      c.fail(`an axes input does not exist at opset ${c.opset} (the axes attribute is used before opset ${axesInput})`);
    }
    const axes = c.opset >= axesInput ? (c.has(1) ? c.ints_(1) : undefined) : c.ints("axes");
    const keepdims = c.int("keepdims", 1) === 1;
    if (axes === undefined || axes.length === 0) {
      if (c.int("noop_with_empty_axes", 0) === 1) return float(x);
      return float(f(x, undefined, keepdims));
    }
    return float(f(x, axes, keepdims));
  };
}

function gemm(c: NodeContext): Value {
  const [A, B] = c.sameFloats(c.has(2) ? [0, 1, 2] : [0, 1]);
  if (A.rank !== 2 || B.rank !== 2) c.fail(`Gemm needs 2-D A and B, got ranks ${A.rank} and ${B.rank}`);
  // Any non-zero value transposes, as in ONNX Runtime.
  const transA = c.int("transA", 0) !== 0;
  const transB = c.int("transB", 0) !== 0;
  const alpha = c.float("alpha", 1);
  const beta = c.float("beta", 1);
  const a = transA ? transpose(A) : A;
  const b = transB ? transpose(B) : B;
  if (alpha === 1 && beta === 1 && c.has(2)) return float(linear(a, b, c.float_(2)));
  let y = matmul(a, b);
  if (alpha !== 1) y = mul(y, alpha);
  if (c.has(2)) y = add(y, beta === 1 ? c.float_(2) : mul(c.float_(2), beta));
  return float(y);
}

function flattenOp(c: NodeContext): Value {
  const x = c.float_(0);
  const axis = axisOf(c, c.int("axis", 1), x.rank + 1);
  const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  return float(reshape(x, [outer, x.shape.slice(axis).reduce((p, d) => p * d, 1)]));
}

function reshapeOp(c: NodeContext): Value {
  const x = c.float_(0);
  const allowZero = c.int("allowzero", 0) === 1;
  const shape = c
    .ints_(1)
    .map((d, i) =>
      d === 0 && !allowZero ? (x.shape[i] ?? c.fail(`shape[${i}] = 0 copies a dimension ${x.rank}-D input lacks`)) : d,
    );
  return float(reshape(x, shape));
}

function castOp(c: NodeContext): Value {
  const to = c.int("to", 0);
  const input = c.inputs[0];
  if (input?.kind === "int" && (to === DataType.DOUBLE || to === DataType.FLOAT)) {
    const data = to === DataType.DOUBLE ? Float64Array.from(input.values) : Float32Array.from(input.values);
    return float(tensor(data, input.shape));
  }
  if (to === DataType.DOUBLE) return float(cast(c.float_(0), "float64"));
  if (to === DataType.FLOAT) return float(cast(c.float_(0), "float32"));
  return c.fail(`Cast to ${typeName(to)} is not supported (only float32 and float64)`);
}

function constantOp(c: NodeContext): Value {
  const attr = c.node.attribute[0];
  if (c.node.attribute.length !== 1 || attr === undefined) c.fail("Constant needs exactly one value attribute");
  if (attr.name === "value" && attr.t) return readTensorProto(`node ${c.label}`, attr.t);
  if (attr.name === "value_float" && attr.f !== undefined) return float(tensor(new Float32Array([attr.f]), []));
  if (attr.name === "value_floats") return float(tensor(Float32Array.from(attr.floats), [attr.floats.length]));
  if (attr.name === "value_int" && attr.i !== undefined) return { kind: "int", values: [Number(attr.i)], shape: [] };
  if (attr.name === "value_ints") return { kind: "int", values: attr.ints.map(Number), shape: [attr.ints.length] };
  return c.fail(`Constant with attribute ${attr.name} is not supported (value, value_float(s), value_int(s) are)`);
}

function expandOp(c: NodeContext): Value {
  const x = c.float_(0);
  return float(broadcastTo(x, broadcastShapes("Expand", x.shape, c.ints_(1))));
}

function whereOp(c: NodeContext): Value {
  return float(where(c.condition(0), ...(c.sameFloats([1, 2]) as [Tensor, Tensor])));
}

function identity(c: NodeContext): Value {
  const v = c.inputs[0];
  return v ?? c.fail("input 0 is missing");
}

/** Integer data (shapes) computed while the model runs: Shape, Gather, ReduceProd and Concat of int64 vectors. */
const ints = (values: number[], shape: number[]): Value => ({ kind: "int", values, shape });

function shapeOp(c: NodeContext): Value {
  const v = c.inputs[0];
  if (v === undefined) return c.fail("input 0 is missing");
  if (c.attr("start") !== undefined || c.attr("end") !== undefined) c.fail("Shape with start/end is not supported");
  const shape = v.kind === "float" || v.kind === "mask" ? [...v.tensor.shape] : v.shape;
  return ints(shape, [shape.length]);
}

function gatherOp(c: NodeContext): Value {
  const data = c.ints_(0);
  if (c.int("axis", 0) !== 0) c.fail("Gather of integer data supports axis 0 only");
  const indices = c.inputs[1];
  if (indices?.kind !== "int") return c.fail("Gather needs int64 indices");
  const picked = c
    .ints_(1)
    .map((i) => data[i < 0 ? i + data.length : i] ?? c.fail(`index ${i} is out of range for ${data.length} values`));
  return ints(picked, indices.shape);
}

function reduceProdOp(c: NodeContext): Value {
  if (c.has(1)) c.fail("ReduceProd supports reducing all axes of integer data only");
  const product = c.ints_(0).reduce((p, v) => p * v, 1);
  return ints([product], c.int("keepdims", 1) === 1 ? [1] : []);
}

function concatOp(c: NodeContext): Value {
  if (c.inputs.every((v) => v?.kind === "int")) {
    return ints(
      c.node.input.flatMap((_, i) => c.ints_(i)),
      [c.node.input.reduce((n, _, i) => n + c.ints_(i).length, 0)],
    );
  }
  return float(concat(c.sameFloats(c.node.input.map((_, i) => i)), c.int("axis", 0)));
}

/** Slice with starts/ends/axes inputs (steps of 1), negative and out-of-range bounds clamped as ONNX does. */
function sliceOp(c: NodeContext): Value {
  const x = c.float_(0);
  const starts = c.ints_(1);
  const ends = c.ints_(2);
  const axesList = c.has(3) ? c.ints_(3) : starts.map((_, i) => i);
  if (c.has(4) && c.ints_(4).some((s) => s !== 1)) c.fail("Slice with steps other than 1 is not supported");
  if (ends.length !== starts.length || axesList.length !== starts.length) {
    c.fail(`starts, ends and axes must have one entry per sliced axis, got [${starts}], [${ends}], [${axesList}]`);
  }
  const normalized = axesList.map((a) => axisOf(c, a, x.rank));
  if (new Set(normalized).size !== normalized.length) c.fail(`axes [${axesList}] repeat an axis`);
  const ranges: Array<readonly [number, number] | null> = x.shape.map(() => null);
  axesList.forEach((a, k) => {
    const axis = axisOf(c, a, x.rank);
    const d = x.shape[axis];
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
    const start = clamp(starts[k]);
    ranges[axis] = [start, Math.max(start, clamp(ends[k]))];
  });
  return float(slice(x, ranges));
}

/** Pad with zeros (constant mode): pads = [begin_0, …, end_0, …], non-negative. */
function padOp(c: NodeContext): Value {
  const x = c.float_(0);
  const mode = c.attr("mode")?.s;
  if (mode !== undefined && new TextDecoder().decode(mode) !== "constant") c.fail("Pad supports mode 'constant' only");
  if (c.has(2) && c.float_(2).data.some((v) => v !== 0)) c.fail("Pad supports a constant value of 0 only");
  if (c.has(3)) c.fail("Pad with an axes input is not supported");
  const pads = c.ints_(1);
  if (pads.length !== 2 * x.rank || pads.some((p) => p < 0))
    c.fail(`Pad needs ${2 * x.rank} non-negative pads, got [${pads.join(",")}]`);
  const outer = x.shape.map((d, i) => d + pads[i] + pads[i + x.rank]);
  return float(pad(x, outer, pads.slice(0, x.rank)));
}

function signOp(c: NodeContext): Value {
  const x = c.float_(0);
  // sign(x) ∈ {−1, 0, 1}, NaN stays NaN (as ONNX's Sign).
  return float(where(notEqual(x, x), x, sub(greater(x, 0), less(x, 0))));
}

/** Every supported op type of the default domain. */
export const importOps: Readonly<Record<string, OpImpl>> = {
  Abs: unary(abs),
  Add: binary(add),
  Cast: castOp,
  Concat: concatOp,
  Constant: constantOp,
  Div: binary(div),
  Equal: comparison(equal),
  Exp: unary(exp),
  Expand: expandOp,
  Flatten: flattenOp,
  Gather: gatherOp,
  Gemm: gemm,
  Greater: comparison(greater),
  GreaterOrEqual: comparison(greaterEqual),
  Identity: identity,
  LeakyRelu: (c) => float(leakyRelu(c.float_(0), c.float("alpha", 0.01))),
  Less: comparison(less),
  LessOrEqual: comparison(lessEqual),
  Log: unary(log),
  LogSoftmax: (c) => float(logSoftmax(c.float_(0), c.int("axis", -1))),
  MatMul: binary(matmul),
  Max: variadic(maximum),
  Min: variadic(minimum),
  Mul: binary(mul),
  Neg: unary(neg),
  Not: (c) => mask(sub(1, c.condition(0))),
  Pad: padOp,
  Pow: binary(pow),
  ReduceProd: reduceProdOp,
  ReduceMax: reduction((x, a, k) => max(x, a, k), 18),
  ReduceMean: reduction((x, a, k) => mean(x, a, k), 18),
  ReduceMin: reduction((x, a, k) => min(x, a, k), 18),
  ReduceSum: reduction((x, a, k) => sum(x, a, k), 13),
  Relu: unary(relu),
  Reshape: reshapeOp,
  Shape: shapeOp,
  Sigmoid: unary(sigmoid),
  Sign: signOp,
  Slice: sliceOp,
  Softmax: (c) => float(softmax(c.float_(0), c.int("axis", -1))),
  Sqrt: unary(sqrt),
  Sub: binary(sub),
  Sum: variadic(add),
  Tanh: unary(tanh),
  Transpose: (c) => float(transpose(c.float_(0), c.ints("perm"))),
  Where: whereOp,
};
