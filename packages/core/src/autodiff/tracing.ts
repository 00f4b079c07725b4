/** Tracing mode: while on, every op records a graph node (also masks, counts and detached values), so the graph holds everything a computation depends on. */
import { JitError } from "../errors.js";
import type { FloatArray } from "../kernels/floatArray.js";
import type { Tensor } from "../tensor.js";
import { checkFunction, checkSynchronous } from "./gradMode.js";
import type { GraphNode } from "./node.js";

let tracingDepth = 0;
/** While jit traces: the data buffers of its placeholder arguments (values derived from them may not be read). */
let jitPlaceholders: ReadonlySet<FloatArray> | null = null;

/** True inside `withTracing`: ops record nodes even when no input requires grad. */
export function isTracing(): boolean {
  return tracingDepth > 0;
}

/**
 * Runs `fn` in tracing mode: every op's output gets a graph node (without requiring grad when nothing it
 * depends on does); comparisons, and the masks, counts and shifts that ops and backward rules compute, become
 * nodes too, so walking the graph back from an output reaches every value it was computed from. Exporters
 * (`@backprop/onnx`'s `toOnnx`) and compilers read the graph this leaves. Nests; restored by try/finally.
 * @example const J = withTracing(() => loss(W, X)); // J's graph reaches W and X through every value
 */
export function withTracing<T>(fn: () => T): T {
  checkFunction("withTracing", fn);
  return checkSynchronous("withTracing", traced(fn));
}

/** Runs `fn` in tracing mode (withTracing without its checks, for jit, which checks fn's result itself). */
function traced<T>(fn: () => T): T {
  tracingDepth++;
  try {
    return fn();
  } finally {
    tracingDepth--;
  }
}

/**
 * The graph node that produced `t` (its op, inputs and attributes), or null for a leaf: how exporters and compilers
 * walk a traced graph. Read-only: never change what it returns.
 * @example const node = nodeOf(J); node?.op.name // "div"
 */
export function nodeOf(t: Tensor): GraphNode | null {
  return t._node;
}

/**
 * Runs `fn` while jit traces a function whose arguments are placeholders holding `placeholders`: reading the values
 * of a tensor computed from them (`readData`) is then a `JitError`. Restored by try/finally.
 */
export function withJitTrace<T>(placeholders: ReadonlySet<FloatArray>, fn: () => T): T {
  const outer = jitPlaceholders;
  jitPlaceholders = placeholders;
  try {
    return traced(fn);
  } finally {
    jitPlaceholders = outer;
  }
}

/**
 * `t`'s data, for the public ways of reading values (`data`, `item()`, `toArray()`, printing): a `JitError` while jit
 * traces and `t` is computed from jit's placeholder arguments (its value would be the trace's, not the call's).
 */
export function readData(t: Tensor, what: string): FloatArray {
  if (jitPlaceholders !== null && dependsOn(t, jitPlaceholders)) {
    throw new JitError(
      "jit",
      `${what} read the values of a traced tensor of shape (${t.shape.join(",")}) inside a jitted function: jit traces the function once with placeholder values and replays the recorded ops, so its values are not known while tracing; return the tensor from the function and read it outside jit, or compute it outside jit (or call the function without jit)`,
    );
  }
  return t._data;
}

/**
 * A `JitError` when jit is tracing: `op` (backward, an in-place update) has an effect jit does not record, so it would
 * happen once while tracing, on the trace's values, and never on the calls that replay the compiled program.
 */
export function rejectWhileJitTraces(op: string, what: string, fix: string): void {
  if (jitPlaceholders === null) return;
  throw new JitError(
    op,
    `called inside a function jit is tracing: ${what}, so it would run once while tracing (on the trace's values) and never on the calls that replay the compiled program; ${fix}, or call the function without jit`,
  );
}

/** Whether `t` holds one of `placeholders` or was computed from one (walks the recorded graph, including where's mask). */
function dependsOn(t: Tensor, placeholders: ReadonlySet<FloatArray>): boolean {
  const stack: Tensor[] = [t];
  const seen = new Set<Tensor>();
  while (stack.length > 0) {
    const x = stack.pop() as Tensor;
    if (seen.has(x)) continue;
    seen.add(x);
    if (placeholders.has(x._data)) return true;
    const node = x._node;
    if (node === null) continue;
    for (const input of node.inputs) stack.push(input);
    const cond = (node.attrs as { cond?: Tensor } | undefined)?.cond;
    if (cond !== undefined) stack.push(cond);
  }
  return false;
}
