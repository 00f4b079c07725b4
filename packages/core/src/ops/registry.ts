/** The typed registry of differentiable primitives: a primitive without a backward rule fails to compile. */
import type { OpDef } from "../autodiff/node.js";
import { logSigmoidOp } from "./activation/logSigmoid.js";
import { reluOp } from "./activation/relu.js";
import { sigmoidOp } from "./activation/sigmoid.js";
import { tanhOp } from "./activation/tanh.js";
import { absOp } from "./elementwise/abs.js";
import { addOp } from "./elementwise/add.js";
import { castOp } from "./elementwise/cast.js";
import { divOp } from "./elementwise/div.js";
import { expOp } from "./elementwise/exp.js";
import { maximumOp, minimumOp } from "./elementwise/extremum.js";
import { logOp } from "./elementwise/log.js";
import { mulOp } from "./elementwise/mul.js";
import { negOp } from "./elementwise/neg.js";
import { powOp } from "./elementwise/pow.js";
import { sqrtOp } from "./elementwise/sqrt.js";
import { subOp } from "./elementwise/sub.js";
import { whereOp } from "./elementwise/where.js";
import { linearOp } from "./linalg/linear.js";
import { matmulOp } from "./linalg/matmul.js";
import { sigmoidCrossEntropyOp } from "./loss/sigmoidCrossEntropy.js";
import { maxOp, minOp } from "./reduce/extremum.js";
import { sumOp } from "./reduce/sum.js";
import { broadcastToOp } from "./shape/broadcastTo.js";
import { concatOp } from "./shape/concat.js";
import { reshapeOp } from "./shape/reshape.js";
import { padOp, sliceOp } from "./shape/slice.js";
import { transposeOp } from "./shape/transpose.js";
import { compareOp, signOp, sizeOp, stopGradientOp } from "./trace/nonDifferentiable.js";

/** Every primitive's name; "custom" is a user-defined op (see `customOp`). */
export type OpName =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "neg"
  | "pow"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "maximum"
  | "minimum"
  | "where"
  | "cast"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "logSigmoid"
  | "matmul"
  | "linear"
  | "sigmoidCrossEntropy"
  | "reshape"
  | "transpose"
  | "broadcastTo"
  | "slice"
  | "pad"
  | "concat"
  | "sum"
  | "max"
  | "min"
  | "compare"
  | "sign"
  | "stopGradient"
  | "size"
  | "custom";

/** Built-in primitives (all but "custom"). */
export type PrimitiveName = Exclude<OpName, "custom">;

/** Any primitive's definition: each rule has its own attribute type, which a backward rule (a method) may narrow. */
type AnyOpDef = OpDef<unknown>;

/** Every built-in primitive and its backward rule, one entry per name (the compiler checks none is missing; a test checks each entry's name is its key). */
export const primitives = {
  add: addOp,
  sub: subOp,
  mul: mulOp,
  div: divOp,
  neg: negOp,
  pow: powOp,
  exp: expOp,
  log: logOp,
  sqrt: sqrtOp,
  abs: absOp,
  maximum: maximumOp,
  minimum: minimumOp,
  where: whereOp,
  cast: castOp,
  sigmoid: sigmoidOp,
  tanh: tanhOp,
  relu: reluOp,
  logSigmoid: logSigmoidOp,
  matmul: matmulOp,
  linear: linearOp,
  sigmoidCrossEntropy: sigmoidCrossEntropyOp,
  reshape: reshapeOp,
  transpose: transposeOp,
  broadcastTo: broadcastToOp,
  slice: sliceOp,
  pad: padOp,
  concat: concatOp,
  sum: sumOp,
  max: maxOp,
  min: minOp,
  compare: compareOp,
  sign: signOp,
  stopGradient: stopGradientOp,
  size: sizeOp,
} as const satisfies { readonly [K in PrimitiveName]: AnyOpDef };
