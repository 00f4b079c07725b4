/** graphOf: the recorded computational graph behind a tensor, as plain data with ids by topological position. */
import { ValueError } from "../errors.js";
import type { DType } from "../kernels/floatArray.js";
import { Tensor } from "../tensor.js";

/**
 * What a graph node is: a `parameter` (a leaf that requires grad: W1, b1), `data` (a leaf that does
 * not: X, Y, or a result computed without grad), a scalar `constant` (the 3 in `v.mul(3)`), or an `op` output.
 */
export type GraphNodeKind = "parameter" | "data" | "constant" | "op";

/** One tensor of a recorded graph. */
export interface GraphNodeData {
  /** Position in topological order (inputs before the tensors computed from them), from 0. */
  readonly id: number;
  /** The tensor's name (`"W1"`, `"Z1"`), or null when unnamed. */
  readonly name: string | null;
  /** A display label: the name, a constant's value, or `t<id>`. */
  readonly label: string;
  /** The op that produced it (`"matmul"`, `"tanh"`, a custom op's name), or null for a leaf. */
  readonly op: string | null;
  readonly kind: GraphNodeKind;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly requiresGrad: boolean;
  readonly isLeaf: boolean;
  /** The ids of the op's inputs, in argument order (empty for a leaf). */
  readonly inputs: readonly number[];
  /** Ids of tensors the op reads that gradients do not flow to: `where`'s condition (Y in a cross-entropy cost). */
  readonly conditions: readonly number[];
  /** A constant's value (scalar constants only). */
  readonly value?: number;
  /** ‖grad‖₂ when asked for with `{ gradients: true }` and the tensor holds a gradient (leaves, retained intermediates). */
  readonly gradNorm?: number;
}

/** A recorded graph as plain data: every tensor `output` was computed from, in topological order. */
export interface ComputationGraph {
  readonly nodes: readonly GraphNodeData[];
  /** The id of the output (always the last node). */
  readonly output: number;
}

/** Options for `graphOf`. */
export interface GraphOptions {
  /** Add each node's gradient norm where a gradient is held (after backward). Default false. */
  gradients?: boolean;
}

/** Every tensor reachable from `root` through graph nodes, inputs first, and each one's position. */
export interface CollectedGraph {
  readonly tensors: readonly Tensor[];
  readonly ids: ReadonlyMap<Tensor, number>;
}

/** @internal `where`'s condition when it is a leaf (a label tensor, a comparison mask): drawn, never differentiated. */
export function conditionOf(t: Tensor): Tensor | null {
  const cond = (t._node?.attrs as { cond?: unknown } | undefined)?.cond;
  // A tracked condition would pull in a subtree the engine never visits: leaves only.
  return cond instanceof Tensor && cond._node === null ? cond : null;
}

/**
 * @internal Post-order DFS over all inputs (also those without grad), in argument order, so the
 * relative order of the tensors that require grad is exactly the engine's `topologicalOrder`
 * (`where`'s leaf condition comes after the op's inputs).
 */
export function collectGraph(fn: string, root: Tensor): CollectedGraph {
  if (!(root instanceof Tensor)) throw new ValueError(fn, "needs a Tensor (the output of the graph)");
  const tensors: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top]._node;
    const i = nextInput[top];
    const cond = node === null ? null : conditionOf(stack[top]);
    if (node !== null && i < node.inputs.length + (cond ? 1 : 0)) {
      nextInput[top] = i + 1;
      const input = i < node.inputs.length ? node.inputs[i] : (cond as Tensor);
      if (!visited.has(input)) {
        visited.add(input);
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      tensors.push(stack[top]);
      stack.pop();
      nextInput.pop();
    }
  }
  const ids = new Map<Tensor, number>();
  for (let i = 0; i < tensors.length; i++) ids.set(tensors[i], i);
  return { tensors, ids };
}

/** @internal Whether `t` is an unnamed scalar leaf outside the graph's gradients: shown by its value. */
export function isConstant(t: Tensor): boolean {
  return t._node === null && !t.requiresGrad && t.name === undefined && t.size === 1;
}

/** @internal The name a tensor is shown by: its name, a constant's value, else `t<id>`. */
export function displayName(t: Tensor, id: number): string {
  if (t.name !== undefined) return t.name;
  if (isConstant(t)) return formatNumber(t._data[0]);
  return `t${id}`;
}

/** @internal Dimensions the way graphs and traces print them: `4×400`, `scalar` for a 0-d tensor. */
export function formatDims(shape: readonly number[]): string {
  return shape.length === 0 ? "scalar" : shape.join("×");
}

/** @internal A short, stable rendering of a number: 4 significant digits, exponent form outside [1e-3, 1e4). */
export function formatNumber(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x === 0 ? 0 : x);
  const abs = Math.abs(x);
  const text = abs >= 1e-3 && abs < 1e4 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
  return text.replace(/-/g, "−");
}

/** @internal ‖x‖₂, scaled by the largest magnitude so it neither overflows nor underflows. */
export function l2Norm(t: Tensor): number {
  const data = t._data;
  let scale = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > scale || Number.isNaN(a)) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const r = data[i] / scale;
    sum += r * r;
  }
  return scale * Math.sqrt(sum);
}

function kindOf(t: Tensor): GraphNodeKind {
  if (t._node !== null) return "op";
  if (t.requiresGrad) return "parameter";
  return isConstant(t) ? "constant" : "data";
}

/**
 * The graph recorded behind `output` as plain data: one node per tensor it was computed from
 * (parameters, data, constants and op outputs), inputs before outputs, with ids by topological
 * position, so the same code always gives the same graph (snapshot-friendly).
 *
 * @example
 * const a = tensor(5, { requiresGrad: true, name: "a" });
 * const b = tensor(3, { requiresGrad: true, name: "b" });
 * const c = tensor(2, { requiresGrad: true, name: "c" });
 * const J = a.add(b.mul(c).named("u")).named("v").mul(3).named("J");
 * graphOf(J).nodes.map((n) => `${n.label}=${n.op ?? n.kind}`);
 * // ["a=parameter", "b=parameter", "c=parameter", "u=mul", "v=add", "3=constant", "J=mul"]
 */
export function graphOf(output: Tensor, options: GraphOptions = {}): ComputationGraph {
  const { tensors, ids } = collectGraph("graphOf", output);
  const nodes = tensors.map((t, id): GraphNodeData => {
    const kind = kindOf(t);
    const grad = options.gradients === true ? t.grad : null;
    return {
      id,
      name: t.name ?? null,
      label: displayName(t, id),
      op: t.op,
      kind,
      shape: t.shape.slice(),
      dtype: t.dtype,
      requiresGrad: t.requiresGrad,
      isLeaf: t.isLeaf,
      inputs: t._node ? t._node.inputs.map((x) => ids.get(x) as number) : [],
      conditions: conditionOf(t) ? [ids.get(conditionOf(t) as Tensor) as number] : [],
      ...(kind === "constant" ? { value: t._data[0] } : {}),
      ...(grad ? { gradNorm: l2Norm(grad) } : {}),
    };
  });
  return { nodes, output: nodes.length - 1 };
}
