/** Graph nodes: what one recorded op keeps for its backward rule, and `record`, which every op calls. */
import { AutodiffError, BackpropError, formatIndex, formatShape } from "../errors.js";
import type { FusedGradKernel } from "../kernels/fused.js";
import type { OpName } from "../ops/registry.js";
import type { Tensor } from "../tensor.js";
import { propagateTangents } from "./forward.js";
import { isForwardActive } from "./forwardMode.js";
import { isAnomalyEnabled, isGradEnabled } from "./gradMode.js";
import { isTracing } from "./tracing.js";

/** How tensor.ts reads values (checked while jit traces); defined in tracing.ts. */
export { readData } from "./tracing.js";

/** What a backward or JVP rule can read: the op's inputs, its output and its attributes. */
export interface BackwardContext<A> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
}

/**
 * A differentiable primitive: its name, its backward (VJP) rule and its forward-mode (JVP) rule,
 * both written with differentiable ops so that rules nest (gradients of gradients, jvp of grad).
 * The backward rule returns one gradient per input (null where none), in the output's shape for
 * broadcasting ops: the engine sums it back to each input's shape.
 */
export interface OpDef<A = undefined> {
  readonly name: OpName;
  /** Which tensors the rule reads, so the engine can detect in-place mutation of them. */
  readonly saves: { readonly inputs: boolean; readonly output: boolean };
  /** The local derivative in course notation, for traces: e.g. `"dz ∗ (1 − a²)"`. */
  readonly formula: string;
  /** The rule: one gradient per input (null where none), from the output's gradient and what the node saved. */
  backward(grad: Tensor, ctx: BackwardContext<A>): ReadonlyArray<Tensor | null>;
  /** The output's tangent in dot notation (ẋ is x's tangent): e.g. `"ż = ẋ ∗ (1 − a²)"`. */
  readonly jvpFormula: string;
  /**
   * The output's tangent from the inputs' tangents (null where an input has none; never all null),
   * or null for a zero tangent. It may return a tangent that broadcasts to the output's shape
   * (add's ȧ for a bias b): the engine broadcasts it, the mirror of summing gradients back.
   */
  jvp(tangents: ReadonlyArray<Tensor | null>, ctx: BackwardContext<A>): Tensor | null;
  /**
   * The inputs whose gradients the rule returns in the output's shape, for the engine to sum back over the axes
   * they were broadcast along (traces label that sum Σ): "all", a list of input positions, or none (the default).
   * The engine rejects an output-shaped gradient for any other input, so a forgotten entry fails loudly.
   */
  readonly broadcasts?: "all" | readonly number[];
  /**
   * A one-pass kernel computing a one-input rule's gradient g ∘ x, with x the op's input or its output,
   * bit-identical to `backward` (and to `jvp`, with the tangent ẋ for g): both engines run it whenever the
   * rule would not itself be recorded.
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
 * Attaches a graph node to `output` when grad mode is on and any input requires grad, and, while a
 * jvp runs, gives `output` its tangents. Every differentiable op ends with `return record(def, out, inputs, attrs)`.
 */
export function record<A>(op: OpDef<A>, output: Tensor, inputs: readonly Tensor[], attrs: A, label?: string): Tensor {
  const anomaly = isAnomalyEnabled();
  if (anomaly) checkFinite(label ?? op.name, "forward", output, { output, inputs });
  if (!isGradEnabled() || !attachNode(op, output, inputs, attrs, label, anomaly))
    traceOnly(op, output, inputs, attrs, label);
  // After the node: a rule that reads the output (exp's, tanh's) then differentiates through it.
  if (isForwardActive()) propagateTangents(op, output, inputs, attrs);
  return output;
}

/** Records the node when an input requires grad; false when none does. */
function attachNode<A>(
  op: OpDef<A>,
  output: Tensor,
  inputs: readonly Tensor[],
  attrs: A,
  label: string | undefined,
  anomaly: boolean,
): boolean {
  let needsGrad = false;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i].requiresGrad) {
      needsGrad = true;
      break;
    }
  }
  if (!needsGrad) return false;
  const stack = anomaly ? userStack() : undefined;
  output.requiresGrad = true;
  output._node = new GraphNode(op, inputs, output, attrs, versionsOf(inputs, output), stack, label ?? op.name);
  return true;
}

/**
 * Attaches a node to `output` in tracing mode (`withTracing`) without making it require grad: what `record` does for
 * values gradients do not flow through (comparison masks, counts, stop-gradients, ops on constants). Outside tracing
 * it returns `output` untouched, at the cost of one check.
 */
export function traceOnly<A>(
  op: OpDef<A>,
  output: Tensor,
  inputs: readonly Tensor[],
  attrs: A,
  label?: string,
): Tensor {
  if (!isTracing()) return output;
  output._node = new GraphNode(op, inputs, output, attrs, versionsOf(inputs, output), undefined, label ?? op.name);
  return output;
}

function versionsOf(inputs: readonly Tensor[], output: Tensor): number[] {
  const versions = new Array<number>(inputs.length + 1);
  for (let i = 0; i < inputs.length; i++) versions[i] = inputs[i]._version;
  versions[inputs.length] = output._version;
  return versions;
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

/** A tensor as anomaly messages name it: `'A1' (4,400)`, or its shape alone when unnamed. */
function describe(t: Tensor): string {
  return t.name ? `'${t.name}' ${formatShape(t.shape)}` : formatShape(t.shape);
}

/**
 * In anomaly mode: throws if `t` holds NaN or ±Infinity, naming the op, the (row, col) index, the op's output
 * and inputs, and where the op was created. `t` is the op's output in forward, or the gradient the op's rule
 * returned for input `inputIndex` in backward.
 */
export function checkFinite(
  opLabel: string,
  phase: "forward" | "backward",
  t: Tensor,
  op: { readonly output: Tensor; readonly inputs: readonly Tensor[] },
  stack?: string,
  inputIndex?: number,
): void {
  const data = t._data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      const what = Number.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity";
      const ins = op.inputs
        .map((x) => (x.name ? `${x.name} ${formatShape(x.shape)}` : formatShape(x.shape)))
        .join(", ");
      const where =
        phase === "forward"
          ? `its output ${describe(t)} (inputs: ${ins})`
          : `the gradient for its input ${inputIndex ?? "?"} ${describe(op.inputs[inputIndex ?? 0] ?? t)} (output: ${describe(op.output)}; inputs: ${ins})`;
      const site = stack ?? userStack();
      throw new AnomalyError(
        opLabel,
        `${phase} produced ${what} at index ${formatIndex(i, t.shape)} of ${where}${site ? `\nop created at:\n${site}` : ""}`,
      );
    }
  }
}

/**
 * Frames of backprop's own packages (sources, builds, or installed copies): anomaly messages start at the
 * first frame outside them, the user's line (also when the op ran inside `fit` or a model's method).
 */
const LIBRARY_FRAME =
  /[\\/]packages[\\/](core|layers|testing)[\\/](src|dist)[\\/]|[\\/]node_modules[\\/]@backprop[\\/]|\(node:|^\s*at node:/;

/** The caller's stack without backprop's own frames (nor Node's internals). */
function userStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100; // the user's frames sit below the engine's own
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  Error.stackTraceLimit = limit;
  const user = lines.filter((l) => !LIBRARY_FRAME.test(l));
  return (user.length > 0 ? user : lines).slice(0, 8).join("\n");
}
