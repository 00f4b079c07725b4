/** Graph nodes: what one recorded op keeps for its backward rule, and `record`, which every op calls. */
import { AutodiffError, BackpropError, formatShape } from "../errors.js";
import type { FusedGradKernel } from "../kernels/fused.js";
import type { OpName } from "../ops/registry.js";
import type { Tensor } from "../tensor.js";
import { isAnomalyEnabled, isGradEnabled } from "./gradMode.js";

/** What a backward rule can read: the op's inputs, its output and its attributes. */
export interface BackwardContext<A> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
}

/**
 * A differentiable primitive: its name and its backward rule, written with differentiable ops so
 * that gradients of gradients work. The rule returns one gradient per input (null where none),
 * in the output's shape for broadcasting ops: the engine sums it back to each input's shape.
 */
export interface OpDef<A = undefined> {
  readonly name: OpName;
  /** Which tensors the rule reads, so the engine can detect in-place mutation of them. */
  readonly saves: { readonly inputs: boolean; readonly output: boolean };
  /** The local derivative in course notation, for traces: e.g. `"dz ∗ (1 − a²)"`. */
  readonly formula: string;
  /** The rule: one gradient per input (null where none), from the output's gradient and what the node saved. */
  backward(grad: Tensor, ctx: BackwardContext<A>): ReadonlyArray<Tensor | null>;
  /**
   * The inputs whose gradients the rule returns in the output's shape, for the engine to sum back over the axes
   * they were broadcast along (traces label that sum Σ): "all", a list of input positions, or none (the default).
   * The engine rejects an output-shaped gradient for any other input, so a forgotten entry fails loudly.
   */
  readonly broadcasts?: "all" | readonly number[];
  /**
   * A one-pass kernel computing a one-input rule's gradient g ∘ x, with x the op's input or its output,
   * bit-identical to `backward`: the engine runs it whenever the rule would not itself be recorded.
   */
  readonly fusedBackward?: { readonly kernel: FusedGradKernel; readonly reads: "input" | "output" };
}

/** Whether the engine sums `op`'s gradient for input `j` back over broadcast axes (see `OpDef.broadcasts`). */
export function broadcastsInput(op: OpDef<unknown>, j: number): boolean {
  const { broadcasts } = op;
  return broadcasts === "all" || broadcasts?.includes(j) === true;
}

/** One recorded application of an op: the edge list of the computational graph. */
export class GraphNode<A = unknown> implements BackwardContext<A> {
  /** Set by a backward pass without `retainGraph`: running backward through it again is an error. */
  released = false;
  constructor(
    readonly op: OpDef<A>,
    readonly inputs: readonly Tensor[],
    readonly output: Tensor,
    readonly attrs: A,
    /** Versions of the inputs and the output when recorded, checked before the rule runs. */
    readonly versions: readonly number[],
    /** Where user code created this op (anomaly mode only). */
    readonly stack: string | undefined,
    /** A user-facing label (custom ops carry their own name). */
    readonly label: string,
  ) {}
}

/** Thrown in anomaly mode when an op produces NaN or ±Infinity. */
export class AnomalyError extends BackpropError {}

/**
 * Attaches a graph node to `output` when grad mode is on and any input requires grad.
 * Every differentiable op ends with `return record(def, out, inputs, attrs)`.
 */
export function record<A>(op: OpDef<A>, output: Tensor, inputs: readonly Tensor[], attrs: A, label?: string): Tensor {
  const anomaly = isAnomalyEnabled();
  if (anomaly) checkFinite(label ?? op.name, "forward", output, inputs);
  if (!isGradEnabled()) return output;
  let needsGrad = false;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i].requiresGrad) {
      needsGrad = true;
      break;
    }
  }
  if (!needsGrad) return output;
  const versions = new Array<number>(inputs.length + 1);
  for (let i = 0; i < inputs.length; i++) versions[i] = inputs[i]._version;
  versions[inputs.length] = output._version;
  const stack = anomaly ? userStack() : undefined;
  output.requiresGrad = true;
  output._node = new GraphNode(op, inputs, output, attrs, versions, stack, label ?? op.name);
  return output;
}

/** Throws if a saved tensor was modified in place after the node recorded it. */
export function checkSavedVersions(node: GraphNode): void {
  const { op, inputs, output, versions } = node;
  if (op.saves.inputs) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]._version !== versions[i]) throw mutatedError(node, inputs[i], `input ${i}`, versions[i]);
    }
  }
  if (op.saves.output && output._version !== versions[inputs.length]) {
    throw mutatedError(node, output, "output", versions[inputs.length]);
  }
}

function mutatedError(node: GraphNode, t: Tensor, role: string, recorded: number): AutodiffError {
  const name = t.name ? `'${t.name}' ` : "";
  return new AutodiffError(
    "backward",
    `the ${role} ${name}${formatShape(t.shape)} of ${node.label} was modified in place after it was saved for backward (version ${recorded} when recorded, now ${t._version}); clone it before modifying, or modify it after backward`,
  );
}

/** In anomaly mode: throws naming the op, the tensor and where it was created if `t` holds NaN or ±Infinity. */
export function checkFinite(
  opLabel: string,
  phase: "forward" | "backward",
  t: Tensor,
  inputs: readonly Tensor[],
  stack?: string,
): void {
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      const what = Number.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity";
      const name = t.name ? ` '${t.name}'` : "";
      const ins = inputs.map((x) => (x.name ? `${x.name} ${formatShape(x.shape)}` : formatShape(x.shape))).join(", ");
      const site = stack ?? userStack();
      throw new AnomalyError(
        opLabel,
        `${phase} produced ${what} at flat index ${i} of${name} ${formatShape(t.shape)} (inputs: ${ins})${site ? `\nop created at:\n${site}` : ""}`,
      );
    }
  }
}

/** The caller's stack without backprop's own frames. */
function userStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100; // the user's frames sit below the engine's own
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  Error.stackTraceLimit = limit;
  const user = lines.filter((l) => !/[\\/]packages[\\/]core[\\/](src|dist)[\\/]/.test(l));
  return (user.length > 0 ? user : lines).slice(0, 8).join("\n");
}
