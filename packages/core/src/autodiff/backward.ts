/** The reverse-mode engine: an iterative topological order, then the chain rule applied node by node in reverse. */
import { AutodiffError, formatShape, ShapeError } from "../errors.js";
import { add } from "../ops/elementwise/add.js";
import { sumToShape } from "../ops/reduce/sumToShape.js";
import { shapesEqual } from "../shape.js";
import { type BackwardOptions, Tensor } from "../tensor.js";
import { isAnomalyEnabled, withAnomalyMode, withGradMode } from "./gradMode.js";
import { checkFinite, checkSavedVersions } from "./node.js";

/**
 * Every tensor that requires grad and that `root` depends on, inputs before the tensors computed
 * from them (a post-order DFS with an explicit stack, so deep graphs cannot overflow the call stack).
 */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
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
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      order.push(t);
      stack.pop();
      nextInput.pop();
    }
  }
  return order;
}

/** The seed gradient: ones for a scalar output, else the user's seed, checked. */
function seedFor(op: string, root: Tensor, seed: Tensor | undefined): Tensor {
  const label = `${root.name ? `'${root.name}' ` : ""}${formatShape(root.shape)}`;
  if (!root.requiresGrad) {
    throw new AutodiffError(
      op,
      `tensor ${label} does not require grad: none of the tensors it was computed from had requiresGrad: true (or it was computed inside noGrad)`,
    );
  }
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new AutodiffError(
        op,
        `output ${label} is not a scalar: pass a seed gradient of shape ${formatShape(root.shape)} (e.g. backward(onesLike(out))), or reduce it to a scalar first`,
      );
    }
    const ones = root.dtype === "float64" ? new Float64Array(root.size) : new Float32Array(root.size);
    return new Tensor(ones.fill(1), root.shape);
  }
  if (!(seed instanceof Tensor)) throw new AutodiffError(op, "the seed gradient must be a Tensor");
  if (!shapesEqual(seed.shape, root.shape)) {
    throw new ShapeError(op, `seed gradient of shape ${formatShape(seed.shape)} does not match the output ${label}`);
  }
  return seed;
}

/** Applies the tensor's gradient hooks in registration order. */
function applyHooks(t: Tensor, g: Tensor): Tensor {
  const hooks = t._hooks;
  if (hooks === null) return g;
  let grad = g;
  for (const hook of hooks.slice()) {
    const replaced = hook(grad);
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
  const createGraph = options?.createGraph === true;
  const retainGraph = options?.retainGraph === true || createGraph;
  const rootGrad = seedFor(op, root, seed);
  const order = topologicalOrder(root);
  const wanted = targets ? pathsTo(order, targets) : null;
  const results = new Map<Tensor, Tensor>();
  const grads = new Map<Tensor, Tensor>([[root, rootGrad]]);
  const anomaly = isAnomalyEnabled();
  withGradMode(createGraph, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const raw = grads.get(t);
      if (raw === undefined) continue;
      grads.delete(t);
      const g = applyHooks(t, raw);
      if (targets) {
        if (targets.includes(t)) results.set(t, g);
      } else if (t._node === null || t._retainsGrad) {
        // A copy on first store: the same gradient tensor can reach several leaves (add's rule returns dz twice).
        t.grad = t.grad === null ? (createGraph ? g : g.detach()) : add(t.grad, g);
      }
      const node = t._node;
      if (node === null || (wanted !== null && !wanted.has(t))) continue;
      if (node.released) {
        throw new AutodiffError(
          op,
          `the graph through ${node.label}${t.name ? ` ('${t.name}')` : ""} was already freed by an earlier backward(); pass { retainGraph: true } to the first backward() to run backward twice`,
        );
      }
      checkSavedVersions(node);
      // In anomaly mode the ops inside a rule are not checked one by one: the rule's results are, below, under the node's name.
      const inputGrads = anomaly ? withAnomalyMode(false, () => node.op.backward(g, node)) : node.op.backward(g, node);
      for (let j = 0; j < node.inputs.length; j++) {
        const input = node.inputs[j];
        let gi = inputGrads[j];
        if (gi === null || gi === undefined || !input.requiresGrad) continue;
        if (!shapesEqual(gi.shape, input.shape)) gi = sumToShape(gi, input.shape);
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new ShapeError(
            op,
            `${node.label}'s backward returned a gradient of shape ${formatShape(gi.shape)} for input ${j} of shape ${formatShape(input.shape)}`,
          );
        }
        if (anomaly) checkFinite(node.label, "backward", gi, node.inputs, node.stack);
        const existing = grads.get(input);
        grads.set(input, existing === undefined ? gi : add(existing, gi));
      }
      if (!retainGraph) node.released = true;
    }
  });
  return results;
}

/** The tensors of `order` that lie on a path to one of `targets` (inputs come before outputs in `order`). */
function pathsTo(order: readonly Tensor[], targets: readonly Tensor[]): Set<Tensor> {
  const wanted = new Set<Tensor>();
  for (const t of order) {
    if (targets.includes(t)) {
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
  const results = propagate("gradients", output, seed, options, inputs);
  return inputs.map((x) => results.get(x) ?? zerosFor(x));
}

function zerosFor(x: Tensor): Tensor {
  return new Tensor(x.dtype === "float64" ? new Float64Array(x.size) : new Float32Array(x.size), x.shape);
}
