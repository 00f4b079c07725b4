/** toOnnx: traces a function of tensors (forward, and optionally its recorded backward graph) and writes it as an ONNX model. */
import { type DType, formatShape, nodeOf, Tensor, ValueError } from "@backprop/core";
import { type Dim, defaultOpset, GraphBuilder } from "../builder.js";
import { type LowerContext, lowerings, OnnxExportError } from "./lower.js";
import { type GradientTargets, probeValue, type SymbolSize, type Trace, traceOnce } from "./trace.js";

/** Options of `toOnnx`. */
export interface ToOnnxOptions {
  /** Graph input names (default `input_0`, …). */
  inputNames?: string[];
  /** Graph output names (default `output_0`, …). */
  outputNames?: string[];
  /** Symbolic dimensions per input, e.g. `{ X: { 1: "m" } }`; outputs get the matching symbolic dimensions. */
  dynamicAxes?: Record<string, Record<number, string>>;
  /** The opset to write (default 18; 18 to 26 load in ONNX Runtime 1.30). */
  opset?: number;
  /** The graph's name (default "backprop"). */
  name?: string;
  /** Also list the parameters as graph inputs, with their values as defaults (so a runtime can feed new weights). */
  parametersAsInputs?: boolean;
  /** Also output the gradient of the (scalar) first output with respect to the parameters, the inputs or both: `grad_<name>`. */
  gradients?: "parameters" | "inputs" | "all";
}

/** The function toOnnx traces. */
export type TracedFunction = (...inputs: Tensor[]) => Tensor | Tensor[];

function checkNames(kind: string, names: string[] | undefined, count: number, prefix: string): string[] {
  if (names === undefined) return Array.from({ length: count }, (_, i) => `${prefix}_${i}`);
  if (!Array.isArray(names) || names.length !== count || !names.every((n) => typeof n === "string" && n !== "")) {
    throw new ValueError("toOnnx", `${kind} must be ${count} non-empty strings, got ${JSON.stringify(names)}`);
  }
  if (new Set(names).size !== names.length)
    throw new ValueError("toOnnx", `${kind} must be distinct, got ${names.join(", ")}`);
  return names;
}

/** Symbols per input (axis → name) and the growth of each symbol in the probe trace (distinct, so sizes tell symbols apart). */
function symbolsOf(
  dynamicAxes: ToOnnxOptions["dynamicAxes"],
  inputs: readonly Tensor[],
  names: readonly string[],
): { perInput: Map<number, number>[]; symbols: Map<string, SymbolSize & { input: number; axis: number }> } {
  const symbols = new Map<string, SymbolSize & { input: number; axis: number }>();
  const perInput = inputs.map(() => new Map<number, number>());
  for (const [inputName, axesMap] of Object.entries(dynamicAxes ?? {})) {
    const i = names.indexOf(inputName);
    if (i < 0)
      throw new ValueError("toOnnx", `dynamicAxes names '${inputName}', which is not an input (${names.join(", ")})`);
    for (const [key, symbol] of Object.entries(axesMap)) {
      const axis = Number(key);
      const x = inputs[i];
      if (!Number.isInteger(axis) || axis < 0 || axis >= x.rank || typeof symbol !== "string" || symbol === "") {
        throw new ValueError(
          "toOnnx",
          `dynamicAxes.${inputName}: axis ${key} → ${String(symbol)} does not fit ${formatShape(x.shape)}`,
        );
      }
      const known = symbols.get(symbol);
      if (known === undefined) {
        const growth = symbols.size + 1;
        symbols.set(symbol, { name: symbol, example: x.shape[axis], probe: x.shape[axis] + growth, input: i, axis });
      } else if (known.example !== x.shape[axis]) {
        throw new ValueError(
          "toOnnx",
          `dynamic axis '${symbol}' has sizes ${known.example} and ${x.shape[axis]} in the example inputs`,
        );
      }
      perInput[i].set(axis, (symbols.get(symbol) as SymbolSize).probe - x.shape[axis]);
    }
  }
  return { perInput, symbols };
}

/**
 * Traces `f` on `exampleInputs` and writes the recorded graph as ONNX bytes. Closed-over tensors that require grad are
 * initializers named by their `.name` (`param_0`, … when unnamed). f is traced twice — on the examples and on a probe
 * with other values and other sizes along `dynamicAxes` — and a value that differs between the two traces without a
 * recorded op explaining it (a value computed outside the graph) is an `OnnxExportError`, never a baked-in constant.
 * @example
 * const bytes = toOnnx((X) => linear(W1, X, b1).tanh(), [X], { inputNames: ["X"], dynamicAxes: { X: { 1: "m" } } });
 */
export function toOnnx(f: TracedFunction, exampleInputs: Tensor[], options: ToOnnxOptions = {}): Uint8Array {
  if (typeof f !== "function") throw new ValueError("toOnnx", "expects a function of tensors");
  if (!Array.isArray(exampleInputs) || !exampleInputs.every((x) => x instanceof Tensor)) {
    throw new ValueError("toOnnx", "exampleInputs must be an array of Tensors");
  }
  const opset = options.opset ?? defaultOpset;
  if (!Number.isInteger(opset) || opset < 18 || opset > 26) {
    throw new ValueError(
      "toOnnx",
      `opset must be an integer from 18 to 26 (ONNX Runtime 1.30 loads up to 26), got ${opset}`,
    );
  }
  const targets: GradientTargets = options.gradients;
  if (targets !== undefined && !["parameters", "inputs", "all"].includes(targets)) {
    throw new ValueError("toOnnx", `gradients must be "parameters", "inputs" or "all", got ${String(targets)}`);
  }
  const inputNames = checkNames("inputNames", options.inputNames, exampleInputs.length, "input");
  const { perInput, symbols } = symbolsOf(options.dynamicAxes, exampleInputs, inputNames);
  const example = traceOnce(f, exampleInputs, inputNames, targets);
  const probe = traceOnce(
    f,
    exampleInputs.map((x, i) => probeValue(x, perInput[i])),
    inputNames,
    targets,
  );
  const outputNames = checkNames("outputNames", options.outputNames, example.outputs.length, "output");
  return write(example, probe, { ...options, opset, inputNames, outputNames }, [...symbols.values()]);
}

interface WriteOptions extends ToOnnxOptions {
  opset: number;
  inputNames: string[];
  outputNames: string[];
}

/** A tensor's label in errors: `'Z1' (4,400)` or `(4,400)`. */
function label(t: Tensor): string {
  return `${t.name ? `'${t.name}' ` : ""}${formatShape(t.shape)}`;
}

function write(
  a: Trace,
  p: Trace,
  options: WriteOptions,
  symbols: Array<SymbolSize & { input: number; axis: number }>,
): Uint8Array {
  const fail = (t: Tensor, message: string): never => {
    const op = nodeOf(t)?.op.name ?? "a constant";
    throw new OnnxExportError("toOnnx", `${op} producing ${label(t)}: ${message}`);
  };
  if (a.order.length !== p.order.length) {
    throw new OnnxExportError(
      "toOnnx",
      "the function recorded different graphs for the example and for the probe inputs: its operations depend on the input values or sizes (a data-dependent branch)",
    );
  }
  const index = new Map<Tensor, number>(a.order.map((t, i) => [t, i]));
  const probeIndex = new Map<Tensor, number>(p.order.map((t, i) => [t, i]));
  const dimsOf = new Map<Tensor, Dim[]>();
  // Pair the traces, find symbolic dimensions, and reject values computed outside the graph.
  a.order.forEach((t, i) => {
    const q = p.order[i];
    const nodeA = nodeOf(t);
    const nodeB = nodeOf(q);
    if (
      (nodeA === null) !== (nodeB === null) ||
      (nodeA && nodeB && nodeA.op.name !== nodeB.op.name) ||
      t.rank !== q.rank
    ) {
      fail(
        t,
        "the two traces differ here: the function's operations depend on the input values (a data-dependent branch)",
      );
    }
    if (nodeA && nodeB) {
      const da = nodeA.inputs.map((x) => index.get(x));
      const db = nodeB.inputs.map((x) => probeIndex.get(x));
      if (da.join() !== db.join()) fail(t, "the two traces connect this op differently (a data-dependent branch)");
    }
    const dims: Dim[] = t.shape.map((d, k) => {
      const e = q.shape[k];
      if (d === e) return d;
      const s = symbols.find((sym) => sym.example === d && sym.probe === e);
      return s
        ? s.name
        : fail(t, `dimension ${k} varies with the dynamic axes (${d} → ${e}) as no single dynamic axis does`);
    });
    dimsOf.set(t, dims);
    const isInput = a.inputs.includes(t);
    if (nodeA === null && !isInput && !a.params.includes(t) && t !== q) {
      const same = t.size === q.size && t.data.every((v, k) => Object.is(v, q.data[k]));
      if (!same) {
        const user = a.order.find(
          (u) => nodeOf(u)?.inputs.includes(t) || (nodeOf(u)?.attrs as { cond?: unknown })?.cond === t,
        );
        fail(
          user ?? t,
          `it reads a value computed from the inputs outside the recorded graph (${label(t)}, different for other inputs), so the file would hold the example's values; this op's trace is not complete yet`,
        );
      }
    }
  });

  const b = new GraphBuilder();
  const names = new Map<Tensor, string>();
  const bools = new Map<Tensor, string>();
  for (const n of options.inputNames) b.reserve(n);
  for (const n of options.outputNames) {
    if (!b.reserve(n)) {
      throw new ValueError("toOnnx", `'${n}' is both an input and an output name (ONNX assigns each name once)`);
    }
  }
  // Parameters: initializers named by .name (param_i otherwise).
  let unnamed = 0;
  const paramNames = a.params.map((t) => {
    const base = t.name || `param_${unnamed++}`; // an empty name is no name (ONNX reads '' as "absent")
    if (!b.reserve(base))
      throw new ValueError(
        "toOnnx",
        `two tensors are named '${base}' (inputs, outputs and parameters need distinct names)`,
      );
    return base;
  });
  a.inputs.forEach((t, i) => {
    if (!index.has(t)) return; // an input the outputs do not use is still a graph input
    names.set(t, options.inputNames[i]);
  });
  for (const [i, t] of a.inputs.entries()) b.input(options.inputNames[i], t.dtype, dimsOf.get(t) ?? [...t.shape]);
  a.params.forEach((t, i) => {
    b.initializer(paramNames[i], t);
    if (options.parametersAsInputs) b.input(paramNames[i], t.dtype, [...t.shape]);
    names.set(t, paramNames[i]);
  });
  const shapeSources = new Map<string, string>();
  const ctx: LowerContext = {
    b,
    name: (t) => names.get(t) ?? fail(t, "used before it was written (internal ordering error)"),
    dims: (t) => dimsOf.get(t) ?? [...t.shape],
    probe: (t) => p.order[index.get(t) ?? -1],
    shapeTensor: (dims) => {
      if (dims.every((d) => typeof d === "number")) return b.int64Constant(dims as number[]);
      const parts = dims.map((d) => {
        if (typeof d === "number") return b.int64Constant([d], [1]);
        let source = shapeSources.get(d);
        if (source === undefined) {
          const sym = symbols.find((s) => s.name === d) as (typeof symbols)[number];
          const shape = b.node("Shape", [options.inputNames[sym.input]]);
          source = b.node("Gather", [shape, b.int64Constant([sym.axis], [1], "axis")], {}, `dim_${d}`);
          shapeSources.set(d, source);
        }
        return source;
      });
      return b.node("Concat", parts, { axis: { int: 0 } }, "shape");
    },
    boolOf: (t) => bools.get(t),
    setBool: (t, name) => bools.set(t, name),
    fail,
  };
  for (const t of a.order) {
    if (names.has(t)) continue;
    const node = nodeOf(t);
    if (node === null) {
      names.set(t, b.constant(t, t.name || "const"));
      continue;
    }
    const lower = lowerings[node.op.name];
    if (lower === undefined) fail(t, `the op '${node.label}' has no ONNX lowering (custom ops cannot be exported)`);
    names.set(t, lower(ctx, t, node));
  }
  const addOutput = (t: Tensor, name: string, dtype: DType) => {
    b.node("Identity", [ctx.name(t)], {}, undefined, name);
    b.output(name, dtype, ctx.dims(t));
  };
  for (const [i, t] of a.outputs.entries()) addOutput(t, options.outputNames[i], t.dtype);
  const wrtNames =
    options.gradients === "parameters"
      ? paramNames
      : options.gradients === "inputs"
        ? options.inputNames
        : [...paramNames, ...options.inputNames];
  a.grads.forEach((g, i) => {
    const gradName = `grad_${wrtNames[i]}`;
    if (!b.reserve(gradName)) throw new ValueError("toOnnx", `the gradient output name '${gradName}' is taken`);
    addOutput(g, gradName, g.dtype);
  });
  return b.encode(options.name ?? "backprop", options.opset);
}
