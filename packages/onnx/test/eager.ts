/** Test helper: backprop's eager values and gradients of a function, in toOnnx's output order, for comparison with an exported file. */
import { gradients, Tensor, zerosLike } from "@backprop/core";

/** f's outputs and the gradients of its first output with respect to `params` then the inputs (as toOnnx's "all"). */
export function eager(
  f: (...xs: Tensor[]) => Tensor | Tensor[],
  inputs: readonly Tensor[],
  params: readonly Tensor[] = [],
  which: "parameters" | "inputs" | "all" | undefined = undefined,
): { outputs: Tensor[]; grads: Tensor[] } {
  const leaves = inputs.map((x) => new Tensor(x.data.slice(), [...x.shape], which === "inputs" || which === "all"));
  const result = f(...leaves);
  const outputs = Array.isArray(result) ? result : [result];
  const wrt =
    which === "parameters" ? params : which === "inputs" ? leaves : which === "all" ? [...params, ...leaves] : [];
  // An output that depends on no target (a mask) has zero gradients, as toOnnx writes them.
  const grads = !outputs[0].requiresGrad
    ? wrt.map((x) => zerosLike(x))
    : wrt.length > 0
      ? gradients(outputs[0], wrt)
      : [];
  return { outputs: outputs.map((o) => o.detach()), grads };
}
