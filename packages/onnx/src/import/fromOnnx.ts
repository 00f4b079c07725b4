/** fromOnnx: loads an ONNX model onto backprop's graph, so its outputs are differentiable with respect to feeds and initializers. */
import { DTypeError, formatShape, ShapeError, Tensor, ValueError } from "@backprop/core";
import { decodeModel } from "../proto/decode.js";
import { DataType, type GraphProto, type ModelProto, type ValueInfoProto } from "../proto/types.js";
import { readTensorProto, typeName } from "../tensorData.js";
import { importOps } from "./ops.js";
import { inNode, NodeContext, nodeLabel, type Value } from "./values.js";

/** The opsets of the default domain fromOnnx reads. */
export const importOpsets = { min: 13, max: 18 } as const;

/** A model loaded by `fromOnnx`. */
export interface OnnxModel {
  /** The graph inputs a caller feeds (initializers that are also inputs are optional feeds). */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Float initializers as leaf tensors that require grad, by initializer name. */
  readonly parameters: Readonly<Record<string, Tensor>>;
  /** Runs the graph with backprop's ops, recorded: `.backward()` on an output fills the feeds' and parameters' `.grad`. */
  run(feeds: Readonly<Record<string, Tensor>>): Record<string, Tensor>;
}

function opsetOf(model: ModelProto): number {
  const ids = model.opsetImport.filter((o) => o.domain === "" || o.domain === "ai.onnx");
  if (ids.length !== 1) throw new ValueError("fromOnnx", "the model imports no opset of the default ONNX domain");
  const { version } = ids[0];
  if (version < importOpsets.min || version > importOpsets.max) {
    throw new ValueError(
      "fromOnnx",
      `opset ${version} is not supported (fromOnnx reads opsets ${importOpsets.min}–${importOpsets.max})`,
    );
  }
  return version;
}

function checkFloatType(v: ValueInfoProto, role: string): void {
  if (v.elemType !== DataType.FLOAT && v.elemType !== DataType.DOUBLE) {
    throw new DTypeError(
      "fromOnnx",
      `${role} '${v.name}' has type ${typeName(v.elemType)}; fromOnnx supports float32 and float64 inputs and outputs`,
    );
  }
}

/** Checks the graph once at load: every op supported, every input defined before use, every output produced. */
function checkGraph(graph: GraphProto, defined: Set<string>): void {
  if (graph.sparseInitializers > 0) throw new ValueError("fromOnnx", "sparse initializers are not supported");
  graph.node.forEach((node, i) => {
    const label = nodeLabel(node, i);
    if ((node.domain !== "" && node.domain !== "ai.onnx") || !Object.hasOwn(importOps, node.opType)) {
      const domain = node.domain && node.domain !== "ai.onnx" ? ` of domain ${node.domain}` : "";
      throw new ValueError(
        "fromOnnx",
        `node ${label}: op ${node.opType}${domain} is not supported; supported ops: ${Object.keys(importOps).join(", ")}`,
      );
    }
    for (const input of node.input) {
      if (input !== "" && !defined.has(input)) {
        throw new ValueError(
          "fromOnnx",
          `node ${label}: input '${input}' is not defined by an earlier node, an input or an initializer`,
        );
      }
    }
    if (node.output.length !== 1) {
      throw new ValueError("fromOnnx", `node ${label}: has ${node.output.length} outputs; fromOnnx supports one`);
    }
    defined.add(node.output[0]);
  });
  for (const output of graph.output) {
    if (!defined.has(output.name)) throw new ValueError("fromOnnx", `graph output '${output.name}' is never computed`);
  }
}

/** Checks one feed against the declared input: a Tensor of the declared dtype, rank and fixed dimensions. */
function checkFeed(info: ValueInfoProto, feed: unknown): Tensor {
  if (!(feed instanceof Tensor)) throw new ValueError("fromOnnx.run", `feed '${info.name}' must be a Tensor`);
  const dtype = info.elemType === DataType.DOUBLE ? "float64" : "float32";
  if (feed.dtype !== dtype) {
    throw new DTypeError("fromOnnx.run", `input '${info.name}' is ${dtype} in the model, the feed is ${feed.dtype}`);
  }
  const shape = info.shape;
  if (shape !== undefined) {
    const declared = `(${shape.map((d) => d.value ?? d.param ?? "?").join(",")})`;
    const fits =
      shape.length === feed.rank && shape.every((d, i) => d.value === undefined || d.value === feed.shape[i]);
    if (!fits) {
      throw new ShapeError(
        "fromOnnx.run",
        `input '${info.name}' has shape ${declared} in the model, the feed is ${formatShape(feed.shape)}`,
      );
    }
  }
  return feed;
}

/**
 * Loads ONNX bytes. Float initializers become `parameters` (leaf tensors that require grad); `run(feeds)` computes the
 * outputs with backprop's ops, so gradients flow to parameters and to feeds that require grad. An unsupported op, opset
 * or data type, malformed bytes, a missing or mismatched feed: a typed error naming the node or the input.
 * @example
 * const model = fromOnnx(bytes);
 * const { A } = model.run({ X });
 * A.sum().backward(); // model.parameters.W1.grad
 */
export function fromOnnx(bytes: Uint8Array): OnnxModel {
  if (!(bytes instanceof Uint8Array)) throw new ValueError("fromOnnx", "expected the model's bytes as a Uint8Array");
  const model = decodeModel(bytes);
  const opset = opsetOf(model);
  const graph = model.graph;
  const constants = new Map<string, Value>();
  const parameters: Record<string, Tensor> = {};
  for (const init of graph.initializer) {
    const value = readTensorProto(`initializer '${init.name}'`, init);
    if (value.kind === "float") {
      parameters[init.name] = value.tensor.requiresGrad_().named(init.name);
    } else constants.set(init.name, value);
  }
  const inputs = graph.input.filter((v) => !Object.hasOwn(parameters, v.name) && !constants.has(v.name));
  for (const v of graph.input) if (!constants.has(v.name)) checkFloatType(v, "input");
  for (const v of graph.output) checkFloatType(v, "output");
  checkGraph(graph, new Set([...graph.input.map((v) => v.name), ...Object.keys(parameters), ...constants.keys()]));
  const infos = new Map(graph.input.map((v) => [v.name, v]));
  const inputNames = graph.input.map((v) => v.name).filter((n) => !constants.has(n));
  const outputNames = graph.output.map((v) => v.name);

  function run(feeds: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
    if (feeds === null || typeof feeds !== "object")
      throw new ValueError("fromOnnx.run", "feeds must be an object of tensors");
    const values = new Map<string, Value>(constants);
    for (const [name, t] of Object.entries(parameters)) values.set(name, { kind: "float", tensor: t });
    for (const name of Object.keys(feeds)) {
      const info = infos.get(name);
      if (info === undefined) {
        throw new ValueError("fromOnnx.run", `unknown input '${name}'; the model's inputs: ${inputNames.join(", ")}`);
      }
      values.set(name, { kind: "float", tensor: checkFeed(info, feeds[name]) });
    }
    for (const v of inputs) {
      if (!Object.hasOwn(feeds, v.name)) throw new ValueError("fromOnnx.run", `missing feed for input '${v.name}'`);
    }
    graph.node.forEach((node, i) => {
      const label = nodeLabel(node, i);
      const ctx = new NodeContext(
        node,
        label,
        node.input.map((n) => (n === "" ? undefined : values.get(n))),
        opset,
      );
      try {
        values.set(node.output[0], importOps[node.opType](ctx));
      } catch (e) {
        inNode(label, e);
      }
    });
    const out: Record<string, Tensor> = {};
    for (const name of outputNames) {
      const v = values.get(name);
      if (v === undefined || (v.kind !== "float" && v.kind !== "mask")) {
        throw new ValueError("fromOnnx.run", `output '${name}' is not a float tensor`);
      }
      out[name] = v.tensor;
    }
    return out;
  }

  return { inputNames, outputNames, parameters, run };
}
