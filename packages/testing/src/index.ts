/** @backprop/testing: fast-check arbitraries (shapes, tensors, networks, computational graphs) and gradient assertions for property tests. */

export {
  type AssertGradcheckOptions,
  assertGradcheck,
  assertGradgradcheck,
  type CloseOptions,
  expectClose,
  TensorMismatchError,
  type WorstElement,
} from "./assertions.js";
export { type PropertyParams, propertyParams, propertyRuns } from "./config.js";
export {
  allGraphOpNames,
  type GraphNodeSpec,
  type GraphOpName,
  graphOpNames,
  kinkedGraphOpNames,
  lossyGraphOpNames,
} from "./graphOps.js";
export { computationalGraph, type GraphCase, type GraphOptions } from "./graphs.js";
export {
  type DeepNetCase,
  deepNetCase,
  type HiddenActivationName,
  hiddenActivationNames,
  type LogisticRegressionCase,
  layerSizes,
  logisticRegressionCase,
  type NetworkOptions,
  type TwoLayerNetCase,
  twoLayerNetCase,
} from "./networks.js";
export { broadcastablePair, broadcastableShapes, type ShapeOptions, shape, sizeOfShape } from "./shapes.js";
export {
  type FloatTensorOptions,
  float32Tensor,
  float64Tensor,
  floatTensor,
  floatValue,
  floatValues,
  labels,
  type ShapeSource,
  type ValueOptions,
} from "./tensors.js";
