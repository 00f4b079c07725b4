/** Forward-mode transforms: jvp (tangents pushed through the ops as they run), jacfwd, hessian (forward over reverse), hvp. */
import { zerosLike } from "../creation.js";
import { formatShape, ShapeError, ValueError } from "../errors.js";
import { allocate } from "../kernels/floatArray.js";
import { add } from "../ops/elementwise/add.js";
import { cast } from "../ops/elementwise/cast.js";
import { toTensor } from "../ops/operand.js";
import { stack } from "../ops/shape/composites.js";
import { reshape } from "../ops/shape/reshape.js";
import { shapesEqual } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { dropTangent, hasActiveTangent, setTangent, tangentAt, withNewLevel } from "./forwardMode.js";
import { argnumList, grad, jacrev, type TensorFunction } from "./transforms.js";

/**
 * jvp(f, primals, tangents) → [f(primals), J·tangents]: the directional derivative, computed in
 * forward mode. Each op, as f runs, also computes its output's tangent from its inputs' tangents
 * by its JVP rule; no backward pass runs and no graph is kept. Each call is a fresh level, so jvps
 * nest (jvp of jvp, jvp of grad, grad of jvp) without confusing their tangents.
 * @example const [y, dy] = jvp((x) => x.tanh(), [x], [v]); // dy = (1 − y²) ∗ v
 */
export function jvp(f: TensorFunction, primals: readonly TensorLike[], tangents: readonly Tensor[]): [Tensor, Tensor] {
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new ValueError("jvp", "expects an array of primals and an array of tangents");
  }
  if (primals.length !== tangents.length) {
    throw new ValueError("jvp", `${primals.length} primals but ${tangents.length} tangents`);
  }
  return pushForward("jvp", f, primals, tangents);
}

/** f's value and its output's tangent, given a tangent (or null: none) per primal. */
function pushForward(
  op: string,
  f: TensorFunction,
  primals: readonly TensorLike[],
  tangents: ReadonlyArray<Tensor | null>,
): [Tensor, Tensor] {
  if (typeof f !== "function") throw new ValueError(op, "expects a function of tensors");
  const inputs = primals.map((p, i) => entryPoint(op, p, i));
  tangents.forEach((v, i) => {
    if (v !== null && (!(v instanceof Tensor) || !shapesEqual(v.shape, inputs[i].shape))) {
      const got = v instanceof Tensor ? formatShape(v.shape) : typeof v;
      throw new ShapeError(op, `tangent ${i} must have its primal's shape ${formatShape(inputs[i].shape)}, got ${got}`);
    }
  });
  return withNewLevel((level) => {
    inputs.forEach((x, i) => {
      const v = tangents[i];
      if (v !== null) setTangent(x, level, v.dtype === x.dtype ? v : cast(v, x.dtype));
    });
    const out = f(...inputs);
    if (!(out instanceof Tensor)) throw new ValueError(op, "the function must return a Tensor");
    const tangent = tangentAt(out, level) ?? zerosLike(out);
    dropTangent(out, level);
    return [out, tangent];
  });
}

/**
 * A fresh tensor for one primal, so its tangent never lands on the caller's tensor. One that an
 * enclosing transform tracks (requires grad, or carries an outer jvp's tangent) enters through an
 * op, which keeps that connection.
 */
function entryPoint(op: string, p: TensorLike, i: number): Tensor {
  if (typeof p !== "number" && !(p instanceof Tensor)) {
    throw new ValueError(op, `primal ${i} must be a Tensor or a number`);
  }
  const t = toTensor(op, p);
  return t.requiresGrad || hasActiveTangent(t) ? add(t, 0) : new Tensor(t._data, t.shape, false, t.name);
}

/**
 * jacfwd(f, argnum)(...args): ∂f/∂x with shape out.shape ++ x.shape, one jvp per element of x
 * (forward mode: the cheaper way when x has fewer elements than f has outputs; see jacrev).
 * @example jacfwd((x) => x.tanh())(x) // diagonal (n, n)
 */
export function jacfwd(f: TensorFunction, argnum = 0): (...args: TensorLike[]) => Tensor {
  return (...args) => {
    const n = argnumList("jacfwd", argnum, args.length)[0];
    const x = toTensor("jacfwd", args[n]);
    const columns: Tensor[] = [];
    let out: Tensor | null = null;
    for (let e = 0; e < x.size; e++) {
      const oneHot = new Tensor(allocate(x.dtype, x.size), x.shape);
      oneHot._data[e] = 1;
      const [value, column] = pushForward(
        "jacfwd",
        f,
        args,
        args.map((_, i) => (i === n ? oneHot : null)),
      );
      out = value;
      columns.push(column);
    }
    if (out === null) {
      const value = pushForward(
        "jacfwd",
        f,
        args,
        args.map(() => null),
      )[0];
      return new Tensor(allocate(value.dtype, 0), [...value.shape, ...x.shape]);
    }
    return reshape(stack(columns, out.rank), [...out.shape, ...x.shape]);
  };
}

/**
 * hessian(f, argnum)(...args): the second derivatives of f, shape out.shape ++ x.shape ++ x.shape
 * (x.shape ++ x.shape for a scalar f), forward over reverse: jacfwd(jacrev(f)).
 * @example hessian((x) => x.pow(3).sum())(tensor([1, 2])) // [[6, 0], [0, 12]]
 */
export function hessian(f: TensorFunction, argnum = 0): (...args: TensorLike[]) => Tensor {
  return jacfwd(jacrev(f, argnum), argnum);
}

/**
 * hvp(f, x, v): the Hessian-vector product H·v of a scalar f at x without forming H, forward over
 * reverse: the jvp of ∇f along v.
 * @example hvp((x) => x.pow(3).sum(), tensor([1, 2]), tensor([1, -1])) // [6, -12]
 */
export function hvp(f: TensorFunction, x: TensorLike, v: Tensor): Tensor {
  const primal = toTensor("hvp", x);
  if (!(v instanceof Tensor) || !shapesEqual(v.shape, primal.shape)) {
    const got = v instanceof Tensor ? formatShape(v.shape) : typeof v;
    throw new ShapeError("hvp", `v must have x's shape ${formatShape(primal.shape)}, got ${got}`);
  }
  return pushForward("hvp", grad(f), [primal], [v])[1];
}
