/** @backprop/onnx: ONNX export of layers models and import of ONNX models onto backprop's graph; bytes in and out, browser-safe. */

export { fromOnnx, type OnnxModel } from "./import/fromOnnx.js";
export { type LayersModel, type ModelToOnnxOptions, modelToOnnx } from "./modelToOnnx.js";
