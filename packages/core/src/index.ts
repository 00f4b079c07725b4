/** @backprop/core: tensors on a recorded computational graph, reverse-mode autodiff, transforms and a numpy-compatible RNG. */

export { gradients } from "./autodiff/backward.js";
export {
  type CustomBackward,
  type CustomJvp,
  type CustomOpContext,
  type CustomOpSpec,
  customOp,
} from "./autodiff/customOp.js";
export { hessian, hvp, jacfwd, jvp } from "./autodiff/forwardTransforms.js";
export {
  compareGradients,
  GradcheckError,
  type GradcheckOptions,
  type GradcheckReport,
  gradcheck,
  gradgradcheck,
  type InputReport,
  relativeDifference,
} from "./autodiff/gradcheck.js";
export { gradcheckFloat32 } from "./autodiff/gradcheckFloat32.js";
export { detectAnomaly, enableGrad, isAnomalyEnabled, isGradEnabled, noGrad } from "./autodiff/gradMode.js";
export { AnomalyError, type BackwardContext, GraphNode, type OpDef } from "./autodiff/node.js";
export { isTracing, nodeOf, withTracing } from "./autodiff/tracing.js";
export {
  type GradOptions,
  grad,
  jacobian,
  jacrev,
  type TensorFunction,
  valueAndGrad,
  vjp,
} from "./autodiff/transforms.js";
export {
  arange,
  eye,
  full,
  type LinspaceOptions,
  linspace,
  type NumericArray,
  ones,
  onesLike,
  rand,
  randn,
  type TensorDataOptions,
  type TensorOptions,
  tensor,
  zeros,
  zerosLike,
} from "./creation.js";
export {
  AutodiffError,
  BackpropError,
  DTypeError,
  formatIndex,
  formatShape,
  JitError,
  ShapeError,
  ValueError,
} from "./errors.js";
// Seeing the graph: inspection, export, backward traces, gradient statistics.
export { type ExportOptions, toDot, toMermaid } from "./inspect/export.js";
export {
  formatGradientSummary,
  type GradientSummaryRow,
  gradientSummary,
  type NamedParameters,
} from "./inspect/gradientStats.js";
export {
  type ComputationGraph,
  type GraphNodeData,
  type GraphNodeKind,
  type GraphOptions,
  graphOf,
} from "./inspect/graph.js";
export { type BackwardStep, formatTrace, type TraceOptions, traceBackward } from "./inspect/trace.js";
export { type JitFunction, type JitOptions, jit } from "./jit/jit.js";
export type { DType, FloatArray } from "./kernels/floatArray.js";
export type { FusedGradKernel } from "./kernels/fused.js";
export {
  type CreateGemmWorker,
  type GemmBackend,
  type GemmWorkerHandle,
  type GemmWorkerOptions,
  gemmThreadCount,
  getGemmBackend,
  setGemmBackend,
  setGemmThreads,
  startGemmWorker,
  stopGemmWorker,
  wasmGemmAvailable,
} from "./kernels/gemm.js";
export {
  correctlyRoundedCos,
  correctlyRoundedLog,
  correctlyRoundedSin,
  crCos,
  crLog,
  crSin,
} from "./math/correctlyRounded.js";
// Every op as a function (the Tensor methods call these); the engine's helpers are in ./internal.ts.
export {
  abs,
  add,
  astype,
  broadcastTo,
  cast,
  clip,
  clone,
  concat,
  div,
  equal,
  exp,
  expandDims,
  flatten,
  greater,
  greaterEqual,
  type LinearActivation,
  leakyRelu,
  less,
  lessEqual,
  linear,
  linearActivation,
  log,
  logSigmoid,
  logSoftmax,
  logSumExp,
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
  type SliceRange,
  sigmoid,
  sigmoidCrossEntropy,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squeeze,
  stack,
  sub,
  sum,
  tanh,
  transpose,
  where,
} from "./ops/index.js";
export { scalar } from "./ops/operand.js";
export type { OpName, PrimitiveName } from "./ops/registry.js";
export { RandomState } from "./random/randomState.js";
export type { Shape } from "./shape.js";
export { broadcastShapes } from "./shape.js";
export { type BackwardOptions, type GradHook, type NestedArray, Tensor, type TensorLike } from "./tensor.js";

import { noGrad } from "./autodiff/gradMode.js";
import { toTensor } from "./ops/operand.js";
import type { Tensor } from "./tensor.js";

/** The value of x with no gradient flowing back through it (JAX's stop_gradient): a detached copy. */
export function stopGradient(x: Tensor): Tensor {
  const t = toTensor("stopGradient", x);
  return noGrad(() => t.detach());
}
