/** @backprop/core/internal: engine helpers the other @backprop packages and their tests may use; not a public API, it changes without notice. */

export { topologicalOrder } from "./autodiff/backward.js";
export { setSplitWork } from "./kernels/wasm/gemmWasm.js";
export { sumToShape } from "./ops/reduce/sumToShape.js";
export { primitives } from "./ops/registry.js";
