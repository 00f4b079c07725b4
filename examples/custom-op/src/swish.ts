/** A user-defined op with its own backward rule: swish(x) = x·σ(x) (also called SiLU), checked with gradcheck and gradgradcheck. */
import {
  customOp,
  type GradcheckReport,
  gradcheck,
  gradgradcheck,
  type InputReport,
  RandomState,
  sigmoid,
  type Tensor,
  tensor,
} from "@backprop/core";

/**
 * swish(x) = x·σ(x), with the derivative written by hand: swish′(x) = σ(x) + x·σ(x)(1 − σ(x))
 * = σ(x) + a(1 − σ(x)) for a = swish(x). It stays finite for any finite x because core's σ never
 * overflows (swish(800) = 800, swish(−800) = −0, and the derivative is 1 and 0 there). The backward
 * rule is written with core's ops, so it is itself differentiable: gradients of gradients work.
 * @example swish(tensor([-1, 0, 2])).toArray(); // [-0.2689, 0, 1.7616]
 */
export const swish = customOp({
  name: "swish",
  formula: "dz ∗ (σ(x) + a(1 − σ(x)))",
  forward: (x) => x.mul(sigmoid(x)),
  backward: (g, { inputs: [x], output: a }) => {
    const s = sigmoid(x);
    return [g.mul(s.add(a.mul(s.neg().add(1))))];
  },
});

/** One input's line of a gradient-check report: the course's relative difference and the worst element. */
function inputLine(r: InputReport): string {
  const verdict = r.passed ? "passed" : "FAILED";
  return `  input ${r.index} (${r.shape.join("×")}): relative difference ‖g − ĝ‖/(‖g‖ + ‖ĝ‖) = ${r.relativeDifference.toExponential(2)}, max abs error ${r.maxAbsError.toExponential(2)} — ${verdict}`;
}

/**
 * A report as text: a verdict line, then one line per input.
 * @example console.log(formatReport("gradcheck", gradcheck(swish, [x])));
 */
export function formatReport(title: string, report: GradcheckReport): string {
  return [`${title}: ${report.passed ? "passed" : "FAILED"}`, ...report.inputs.map(inputLine)].join("\n");
}

/**
 * The checks the example runs: first and second derivatives of swish (and of swish inside a small net).
 * @example checkSwish().second.passed; // true
 */
export function checkSwish(seed = 1): { first: GradcheckReport; second: GradcheckReport; net: GradcheckReport } {
  const rs = new RandomState(seed);
  const x = rs.randn(3, 4).mul(3); // values across swish's curved region and its tails
  const W = rs.randn(2, 3);
  const first = gradcheck(swish, [x]);
  const second = gradgradcheck(swish, [x]);
  // swish as a hidden activation: J = Σ swish(W·x)² through matmul, the custom op and the cost.
  const net = gradcheck((w: Tensor, input: Tensor) => swish(w.matmul(input)).square().sum(), [W, x]);
  return { first, second, net };
}

/**
 * The example's output: values at a few points, the tails, and the three check reports.
 * @example console.log(swishReport());
 */
export function swishReport(): string {
  const points = tensor([-800, -2, 0, 2, 800], { requiresGrad: true, name: "x" });
  const y = swish(points).named("y");
  y.sum().backward();
  const fmt = (t: Tensor | null) => (t ? Array.from(t.data, (v) => Number(v.toPrecision(6))).join(", ") : "—");
  const { first, second, net } = checkSwish();
  return [
    "swish(x) = x·σ(x), a custom op with a hand-written backward rule",
    `  x         = ${fmt(points)}`,
    `  swish(x)  = ${fmt(y)}`,
    `  swish′(x) = ${fmt(points.grad)}   (backward; finite at ±800)`,
    "",
    formatReport("gradcheck (autodiff vs central differences)", first),
    formatReport("gradgradcheck (the backward rule's own derivative)", second),
    formatReport("gradcheck of Σ swish(W·x)² through matmul and the custom op", net),
  ].join("\n");
}
