/** traceBackward: the backward steps the engine runs for a graph, as readable course-notation lines ("dZ2 (1×400) ← dA2 ∗ σ′(Z2)"). */
import { broadcastsInput, type GraphNode } from "../autodiff/node.js";
import { ValueError } from "../errors.js";
import { Tensor } from "../tensor.js";
import { collectGraph, conditionOf, displayName, formatDims } from "./graph.js";

/** One backward step: the gradient of `tensor` (or a contribution to it) from a local derivative. */
export interface BackwardStep {
  /** The gradient computed: `"dZ2"`. */
  readonly target: string;
  /** The tensor it is the gradient of: `"Z2"`. */
  readonly tensor: string;
  readonly shape: readonly number[];
  /** The gradient whose rules this step applies: `"dA2"` (in the named view, the nearest named tensor's). */
  readonly from: string;
  /** The op(s) whose backward rules give it, in the order they run (`["add", "matmul"]` through an unnamed intermediate). */
  readonly ops: readonly string[];
  /** What the step reads: upstream gradients first, then forward tensors. */
  readonly inputs: readonly string[];
  /** The local derivative with the tensors' names filled in: `"dA2 ∗ σ′(Z2) = dA2 ∗ A2(1 − A2)"`. */
  readonly formula: string;
  /** True when this adds to a gradient an earlier step started (a tensor used more than once). */
  readonly accumulates: boolean;
  /** `"dZ2 (1×400) ← dA2 ∗ σ′(Z2) = dA2 ∗ A2(1 − A2)"` (`+=` instead of `←` when `accumulates`). */
  readonly text: string;
}

/** Options for `traceBackward`. */
export interface TraceOptions {
  /**
   * `"named"` (default): one step per named tensor and parameter, composing the rules of unnamed
   * intermediates into its formula (name intermediates with `.named()` to see them as steps).
   * `"ops"`: one step per primitive rule and input, exactly in the engine's order.
   */
  view?: "named" | "ops";
  /** Longest composed formula shown in the named view; longer ones are summarised by their ops. Default 160. */
  maxFormulaLength?: number;
}

/** A gradient expression: its text, whether it needs parentheses, what it reads, the ops it went through. */
interface Expr {
  readonly text: string;
  readonly atomic: boolean;
  readonly reads: Trail<string>;
  readonly nodes: Trail<GraphNode>;
  /** Too long to show: summarised as "dJ through mul → sum → …". */
  readonly opaque: boolean;
  /** The seed dJ = 1 of a scalar output, which a custom op's `dz ∗ (…)` formula leaves out. */
  readonly unit?: boolean;
}

/** What an expression read or went through: its parts' items, then its own, sharing the parts (copies made a chain of n ops O(n²)). */
interface Trail<T> {
  readonly parts: readonly Trail<T>[];
  readonly own: readonly T[];
}
const trail = <T>(own: readonly T[], ...parts: Trail<T>[]): Trail<T> => ({ parts, own });

/** A trail's items in order, each once (iterative: a trail is as deep as the graph). */
function items<T>(root: Trail<T>): T[] {
  const out = new Set<T>();
  const seen = new Set<Trail<T>>();
  const stack: [Trail<T>, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const part = top[0].parts[top[1]++];
    if (part === undefined) {
      stack.pop();
      for (const x of top[0].own) out.add(x);
    } else if (!seen.has(part)) {
      seen.add(part);
      stack.push([part, 0]);
    }
  }
  return [...out];
}

/** A one-letter symbol, optionally with a leading d (a gradient), not part of a longer word ("2x" counts). */
const SYMBOL = /(?<![A-Za-z_])d[A-Za-z](?![A-Za-z0-9_])/;
const SYMBOLS = /(?<![A-Za-z_])(d?)([A-Za-z])(?![A-Za-z0-9_])/g;

/** Splits a formula at its top-level commas: "dz ∗ b, dz ∗ a" → ["dz ∗ b", "dz ∗ a"]. */
function topLevelParts(formula: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < formula.length; i++) {
    const ch = formula[i];
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(formula.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(formula.slice(start).trim());
  return parts;
}

/** The part of an op's formula that gives input `j`'s gradient, without a leading "dA = ". */
function formulaFor(node: GraphNode, j: number): string {
  const parts = topLevelParts(node.op.formula);
  const part = parts.length === node.inputs.length ? parts[j] : node.op.formula;
  return part.replace(/^d[A-Za-z]\w*\s*=\s*/, "");
}

/**
 * Fills the tensors' names into a formula. The primitives' formulas use one convention: a
 * `d`-letter token (dz, da, dC) is the upstream gradient; in a one-input op x and z are the input
 * and a the output; in a two-input op a and b (A and B) are the inputs and C the output; in
 * linear, W, X and b are the inputs and Z the output; c is where's condition.
 */
function substitute(node: GraphNode, j: number, upstream: Expr, names: ReadonlyMap<Tensor, string>): Expr {
  const full = formulaFor(node, j);
  const formula = withoutUnitFactor(node, full, upstream);
  const { inputs, output } = node;
  const nameOf = (t: Tensor): string => names.get(t) as string;
  const symbols = new Map<string, Tensor>();
  if (inputs.length === 1) {
    symbols.set("x", inputs[0]).set("z", inputs[0]).set("a", output);
  } else if (node.op.name === "linear") {
    symbols.set("W", inputs[0]).set("X", inputs[1]).set("b", inputs[2]).set("Z", output);
  } else {
    symbols.set("a", inputs[0]).set("A", inputs[0]).set("b", inputs[1]).set("B", inputs[1]).set("C", output);
  }
  // where's condition is an attribute, not an input: shown by its name (Y in a cost) when it is in the graph.
  const cond = conditionOf(node.output);
  if (cond !== null) symbols.set("c", cond);
  const reads: string[] = [];
  const up = upstream.atomic ? upstream.text : `(${upstream.text})`;
  const read = (name: string) => {
    if (!reads.includes(name)) reads.push(name);
    return name;
  };
  let text: string;
  let atomic = false;
  if (/^d[A-Za-z]$/.test(formula)) {
    // The rule passes the gradient through unchanged (add's dz).
    text = upstream.text;
    atomic = upstream.atomic;
  } else if (formula !== full || SYMBOL.test(formula)) {
    text = formula.replace(SYMBOLS, (whole, d: string, letter: string, at: number) => {
      // A whole argument of a function call, as in where(c, dz, 0), needs no parentheses of its own.
      if (d === "d") return isArgument(formula, at, whole.length) ? upstream.text : up;
      const t = symbols.get(letter);
      return t === undefined ? whole : read(nameOf(t));
    });
  } else {
    // A custom op's default formula is just its name with a prime ("swish′"): apply it to the inputs.
    const args = inputs.map((x) => read(nameOf(x)));
    text = `${up} ∗ ${formula}${formula.includes("(") ? "" : `(${args.join(", ")})`}`;
  }
  const input = inputs[j];
  // A custom op's formula is its author's, in the input's shape: the engine's sum back (if any) is not shown.
  if (broadcastsInput(node.op, j) && node.op.name !== "custom" && !sameShape(input.shape, output.shape)) {
    text = `${sumLabel(input.shape, output.shape)} ${atomic ? text : `(${text})`}`;
    atomic = false;
  }
  return {
    text,
    atomic,
    reads: trail(reads, upstream.reads),
    nodes: trail([node], upstream.nodes),
    opaque: upstream.opaque,
  };
}

/**
 * A custom op's formula `dz ∗ (F)` applied to the seed dJ = 1 of a scalar output reads as F, as the course
 * writes a cost's derivative (binaryCrossEntropy's dA2 ← −(Y/A2 − (1 − Y)/(1 − A2))/m).
 */
function withoutUnitFactor(node: GraphNode, formula: string, upstream: Expr): string {
  if (node.op.name !== "custom" || upstream.unit !== true) return formula;
  const factor = /^d[A-Za-z] ∗ \((.*)\)$/s.exec(formula);
  return factor !== null && balanced(factor[1]) ? factor[1] : formula;
}

/** Whether every parenthesis in `text` closes in order (so "(F)" wraps all of F, not "(a) ∗ (b)"). */
function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === "(") depth++;
    else if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

/** Whether formula[at, at + length) is a whole argument: between "(" or "," and ")" or ",". */
function isArgument(formula: string, at: number, length: number): boolean {
  const before = formula.slice(0, at).trimEnd().slice(-1);
  const after = formula.slice(at + length).trimStart()[0];
  return (before === "(" || before === ",") && (after === ")" || after === ",");
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** "Σ_axis1" / "Σ_axes0,1": the sum over the axes an input was broadcast along, as the engine does it. */
function sumLabel(input: readonly number[], output: readonly number[]): string {
  const lead = output.length - input.length;
  const axes: number[] = [];
  for (let i = 0; i < output.length; i++) {
    if (i < lead || (input[i - lead] === 1 && output[i] !== 1)) axes.push(i);
  }
  if (axes.length === output.length) return "Σ";
  return axes.length === 1 ? `Σ_axis${axes[0]}` : `Σ_axes${axes.join(",")}`;
}

/** e1 + e2: two contributions to the same gradient. */
function plus(a: Expr, b: Expr): Expr {
  return {
    text: `${a.text} + ${b.text}`,
    atomic: false,
    reads: trail([], a.reads, b.reads),
    nodes: trail([], a.nodes, b.nodes),
    opaque: a.opaque || b.opaque,
  };
}

/** The graph being traced: tensors in topological order, their positions and display names. */
interface TraceGraph {
  readonly root: Tensor;
  readonly tensors: readonly Tensor[];
  readonly ids: ReadonlyMap<Tensor, number>;
  readonly names: ReadonlyMap<Tensor, string>;
}

function makeStep(g: TraceGraph, target: Tensor, expr: Expr, accumulates: boolean, source: Tensor): BackwardStep {
  const name = g.names.get(target) as string;
  // The rules applied, in the engine's order (reverse topological order of the nodes' outputs).
  const ops = items(expr.nodes)
    .sort((x, y) => (g.ids.get(y.output) as number) - (g.ids.get(x.output) as number))
    .map((n) => n.label);
  const from = `d${g.names.get(source)}`;
  const listed =
    ops.length <= 12
      ? ops.join(", ")
      : `${ops.slice(0, 5).join(", ")}, …, ${ops.slice(-5).join(", ")} (${ops.length} rules)`;
  const formula = expr.opaque ? `${from} through ${listed}` : expr.text;
  const text = `d${name} (${formatDims(target.shape)}) ${accumulates ? "+=" : "←"} ${formula}`;
  return {
    target: `d${name}`,
    tensor: name,
    shape: target.shape.slice(),
    from,
    ops,
    inputs: items(expr.reads),
    formula,
    accumulates,
    text,
  };
}

/**
 * The backward steps for `output`: which local derivative each one applies, with the tensors'
 * names (unnamed ones are `t<id>`, their `graphOf` id). It reads the recorded graph only, so it
 * works before or after `backward()`. The formulas are autodiff's exact ∂J/∂· (the course's
 * per-example dZ, dA are m times these; the 1/m appears in the cost's step).
 *
 * In the default named view, steps from the same upstream gradient are independent; they are
 * listed parameters first, in the order they appear in the forward expression, which is the
 * course's order: dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1 for a two-layer net.
 *
 * @example
 * const Z1 = W1.matmul(X).add(b1).named("Z1"); // ... A1, Z2, A2, J named likewise
 * for (const step of traceBackward(J)) console.log(step.text);
 * // dZ2 (1×400) ← dA2 ∗ σ′(Z2) = dA2 ∗ A2(1 − A2)
 * // dW2 (1×4) ← dZ2·A1ᵀ
 * // db2 (1×1) ← Σ_axis1 dZ2
 * // dA1 (4×400) ← W2ᵀ·dZ2
 * // ...
 */
export function traceBackward(output: Tensor, options: TraceOptions = {}): BackwardStep[] {
  const view = options.view ?? "named";
  if (view !== "named" && view !== "ops") {
    throw new ValueError("traceBackward", `view must be "named" or "ops", got ${JSON.stringify(view)}`);
  }
  const { tensors, ids } = collectGraph("traceBackward", output);
  const names = new Map<Tensor, string>();
  for (const t of tensors) names.set(t, displayName(t, ids.get(t) as number));
  if (!output.requiresGrad) return [];
  const graph: TraceGraph = { root: output, tensors, ids, names };
  return view === "ops" ? opsView(graph) : namedView(graph, options.maxFormulaLength ?? 160, output);
}

/** The gradient of `t` itself, as the upstream symbol of the rules below it: `dZ2`. */
function gradOf(g: TraceGraph, t: Tensor): Expr {
  const text = `d${g.names.get(t)}`;
  const unit = t === g.root && t.size === 1;
  return { text, atomic: true, reads: trail([text]), nodes: trail([]), opaque: false, unit };
}

/** One step per (node, input that requires grad), in the engine's order. */
function opsView(g: TraceGraph): BackwardStep[] {
  const { tensors, names } = g;
  const steps: BackwardStep[] = [];
  const started = new Set<Tensor>();
  for (let i = tensors.length - 1; i >= 0; i--) {
    const t = tensors[i];
    const node = t._node;
    if (node === null) continue;
    node.inputs.forEach((input, j) => {
      if (!input.requiresGrad) return;
      steps.push(makeStep(g, input, substitute(node, j, gradOf(g, t), names), started.has(input), t));
      started.add(input);
    });
  }
  return steps;
}

/**
 * For each named tensor (in the engine's order), the gradients it sends to the next named tensors
 * and parameters, composing the rules of the unnamed intermediates in between.
 */
function namedView(g: TraceGraph, maxLength: number, root: Tensor): BackwardStep[] {
  const { tensors, names } = g;
  const shown = (t: Tensor) => t === root || t._node === null || t.name !== undefined;
  const steps: BackwardStep[] = [];
  const started = new Set<Tensor>();
  for (let s = tensors.length - 1; s >= 0; s--) {
    const source = tensors[s];
    if (source._node === null || !shown(source)) continue;
    // Propagate through the unnamed region below `source`, in the engine's (reverse topological) order.
    const exprs = new Map<Tensor, Expr>([[source, gradOf(g, source)]]);
    let pending = 1;
    for (let i = s; i >= 0 && pending > 0; i--) {
      const u = tensors[i];
      const e = exprs.get(u);
      if (e === undefined || (u !== source && shown(u))) continue;
      pending--;
      const node = u._node;
      if (node === null) continue;
      node.inputs.forEach((input, j) => {
        if (!input.requiresGrad) return;
        const contribution = compact(substitute(node, j, e, names), maxLength);
        const existing = exprs.get(input);
        if (existing === undefined && !shown(input)) pending++;
        exprs.set(input, existing === undefined ? contribution : compact(plus(existing, contribution), maxLength));
      });
    }
    for (const target of presentationOrder(source, shown)) {
      steps.push(makeStep(g, target, exprs.get(target) as Expr, started.has(target), source));
      started.add(target);
    }
  }
  return steps;
}

/** Marks an expression opaque once its text passes `maxLength` (it is then summarised by its ops). */
function compact(e: Expr, maxLength: number): Expr {
  if (!e.opaque && e.text.length <= maxLength) return e;
  // Keep the text tiny from here on: rules such as tanh's mention dz twice and would double it at every step.
  return { ...e, opaque: true, atomic: true, text: "…" };
}

/**
 * The shown tensors reached from `source` through unnamed intermediates, in forward-expression
 * order (a pre-order walk over the inputs), parameters before intermediates.
 */
function presentationOrder(source: Tensor, shown: (t: Tensor) => boolean): Tensor[] {
  const reached: Tensor[] = [];
  const visited = new Set<Tensor>();
  const walk: Tensor[] = [source];
  while (walk.length > 0) {
    const u = walk.pop() as Tensor;
    if (visited.has(u)) continue;
    visited.add(u);
    if (u !== source && shown(u)) {
      reached.push(u);
      continue;
    }
    const node = u._node;
    if (node === null) continue;
    // Pushed in reverse so that the first input is walked first.
    for (let j = node.inputs.length - 1; j >= 0; j--) {
      const input = node.inputs[j];
      if (input.requiresGrad && !visited.has(input)) walk.push(input);
    }
  }
  return [...reached.filter((t) => t._node === null), ...reached.filter((t) => t._node !== null)];
}

/**
 * The trace as text, one step per line, starting from the seed `dJ = 1`.
 * @example console.log(formatTrace(J));
 */
export function formatTrace(output: Tensor, options: TraceOptions = {}): string {
  if (!(output instanceof Tensor)) throw new ValueError("formatTrace", "needs a Tensor (the output of the graph)");
  const steps = traceBackward(output, options);
  const { ids } = collectGraph("formatTrace", output);
  const root = displayName(output, ids.get(output) as number);
  return [`d${root} (${formatDims(output.shape)}) = 1 (seed)`, ...steps.map((s) => s.text)].join("\n");
}
