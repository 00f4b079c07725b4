/** maximum and minimum: elementwise with broadcasting; ties split the gradient evenly. */
import type { OpDef } from "../../autodiff/node.js";
import type { Tensor, TensorLike } from "../../tensor.js";
import { scalar } from "../operand.js";
import { add, addOptional } from "./add.js";
import { equal, greater, less } from "./compare.js";
import { binaryOp } from "./elementwiseOp.js";
import { mul } from "./mul.js";
import { sub } from "./sub.js";

/** The share of dz each input gets: 1 where it alone is the extreme, ½ on ties, 0 elsewhere. */
function shares(kind: "greater" | "less", a: Tensor, b: Tensor): [Tensor, Tensor] {
  // Comparisons and ops on masks (no input requires grad): nothing is recorded except in tracing mode.
  const wins = kind === "greater" ? greater(a, b) : less(a, b);
  const ties = equal(a, b);
  const half = mul(ties, scalar(0.5, ties.dtype));
  const shareA = add(wins, half);
  const shareB = sub(sub(scalar(1, ties.dtype), wins), half);
  return [shareA, shareB];
}

/** The tangent of the extreme: each input's tangent times its share (the JVP of maximum and minimum). */
function sharedTangent(
  kind: "greater" | "less",
  [ta, tb]: ReadonlyArray<Tensor | null>,
  a: Tensor,
  b: Tensor,
): Tensor | null {
  const [sa, sb] = shares(kind, a, b);
  return addOptional(ta && mul(ta, sa), tb && mul(tb, sb));
}

/** d max(a, b) = dz where a > b (for a), where b > a (for b), dz/2 to each on ties. */
export const maximumOp: OpDef<undefined> = {
  name: "maximum",
  saves: { inputs: true, output: false },
  formula: "dz ∗ [a > b], dz ∗ [b > a] (ties ½ each)",
  broadcasts: "all",
  backward: (g, { inputs: [a, b] }) => {
    const [sa, sb] = shares("greater", a, b);
    return [a.requiresGrad ? mul(g, sa) : null, b.requiresGrad ? mul(g, sb) : null];
  },
  jvpFormula: "ż = ȧ ∗ [a > b] + ḃ ∗ [b > a] (ties ½ each)",
  jvp: (tangents, { inputs: [a, b] }) => sharedTangent("greater", tangents, a, b),
};

/** d min(a, b) = dz where a < b (for a), where b < a (for b), dz/2 to each on ties. */
export const minimumOp: OpDef<undefined> = {
  name: "minimum",
  saves: { inputs: true, output: false },
  formula: "dz ∗ [a < b], dz ∗ [b < a] (ties ½ each)",
  broadcasts: "all",
  backward: (g, { inputs: [a, b] }) => {
    const [sa, sb] = shares("less", a, b);
    return [a.requiresGrad ? mul(g, sa) : null, b.requiresGrad ? mul(g, sb) : null];
  },
  jvpFormula: "ż = ȧ ∗ [a < b] + ḃ ∗ [b < a] (ties ½ each)",
  jvp: (tangents, { inputs: [a, b] }) => sharedTangent("less", tangents, a, b),
};

/** Elementwise maximum with numpy broadcasting (NaN propagates). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(maximumOp, "maximum", a, b);
}

/** Elementwise minimum with numpy broadcasting (NaN propagates). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(minimumOp, "minimum", a, b);
}
