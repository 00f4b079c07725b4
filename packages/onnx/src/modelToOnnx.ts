/** modelToOnnx: writes a @backprop/layers model's forward pass (its output probabilities) as an ONNX model. */
import { type DType, type Tensor, ValueError } from "@backprop/core";
import { type Activation, Dense, LogisticRegression, Sequential, TwoLayerNet } from "@backprop/layers";
import { type AttributeValue, defaultOpset, GraphBuilder } from "./builder.js";
import { leakyRelu, stableSigmoid } from "./lowerings.js";

/** Options of `modelToOnnx`. */
export interface ModelToOnnxOptions {
  /** The graph input's name (default "X"), shape (n_x, batchAxis). */
  inputName?: string;
  /** The graph output's name (default "A"), shape (n_y, batchAxis). */
  outputName?: string;
  /** The symbolic name of the batch (column) dimension (default "m"). */
  batchAxis?: string;
  /** The graph's name (default the model's class name). */
  name?: string;
}

/** The models modelToOnnx writes. */
export type LayersModel = LogisticRegression | TwoLayerNet | Sequential | Dense;

interface LayerSpec {
  W: Tensor;
  b: Tensor;
  /** Whether W is stored transposed (LogisticRegression's w is (n_x, 1)). */
  transW: boolean;
  activation: Activation;
  /** Z's name (Z1, …) for the intermediate values. */
  suffix: string;
}

const sigmoidActivation = { name: "sigmoid" } as Activation;

function layersOf(model: LayersModel): { layers: LayerSpec[]; className: string } {
  if (model instanceof LogisticRegression) {
    return {
      layers: [{ W: model.w, b: model.b, transW: true, activation: sigmoidActivation, suffix: "" }],
      className: "LogisticRegression",
    };
  }
  if (model instanceof TwoLayerNet) {
    return {
      layers: [
        { W: model.W1, b: model.b1, transW: false, activation: model.hiddenActivation, suffix: "1" },
        { W: model.W2, b: model.b2, transW: false, activation: sigmoidActivation, suffix: "2" },
      ],
      className: "TwoLayerNet",
    };
  }
  const dense = model instanceof Sequential ? model.layers : model instanceof Dense ? [model] : null;
  if (dense === null) {
    throw new ValueError(
      "modelToOnnx",
      "expected a LogisticRegression, TwoLayerNet, Sequential (mlp) or Dense; for any other function use toOnnx",
    );
  }
  return {
    layers: dense.map((d: Dense) => ({ W: d.W, b: d.b, transW: false, activation: d.activation, suffix: d.name })),
    className: model instanceof Sequential ? "Sequential" : "Dense",
  };
}

function applyActivation(b: GraphBuilder, g: Activation, z: string, dtype: DType, layer: number, out?: string): string {
  switch (g.name) {
    case "sigmoid":
      return stableSigmoid(b, z, dtype, out);
    case "tanh":
      return b.node("Tanh", [z], {}, undefined, out);
    case "relu":
      return b.node("Relu", [z], {}, undefined, out);
    case "leakyRelu":
      if ("slope" in g && typeof g.slope === "number") return leakyRelu(b, z, g.slope, dtype, out);
      break;
    case "linear":
      return out === undefined ? z : b.node("Identity", [z], {}, undefined, out);
    case "softmax":
      // Classes are rows, examples columns: normalise each column (opset ≥ 13 Softmax works on one axis).
      return b.node("Softmax", [z], { axis: { int: 0 } }, undefined, out);
  }
  throw new ValueError(
    "modelToOnnx",
    `layer ${layer}'s activation "${g.name}" has no ONNX lowering (built in: sigmoid, tanh, relu, leakyRelu, linear, softmax)`,
  );
}

/**
 * The model's forward pass A = f(X) as ONNX bytes: X is (n_x, m) with m symbolic (examples are columns),
 * W and b are initializers named as in the model (W1, b1, …), each layer a Gemm and a stable activation.
 * @example
 * const bytes = modelToOnnx(net); // run it in ONNX Runtime: session.run({ X }) → { A }
 */
export function modelToOnnx(model: LayersModel, options: ModelToOnnxOptions = {}): Uint8Array {
  const { inputName = "X", outputName = "A", batchAxis = "m" } = options;
  for (const [key, value] of [
    ["inputName", inputName],
    ["outputName", outputName],
    ["batchAxis", batchAxis],
  ] as const) {
    if (typeof value !== "string" || value === "") {
      throw new ValueError("modelToOnnx", `${key} must be a non-empty string, got ${String(value)}`);
    }
  }
  if (inputName === outputName) throw new ValueError("modelToOnnx", `inputName and outputName are both "${inputName}"`);
  const { layers, className } = layersOf(model);
  const dtype = layers[0].W.dtype;
  const b = new GraphBuilder();
  for (const name of [inputName, outputName]) b.reserve(name);
  const nIn = layers[0].transW ? layers[0].W.shape[0] : layers[0].W.shape[1];
  let A = b.input(inputName, dtype, [nIn, batchAxis]);
  layers.forEach((layer, l) => {
    const W = layer.W.name || `W${l + 1}`;
    const bias = layer.b.name || `b${l + 1}`;
    for (const [name, t] of [
      [W, layer.W],
      [bias, layer.b],
    ] as const) {
      if (!b.reserve(name)) throw new ValueError("modelToOnnx", `two tensors of the model are named "${name}"`);
      if (t.dtype !== dtype) {
        throw new ValueError("modelToOnnx", `${name} is ${t.dtype} but ${layers[0].W.name} is ${dtype}`);
      }
      b.initializer(name, t);
    }
    const transA: Record<string, AttributeValue> = layer.transW ? { transA: { int: 1 } } : {};
    const Z = b.node("Gemm", [W, A, bias], transA, `Z${layer.suffix}`);
    const last = l === layers.length - 1;
    A = applyActivation(b, layer.activation, Z, dtype, l + 1, last ? outputName : undefined);
  });
  const nOut = layers[layers.length - 1].transW ? 1 : layers[layers.length - 1].W.shape[0];
  b.output(outputName, dtype, [nOut, batchAxis]);
  return b.encode(options.name ?? className, defaultOpset);
}
