/** @backprop/layers: the Deep Learning course's networks (logistic regression, 2-layer, L-layer) on @backprop/core, with losses, optimizers, training and save/load. */

export * from "./activations.js";
export * from "./closedForm.js";
export { type RegularizationSettings, regularizedClosedFormGradients } from "./closedFormRegularized.js";
export * from "./dense.js";
export * from "./fit.js";
export { type GradcheckModelOptions, gradcheckModel, type ModelGradcheckReport } from "./gradcheckModel.js";
export * from "./initializers.js";
export * from "./logisticRegression.js";
export * from "./losses.js";
export * from "./model.js";
export * from "./optimizers.js";
export { applyDropout, dropoutMask, l2Cost } from "./regularization.js";
export * from "./schedules.js";
export * from "./sequential.js";
export * from "./serialize.js";
export * from "./twoLayerNet.js";
