/** customOp: a user-defined differentiable op from a forward and a backward function (like torch.autograd.Function). */
import { AutodiffError, formatShape, ShapeError, ValueError } from "../errors.js";
import { clone } from "../ops/elementwise/composites.js";
import type { Shape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { noGrad } from "./gradMode.js";
import { type BackwardContext, type OpDef, record } from "./node.js";

/** What a custom op's backward receives: its inputs (typed as the forward's parameters) and its output. */
export interface CustomOpContext<In extends Tensor[] = Tensor[]> extends BackwardContext<undefined> {
  readonly inputs: Readonly<In>;
}

/**
 * The definition of a custom op. `In` is inferred from `forward`'s parameters, so `backward`'s
 * `{ inputs: [x] }` is a Tensor even under `noUncheckedIndexedAccess`.
 */
export interface CustomOpSpec<In extends Tensor[] = Tensor[]> {
  /** Shown in errors, graphs and traces. */
  readonly name: string;
  /** Computes the output from the inputs (its ops are not recorded). */
  forward(...inputs: In): Tensor;
  /**
   * Returns one gradient per input (null where none), given dz and the inputs and output (`ctx.output`,
   * e.g. to reuse σ(z) in σ′ = a(1 − a)). Each gradient has its input's shape, or one the input broadcasts
   * to (the engine sums it back). Write it with backprop's ops so that gradients of gradients work.
   */
  backward(grad: Tensor, ctx: CustomOpContext<In>): ReadonlyArray<Tensor | null>;
  /**
   * The local derivative shown by traces (default `name′`, applied to the inputs). Placeholders are replaced by
   * the tensors' names: `dz` (any d + one letter) is the upstream gradient; in a one-input op `x` and `z` are the
   * input and `a` the output; with more inputs `a`/`A` and `b`/`B` are inputs 0 and 1 and `C` the output.
   * A formula `dz ∗ (F)` applied to the seed of a scalar output (dJ = 1) is shown as F.
   */
  readonly formula?: string;
}

/**
 * Builds a differentiable function from a forward and its backward rule.
 * @example
 * const cube = customOp({
 *   name: "cube",
 *   forward: (x) => x.mul(x).mul(x),
 *   backward: (g, { inputs: [x] }) => [g.mul(x.mul(x)).mul(3)],
 * });
 * gradcheck(cube, [tensor([1, 2])]);
 */
export function customOp<In extends Tensor[]>(spec: CustomOpSpec<In>): (...inputs: In) => Tensor {
  if (typeof spec?.name !== "string" || typeof spec.forward !== "function" || typeof spec.backward !== "function") {
    throw new ValueError("customOp", "needs { name: string, forward(...inputs), backward(grad, ctx) }");
  }
  const { name } = spec;
  const def: OpDef<undefined> = {
    name: "custom",
    saves: { inputs: true, output: true },
    formula: spec.formula ?? `${name}′`,
    backward: (g, ctx) => {
      const grads = spec.backward(g, ctx as CustomOpContext<In>);
      if (!Array.isArray(grads) || grads.length !== ctx.inputs.length) {
        throw new AutodiffError(
          name,
          `backward must return an array of ${ctx.inputs.length} gradient(s) (null where none)`,
        );
      }
      grads.forEach((gi, i) => {
        checkGradientShape(name, i, gi, ctx.inputs[i]);
      });
      return grads;
    },
  };
  return (...inputs) => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new ValueError(name, `input ${i} must be a Tensor`);
    });
    let out = noGrad(() => spec.forward(...inputs));
    if (!(out instanceof Tensor)) throw new ValueError(name, "forward must return a Tensor");
    if (inputs.includes(out)) out = noGrad(() => clone(out)); // never attach a node to an input
    return record(def, out, inputs, undefined, name);
  };
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
