/** Vanishing gradients, seen with gradientSummary from fit's onProgress: a deep sigmoid net against the same net with relu. */
import { formatGradientSummary, type GradientSummaryRow, gradientSummary, RandomState } from "@backprop/core";
import { fit, mlp } from "@backprop/layers";

/**
 * The summary rows for one activation, taken at the first iteration's progress event.
 * @example formatGradientSummary(firstIterationSummary("sigmoid"));
 */
export function firstIterationSummary(hidden: "sigmoid" | "relu", layers = 10, iterations = 20): GradientSummaryRow[] {
  const rs = new RandomState(1);
  const X = rs.randn(8, 64);
  const Y = rs.rand(1, 64).gt(0.5);
  const sizes = [8, ...Array.from({ length: layers - 1 }, () => 8), 1];
  const activations = [...Array.from({ length: layers - 1 }, () => hidden), "sigmoid" as const];
  // Xavier (variance 1/n) suits sigmoid, He (2/n) suits relu: each net gets its fair initialization.
  const model = mlp(sizes, activations, { seed: 3, init: hidden === "relu" ? "he" : "xavier" });
  let rows: GradientSummaryRow[] = [];
  fit(model, X, Y, {
    iterations,
    learningRate: 0.1,
    printEvery: iterations,
    onProgress: ({ iteration }) => {
      if (iteration === 0) rows = gradientSummary(model.namedParameters());
    },
  });
  return rows;
}

/**
 * ‖dW1‖ / ‖dW[L]‖: how much weaker the first layer's gradient is than the last one's.
 * @example firstToLast(firstIterationSummary("sigmoid")); // ≈ 6e-7
 */
export function firstToLast(rows: readonly GradientSummaryRow[]): number {
  const weights = rows.filter((r) => r.name.startsWith("W"));
  return (weights[0].gradNorm ?? Number.NaN) / (weights[weights.length - 1].gradNorm ?? Number.NaN);
}

/**
 * Both tables (weights only) and the first-to-last ratios, as text.
 * @example console.log(vanishingReport());
 */
export function vanishingReport(layers = 10): string {
  const out: string[] = [];
  for (const hidden of ["sigmoid", "relu"] as const) {
    const rows = firstIterationSummary(hidden, layers);
    out.push(`${layers}-layer net, ${hidden} hidden layers, first iteration:`);
    out.push(formatGradientSummary(rows.filter((r) => r.name.startsWith("W"))));
    out.push(`‖dW1‖ / ‖dW${layers}‖ = ${firstToLast(rows).toExponential(2)}`, "");
  }
  return out.join("\n").trimEnd();
}
