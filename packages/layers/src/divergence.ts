/** Divergence during training: fit stops at the first NaN/±Infinity in the cost, a gradient or a parameter, keeping the last good parameters. */
import { noGrad, Tensor, ValueError } from "@backprop/core";
import { formatIndex } from "./model.js";

/** Thrown by `fit` when training produced NaN or ±Infinity; the model keeps the parameters from before that update. */
export class TrainingDivergedError extends ValueError {
  constructor(
    /** The iteration (0 for the first) whose cost, gradient or update was not finite. */
    readonly iteration: number,
    /** The parameter whose gradient or new value was not finite (null when only the cost was). */
    readonly parameter: string | null,
    detail: string,
  ) {
    super(
      "fit",
      `training diverged at iteration ${iteration}: ${detail}; the parameters are kept as they were before this update (try a smaller learningRate, or pass nonFinite: "continue" to train on)`,
    );
  }
}

/** The first non-finite element of `t` as "NaN at index (0,3)", or null. */
function firstNonFinite(t: Tensor): string | null {
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0)
      return `${Number.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity"} at index ${formatIndex(i, t.shape)}`;
  }
  return null;
}

/** Watches one training run: `beforeStep` checks the cost and gradients and saves the parameters; `afterStep` checks the update. */
export interface DivergenceGuard {
  /**
   * Throws a `TrainingDivergedError` if `cost` or a gradient holds NaN or ±Infinity (nothing has changed yet), else
   * saves the parameters. The gradients are the parameters' `.grad`, or `gradients` (the j-th of the j-th
   * parameter) when a loop computes them apart, as `valueAndGrad` or `jit` do.
   */
  beforeStep(iteration: number, cost: number, gradients?: ReadonlyArray<Tensor | null>): void;
  /** Throws a `TrainingDivergedError` if the update made a parameter non-finite, after restoring every parameter saved by `beforeStep`. */
  afterStep(iteration: number): void;
}

/**
 * `fit`'s divergence check for a training loop of your own, over the named parameters (`mode` "continue" watches
 * nothing). Before each update it throws if the cost or a gradient is not finite (nothing has changed yet); after
 * it, a parameter that became non-finite is restored, with every other, from the copy taken before the update,
 * and it throws.
 * @example
 * const guard = divergenceGuard(net.namedParameters());
 * const J = net.loss(X, Y); J.backward();
 * guard.beforeStep(i, J.item()); // throws before the update if J or a gradient is NaN/±Infinity
 * opt.step();
 * guard.afterStep(i); // throws, with the parameters restored, if the update made one non-finite
 */
export function divergenceGuard(
  parameters: ReadonlyArray<readonly [string, Tensor]>,
  mode: "throw" | "continue" = "throw",
): DivergenceGuard {
  if (mode !== "throw" && mode !== "continue") {
    throw new ValueError("fit", `nonFinite must be "throw" or "continue", got ${String(mode)}`);
  }
  if (mode === "continue") return { beforeStep() {}, afterStep() {} };
  const saved = parameters.map(([, p]) =>
    p.dtype === "float64" ? new Float64Array(p.size) : new Float32Array(p.size),
  );
  return {
    beforeStep(iteration, cost, gradients) {
      let culprit: string | null = null;
      let gradient: string | null = null;
      for (const [j, [name, p]] of parameters.entries()) {
        const g = gradients === undefined ? p.grad : (gradients[j] ?? null);
        const bad = g === null ? null : firstNonFinite(g);
        if (bad !== null) {
          culprit = name;
          gradient = `d${name} holds ${bad}`;
          break;
        }
      }
      if (gradient !== null || !Number.isFinite(cost)) {
        const costPart = Number.isFinite(cost) ? "" : `the cost is ${cost > 0 ? "+" : ""}${cost}`;
        const detail = [costPart, gradient ?? ""].filter((s) => s !== "").join(" and ");
        throw new TrainingDivergedError(iteration, culprit, detail);
      }
      parameters.forEach(([, p], j) => {
        saved[j].set(p.data);
      });
    },
    afterStep(iteration) {
      for (const [name, p] of parameters) {
        const bad = firstNonFinite(p);
        if (bad === null) continue;
        noGrad(() => {
          parameters.forEach(([, q], j) => {
            q.copy_(new Tensor(saved[j], q.shape));
          });
        });
        throw new TrainingDivergedError(iteration, name, `the update made ${name} hold ${bad}`);
      }
    },
  };
}
