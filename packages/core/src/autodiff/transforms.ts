/** JAX-style function transforms over the engine: grad, valueAndGrad, vjp, jvp, jacobian, hessian, hvp. */
import { formatShape, ShapeError, ValueError } from "../errors.js";
import { add } from "../ops/elementwise/add.js";
import { mul } from "../ops/elementwise/mul.js";
import { toTensor } from "../ops/operand.js";
import { sum } from "../ops/reduce/sum.js";
import { stack } from "../ops/shape/composites.js";
import { reshape } from "../ops/shape/reshape.js";
import { shapesEqual } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { gradients } from "./backward.js";
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
}

/**
 * Fresh entry points for f's arguments. An argument an outer transform already tracks enters
 * through a recorded copy, so the inner gradients stay connected to the outer graph (nesting).
 */
function trace(op: string, args: readonly TensorLike[]): Trace {
  let nested = false;
  const inputs = args.map((a, i) => {
    if (typeof a !== "number" && !(a instanceof Tensor)) {
      throw new ValueError(op, `argument ${i} must be a Tensor or a number`);
    }
    const t = toTensor(op, a);
    if (t.requiresGrad) {
      nested = true;
      return enableGrad(() => add(t, 0));
    }
    return new Tensor(t._data, t.shape, true, t.name);
  });
  return { inputs, nested };
}

function call(op: string, f: TensorFunction, inputs: Tensor[]): Tensor {
  if (typeof f !== "function") throw new ValueError(op, "expects a function of tensors");
  const out = enableGrad(() => f(...inputs));
  if (!(out instanceof Tensor)) throw new ValueError(op, "the function must return a Tensor");
  return out;
}

function argnumList(op: string, argnums: number | readonly number[] | undefined, count: number): number[] {
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
  if (!out.requiresGrad) return inputs.map(zerosOf); // f ignores its inputs
  return gradients(out, inputs, undefined, { createGraph: nested });
}

function zerosOf(x: Tensor): Tensor {
  return new Tensor(x.dtype === "float64" ? new Float64Array(x.size) : new Float32Array(x.size), x.shape);
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
  return (...args) => {
    const { inputs, nested } = trace("valueAndGrad", args);
    const nums = argnumList("valueAndGrad", options.argnums, inputs.length);
    const out = call("valueAndGrad", f, inputs);
    const grads = scalarGradients(
      "valueAndGrad",
      out,
      nums.map((n) => inputs[n]),
      nested,
    );
    const value = nested ? out : out.detach();
    return [value, typeof options.argnums === "object" ? grads : grads[0]];
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
  const withValue = valueAndGrad(f, options as GradOptions & { argnums?: number });
  return (...args) => withValue(...args)[1];
}

/**
 * vjp(f, ...primals) → [f(primals), pullback]; pullback(u) returns uᵀ·J for each primal.
 * @example const [out, pullback] = vjp(f, x); const [ux] = pullback(onesLike(out));
 */
export function vjp(f: TensorFunction, ...primals: TensorLike[]): [Tensor, (cotangent: Tensor) => Tensor[]] {
  const { inputs, nested } = trace("vjp", primals);
  const out = call("vjp", f, inputs);
  const pullback = (cotangent: Tensor): Tensor[] => {
    if (!(cotangent instanceof Tensor) || !shapesEqual(cotangent.shape, out.shape)) {
      const got = cotangent instanceof Tensor ? formatShape(cotangent.shape) : typeof cotangent;
      throw new ShapeError("vjp", `cotangent must have the output's shape ${formatShape(out.shape)}, got ${got}`);
    }
    if (!out.requiresGrad) return inputs.map(zerosOf);
    return gradients(out, inputs, cotangent, { retainGraph: true, createGraph: nested });
  };
  return [nested ? out : out.detach(), pullback];
}

/**
 * jvp(f, primals, tangents) → [f(primals), J·tangents] (forward-mode directional derivative),
 * computed by transposing the vjp: J·v = ∂/∂u ⟨Jᵀu, v⟩, exact for every op with a backward rule.
 * @example const [y, dy] = jvp((x) => x.tanh(), [x], [v]);
 */
export function jvp(f: TensorFunction, primals: readonly TensorLike[], tangents: readonly Tensor[]): [Tensor, Tensor] {
  if (primals.length !== tangents.length) {
    throw new ValueError("jvp", `${primals.length} primals but ${tangents.length} tangents`);
  }
  const { inputs, nested } = trace("jvp", primals);
  tangents.forEach((v, i) => {
    if (!(v instanceof Tensor) || !shapesEqual(v.shape, inputs[i].shape)) {
      throw new ShapeError("jvp", `tangent ${i} must have its primal's shape ${formatShape(inputs[i].shape)}`);
    }
  });
  const out = call("jvp", f, inputs);
  if (!out.requiresGrad) return [out, zerosOf(out)];
  const u = new Tensor(
    out.dtype === "float64" ? new Float64Array(out.size) : new Float32Array(out.size),
    out.shape,
    true,
  );
  const pulled = gradients(out, inputs, u, { createGraph: true, retainGraph: true });
  const pairing = enableGrad(() =>
    pulled.reduce<Tensor | null>((acc, g, i) => {
      const term = sum(mul(g, tangents[i]));
      return acc === null ? term : add(acc, term);
    }, null),
  );
  const tangentOut = pairing?.requiresGrad
    ? gradients(pairing, [u], undefined, { createGraph: nested })[0]
    : u.detach();
  return [nested ? out : out.detach(), tangentOut];
}

/**
 * jacobian(f, argnum)(...args): ∂f/∂x with shape out.shape ++ x.shape, one vjp per output element.
 * @example jacobian((x) => x.tanh())(x) // diagonal (n, n)
 */
export function jacobian(f: TensorFunction, argnum = 0): (...args: TensorLike[]) => Tensor {
  return (...args) => {
    const [out, pullback] = vjp(f, ...args);
    const nums = argnumList("jacobian", argnum, args.length);
    const x = toTensor("jacobian", args[nums[0]]);
    if (out.size === 0 || x.size === 0) return new Tensor(new Float64Array(0), [...out.shape, ...x.shape]);
    // One reverse pass per output element: the rows of J.
    const rows: Tensor[] = [];
    for (let e = 0; e < out.size; e++) {
      const oneHot = new Tensor(
        out.dtype === "float64" ? new Float64Array(out.size) : new Float32Array(out.size),
        out.shape,
      );
      oneHot._data[e] = 1;
      rows.push(pullback(oneHot)[nums[0]]);
    }
    return enableGrad(() => reshape(stack(rows, 0), [...out.shape, ...x.shape]));
  };
}

/**
 * hessian(f)(x): the matrix of second derivatives of a scalar f, shape x.shape ++ x.shape
 * (reverse-over-reverse: the jacobian of the gradient).
 * @example hessian((x) => x.pow(3).sum())(tensor([1, 2])) // [[6, 0], [0, 12]]
 */
export function hessian(f: TensorFunction, argnum = 0): (...args: TensorLike[]) => Tensor {
  return jacobian(grad(f, { argnums: argnum }), argnum);
}

/**
 * hvp(f, primals, v): the Hessian-vector product H·v of a scalar f at x without forming H,
 * as ∇ₓ⟨∇f(x), v⟩.
 */
export function hvp(f: TensorFunction, x: TensorLike, v: Tensor): Tensor {
  const g = grad(f);
  return grad((y: Tensor) => {
    if (!shapesEqual(v.shape, y.shape))
      throw new ShapeError("hvp", `v must have x's shape ${formatShape(y.shape)}, got ${formatShape(v.shape)}`);
    return sum(mul(g(y), v));
  })(x);
}
