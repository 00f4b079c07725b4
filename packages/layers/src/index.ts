/** @backprop/layers: the Deep Learning course's networks (logistic regression, 2-layer, L-layer) on @backprop/core, with losses, optimizers, training and save/load. */

export {
  type Activation,
  type ActivationName,
  type ActivationSpec,
  activation,
  activationNames,
  type LeakyRelu,
  leakyRelu,
} from "./activations.js";
export {
  closedFormGradients,
  deepClosedFormGradients,
  logisticClosedFormGradients,
  type TwoLayerGradients,
  type TwoLayerParams,
} from "./closedForm.js";
export { type RegularizationSettings, regularizedClosedFormGradients } from "./closedFormRegularized.js";
export { Dense, type DenseOptions } from "./dense.js";
export { type DivergenceGuard, divergenceGuard, TrainingDivergedError } from "./divergence.js";
export { type FitOptions, type FitResult, fit, type ProgressEvent } from "./fit.js";
export { type GradcheckModelOptions, gradcheckModel, type ModelGradcheckReport } from "./gradcheckModel.js";
export { type InitializerName, initialize, initializerNames } from "./initializers.js";
export { LogisticRegression, type LogisticRegressionOptions } from "./logisticRegression.js";
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type LossFunction,
  type LossName,
  lossFunction,
  lossNames,
  meanSquaredError,
  softmaxCrossEntropy,
} from "./losses.js";
export { type Model, zeroGrad } from "./model.js";
export { adam, momentum, type Optimizer, rmsprop, sgd } from "./optimizers.js";
export { applyDropout, dropoutMask, l2Cost } from "./regularization.js";
export { exponentialDecay, inverseTimeDecay, type Schedule, stepDecay } from "./schedules.js";
export { mlp, Sequential, type SequentialOptions } from "./sequential.js";
export {
  fromJSONCheckpoint,
  fromSafetensors,
  loadParameters,
  type NamedTensors,
  readSafetensors,
  type SafetensorsContents,
  toJSONCheckpoint,
  toSafetensors,
} from "./serialize.js";
export { TwoLayerNet, type TwoLayerNetOptions } from "./twoLayerNet.js";
