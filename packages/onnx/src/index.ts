/** @backprop/onnx: ONNX export of layers models and import of ONNX models onto backprop's graph; bytes in and out, browser-safe. */

export { OnnxExportError } from "./export/lower.js";
export { type ToOnnxOptions, type TracedFunction, toOnnx } from "./export/toOnnx.js";
export { fromOnnx, type OnnxModel } from "./import/fromOnnx.js";
export { type LayersModel, type ModelToOnnxOptions, modelToOnnx } from "./modelToOnnx.js";
