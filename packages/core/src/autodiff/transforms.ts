/** JAX-style reverse-mode transforms over the engine: grad, valueAndGrad, vjp, jacrev (alias jacobian); forward mode is in forwardTransforms.ts. */
import { zerosLike } from "../creation.js";
import { AutodiffError, checkOptionKeys, describeValue, formatShape, ShapeError, ValueError } from "../errors.js";
import { allocate } from "../kernels/floatArray.js";
import { add } from "../ops/elementwise/add.js";
import { toTensor } from "../ops/operand.js";
import { stack } from "../ops/shape/composites.js";
import { reshape } from "../ops/shape/reshape.js";
import { shapesEqual } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { gradientsAs } from "./backward.js";
import { copyActiveTangents, hasActiveTangent } from "./forwardMode.js";
import { isPromiseLike, withGradMode } from "./gradMode.js";

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
      throw new ValueError(op, `argument ${i} must be a Tensor or a number, got ${describeValue(a)}`);
    }
    const t = toTensor(op, a);
    if (t.requiresGrad) {
      nested = true;
      const copy = withGradMode(true, () => add(t, 0));
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

/** Throws a ValueError naming `op` unless `f` is a function (checked when the transform is made, as JAX does). */
export function checkTransformed(op: string, f: unknown): void {
  if (typeof f !== "function") throw new ValueError(op, `expects a function of tensors, got ${describeValue(f)}`);
}

/** What a transformed function returned instead of a Tensor, for the error message. */
function describeResult(out: unknown): string {
  if (isPromiseLike(out)) {
    return "a Promise: transforms run the function synchronously, so it cannot be async";
  }
  if (Array.isArray(out)) {
    return `an array of ${out.length}: return one Tensor (stack or concatenate several outputs, or transform each one)`;
  }
  return describeValue(out);
}

export function call(op: string, f: TensorFunction, inputs: Tensor[]): Tensor {
  checkTransformed(op, f);
  const versions = inputs.map((x) => x._version);
  const out: unknown = withGradMode(true, () => f(...inputs));
  rejectUpdatedArguments(op, inputs, versions);
  if (!(out instanceof Tensor)) {
    throw new ValueError(op, `the function must return a Tensor, got ${describeResult(out)}`);
  }
  return out;
}

/**
 * An `AutodiffError` when f updated one of its arguments in place (`a.mul_(2)`): the update is not recorded, so the
 * derivative would describe f without it (JAX's functions cannot do this; PyTorch refuses it), and the tensor the
 * caller passed, whose data the argument shares, changed too.
 */
export function rejectUpdatedArguments(op: string, inputs: readonly Tensor[], versions: readonly number[]): void {
  const i = inputs.findIndex((x, k) => x._version !== versions[k]);
  if (i < 0) return;
  throw new AutodiffError(
    op,
    `the function updated its argument ${i} ${formatShape(inputs[i].shape)} in place: in-place updates are not recorded, so the derivative would leave the update out (and the tensor passed in changed too); compute a new tensor instead (a.mul(2), not a.mul_(2))`,
  );
}

/**
 * The argument indices `argnums` names, as torch.func reads them: an integer or a non-empty array of distinct
 * integers, each in [−count, count), a negative one counting from the end (−1: the last argument).
 */
export function argnumList(op: string, argnums: unknown, count: number, name = "argnums"): number[] {
  const list: unknown[] =
    argnums === undefined ? [0] : typeof argnums === "number" ? [argnums] : Array.isArray(argnums) ? argnums : [];
  if (list.length === 0) {
    const got = Array.isArray(argnums) ? "an empty array" : describeValue(argnums);
    throw new ValueError(op, `${name} must be an integer or a non-empty array of integers, got ${got}`);
  }
  const nums = list.map((n) => {
    if (typeof n !== "number" || !Number.isInteger(n)) {
      throw new ValueError(op, `${name} must be integers, got ${describeValue(n)}`);
    }
    if (n < -count || n >= count) {
      const valid = count === 0 ? "it was called with no arguments" : `valid: ${-count} to ${count - 1}`;
      throw new ValueError(op, `${name} ${n} is out of range for a call with ${count} argument(s) (${valid})`);
    }
    return n < 0 ? n + count : n;
  });
  const repeated = nums.find((n, i) => nums.indexOf(n) !== i);
  if (repeated !== undefined) {
    throw new ValueError(op, `${name} [${list.join(",")}] names argument ${repeated} twice`);
  }
  return nums;
}

/** The one argument index of jacrev, jacfwd and hessian (an integer, negative from the end). */
export function argnumOf(op: string, argnum: unknown, count: number): number {
  if (Array.isArray(argnum)) {
    throw new ValueError(
      op,
      `argnum must be one integer, got an array [${argnum.join(",")}]: ${op} differentiates with respect to one argument; call it once per argument`,
    );
  }
  return argnumList(op, argnum, count, "argnum")[0];
}

/** grad's and valueAndGrad's options, checked: an object with at most `argnums` (JAX's grad(f, 1) is grad(f, { argnums: 1 })). */
function checkGradOptions(op: string, options: unknown): GradOptions {
  if (options === undefined) return {};
  // JAX's has_aux gets its own reason: the option exists there, not here.
  const aux =
    typeof options === "object" && options !== null
      ? Object.keys(options).find((k) => /^has_?aux$/i.test(k))
      : undefined;
  if (aux !== undefined) {
    const why = "auxiliary outputs are not supported: compute them outside f";
    throw new ValueError(op, `unknown option '${aux}': ${op} takes { argnums }; ${why}`);
  }
  checkOptionKeys(op, options, ["argnums"], "{ argnums: 1 }");
  return options as GradOptions;
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
  return gradientsAs(op, out, inputs, undefined, { createGraph: nested });
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
  options?: GradOptions,
): (...args: TensorLike[]) => [Tensor, Tensor | Tensor[]] {
  return valueAndGradAs("valueAndGrad", f, options);
}

/** valueAndGrad, its errors naming `op` (the transform the user called: valueAndGrad or grad). */
export function valueAndGradAs(
  op: string,
  f: TensorFunction,
  options: GradOptions | undefined,
): (...args: TensorLike[]) => [Tensor, Tensor | Tensor[]] {
  checkTransformed(op, f);
  const { argnums } = checkGradOptions(op, options);
  return (...args) => {
    const nums = argnumList(op, argnums, args.length);
    const traced = trace(op, args);
    const { inputs, nested } = traced;
    const out = call(op, f, inputs);
    rejectClosedOverArguments(op, out, args, inputs, nums);
    const grads = scalarGradients(
      op,
      out,
      nums.map((n) => inputs[n]),
      nested,
    );
    return [result(out, traced), Array.isArray(argnums) ? grads : grads[0]];
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
export function grad(f: TensorFunction, options?: GradOptions): (...args: TensorLike[]) => Tensor | Tensor[] {
  return gradAs("grad", f, options);
}

/** grad, its errors naming `op` (grad, or hvp, which is the jvp of it). */
export function gradAs(
  op: string,
  f: TensorFunction,
  options?: GradOptions,
): (...args: TensorLike[]) => Tensor | Tensor[] {
  const withValue = valueAndGradAs(op, f, options);
  return (...args) => withValue(...args)[1];
}

/**
 * vjp(f, ...primals) → [f(primals), pullback]; pullback(u) returns uᵀ·J for each primal. The cotangent u has the
 * output's shape (a number for a scalar output) and is cast to the output's dtype; the pullback is linear in u and
 * differentiable with respect to it (a u that requires grad gives gradients that do).
 * @example const [out, pullback] = vjp(f, x); const [ux] = pullback(onesLike(out));
 */
export function vjp(f: TensorFunction, ...primals: TensorLike[]): [Tensor, (cotangent: TensorLike) => Tensor[]] {
  return vjpAs("vjp", f, primals);
}

/** vjp, its errors naming `op` (the transform the user called). */
function vjpAs(
  op: string,
  f: TensorFunction,
  primals: readonly TensorLike[],
): [Tensor, (cotangent: TensorLike) => Tensor[]] {
  checkTransformed(op, f);
  const traced = trace(op, primals);
  const { inputs, nested } = traced;
  const out = call(op, f, inputs);
  const pullback = (cotangent: TensorLike): Tensor[] => {
    const u = typeof cotangent === "number" ? toTensor(op, cotangent, out.dtype) : cotangent;
    if (!(u instanceof Tensor) || !shapesEqual(u.shape, out.shape)) {
      const got = u instanceof Tensor ? formatShape(u.shape) : describeValue(u);
      throw new ShapeError(op, `cotangent must have the output's shape ${formatShape(out.shape)}, got ${got}`);
    }
    if (!out.requiresGrad) return inputs.map((x) => zerosLike(x));
    return gradientsAs(op, out, inputs, u, { retainGraph: true, createGraph: nested || u.requiresGrad });
  };
  return [result(out, traced), pullback];
}

/**
 * jacrev(f, argnum)(...args): ∂f/∂x with shape out.shape ++ x.shape, one vjp per output element
 * (reverse mode: the cheaper way when f has fewer outputs than x has elements; see jacfwd).
 * @example jacrev((x) => x.tanh())(x) // diagonal (n, n)
 */
export function jacrev(f: TensorFunction, argnum = 0): (...args: TensorLike[]) => Tensor {
  return jacrevAs("jacrev", f, argnum);
}

/** jacrev, its errors naming `op` (jacrev, or hessian, which is jacfwd of it). */
export function jacrevAs(op: string, f: TensorFunction, argnum: number): (...args: TensorLike[]) => Tensor {
  checkTransformed(op, f);
  return (...args) => {
    const n = argnumOf(op, argnum, args.length);
    const [out, pullback] = vjpAs(op, f, args);
    const x = toTensor(op, args[n]);
    if (out.size === 0 || x.size === 0) return new Tensor(allocate(x.dtype, 0), [...out.shape, ...x.shape]);
    // One reverse pass per output element: the rows of J.
    const rows: Tensor[] = [];
    for (let e = 0; e < out.size; e++) {
      const oneHot = zerosLike(out);
      oneHot._data[e] = 1;
      rows.push(pullback(oneHot)[n]);
    }
    return withGradMode(true, () => reshape(stack(rows, 0), [...out.shape, ...x.shape]));
  };
}

/** The old name of `jacrev`, kept as an alias. */
export const jacobian = jacrev;
