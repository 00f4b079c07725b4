/** Arbitraries for random computational graphs (DAGs of core ops with fan-out, broadcasting, reductions and matmul). */
import {
  type DType,
  formatShape,
  mul,
  noGrad,
  type Tensor,
  type TensorFunction,
  tanh,
  ValueError,
} from "@backprop/core";
import fc from "fast-check";
import { freshEachRun } from "./fresh.js";
import {
  allGraphOpNames,
  applyOp,
  arity,
  formatNode,
  type GraphNodeSpec,
  type GraphOpName,
  graphOpNames,
  outputShape,
} from "./graphOps.js";
import { fitDims, PoolCursor, valuePool } from "./pool.js";
import { checkOptionNames, checkShape, describe, sizeOfShape } from "./shapes.js";
import { type ValueOptions, valueOptionNames } from "./tensors.js";

/** Options of `computationalGraph`. */
export interface GraphOptions {
  /** Largest number of inputs (default 3); ignored when `inputShapes` is given. */
  maxInputs?: number;
  /** Fixed input shapes (rank ≤ 2) instead of drawn ones, e.g. another graph's output shape. */
  inputShapes?: readonly (readonly number[])[];
  /** Largest number of op nodes per function (default 6; at least 1 is drawn). */
  maxNodes?: number;
  /** Largest dim of the rank-2 base shape [r, c] every node broadcasts to (default 3). */
  maxDim?: number;
  /** Ops to draw from (default: all of `graphOpNames`). */
  ops?: readonly GraphOpName[];
  /** Input values (default [-2, 2]). */
  values?: ValueOptions;
  /** dtype of the inputs (default float64). */
  dtype?: DType;
  /** "tensor" (default): the last node as is; "scalar": Σ (last node ∗ w) for fixed weights w in [0.5, 1.5]. */
  output?: "tensor" | "scalar";
  /** How many functions to draw over the same inputs (default 1); see `GraphCase.functions`. */
  functions?: number;
  /** Nodes whose values exceed this magnitude when generated are squashed by B·tanh(v/B) (default 3). */
  bound?: number;
}

/** A generated graph: its inputs, the function(s) of them, and the program text for reports. */
export interface GraphCase {
  /** Input tensors (leaves, requiresGrad false: transforms and gradcheck trace them). */
  readonly inputs: Tensor[];
  /** The first function: inputs ↦ output. */
  readonly f: TensorFunction;
  /** `options.functions` independent functions of the same inputs (f is functions[0]). */
  readonly functions: TensorFunction[];
  /** Each function's output shape. */
  readonly outputShapes: number[][];
  /** Each function as readable lines: `t3 = mul(t1, x0)  (2,1)`. */
  readonly programs: string[][];
}

type InputKind = "full" | "row" | "column" | "vector" | "scalar";
const inputKinds: readonly InputKind[] = ["full", "column", "row", "vector", "scalar"];

function inputShapeOf(kind: InputKind, [r, c]: readonly [number, number]): number[] {
  return { full: [r, c], row: [1, c], column: [r, 1], vector: [c], scalar: [] }[kind];
}

interface RawNode {
  op: GraphOpName;
  operands: number[];
  axis: 0 | 1 | null;
  k: number;
}

interface Program {
  readonly nodes: GraphNodeSpec[];
  readonly weights: Tensor | null;
}

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1)
    throw new ValueError("computationalGraph", `${name} must be a positive integer, got ${v}`);
  return v;
}

/** The base [r, c] of fixed input shapes: they must broadcast together and have rank ≤ 2. */
function baseOf(shapes: readonly (readonly number[])[]): [number, number] {
  const base: [number, number] = [1, 1];
  for (const s of shapes) {
    if (s.length > 2) {
      throw new ValueError("computationalGraph", `input shapes must have rank ≤ 2, got ${formatShape(s)}`);
    }
    const padded = [...Array(2 - s.length).fill(1), ...s];
    for (let i = 0; i < 2; i++) {
      if (padded[i] !== 1 && base[i] !== 1 && padded[i] !== base[i]) {
        throw new ValueError(
          "computationalGraph",
          `input shapes ${shapes.map(formatShape).join(", ")} do not broadcast`,
        );
      }
      if (padded[i] !== 1) base[i] = padded[i];
    }
  }
  return base;
}

/** Resolves raw node draws into specs: operand indices wrap around the nodes available so far. */
function resolve(raw: readonly RawNode[], inputShapes: readonly number[][], base: [number, number]): GraphNodeSpec[] {
  const shapes: (readonly number[])[] = [...inputShapes];
  const nodes: GraphNodeSpec[] = [];
  for (const r of raw) {
    const available = shapes.length;
    const operands = r.operands.slice(0, arity(r.op)).map((i) => available - 1 - (i % available));
    const shape = outputShape(
      r.op,
      operands.map((i) => shapes[i]),
      r.axis,
      base,
    );
    nodes.push({ op: r.op, operands, axis: r.axis, k: r.k, shape, squash: false });
    shapes.push(shape);
  }
  return nodes;
}

/** Runs a program; with `markSquash`, decides which nodes need squashing on these values. */
function run(program: Program, inputs: readonly Tensor[], base: [number, number], bound: number, markSquash = false) {
  const values: Tensor[] = [...inputs];
  for (const node of program.nodes) {
    let v = applyOp(
      node,
      node.operands.map((i) => values[i]),
      base,
    );
    if (markSquash) {
      let largest = 0;
      for (const x of v.data) largest = Math.max(largest, Math.abs(x));
      node.squash = !(largest <= bound);
    }
    if (node.squash) v = mul(tanh(v.div(bound)), bound);
    values.push(v);
  }
  const last = values[values.length - 1];
  return program.weights === null ? last : mul(last, program.weights).sum();
}

function rawNode(ops: readonly GraphOpName[]): fc.Arbitrary<RawNode> {
  return fc.record({
    op: fc.constantFrom(...ops),
    // Small operand offsets counted back from the newest node: shrinking makes chains, drawing makes fan-out.
    operands: fc.array(fc.nat({ max: 7 }), { minLength: 3, maxLength: 3 }),
    axis: fc.constantFrom<0 | 1 | null>(null, 0, 1),
    k: fc.constantFrom(0.5, -1, 2, -0.5, 1.5),
  });
}

const graphOptionNames = [
  "maxInputs",
  "inputShapes",
  "maxNodes",
  "maxDim",
  "ops",
  "values",
  "dtype",
  "output",
  "functions",
  "bound",
];

/** Throws a ValueError naming computationalGraph unless the options are known names with usable values. */
function checkGraphOptions(options: GraphOptions): void {
  const op = "computationalGraph";
  checkOptionNames(op, options, graphOptionNames);
  if (options.values !== undefined) checkOptionNames(op, options.values, valueOptionNames, "values");
  const { ops, output, dtype, inputShapes } = options;
  if (ops !== undefined) {
    if (!Array.isArray(ops)) throw new ValueError(op, `ops must be an array of op names, got ${describe(ops)}`);
    for (const name of ops) {
      if (!allGraphOpNames.includes(name)) throw new ValueError(op, `unknown op ${describe(name)} in ops`);
    }
  }
  if (output !== undefined && output !== "tensor" && output !== "scalar") {
    throw new ValueError(op, `output must be "tensor" or "scalar", got ${describe(output)}`);
  }
  if (dtype !== undefined && dtype !== "float64" && dtype !== "float32") {
    throw new ValueError(op, `unknown dtype ${describe(dtype)}`);
  }
  if (inputShapes !== undefined) {
    if (!Array.isArray(inputShapes)) {
      throw new ValueError(op, `inputShapes must be an array of shapes, got ${describe(inputShapes)}`);
    }
    for (const s of inputShapes) {
      checkShape(op, s);
      if (s.length > 2) throw new ValueError(op, `inputShapes must have rank ≤ 2, got ${formatShape(s)}`);
    }
  }
}

/**
 * Random computational graphs: a base shape [r, c], inputs broadcastable to it (full, column, row,
 * vector or scalar), then up to `maxNodes` op nodes, each reading any earlier node or input (shared
 * subexpressions and fan-out), through elementwise ops with broadcasting, reductions with
 * keepdims, an explicit broadcastTo, reshapes and a matmul node A·(Bᵀ·C). Structure is drawn before
 * values, so failures shrink to few nodes over 1×1 inputs; the printed case lists the program.
 * @example test.prop([computationalGraph()])("gradcheck", ({ f, inputs }) => { assertGradcheck(f, inputs, { allowUnused: true }); });
 */
export function computationalGraph(options: GraphOptions = {}): fc.Arbitrary<GraphCase> {
  checkGraphOptions(options);
  const maxInputs = positive("maxInputs", options.maxInputs ?? 3);
  const maxNodes = positive("maxNodes", options.maxNodes ?? 6);
  const maxDim = positive("maxDim", options.maxDim ?? 3);
  const functions = positive("functions", options.functions ?? 1);
  const ops = options.ops ?? graphOpNames;
  if (ops.length === 0) throw new ValueError("computationalGraph", "ops must not be empty");
  const bound = options.bound ?? 3;
  if (!(bound > 0)) throw new ValueError("computationalGraph", `bound must be positive, got ${bound}`);
  const dtype = options.dtype ?? "float64";
  const values: ValueOptions = { min: -2, max: 2, ...options.values, dtype };
  const scalar = options.output === "scalar";

  const fixed = options.inputShapes?.map((s) => [...s]);
  if (fixed !== undefined && fixed.length === 0)
    throw new ValueError("computationalGraph", "inputShapes must not be empty");
  const structure = fc.record({
    base: fixed
      ? fc.constant(baseOf(fixed))
      : fc.tuple(fc.integer({ min: 1, max: maxDim }), fc.integer({ min: 1, max: maxDim })),
    kinds: fixed
      ? fc.constant([] as InputKind[])
      : fc.array(fc.constantFrom(...inputKinds), { minLength: 1, maxLength: maxInputs }),
    raws: fc.array(fc.array(rawNode(ops), { minLength: 1, maxLength: maxNodes }), {
      minLength: functions,
      maxLength: functions,
    }),
  });
  // Values come from pools drawn beside the structure, and [r, c] is fitted to them (see pool.ts).
  const fixedSize = fixed?.reduce((n, s) => n + sizeOfShape(s), 0);
  const inputPool = valuePool(values, fixedSize ?? maxInputs, fixedSize ?? maxInputs * maxDim * maxDim);
  const weightCap = fixed ? functions * sizeOfShape(baseOf(fixed)) : functions * maxDim * maxDim;
  const weightPool = scalar ? valuePool({ min: 0.5, max: 1.5, dtype }, functions, weightCap) : fc.constant([]);

  return fc.tuple(structure, inputPool, weightPool).map(([{ base: drawn, kinds, raws }, xs, ws]) =>
    freshEachRun(() => {
      const layout = (base: [number, number]) => {
        const shapes = fixed ?? kinds.map((k) => inputShapeOf(k, base));
        const specs = raws.map((raw) => resolve(raw, shapes, base));
        return { shapes, specs, lastShapes: specs.map((nodes) => [...nodes[nodes.length - 1].shape]) };
      };
      const needs = (d: readonly number[]) => {
        const { shapes, lastShapes } = layout([d[0], d[1]]);
        const total = (list: number[][]) => list.reduce((n, s) => n + sizeOfShape(s), 0);
        return [total(shapes), scalar ? total(lastShapes) : 0];
      };
      const [r, c] = fixed ? drawn : fitDims(drawn, [1, 1], needs, [xs.length, ws.length]);
      const base: [number, number] = [r, c];
      const { shapes, specs, lastShapes } = layout(base);
      const inputCursor = new PoolCursor(xs, dtype);
      const weightCursor = new PoolCursor(ws, dtype);
      const inputs = shapes.map((s) => inputCursor.tensor(s));
      const programs: Program[] = specs.map((nodes, i) => ({
        nodes,
        weights: scalar ? weightCursor.tensor(lastShapes[i]) : null,
      }));
      // Decide the squashing once, on the generated values; the structure is then fixed.
      noGrad(() => {
        for (const p of programs) run(p, inputs, base, bound, true);
      });
      return makeCase(inputs, programs, base, bound);
    }),
  );
}

function makeCase(inputs: Tensor[], programs: Program[], base: [number, number], bound: number): GraphCase {
  const functions = programs.map(
    (p) =>
      (...xs: Tensor[]) =>
        run(p, xs, base, bound),
  );
  const text = programs.map((p) => {
    const names = inputs.map((_, i) => `x${i}`);
    const lines = p.nodes.map((node, j) => {
      const target = `t${inputs.length + j}`;
      const line = formatNode(node, names, target, bound);
      names.push(target);
      return line;
    });
    if (p.weights !== null) lines.push(`out = sum(${names[names.length - 1]} ∗ w), w = ${p.weights.toString()}`);
    return lines;
  });
  const outputShapes = programs.map((p) => (p.weights === null ? [...p.nodes[p.nodes.length - 1].shape] : []));
  const graphCase: GraphCase = { inputs, f: functions[0], functions, outputShapes, programs: text };
  // fast-check prints counterexamples through this method: the programs and the input values.
  Object.defineProperty(graphCase, fc.toStringMethod, {
    value: () =>
      [
        ...inputs.map((x, i) => `x${i} = ${x.toString()}`),
        ...text.map((lines, i) => `f${i}:\n  ${lines.join("\n  ")}`),
      ].join("\n"),
  });
  return graphCase;
}
