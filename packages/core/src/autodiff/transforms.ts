/** JAX-style reverse-mode transforms over the engine: grad, valueAndGrad, vjp, jacrev (alias jacobian); forward mode is in forwardTransforms.ts. */
import { zerosLike } from "../creation.js";
import { AutodiffError, formatShape, ShapeError, ValueError } from "../errors.js";
import { add } from "../ops/elementwise/add.js";
import { toTensor } from "../ops/operand.js";
import { stack } from "../ops/shape/composites.js";
import { reshape } from "../ops/shape/reshape.js";
import { shapesEqual } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { gradients } from "./backward.js";
import { copyActiveTangents, hasActiveTangent } from "./forwardMode.js";
import { enableGrad } from "./gradMode.js";

/** A function of tensors returning a tensor, the kind every transform takes. */
export type TensorFunction = (...args: Tensor[]) => Tensor;

/** Options of `grad` and `valueAndGrad`. */
export interface GradOptions {
  /** Which argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
}

/** The inputs of one traced call: fresh graph entry points for the arguments. */
interface Trace {
  readonly inputs: Tensor[];
  /** True when an enclosing transform tracks an argument: gradients must then be differentiable too. */
  readonly nested: boolean;
  /** True when an argument carries an enclosing jvp's tangents: results must keep theirs. */
  readonly tangents: boolean;
}

/**
 * Fresh entry points for f's arguments. An argument an outer transform already tracks enters
 * through a recorded copy, so the inner gradients stay connected to the outer graph (nesting); one
 * that carries an enclosing jvp's tangents passes them on (forward over reverse).
 */
function trace(op: string, args: readonly TensorLike[]): Trace {
  let nested = false;
  let tangents = false;
  const inputs = args.map((a, i) => {
    if (typeof a !== "number" && !(a instanceof Tensor)) {
      throw new ValueError(op, `argument ${i} must be a Tensor or a number`);
    }
    const t = toTensor(op, a);
    if (t.requiresGrad) {
      nested = true;
      const copy = enableGrad(() => add(t, 0));
      if (hasActiveTangent(copy)) tangents = true;
      return copy;
    }
    const fresh = new Tensor(t._data, t.shape, true, t.name);
    if (copyActiveTangents(t, fresh)) tangents = true; // not ||=: every argument's tangents must be copied
    return fresh;
  });
  return { inputs, nested, tangents };
}

/** A traced result as the caller sees it: attached when nested, else detached but keeping its tangents. */
function result(out: Tensor, { nested, tangents }: Trace): Tensor {
  if (nested) return out;
  const detached = out.detach();
  if (tangents) copyActiveTangents(out, detached);
  return detached;
}

export function call(op: string, f: TensorFunction, inputs: Tensor[]): Tensor {
  if (typeof f !== "function") throw new ValueError(op, "expects a function of tensors");
  const out = enableGrad(() => f(...inputs));
  if (!(out instanceof Tensor)) throw new ValueError(op, "the function must return a Tensor");
  return out;
}

export function argnumList(op: string, argnums: number | readonly number[] | undefined, count: number): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === "number" ? [argnums] : [...argnums];
  for (const n of list) {
    if (!Number.isInteger(n) || n < 0 || n >= count) {
      throw new ValueError(op, `argnums ${n} is out of range for a call with ${count} argument(s)`);
    }
  }
  return list;
}

/** Gradients of a scalar output; zeros for inputs it does not depend on (or when nothing requires grad). */
function scalarGradients(op: string, out: Tensor, inputs: Tensor[], nested: boolean): Tensor[] {
  if (out.size !== 1) {
    throw new ShapeError(
      op,
      `the function must return a scalar (one element), got shape ${formatShape(out.shape)}; use vjp or jacobian for other outputs`,
    );
  }
  if (!out.requiresGrad) return inputs.map((x) => zerosLike(x)); // f ignores its inputs
  return gradients(out, inputs, undefined, { createGraph: nested });
}

/**
 * An `AutodiffError` when f read a differentiated argument from its closure instead of its parameter
 * (`grad((w) => cost(W, X))(W)`): the output depends on the tensor passed in but not on the entry f was
 * given, so its gradient would be all zeros. Visible only for an argument that requires grad (else
 * reading it records nothing); an f that ignores an argument altogether still gets zeros.
 */
function rejectClosedOverArguments(
  op: string,
  out: Tensor,
  args: readonly TensorLike[],
  inputs: readonly Tensor[],
  nums: readonly number[],
): void {
  if (!out.requiresGrad || !nums.some((n) => (args[n] as Tensor).requiresGrad === true)) return;
  // The tensors the output reaches without passing through f's entries (an entry's input is its argument).
  const entries = new Set(inputs);
  const reached = new Set<Tensor>([out]);
  const stack = [out];
  for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
    if (entries.has(t) || t._node === null) continue;
    for (const input of t._node.inputs) {
      if (reached.has(input)) continue;
      reached.add(input);
      stack.push(input);
    }
  }
  for (const n of nums) {
    const arg = args[n];
    if (!(arg instanceof Tensor) || reached.has(inputs[n]) || !reached.has(arg)) continue;
    const what = `${arg.name ? `'${arg.name}' ` : ""}${formatShape(arg.shape)}`;
    throw new AutodiffError(
      op,
      `the function's output does not depend on its parameter ${n} but on the tensor passed as argument ${n} (${what}), read from outside the function, so its gradient would be all zeros; compute from the parameter: grad((w) => cost(w, X))(W), not grad((w) => cost(W, X))(W)`,
    );
  }
}

/**
 * valueAndGrad(f)(...args) → [f(args), ∂f/∂args[argnums]] for a scalar-valued f.
 * @example const [J, [dW, db]] = valueAndGrad(cost, { argnums: [0, 1] })(W, b, X, Y);
 */
export function valueAndGrad(
  f: TensorFunction,
  options: GradOptions & { argnums: readonly number[] },
): (...args: TensorLike[]) => [Tensor, Tensor[]];
export function valueAndGrad(
  f: TensorFunction,
  options?: GradOptions & { argnums?: number },
): (...args: TensorLike[]) => [Tensor, Tensor];
export function valueAndGrad(
  f: TensorFunction,
  options: GradOptions = {},
): (...args: TensorLike[]) => [Tensor, Tensor | Tensor[]] {
  return valueAndGradAs("valueAndGrad", f, options);
}

/** valueAndGrad, its errors naming `op` (the transform the user called: valueAndGrad or grad). */
function valueAndGradAs(
  op: string,
  f: TensorFunction,
  options: GradOptions,
): (...args: TensorLike[]) => [Tensor, Tensor | Tensor[]] {
  return (...args) => {
    const traced = trace(op, args);
    const { inputs, nested } = traced;
    const nums = argnumList(op, options.argnums, inputs.length);
    const out = call(op, f, inputs);
    rejectClosedOverArguments(op, out, args, inputs, nums);
    const grads = scalarGradients(
      op,
      out,
      nums.map((n) => inputs[n]),
      nested,
    );
    return [result(out, traced), typeof options.argnums === "object" ? grads : grads[0]];
  };
}

/**
 * grad(f)(...args): the gradient of a scalar-valued f with respect to argument 0 (or `argnums`,
 * returning a list when it is a list). Transforms nest: grad(x => grad(f)(x).sum()) differentiates twice.
 * @example grad((x) => x.mul(x).sum())(tensor([1, 2])) // [2, 4]
 */
export function grad(
  f: TensorFunction,
  options: GradOptions & { argnums: readonly number[] },
): (...args: TensorLike[]) => Tensor[];
export function grad(
  f: TensorFunction,
  options?: GradOptions & { argnums?: number },
): (...args: TensorLike[]) => Tensor;
export function grad(f: TensorFunction, options: GradOptions = {}): (...args: TensorLike[]) => Tensor | Tensor[] {
  const withValue = valueAndGradAs("grad", f, options);
  return (...args) => withValue(...args)[1];
}

/**
 * vjp(f, ...primals) → [f(primals), pullback]; pullback(u) returns uᵀ·J for each primal.
 * @example const [out, pullback] = vjp(f, x); const [ux] = pullback(onesLike(out));
 */
export function vjp(f: TensorFunction, ...primals: TensorLike[]): [Tensor, (cotangent: Tensor) => Tensor[]] {
  const traced = trace("vjp", primals);
  const { inputs, nested } = traced;
  const out = call("vjp", f, inputs);
  const pullback = (cotangent: Tensor): Tensor[] => {
    if (!(cotangent instanceof Tensor) || !shapesEqual(cotangent.shape, out.shape)) {
      const got = cotangent instanceof Tensor ? formatShape(cotangent.shape) : typeof cotangent;
      throw new ShapeError("vjp", `cotangent must have the output's shape ${formatShape(out.shape)}, got ${got}`);
    }
    if (!out.requiresGrad) return inputs.map((x) => zerosLike(x));
    return gradients(out, inputs, cotangent, { retainGraph: true, createGraph: nested });
  };
  return [result(out, traced), pullback];
}

/**
 * jacrev(f, argnum)(...args): ∂f/∂x with shape out.shape ++ x.shape, one vjp per output element
 * (reverse mode: the cheaper way when f has fewer outputs than x has elements; see jacfwd).
 * @example jacrev((x) => x.tanh())(x) // diagonal (n, n)
 */
export function jacrev(f: TensorFunction, argnum = 0): (...args: TensorLike[]) => Tensor {
  return (...args) => {
    if (typeof f !== "function") throw new ValueError("jacrev", "expects a function of tensors");
    const [out, pullback] = vjp(f, ...args);
    const nums = argnumList("jacrev", argnum, args.length);
    const x = toTensor("jacrev", args[nums[0]]);
    if (out.size === 0 || x.size === 0) return new Tensor(new Float64Array(0), [...out.shape, ...x.shape]);
    // One reverse pass per output element: the rows of J.
    const rows: Tensor[] = [];
    for (let e = 0; e < out.size; e++) {
      const oneHot = zerosLike(out);
      oneHot._data[e] = 1;
      rows.push(pullback(oneHot)[nums[0]]);
    }
    return enableGrad(() => reshape(stack(rows, 0), [...out.shape, ...x.shape]));
  };
}

/** The old name of `jacrev`, kept as an alias. */
export const jacobian = jacrev;
