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
  pow,
  relu,
  reshape,
  sigmoid,
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
    float(f(c.float_(0), c.float_(1)));
const comparison =
  (f: (a: Tensor, b: Tensor) => Tensor): OpImpl =>
  (c) =>
    mask(f(c.float_(0), c.float_(1)));
const variadic =
  (f: (a: Tensor, b: Tensor) => Tensor): OpImpl =>
  (c) => {
    let acc = c.float_(0);
    for (let i = 1; i < c.node.input.length; i++) acc = f(acc, c.float_(i));
    return float(acc);
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
  const A = c.float_(0);
  const B = c.float_(1);
  if (A.rank !== 2 || B.rank !== 2) c.fail(`Gemm needs 2-D A and B, got ranks ${A.rank} and ${B.rank}`);
  const transA = c.int("transA", 0) === 1;
  const transB = c.int("transB", 0) === 1;
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
  return float(broadcastTo(x, broadcastShapes(`Expand ${c.label}`, x.shape, c.ints_(1))));
}

function whereOp(c: NodeContext): Value {
  return float(where(c.condition(0), c.float_(1), c.float_(2)));
}

function identity(c: NodeContext): Value {
  const v = c.inputs[0];
  return v ?? c.fail("input 0 is missing");
}

/** Every supported op type of the default domain. */
export const importOps: Readonly<Record<string, OpImpl>> = {
  Abs: unary(abs),
  Add: binary(add),
  Cast: castOp,
  Concat: (c) =>
    float(
      concat(
        c.node.input.map((_, i) => c.float_(i)),
        c.int("axis", 0),
      ),
    ),
  Constant: constantOp,
  Div: binary(div),
  Equal: comparison(equal),
  Exp: unary(exp),
  Expand: expandOp,
  Flatten: flattenOp,
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
  Pow: binary(pow),
  ReduceMax: reduction((x, a, k) => max(x, a, k), 18),
  ReduceMean: reduction((x, a, k) => mean(x, a, k), 18),
  ReduceMin: reduction((x, a, k) => min(x, a, k), 18),
  ReduceSum: reduction((x, a, k) => sum(x, a, k), 13),
  Relu: unary(relu),
  Reshape: reshapeOp,
  Sigmoid: unary(sigmoid),
  Softmax: (c) => float(softmax(c.float_(0), c.int("axis", -1))),
  Sqrt: unary(sqrt),
  Sub: binary(sub),
  Sum: variadic(add),
  Tanh: unary(tanh),
  Transpose: (c) => float(transpose(c.float_(0), c.ints("perm"))),
  Where: whereOp,
};
