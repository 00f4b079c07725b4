/** The forward-mode engine: pushes tangents through one op as it runs, level by level (see forwardMode.ts). */

import { cast } from "../ops/elementwise/cast.js";
import { fusedGradValue, recordsGraph } from "../ops/elementwise/elementwiseOp.js";
import { broadcastTo } from "../ops/shape/broadcastTo.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { activeLevels, setTangent, swapActiveLevels, tangentAt } from "./forwardMode.js";
import type { BackwardContext, OpDef } from "./node.js";

const NO_LEVELS: readonly number[] = [];

/**
 * Called by `record` while a jvp runs: for each active level, outermost first, where an input
 * carries a tangent, the op's JVP rule gives the output's tangent. The rule runs with only the
 * outer levels active, so its ops give the tangent its own outer tangents (nested jvp), and it can
 * read the output's outer tangents, set just before (an output-reusing rule such as exp's).
 */
export function propagateTangents<A>(op: OpDef<A>, output: Tensor, inputs: readonly Tensor[], attrs: A): void {
  const levels = activeLevels();
  let ctx: BackwardContext<A> | null = null;
  for (let k = 0; k < levels.length; k++) {
    const level = levels[k];
    let tangents: (Tensor | null)[] | null = null;
    for (let i = 0; i < inputs.length; i++) {
      const t = tangentAt(inputs[i], level);
      if (t === null) continue;
      if (tangents === null) tangents = new Array<Tensor | null>(inputs.length).fill(null);
      tangents[i] = t;
    }
    if (tangents === null) continue;
    if (ctx === null) ctx = { inputs, output, attrs };
    // Inline rather than withActiveLevels: no closure per op on this hot path.
    const previous = swapActiveLevels(k === 0 ? NO_LEVELS : levels.slice(0, k));
    let tangent: Tensor | null;
    try {
      tangent = fitToOutput(applyJvp(op, tangents, ctx), output);
    } finally {
      swapActiveLevels(previous);
    }
    if (tangent !== null) setTangent(output, level, tangent);
  }
}

/**
 * The op's JVP rule, or its fused one-pass kernel when it has one and the rule would not itself be
 * recorded: for a one-input elementwise op the tangent is ẋ ∘ the local derivative, as its gradient is g ∘ it.
 */
function applyJvp<A>(op: OpDef<A>, tangents: ReadonlyArray<Tensor | null>, ctx: BackwardContext<A>): Tensor | null {
  const fused = op.fusedBackward;
  const t = tangents[0];
  if (fused !== undefined && t !== null && t !== undefined) {
    const x = fused.reads === "output" ? ctx.output : ctx.inputs[0];
    const value = recordsGraph(t, x) ? null : fusedGradValue(fused.kernel, t, x);
    if (value !== null) return value;
  }
  return op.jvp(tangents, ctx);
}

/** A rule may return a tangent that broadcasts to the output (add's ȧ for a bias); the engine widens it. */
function fitToOutput(tangent: Tensor | null, output: Tensor): Tensor | null {
  if (tangent === null) return null;
  const typed = tangent.dtype === output.dtype ? tangent : cast(tangent, output.dtype);
  return shapesEqual(typed.shape, output.shape) ? typed : broadcastTo(typed, output.shape);
}
