/** The reverse-mode engine: an iterative topological order, then the chain rule applied node by node in reverse. */
import { onesLike, zerosLike } from "../creation.js";
import { AutodiffError, checkOptionKeys, describeValue, formatShape, ShapeError, ValueError } from "../errors.js";
import { add } from "../ops/elementwise/add.js";
import { cast } from "../ops/elementwise/cast.js";
import { fusedGradValue, recordsGraph } from "../ops/elementwise/elementwiseOp.js";
import { sumToShape } from "../ops/reduce/sumToShape.js";
import { shapesEqual } from "../shape.js";
import { type BackwardOptions, Tensor } from "../tensor.js";
import { isForwardActive } from "./forwardMode.js";
import { isAnomalyEnabled, withAnomalyMode, withGradMode } from "./gradMode.js";
import { broadcastsInput, checkFinite, checkSavedVersions, type GraphNode } from "./node.js";
import { PendingGradients } from "./pendingGradients.js";
import { isTracing, rejectWhileJitTraces } from "./tracing.js";

/**
 * Every tensor that requires grad and that `root` depends on, inputs before the tensors computed
 * from them (a post-order DFS with an explicit stack, so deep graphs cannot overflow the call stack).
 */
export function topologicalOrder(root: Tensor): Tensor[] {
  // Visited tensors are stamped with this traversal's mark (cheaper than a Set), and with their
  // index in the order, which propagate uses to keep gradients in an array rather than a Map.
  const mark = ++lastMark;
  root._mark = mark;
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top];
    const node = t._node;
    const i = nextInput[top];
    if (node !== null && i < node.inputs.length) {
      nextInput[top] = i + 1;
      const input = node.inputs[i];
      if (input.requiresGrad && input._mark !== mark) {
        input._mark = mark;
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      t._index = order.length;
      order.push(t);
      stack.pop();
      nextInput.pop();
    }
  }
  return order;
}

let lastMark = 0;

/**
 * The position of `t` in `order`: its stamp, unless a traversal nested inside this pass (a hook or
 * a custom rule running backward) has re-stamped it since.
 */
function indexIn(order: readonly Tensor[], t: Tensor, mark: number): number {
  return t._mark === mark ? t._index : order.indexOf(t);
}

/** How messages name the tensor backward starts from: `the output 'J' ()`, `the scalar output (unnamed)`, `the output (2,3)`. */
function describeOutput(root: Tensor): string {
  if (root.name) return `the output '${root.name}' ${formatShape(root.shape)}`;
  return root.rank === 0 ? "the scalar output (unnamed)" : `the output ${formatShape(root.shape)} (unnamed)`;
}

/** The seed gradient: ones for a scalar output, else the user's seed, checked. */
function seedFor(op: string, root: Tensor, seed: Tensor | undefined): Tensor {
  const label = describeOutput(root);
  if (!root.requiresGrad) {
    throw new AutodiffError(
      op,
      `${label} does not require grad: none of the tensors it was computed from had requiresGrad: true (or it was computed inside noGrad)`,
    );
  }
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new AutodiffError(
        op,
        `${label} is not a scalar: pass a seed gradient of shape ${formatShape(root.shape)} (e.g. backward(onesLike(out))), or reduce it to a scalar first`,
      );
    }
    return onesLike(root);
  }
  if (!(seed instanceof Tensor)) {
    throw new AutodiffError(op, `the seed gradient must be a Tensor, got ${describeValue(seed)}`);
  }
  if (!shapesEqual(seed.shape, root.shape)) {
    throw new ShapeError(op, `seed gradient of shape ${formatShape(seed.shape)} does not match ${label}`);
  }
  // Each gradient has its tensor's dtype (as PyTorch casts them): a float64 seed must not turn float32 gradients float64.
  return seed.dtype === root.dtype ? seed : cast(seed, root.dtype);
}

/** Throws a ValueError naming `op` unless `options` is undefined or an object of boolean retainGraph and createGraph. */
function checkBackwardOptions(op: string, options: unknown): void {
  if (options === undefined) return;
  checkOptionKeys(op, options, ["retainGraph", "createGraph"], "{ retainGraph: true }");
  for (const [key, value] of Object.entries(options as object)) {
    if (value !== undefined && typeof value !== "boolean") {
      throw new ValueError(op, `${key} must be true or false, got ${describeValue(value)}`);
    }
  }
}

/** Applies the tensor's gradient hooks in registration order. */
function applyHooks(t: Tensor, g: Tensor): Tensor {
  const hooks = t._hooks;
  if (hooks === null) return g;
  let grad = g;
  for (const hook of hooks.slice()) {
    const replaced: unknown = hook(grad);
    if (replaced !== undefined && replaced !== null && !(replaced instanceof Tensor)) {
      throw new ValueError(
        "registerHook",
        `hook returned ${describeValue(replaced)}; return a Tensor of the gradient's shape ${formatShape(t.shape)}, or nothing to keep the gradient`,
      );
    }
    if (replaced instanceof Tensor) {
      if (!shapesEqual(replaced.shape, t.shape)) {
        throw new ShapeError(
          "registerHook",
          `hook returned a gradient of shape ${formatShape(replaced.shape)} for a tensor of shape ${formatShape(t.shape)}`,
        );
      }
      grad = replaced;
    }
  }
  return grad;
}

/**
 * Runs the chain rule from `root`. Without `targets`, leaf gradients accumulate into `.grad` (and
 * into retained intermediates); with `targets`, nothing is written and their gradients are returned.
 */
function propagate(
  op: string,
  root: Tensor,
  seed: Tensor | undefined,
  options: BackwardOptions | undefined,
  targets: readonly Tensor[] | null,
): Map<Tensor, Tensor> {
  checkBackwardOptions(op, options);
  const createGraph = options?.createGraph === true;
  // While a jvp runs, gradients carry tangents: sums go through the add op, never in place.
  // While tracing too: an in-place sum would change a recorded tensor behind the graph's back (jit replays the graph).
  const byOps = createGraph || isForwardActive() || isTracing();
  const retainGraph = options?.retainGraph === true || createGraph;
  const rootGrad = seedFor(op, root, seed);
  const order = topologicalOrder(root);
  const mark = root._mark;
  // A set: gradients() for n targets looked each tensor up in the list, O(n) per tensor of the graph.
  const targetSet = targets ? new Set(targets) : null;
  const wanted = targetSet ? pathsTo(order, targetSet) : null;
  const results = new Map<Tensor, Tensor>();
  const pending = new PendingGradients(order.length, byOps);
  pending.seed(order.length - 1, rootGrad);
  const anomaly = isAnomalyEnabled();
  withGradMode(createGraph, () => {
    // In reverse topological order, every gradient flowing into t is summed before t's rule runs.
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const raw = pending.take(i);
      if (raw === undefined) continue; // no path from the root reaches t
      const g = applyHooks(t, raw);
      if (targetSet) {
        if (targetSet.has(t)) results.set(t, g);
      } else if (t._node === null || t._retainsGrad) {
        storeGrad(t, g, createGraph || pending.ownsTaken(t, g));
      }
      const node = t._node;
      if (node === null || (wanted !== null && !wanted.has(t))) continue;
      checkUsable(op, node, t);
      // In anomaly mode the ops inside a rule are not checked one by one: the rule's results are, below, under the node's name.
      const inputGrads = anomaly ? withAnomalyMode(false, () => applyRule(node, g)) : applyRule(node, g);
      for (let j = 0; j < node.inputs.length; j++) {
        const input = node.inputs[j];
        const returned = inputGrads[j];
        if (returned === null || returned === undefined || !input.requiresGrad) continue;
        const gi = toInputShape(op, node, j, returned);
        if (anomaly) checkFinite(node.label, "backward", gi, node, node.stack, j);
        pending.add(indexIn(order, input, mark), gi, returned, g, node, inputGrads);
      }
      if (!retainGraph) node.released = true;
      pending.releaseTaken(t, g, node, targets !== null);
    }
  });
  return results;
}

/**
 * Accumulates into a leaf's (or a retained tensor's) `.grad`. The first store copies, since one gradient
 * tensor can reach several leaves (add's rule returns dz twice), unless `keep`: a sum only the engine held.
 */
function storeGrad(t: Tensor, g: Tensor, keep: boolean): void {
  t.grad = t.grad === null ? (keep ? g : g.detach()) : add(t.grad, g);
}

/** Throws if the node's graph was freed by an earlier backward or a tensor it saved was modified in place. */
function checkUsable(op: string, node: GraphNode, t: Tensor): void {
  if (node.released) {
    throw new AutodiffError(
      op,
      `the graph through ${node.label}${t.name ? ` ('${t.name}')` : ""} was already freed by an earlier backward(); pass { retainGraph: true } to the first backward() to run backward twice`,
    );
  }
  checkSavedVersions(node);
}

/** A rule's gradient for input j in that input's shape: summed over broadcast axes when the op declares it. */
function toInputShape(op: string, node: GraphNode, j: number, returned: Tensor): Tensor {
  const input = node.inputs[j];
  if (shapesEqual(returned.shape, input.shape)) return returned;
  const gi = broadcastsInput(node.op, j) ? sumToShape(returned, input.shape) : returned;
  if (!shapesEqual(gi.shape, input.shape)) {
    throw new ShapeError(
      op,
      `${node.label}'s backward returned a gradient of shape ${formatShape(gi.shape)} for input ${j} of shape ${formatShape(input.shape)}`,
    );
  }
  return gi;
}

/**
 * A node's input gradients: the op's fused one-pass kernel when it has one and the rule would not itself be
 * recorded (the same bits, one allocation instead of two or three), else the rule.
 */
function applyRule(node: GraphNode, g: Tensor): ReadonlyArray<Tensor | null> {
  const fused = node.op.fusedBackward;
  if (fused !== undefined) {
    const x = fused.reads === "output" ? node.output : node.inputs[0];
    const value = recordsGraph(g, x) ? null : fusedGradValue(fused.kernel, g, x);
    if (value !== null) return [value];
  }
  return node.op.backward(g, node);
}

/** The tensors of `order` that lie on a path to one of `targets` (inputs come before outputs in `order`). */
function pathsTo(order: readonly Tensor[], targets: ReadonlySet<Tensor>): Set<Tensor> {
  const wanted = new Set<Tensor>();
  for (const t of order) {
    if (targets.has(t)) {
      wanted.add(t);
      continue;
    }
    const node = t._node;
    if (node?.inputs.some((x) => wanted.has(x))) wanted.add(t);
  }
  return wanted;
}

/** `tensor.backward()`: accumulates gradients into the leaves' `.grad`. */
export function runBackward(root: Tensor, seed?: Tensor, options?: BackwardOptions): void {
  rejectWhileJitTraces(
    "backward",
    "backward() fills .grad, which jit does not record",
    "jit valueAndGrad(loss, { argnums }) instead, return the gradients and update the parameters outside the jitted function",
  );
  propagate("backward", root, seed, options, null);
}

/**
 * The gradients of `output` with respect to `inputs` (any tensors in its graph), without touching
 * `.grad`: zeros for an input the output does not depend on. Like `torch.autograd.grad`.
 * @example const [dW1, db1] = gradients(J, [W1, b1]);
 */
export function gradients(
  output: Tensor,
  inputs: readonly Tensor[],
  seed?: Tensor,
  options?: BackwardOptions,
): Tensor[] {
  return gradientsAs("gradients", output, inputs, seed, options);
}

/** gradients, its errors naming `op` (the transform that called it: grad, vjp, jacrev …). */
export function gradientsAs(
  op: string,
  output: Tensor,
  inputs: readonly Tensor[],
  seed?: Tensor,
  options?: BackwardOptions,
): Tensor[] {
  if (!(output instanceof Tensor)) throw new ValueError(op, `output must be a Tensor, got ${describeValue(output)}`);
  if (!Array.isArray(inputs) || inputs.some((x) => !(x instanceof Tensor))) {
    const got = Array.isArray(inputs) ? `[${inputs.map((x) => describeValue(x)).join(", ")}]` : describeValue(inputs);
    throw new ValueError(op, `inputs must be an array of Tensors, got ${got}`);
  }
  const results = propagate(op, output, seed, options, inputs);
  return inputs.map((x) => results.get(x) ?? zerosLike(x));
}
