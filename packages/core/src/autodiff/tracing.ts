/** Tracing mode: while on, every op records a graph node (also masks, counts and detached values), so the graph holds everything a computation depends on. */
import type { Tensor } from "../tensor.js";
import type { GraphNode } from "./node.js";

let tracingDepth = 0;

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
