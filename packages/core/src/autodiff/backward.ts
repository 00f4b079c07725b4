/** The reverse-mode engine: an iterative topological order, then the chain rule applied node by node in reverse. */
import { onesLike, zerosLike } from "../creation.js";
import { AutodiffError, formatShape, ShapeError } from "../errors.js";
import { binaryFlat } from "../kernels/binary.js";
import { recycle } from "../kernels/floatArray.js";
import { add } from "../ops/elementwise/add.js";
import { fusedGradValue, recordsGraph } from "../ops/elementwise/elementwiseOp.js";
import { sumToShape } from "../ops/reduce/sumToShape.js";
import { shapesEqual } from "../shape.js";
import { type BackwardOptions, Tensor } from "../tensor.js";
import { isForwardActive } from "./forwardMode.js";
import { isAnomalyEnabled, withAnomalyMode, withGradMode } from "./gradMode.js";
import { broadcastsInput, checkFinite, checkSavedVersions, type GraphNode } from "./node.js";

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
  // While a jvp runs, gradients carry tangents: sums go through the add op, never in place.
  const byOps = createGraph || isForwardActive();
  const retainGraph = options?.retainGraph === true || createGraph;
  const rootGrad = seedFor(op, root, seed);
  const order = topologicalOrder(root);
  const mark = root._mark;
  const wanted = targets ? pathsTo(order, targets) : null;
  const results = new Map<Tensor, Tensor>();
  // Gradient flowing into order[i], and whether only the engine holds it (a sum it made, or a fresh
  // rule result), so that further contributions can be added in place and leaves need no copy.
  const grads = new Array<Tensor | undefined>(order.length);
  const owned = new Array<boolean>(order.length).fill(false);
  grads[order.length - 1] = rootGrad;
  const anomaly = isAnomalyEnabled();
  withGradMode(createGraph, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const raw = grads[i];
      if (raw === undefined) continue;
      grads[i] = undefined;
      const g = applyHooks(t, raw);
      if (targets) {
        if (targets.includes(t)) results.set(t, g);
      } else if (t._node === null || t._retainsGrad) {
        // A copy on first store: the same gradient tensor can reach several leaves (add's rule returns dz
        // twice); a sum the engine made and no hook has seen is this leaf's alone.
        const own = owned[i] && g === raw && t._hooks === null;
        t.grad = t.grad === null ? (createGraph || own ? g : g.detach()) : add(t.grad, g);
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
      const inputGrads = anomaly ? withAnomalyMode(false, () => applyRule(node, g)) : applyRule(node, g);
      // g dies with this step when only the engine held it (no hook, retainGrad, target or custom
      // rule saw it) and no input keeps it below: its buffer can then serve the next allocation.
      let dies =
        owned[i] && g === raw && t._hooks === null && !t._retainsGrad && targets === null && node.op.name !== "custom";
      for (let j = 0; j < node.inputs.length; j++) {
        const input = node.inputs[j];
        const returned = inputGrads[j];
        if (returned === null || returned === undefined || !input.requiresGrad) continue;
        let gi = returned;
        if (!shapesEqual(gi.shape, input.shape) && broadcastsInput(node.op, j)) gi = sumToShape(gi, input.shape);
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new ShapeError(
            op,
            `${node.label}'s backward returned a gradient of shape ${formatShape(gi.shape)} for input ${j} of shape ${formatShape(input.shape)}`,
          );
        }
        if (anomaly) checkFinite(node.label, "backward", gi, node, node.stack, j);
        if (gi._data === g._data) dies = false;
        const k = indexIn(order, input, mark);
        const existing = grads[k];
        const fresh = !byOps && (gi !== returned || isFresh(gi, g, node, inputGrads));
        if (existing === undefined) {
          grads[k] = gi;
          owned[k] = fresh;
        } else if (byOps || existing.dtype !== gi.dtype) {
          grads[k] = add(existing, gi);
          owned[k] = !byOps;
        } else if (owned[k]) addInto(existing, gi);
        else if (fresh) {
          addInto(gi, existing); // a + b = b + a exactly: the same value as add(existing, gi)
          grads[k] = gi;
          owned[k] = true;
        } else {
          grads[k] = add(existing, gi);
          owned[k] = true;
        }
      }
      if (!retainGraph) node.released = true;
      if (dies) recycle(g._data);
    }
  });
  return results;
}

/**
 * A node's input gradients: the op's fused one-pass kernel when it has one and the rule would not itself be
 * recorded (the same bits, one allocation instead of two or three), else the rule.
 */
function applyRule(node: GraphNode, g: Tensor): ReadonlyArray<Tensor | null> {
  const fused = node.op.fusedBackward;
  if (fused !== undefined) {
    const x = fused.reads === "output" ? node.output : node.inputs[0];
    if (!recordsGraph(g, x)) return [fusedGradValue(fused.kernel, g, x)];
  }
  return node.op.backward(g, node);
}

/**
 * Whether a gradient a built-in rule returned is a new tensor nothing else holds (so the engine may
 * add into it, or store it as a leaf's .grad without a copy): not the incoming gradient, an input,
 * the output, or a tensor returned for two inputs. Custom rules may return anything: never fresh.
 */
function isFresh(gi: Tensor, g: Tensor, node: GraphNode, inputGrads: ReadonlyArray<Tensor | null>): boolean {
  if (gi === g || gi === node.output || node.op.name === "custom") return false;
  if (node.inputs.includes(gi)) return false;
  let uses = 0;
  for (const x of inputGrads) if (x === gi) uses++;
  return uses === 1;
}

/** acc += g elementwise (same shapes), for a gradient sum only the engine holds. */
function addInto(acc: Tensor, g: Tensor): void {
  binaryFlat("add", acc._data, g._data, acc._data);
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
  return inputs.map((x) => results.get(x) ?? zerosLike(x));
}
