/** Forward-mode transforms: jvp (tangents pushed through the ops as they run), jacfwd, hessian (forward over reverse), hvp. */
import { zerosLike } from "../creation.js";
import { describeValue, formatShape, ShapeError, ValueError } from "../errors.js";
import { allocate } from "../kernels/floatArray.js";
import { add } from "../ops/elementwise/add.js";
import { cast } from "../ops/elementwise/cast.js";
import { toTensor } from "../ops/operand.js";
import { stack } from "../ops/shape/composites.js";
import { reshape } from "../ops/shape/reshape.js";
import { shapesEqual } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { dropTangent, hasActiveTangent, setTangent, tangentAt, withNewLevel } from "./forwardMode.js";
import {
  argnumOf,
  checkTransformed,
  gradAs,
  jacrevAs,
  rejectUpdatedArguments,
  type TensorFunction,
} from "./transforms.js";

/**
 * jvp(f, primals, tangents) → [f(primals), J·tangents]: the directional derivative, computed in
 * forward mode. Each op, as f runs, also computes its output's tangent from its inputs' tangents
 * by its JVP rule; no backward pass runs and no graph is kept. Each call is a fresh level, so jvps
 * nest (jvp of jvp, jvp of grad, grad of jvp) without confusing their tangents. A tangent has its
 * primal's shape (a number for a number or 0-d primal) and is cast to its primal's dtype.
 * @example const [y, dy] = jvp((x) => x.tanh(), [x], [v]); // dy = (1 − y²) ∗ v
 */
export function jvp(
  f: TensorFunction,
  primals: readonly TensorLike[],
  tangents: readonly TensorLike[],
): [Tensor, Tensor] {
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new ValueError(
      "jvp",
      `expects an array of primals and an array of tangents, got ${describeValue(primals)} and ${describeValue(tangents)}`,
    );
  }
  if (primals.length !== tangents.length) {
    throw new ValueError("jvp", `${primals.length} primals but ${tangents.length} tangents`);
  }
  return pushForward("jvp", f, primals, tangents);
}

/** f's value and its output's tangent, given a tangent (or null: none, only from jacfwd) per primal. */
function pushForward(
  op: string,
  f: TensorFunction,
  primals: readonly TensorLike[],
  tangents: ReadonlyArray<TensorLike | null>,
  optional = false,
): [Tensor, Tensor] {
  checkTransformed(op, f);
  const inputs = primals.map((p, i) => entryPoint(op, p, i));
  const vs = tangents.map((v, i) => {
    if (v === null && optional) return null;
    const t = typeof v === "number" ? toTensor(op, v, inputs[i].dtype) : v;
    if (!(t instanceof Tensor))
      throw new ValueError(op, `tangent ${i} must be a Tensor or a number, got ${describeValue(t)}`);
    if (!shapesEqual(t.shape, inputs[i].shape)) {
      throw new ShapeError(
        op,
        `tangent ${i} must have its primal's shape ${formatShape(inputs[i].shape)}, got ${formatShape(t.shape)}`,
      );
    }
    return t;
  });
  return withNewLevel((level) => {
    inputs.forEach((x, i) => {
      const v = vs[i];
      if (v !== null) setTangent(x, level, v.dtype === x.dtype ? v : cast(v, x.dtype));
    });
    const versions = inputs.map((x) => x._version);
    const out: unknown = f(...inputs);
    rejectUpdatedArguments(op, inputs, versions);
    if (!(out instanceof Tensor)) {
      const got = Array.isArray(out)
        ? "an array: return one Tensor (stack or concatenate several outputs, or call it once per output)"
        : describeValue(out);
      throw new ValueError(op, `the function must return a Tensor, got ${got}`);
    }
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
    throw new ValueError(op, `primal ${i} must be a Tensor or a number, got ${describeValue(p)}`);
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
  return jacfwdAs("jacfwd", f, argnum);
}

/** jacfwd, its errors naming `op` (jacfwd, or hessian). */
function jacfwdAs(op: string, f: TensorFunction, argnum: number): (...args: TensorLike[]) => Tensor {
  checkTransformed(op, f);
  return (...args) => {
    const n = argnumOf(op, argnum, args.length);
    const x = toTensor(op, args[n]);
    const columns: Tensor[] = [];
    let out: Tensor | null = null;
    for (let e = 0; e < x.size; e++) {
      const oneHot = new Tensor(allocate(x.dtype, x.size), x.shape);
      oneHot._data[e] = 1;
      const [value, column] = pushForward(
        op,
        f,
        args,
        args.map((_, i) => (i === n ? oneHot : null)),
        true,
      );
      out = value;
      columns.push(column);
    }
    if (out === null) {
      const value = pushForward(
        op,
        f,
        args,
        args.map(() => null),
        true,
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
  return jacfwdAs("hessian", jacrevAs("hessian", f, argnum), argnum);
}

/**
 * hvp(f, x, v): the Hessian-vector product H·v of a scalar f at x without forming H, forward over
 * reverse: the jvp of ∇f along v (v has x's shape, a number for a 0-d x, and is cast to x's dtype).
 * @example hvp((x) => x.pow(3).sum(), tensor([1, 2]), tensor([1, -1])) // [6, -12]
 */
export function hvp(f: TensorFunction, x: TensorLike, v: TensorLike): Tensor {
  checkTransformed("hvp", f);
  const primal = toTensor("hvp", x);
  const direction = typeof v === "number" ? toTensor("hvp", v, primal.dtype) : v;
  if (!(direction instanceof Tensor) || !shapesEqual(direction.shape, primal.shape)) {
    const got = direction instanceof Tensor ? formatShape(direction.shape) : describeValue(direction);
    throw new ShapeError("hvp", `v must have x's shape ${formatShape(primal.shape)}, got ${got}`);
  }
  return pushForward("hvp", gradAs("hvp", f) as TensorFunction, [primal], [direction])[1];
}
