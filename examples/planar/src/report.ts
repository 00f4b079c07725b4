/** What the demo prints: the human-readable sections and the --json object. */
import type { Dataset } from "./data.js";
import type { GradientCheck, LogisticRun, NetRun } from "./train.js";

/**
 * How often the cost is printed: every 1000 iterations as the course does, or about ten times for shorter runs.
 * @example printInterval(10000); // 1000
 */
export function printInterval(iterations: number): number {
  return iterations >= 1000 ? 1000 : Math.max(1, Math.round(iterations / 10));
}

/** The iterations whose cost is printed: 0, every, 2·every, ... below `iterations`. */
export function printedIterations(iterations: number): number[] {
  const every = printInterval(iterations);
  const out: number[] = [];
  for (let i = 0; i < iterations; i += every) out.push(i);
  return out;
}

/**
 * The course's progress line, with 6 significant digits.
 * @example costLine(1000, 0.28808329356901846); // "Cost after iteration 1000: 0.288083"
 */
export function costLine(iteration: number, cost: number): string {
  return `Cost after iteration ${iteration}: ${cost.toPrecision(6)}`;
}

const shape = (s: readonly number[]) => `(${s.join(",")})`;
const percent = (p: number) => `${p.toFixed(2)}%`;

/** The data set line. */
export function datasetSection(data: Dataset): string {
  const ones = Array.from(data.Y.data).filter((y) => y === 1).length;
  const m = data.X.shape[1];
  return `Data set "${data.name}" (generator seed ${data.seed}): X ${shape(data.X.shape)}, Y ${shape(data.Y.shape)}; ${m - ones} examples labelled 0, ${ones} labelled 1`;
}

/** The logistic-regression baseline section. */
export function logisticSection(run: LogisticRun): string {
  return [
    `Logistic regression (baseline): w, b = 0, full-batch gradient descent, ${run.iterations} iterations, learning rate ${run.learningRate.toPrecision(4)} (1/L, see README)`,
    `  cost ${run.costs[0].toPrecision(6)} → ${run.costs[run.costs.length - 1].toPrecision(6)}; training accuracy ${percent(run.accuracy)} (${run.seconds.toFixed(2)} s)`,
  ].join("\n");
}

/** The gradient-check table. */
export function gradientCheckSection(check: GradientCheck, nH: number, seed: number): string {
  const lines = [
    `Gradient check at the initial parameters (n_h = ${nH}, seed ${seed}): relative difference ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) of autodiff's g`,
    `  gradient  shape     ‖g‖        vs closed form   vs finite differences (eps ${check.eps.toExponential(0)})`,
  ];
  for (const row of check.rows) {
    const fd = row.vsFiniteDifferences === null ? "—" : row.vsFiniteDifferences.toExponential(2);
    const cells = [row.name.padEnd(8), shape(row.shape).padEnd(8), row.norm.toExponential(2).padEnd(9)];
    lines.push(`  ${cells.join("  ")}  ${row.vsClosedForm.toExponential(2).padEnd(15)}  ${fd}`);
  }
  const worstClosed = Math.max(...check.rows.map((r) => r.vsClosedForm));
  lines.push(
    `  all parameters as one vector (the course's gradient_check_n): ${check.allParameters.toExponential(2)} vs finite differences` +
      ` — ${check.allParameters < 1e-7 ? "great (< 1e-7)" : "CHECK (course: < 1e-7 is great)"}; closed forms agree to ${worstClosed.toExponential(1)}`,
    "  (tiny gradients such as db1 lose digits to finite differences' rounding error, about ε·J/eps, not to autodiff)",
  );
  return lines.join("\n");
}

/** The header of the main run. */
export function mainHeader(options: {
  nH: number;
  activation: string;
  iterations: number;
  learningRate: number;
}): string {
  return `Two-layer net: n_h = ${options.nH}, ${options.activation} hidden layer, sigmoid output, ${options.iterations} iterations of full-batch gradient descent, learning rate ${options.learningRate}`;
}

/** The line after the main run. */
export function mainFooter(run: NetRun): string {
  return `Accuracy: ${percent(run.accuracy)} (training set; ${run.seconds.toFixed(2)} s)`;
}

/** The sweep table. */
export function sweepSection(runs: readonly NetRun[]): string {
  const lines = [
    `Hidden layer sizes (${runs[0]?.iterations ?? 0} iterations each, learning rate ${runs[0]?.learningRate ?? ""}, seed-2 init)`,
    "  n_h   accuracy   time",
  ];
  for (const run of runs) {
    lines.push(`  ${String(run.nH).padStart(3)}   ${percent(run.accuracy).padStart(7)}   ${run.seconds.toFixed(2)} s`);
  }
  return lines.join("\n");
}

/** The --json object: the keys the README documents (full float64 precision for the costs). */
export interface DemoJson {
  dataset: { name: string; seed: number; m: number };
  main: {
    nH: number;
    activation: string;
    iterations: number;
    learningRate: number;
    costs: Record<string, number>;
    finalCost: number;
    accuracy: number;
    seconds: number;
  };
  gradientCheck: {
    allParameters: number;
    eps: number;
    rows: { name: string; norm: number; vsClosedForm: number; vsFiniteDifferences: number | null }[];
  };
  sweep: { nH: number; iterations: number; accuracy: number; seconds: number }[];
  logisticRegression: { iterations: number; learningRate: number; accuracy: number };
}

/**
 * Builds the --json object.
 * @example JSON.stringify(toJson(data, "tanh", main, sweep, logistic, checks))
 */
export function toJson(
  data: Dataset,
  activation: string,
  main: NetRun,
  sweep: readonly NetRun[],
  logistic: LogisticRun,
  checks: GradientCheck,
): DemoJson {
  const costs: Record<string, number> = {};
  for (const i of printedIterations(main.iterations)) costs[String(i)] = main.costs[i];
  return {
    dataset: { name: data.name, seed: data.seed, m: data.X.shape[1] },
    main: {
      nH: main.nH,
      activation,
      iterations: main.iterations,
      learningRate: main.learningRate,
      costs,
      finalCost: main.costs[main.costs.length - 1],
      accuracy: main.accuracy,
      seconds: main.seconds,
    },
    gradientCheck: {
      allParameters: checks.allParameters,
      eps: checks.eps,
      rows: checks.rows.map(({ name, norm, vsClosedForm, vsFiniteDifferences }) => ({
        name,
        norm,
        vsClosedForm,
        vsFiniteDifferences,
      })),
    },
    sweep: sweep.map(({ nH, iterations, accuracy, seconds }) => ({ nH, iterations, accuracy, seconds })),
    logisticRegression: {
      iterations: logistic.iterations,
      learningRate: logistic.learningRate,
      accuracy: logistic.accuracy,
    },
  };
}
