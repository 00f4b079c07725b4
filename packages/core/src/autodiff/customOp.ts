/** customOp: a user-defined differentiable op from a forward and a backward and/or JVP rule (like torch.autograd.Function). */
import { zerosLike } from "../creation.js";
import { AutodiffError, formatShape, ShapeError, ValueError } from "../errors.js";
import { allocate } from "../kernels/floatArray.js";
import { addOptional } from "../ops/elementwise/add.js";
import { cast } from "../ops/elementwise/cast.js";
import { clone } from "../ops/elementwise/composites.js";
import { mul } from "../ops/elementwise/mul.js";
import { sum } from "../ops/reduce/sum.js";
import type { Shape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { gradients } from "./backward.js";
import { withoutTangents } from "./forwardMode.js";
import { withGradMode } from "./gradMode.js";
import { type BackwardContext, type OpDef, record } from "./node.js";

/** What a custom op's rules receive: its inputs (typed as the forward's parameters) and its output (`ctx.output`). */
export interface CustomOpContext<In extends Tensor[] = Tensor[]> extends BackwardContext<undefined> {
  readonly inputs: Readonly<In>;
}

/**
 * The reverse-mode rule: one gradient per input (null where none), given dz and the inputs and output (`ctx.output`,
 * e.g. to reuse σ(z) in σ′ = a(1 − a)). Each gradient has its input's shape, or one the input broadcasts to (the
 * engine sums it back). Write it with backprop's ops so that gradients of gradients work.
 */
export type CustomBackward<In extends Tensor[] = Tensor[]> = (
  grad: Tensor,
  ctx: CustomOpContext<In>,
) => ReadonlyArray<Tensor | null>;

/** The forward-mode rule: the output's tangent, given one tangent per input (zeros where an input has none). */
export type CustomJvp<In extends Tensor[] = Tensor[]> = (tangents: Readonly<In>, ctx: CustomOpContext<In>) => Tensor;

interface CustomOpBase<In extends Tensor[]> {
  /** Shown in errors, graphs and traces. */
  readonly name: string;
  /** Computes the output from the inputs (its ops are neither recorded nor given tangents). */
  forward(...inputs: In): Tensor;
  /**
   * The local derivative shown by traces (default `name′`, applied to the inputs). Placeholders are replaced by
   * the tensors' names: `dz` (any d + one letter) is the upstream gradient; in a one-input op `x` and `z` are the
   * input and `a` the output; with more inputs `a`/`A` and `b`/`B` are inputs 0 and 1 and `C` the output.
   * A formula `dz ∗ (F)` applied to the seed of a scalar output (dJ = 1) is shown as F.
   */
  readonly formula?: string;
}

/**
 * The definition of a custom op: a forward and at least one rule, written with backprop's ops so
 * that rules nest. `In` is inferred from `forward`'s parameters, so a rule's `{ inputs: [x] }` is a Tensor even
 * under `noUncheckedIndexedAccess`. With `backward` only, forward mode (jvp, jacfwd, hessian, hvp) works through
 * the transposed rule (J·v = ∂/∂u ⟨Jᵀu, v⟩, one extra small backward pass per op); with `jvp`
 * only, reverse mode (backward, grad, vjp, jacrev, hessian) throws an `AutodiffError` naming the op.
 */
export type CustomOpSpec<In extends Tensor[] = Tensor[]> = CustomOpBase<In> &
  ({ backward: CustomBackward<In>; jvp?: CustomJvp<In> } | { backward?: undefined; jvp: CustomJvp<In> });

/**
 * Builds a differentiable function from a forward and its backward and/or JVP rule.
 * @example
 * const cube = customOp({
 *   name: "cube",
 *   forward: (x) => x.mul(x).mul(x),
 *   backward: (g, { inputs: [x] }) => [g.mul(x.mul(x)).mul(3)],
 *   jvp: ([t], { inputs: [x] }) => t.mul(x.mul(x)).mul(3),
 * });
 * gradcheck(cube, [tensor([1, 2])]);
 */
export function customOp<In extends Tensor[]>(spec: CustomOpSpec<In>): (...inputs: In) => Tensor {
  const backward: unknown = spec?.backward;
  const jvp: unknown = spec?.jvp;
  if (
    typeof spec?.name !== "string" ||
    typeof spec.forward !== "function" ||
    (backward !== undefined && typeof backward !== "function") ||
    (jvp !== undefined && typeof jvp !== "function") ||
    (backward === undefined && jvp === undefined)
  ) {
    throw new ValueError(
      "customOp",
      "needs { name: string, forward(...inputs) } and at least one rule: backward(grad, ctx) and/or jvp(tangents, ctx)",
    );
  }
  const { name } = spec;
  const def: OpDef<undefined> = {
    name: "custom",
    broadcasts: "all", // a custom rule may return output-shaped gradients, as the built-in broadcasting ops do
    saves: { inputs: true, output: true },
    formula: spec.formula ?? `${name}′`,
    backward: (g, ctx) => {
      if (spec.backward === undefined) {
        throw new AutodiffError(
          name,
          "has a jvp rule but no backward rule, so reverse mode (backward, grad, vjp, jacrev, hessian) cannot differentiate through it; use jvp or jacfwd, or give it a backward rule",
        );
      }
      return checkedGradients(name, spec.backward(g, ctx as CustomOpContext<In>), ctx.inputs);
    },
    jvpFormula: `ż = ${name}′ · ẋ`,
    jvp: (tangents, ctx) => {
      if (spec.jvp === undefined)
        return spec.backward ? transposedVjp(name, spec.backward as CustomBackward, tangents, ctx) : null;
      const full = tangents.map((t, i) => t ?? zerosLike(ctx.inputs[i]));
      const out = spec.jvp(full as unknown as In, ctx as CustomOpContext<In>);
      if (!(out instanceof Tensor)) throw new AutodiffError(name, "jvp must return a Tensor (the output's tangent)");
      if (out.shape.length !== ctx.output.shape.length || out.shape.some((d, i) => d !== ctx.output.shape[i])) {
        throw new ShapeError(
          name,
          `jvp returned a tangent of shape ${formatShape(out.shape)} for an output of shape ${formatShape(ctx.output.shape)}: it must have the output's shape`,
        );
      }
      return out;
    },
  };
  return (...inputs) => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new ValueError(name, `input ${i} must be a Tensor`);
    });
    let out = withoutTangents(() => withGradMode(false, () => spec.forward(...inputs)));
    if (!(out instanceof Tensor)) throw new ValueError(name, "forward must return a Tensor");
    if (inputs.includes(out)) out = withoutTangents(() => withGradMode(false, () => clone(out))); // never attach a node to an input
    return record(def, out, inputs, undefined, name);
  };
}

/** A custom backward's result: one gradient per input, each of its input's shape or one it broadcasts to. */
function checkedGradients(
  name: string,
  grads: ReadonlyArray<Tensor | null>,
  inputs: readonly Tensor[],
): ReadonlyArray<Tensor | null> {
  if (!Array.isArray(grads) || grads.length !== inputs.length) {
    throw new AutodiffError(name, `backward must return an array of ${inputs.length} gradient(s) (null where none)`);
  }
  // Each gradient in its input's dtype, as PyTorch casts a custom Function's: a float64 gradient for a float32
  // input would otherwise make its .grad (and every gradient upstream of it) float64.
  return grads.map((gi, i) => {
    checkGradientShape(name, i, gi, inputs[i]);
    return gi === null || gi === undefined || gi.dtype === inputs[i].dtype ? gi : cast(gi, inputs[i].dtype);
  });
}

/**
 * J·v from the backward rule alone: ⟨Jᵀu, v⟩ is linear in u, so its gradient with respect to u
 * (taken at u = 0) is J·v. Exact for a backward rule linear in its gradient, as every rule is.
 */
function transposedVjp(
  name: string,
  backward: CustomBackward,
  tangents: ReadonlyArray<Tensor | null>,
  ctx: BackwardContext<undefined>,
): Tensor | null {
  const { output, inputs } = ctx;
  const u = new Tensor(allocate(output.dtype, output.size), output.shape, true);
  const pairing = withGradMode(true, () => {
    const pulled = checkedGradients(name, backward(u, ctx), inputs);
    let total: Tensor | null = null;
    tangents.forEach((t, i) => {
      const g = pulled[i];
      if (t !== null && g !== null && g !== undefined) total = addOptional(total, sum(mul(g, t)));
    });
    return total as Tensor | null;
  });
  if (pairing === null || !pairing.requiresGrad) return null;
  const nested = inputs.some((x) => x.requiresGrad) || tangents.some((t) => t?.requiresGrad === true);
  return gradients(pairing, [u], undefined, { createGraph: nested })[0];
}

/**
 * A custom rule's gradient for input i must have the input's shape, or a shape the input broadcasts to
 * (the engine then sums it back): anything else is named here, with the op, the index and both shapes.
 */
function checkGradientShape(name: string, i: number, gi: Tensor | null, input: Tensor | undefined): void {
  if (gi === null || gi === undefined || input === undefined) return;
  if (!(gi instanceof Tensor)) {
    throw new AutodiffError(name, `backward returned ${typeof gi} for input ${i}: expected a Tensor or null`);
  }
  if (!broadcastsTo(input.shape, gi.shape)) {
    throw new ShapeError(
      name,
      `backward returned a gradient of shape ${formatShape(gi.shape)} for input ${i} of shape ${formatShape(input.shape)}: it must have the input's shape (or one the input broadcasts to)`,
    );
  }
}

/** Whether `from` broadcasts to exactly `to` (numpy's rules, aligned at the last axis). */
function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const offset = to.length - from.length;
  return from.every((d, k) => d === 1 || d === to[k + offset]);
}
