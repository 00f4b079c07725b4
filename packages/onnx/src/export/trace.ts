/** Traces a function twice (the example inputs, then a probe with other values and other sizes along the dynamic axes) and pairs the two graphs. */
import { broadcastTo, enableGrad, gradients, nodeOf, scalar, Tensor, ValueError, withTracing } from "@backprop/core";

/** A symbolic dimension: its name and its sizes in the example and the probe trace. */
export interface SymbolSize {
  readonly name: string;
  readonly example: number;
  readonly probe: number;
}

/** One trace: every tensor reachable from the outputs, dependencies first. */
export interface Trace {
  readonly inputs: Tensor[];
  readonly outputs: Tensor[];
  readonly grads: Tensor[];
  readonly params: Tensor[];
  readonly order: Tensor[];
}

/** The tensors a traced tensor depends on: its node's inputs, and where's condition (an attribute). */
export function dependencies(t: Tensor): Tensor[] {
  const node = nodeOf(t);
  if (node === null) return [];
  const attrs = node.attrs as { cond?: unknown } | undefined;
  return attrs !== undefined && attrs !== null && attrs.cond instanceof Tensor
    ? [...node.inputs, attrs.cond]
    : [...node.inputs];
}

/** Depth-first post-order from `roots`: each tensor after everything it depends on. */
export function topological(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const done = new Set<Tensor>();
  const onStack = new Set<Tensor>();
  const stack: Array<{ t: Tensor; deps: Tensor[]; next: number }> = [];
  for (const root of roots) {
    if (done.has(root)) continue;
    stack.push({ t: root, deps: dependencies(root), next: 0 });
    onStack.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.deps.length) {
        const d = top.deps[top.next++];
        if (!done.has(d) && !onStack.has(d)) {
          stack.push({ t: d, deps: dependencies(d), next: 0 });
          onStack.add(d);
        }
      } else {
        stack.pop();
        onStack.delete(top.t);
        done.add(top.t);
        order.push(top.t);
      }
    }
  }
  return order;
}

/**
 * The closed-over tensors that require grad, in the order the computation first uses them (W1, b1 before W2, b2),
 * not the depth-first order in which the walk from the outputs meets them.
 */
function parametersOf(order: readonly Tensor[], inputs: readonly Tensor[]): Tensor[] {
  const firstUse = new Map<Tensor, number>();
  order.forEach((t, position) => {
    nodeOf(t)?.inputs.forEach((x, k) => {
      if (nodeOf(x) === null && x.requiresGrad && !inputs.includes(x) && !firstUse.has(x)) {
        firstUse.set(x, position * 1024 + k);
      }
    });
  });
  return [...firstUse.keys()].sort((a, b) => (firstUse.get(a) as number) - (firstUse.get(b) as number));
}

/** Which gradients a trace records. */
export type GradientTargets = "parameters" | "inputs" | "all" | undefined;

/** Runs f in tracing mode on fresh leaves holding `values`, then (optionally) records the gradient graph. */
export function traceOnce(
  f: (...xs: Tensor[]) => Tensor | Tensor[],
  values: readonly Tensor[],
  names: readonly string[],
  targets: GradientTargets,
): Trace {
  const inputs = values.map(
    (v, i) => new Tensor(v.data.slice(), [...v.shape], targets === "inputs" || targets === "all", names[i]),
  );
  return withTracing(() =>
    enableGrad(() => {
      const result = f(...inputs);
      const outputs = Array.isArray(result) ? [...result] : [result];
      if (outputs.length === 0 || !outputs.every((o) => o instanceof Tensor)) {
        throw new ValueError("toOnnx", "the function must return a Tensor or a non-empty array of Tensors");
      }
      const params = parametersOf(topological(outputs), inputs);
      let grads: Tensor[] = [];
      if (targets !== undefined) {
        const J = outputs[0];
        if (J.size !== 1) {
          throw new ValueError("toOnnx", `gradients need a scalar first output, got shape (${J.shape.join(",")})`);
        }
        const wrt = targets === "parameters" ? params : targets === "inputs" ? inputs : [...params, ...inputs];
        const found = J.requiresGrad ? gradients(J, wrt, undefined, { createGraph: true }) : [];
        // A target the output does not depend on gets zeros: written as a recorded broadcast of 0 to the target's
        // shape, so a dynamic dimension stays symbolic (gradients() returns an untracked zeros tensor there).
        grads = wrt.map((x, i) => {
          const g = found[i];
          return g !== undefined && nodeOf(g) !== null ? g : broadcastTo(scalar(0, x.dtype), x.shape);
        });
      }
      return { inputs, outputs, grads, params, order: topological([...outputs, ...grads]) };
    }),
  );
}

/** Probe values: the example's data in reverse order, grown along each dynamic axis by `growth` (cycling the data). */
export function probeValue(example: Tensor, growth: ReadonlyMap<number, number>): Tensor {
  const shape = example.shape.map((d, axis) => d + (growth.get(axis) ?? 0));
  const size = shape.reduce((a, b) => a * b, 1);
  const src = example.data;
  const data = example.dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
  for (let j = 0; j < size; j++) data[j] = src.length === 0 ? 0 : src[(src.length - 1 - (j % src.length)) % src.length];
  return new Tensor(data, shape);
}
