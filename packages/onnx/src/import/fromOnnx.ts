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
  if (model.irVersion < 3) {
    throw new ValueError(
      "fromOnnx",
      `ir_version ${model.irVersion} is not an ONNX model's (ModelProto.ir_version is 3 or more since opsets exist; 0 when missing)`,
    );
  }
  const ids = model.opsetImport.filter((o) => o.domain === "" || o.domain === "ai.onnx");
  if (ids.length === 0) throw new ValueError("fromOnnx", "the model imports no opset of the default ONNX domain");
  if (ids.length > 1) {
    throw new ValueError(
      "fromOnnx",
      `the model imports the default ONNX domain ${ids.length} times (opsets ${ids.map((o) => o.version).join(", ")})`,
    );
  }
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
  if (v.elemType === 0) {
    throw new DTypeError(
      "fromOnnx",
      `${role} '${v.name}' is not a typed tensor (no type, or a sequence, map or optional type); fromOnnx supports float32 and float64 tensors`,
    );
  }
  if (v.elemType !== DataType.FLOAT && v.elemType !== DataType.DOUBLE) {
    throw new DTypeError(
      "fromOnnx",
      `${role} '${v.name}' has type ${typeName(v.elemType)}; fromOnnx supports float32 and float64 inputs and outputs`,
    );
  }
}

/** The names graph inputs and initializers define. A name given twice in one list is an error (an initializer may also be an input). */
function definedNames(graph: GraphProto): Set<string> {
  const once = (names: string[], kind: string): Set<string> => {
    const seen = new Set<string>();
    for (const name of names) {
      if (name === "") throw new ValueError("fromOnnx", `a graph ${kind} has an empty name`);
      if (seen.has(name)) throw new ValueError("fromOnnx", `two graph ${kind}s are named '${name}'`);
      seen.add(name);
    }
    return seen;
  };
  once(
    graph.output.map((v) => v.name),
    "output",
  );
  const inits = once(
    graph.initializer.map((t) => t.name),
    "initializer",
  );
  return new Set([
    ...inits,
    ...once(
      graph.input.map((v) => v.name),
      "input",
    ),
  ]);
}

/** Checks the graph once at load: every op supported, every input defined before use, every value assigned once, every output produced. */
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
    const output = node.output[0];
    if (output === "") throw new ValueError("fromOnnx", `node ${label}: its output has an empty name`);
    if (defined.has(output)) {
      throw new ValueError(
        "fromOnnx",
        `node ${label}: output '${output}' is already defined (by a graph input, an initializer or an earlier node); ONNX assigns each name once`,
      );
    }
    defined.add(output);
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
 * or data type, malformed bytes, a name assigned twice, an attribute of the wrong type, float64 mixed with float32 in
 * one op, tensor data that does not match its dims (checked before allocating), a missing or mismatched feed: a typed
 * error whose message starts with `fromOnnx` and names the node, tensor or input.
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
  const defined = definedNames(graph);
  const constants = new Map<string, Value>();
  const params = new Map<string, Tensor>();
  for (const init of graph.initializer) {
    const value = readTensorProto(`initializer '${init.name}'`, init);
    if (value.kind === "float") params.set(init.name, value.tensor.requiresGrad_().named(init.name));
    else constants.set(init.name, value);
  }
  // Object.fromEntries defines own properties, so any name (also '__proto__') is a key like any other.
  const parameters: Record<string, Tensor> = Object.fromEntries(params);
  const inputs = graph.input.filter((v) => !params.has(v.name) && !constants.has(v.name));
  for (const v of graph.input) if (!constants.has(v.name)) checkFloatType(v, "input");
  for (const v of graph.output) checkFloatType(v, "output");
  checkGraph(graph, defined);
  const infos = new Map(graph.input.map((v) => [v.name, v]));
  const inputNames = graph.input.map((v) => v.name).filter((n) => !constants.has(n));
  const outputNames = graph.output.map((v) => v.name);

  function run(feeds: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
    if (feeds === null || typeof feeds !== "object")
      throw new ValueError("fromOnnx.run", "feeds must be an object of tensors");
    const values = new Map<string, Value>(constants);
    for (const [name, t] of params) values.set(name, { kind: "float", tensor: t });
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
    const out: Array<[string, Tensor]> = [];
    for (const info of graph.output) {
      const v = values.get(info.name);
      if (v === undefined || (v.kind !== "float" && v.kind !== "mask")) {
        throw new ValueError("fromOnnx.run", `output '${info.name}' is not a float tensor`);
      }
      const dtype = info.elemType === DataType.DOUBLE ? "float64" : "float32";
      if (v.tensor.dtype !== dtype) {
        throw new DTypeError(
          "fromOnnx.run",
          `output '${info.name}' is ${dtype} in the model, the graph computes ${v.tensor.dtype}`,
        );
      }
      out.push([info.name, v.tensor]);
    }
    return Object.fromEntries(out);
  }

  return { inputNames, outputNames, parameters, run };
}
