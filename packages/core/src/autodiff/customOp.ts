/** customOp: a user-defined differentiable op from a forward and a backward function (like torch.autograd.Function). */
import { AutodiffError, ValueError } from "../errors.js";
import { clone } from "../ops/elementwise/composites.js";
import { Tensor } from "../tensor.js";
import { noGrad } from "./gradMode.js";
import { type BackwardContext, type OpDef, record } from "./node.js";

/** The definition of a custom op. */
export interface CustomOpSpec {
  /** Shown in errors, graphs and traces. */
  readonly name: string;
  /** Computes the output from the inputs (its ops are not recorded). */
  forward(...inputs: Tensor[]): Tensor;
  /**
   * Returns one gradient per input (null where none), given dz and the inputs and output. Write it
   * with backprop's ops so that gradients of gradients work.
   */
  backward(grad: Tensor, ctx: BackwardContext<undefined>): ReadonlyArray<Tensor | null>;
  /** Local derivative shown by traces (default "custom"). */
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
export function customOp(spec: CustomOpSpec): (...inputs: Tensor[]) => Tensor {
  if (typeof spec?.name !== "string" || typeof spec.forward !== "function" || typeof spec.backward !== "function") {
    throw new ValueError("customOp", "needs { name: string, forward(...inputs), backward(grad, ctx) }");
  }
  const { name } = spec;
  const def: OpDef<undefined> = {
    name: "custom",
    broadcasts: "all", // a custom rule may return output-shaped gradients, as the built-in broadcasting ops do
    saves: { inputs: true, output: true },
    formula: spec.formula ?? `${name}′`,
    backward: (g, ctx) => {
      const grads = spec.backward(g, ctx);
      if (!Array.isArray(grads) || grads.length !== ctx.inputs.length) {
        throw new AutodiffError(
          name,
          `backward must return an array of ${ctx.inputs.length} gradient(s) (null where none)`,
        );
      }
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
