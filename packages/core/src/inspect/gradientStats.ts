/** gradientSummary: per-parameter ‖dW‖, ‖W‖ and ‖dW‖/‖W‖ during training, and a table of them (vanishing/exploding gradients at a glance). */
import { describeValue, ValueError } from "../errors.js";
import { Tensor } from "../tensor.js";
import { formatDims, formatNumber, l2Norm } from "./graph.js";

/** One parameter's gradient statistics. */
export interface GradientSummaryRow {
  /** The parameter's name: `"W1"`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** ‖W‖₂ (all elements). */
  readonly paramNorm: number;
  /** ‖dW‖₂, or null when the parameter holds no gradient (before backward, or after zeroGrad). */
  readonly gradNorm: number | null;
  /** ‖dW‖ / ‖W‖: the relative size of one plain gradient step (times α); null without a gradient or when ‖W‖ = 0 (biases at init). */
  readonly ratio: number | null;
}

/** Parameters by name: `model.namedParameters()`, an array of `[name, tensor]`, or a record. */
export type NamedParameters = ReadonlyArray<readonly [string, Tensor]> | Readonly<Record<string, Tensor>>;

function entries(params: NamedParameters): ReadonlyArray<readonly [string, Tensor]> {
  if (params === null || typeof params !== "object") {
    throw new ValueError(
      "gradientSummary",
      "needs named parameters: model.namedParameters(), [[name, tensor], …] or { name: tensor }",
    );
  }
  const list = Array.isArray(params) ? params : Object.entries(params as Record<string, Tensor>);
  list.forEach((entry, i) => {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || !(entry[1] instanceof Tensor)) {
      throw new ValueError("gradientSummary", `entry ${i} is not a [name, Tensor] pair`);
    }
  });
  return list;
}

/**
 * For each parameter: ‖W‖, ‖dW‖ and their ratio ‖dW‖/‖W‖. Call it after `backward()`, e.g. from
 * `fit`'s `onProgress`; ratios that shrink by orders of magnitude towards layer 1 are vanishing
 * gradients (deep sigmoid nets), a healthy net keeps them within a factor of ~10 of each other.
 *
 * @example
 * fit(model, X, Y, {
 *   iterations: 1000,
 *   onProgress: ({ iteration }) => {
 *     if (iteration % 100 === 0) console.log(formatGradientSummary(gradientSummary(model.namedParameters())));
 *   },
 * });
 */
export function gradientSummary(params: NamedParameters): GradientSummaryRow[] {
  return entries(params).map(([name, W]) => {
    const paramNorm = l2Norm(W);
    const gradNorm = W.grad === null ? null : l2Norm(W.grad);
    const ratio = gradNorm === null || paramNorm === 0 ? null : gradNorm / paramNorm;
    return { name, shape: W.shape.slice(), paramNorm, gradNorm, ratio };
  });
}

/**
 * The rows as an aligned text table (— where a value is undefined):
 * ```
 * param  shape  ‖W‖  ‖dW‖  ‖dW‖/‖W‖
 * W1     1×2    5    0.5   0.1
 * b1     1×1    0    2     —
 * ```
 * @example console.log(formatGradientSummary(gradientSummary(net.namedParameters())));
 */
export function formatGradientSummary(rows: readonly GradientSummaryRow[]): string {
  if (!Array.isArray(rows)) {
    throw new ValueError("formatGradientSummary", `needs the rows gradientSummary returns, got ${describeValue(rows)}`);
  }
  const show = (x: number | null) => (x === null ? "—" : formatNumber(x));
  const table = [
    ["param", "shape", "‖W‖", "‖dW‖", "‖dW‖/‖W‖"],
    ...rows.map((r) => [r.name, formatDims(r.shape), show(r.paramNorm), show(r.gradNorm), show(r.ratio)]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  return table
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
