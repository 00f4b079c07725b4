/** Optimizers in the course's forms (gradient descent, momentum, RMSProp, Adam): in-place parameter updates outside the graph. */
import { formatShape, noGrad, Tensor, ValueError, zerosLike } from "@backprop/core";
import { checkLearningRate } from "./dataChecks.js";

/**
 * Updates a list of parameters from their `.grad`, in place and without recording graph nodes.
 * `learningRate` is mutable so a schedule (or `fit`) can drive it between steps.
 */
export interface Optimizer {
  /**
   * Applies one update to every parameter that has a gradient (parameters without `.grad` are skipped);
   * throws a ValueError for a parameter that does not require grad, as backward can never give it one.
   */
  step(): void;
  /** Clears `.grad` of every parameter, so the next backward does not accumulate into the old gradients. */
  zeroGrad(): void;
  /** The parameters it updates, in the order given. */
  readonly parameters: readonly Tensor[];
  /** α; must stay a positive finite number (setting anything else throws a ValueError). */
  learningRate: number;
}

/** Checks a decay rate β ∈ [0, 1). */
function checkBeta(op: string, what: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) {
    throw new ValueError(op, `${what} must be a number in [0, 1), got ${String(value)}`);
  }
  return value;
}

/** Checks ε: a positive finite number (it keeps √s + ε away from 0). */
function checkEpsilon(op: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(op, `epsilon must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** Checks the parameter list: Tensors, each listed once (a duplicate would be updated twice per step). */
function checkParameters(op: string, parameters: unknown): Tensor[] {
  if (!Array.isArray(parameters)) {
    throw new ValueError(
      op,
      `parameters must be an array of Tensors, got ${parameters === null ? "null" : typeof parameters}`,
    );
  }
  const seen = new Set<Tensor>();
  parameters.forEach((p: unknown, i) => {
    if (!(p instanceof Tensor)) throw new ValueError(op, `parameters[${i}] is not a Tensor (got ${typeof p})`);
    if (seen.has(p)) {
      throw new ValueError(op, `parameters[${i}]${p.name ? ` ('${p.name}')` : ""} is listed twice`);
    }
    seen.add(p);
  });
  return parameters.slice() as Tensor[];
}

/**
 * The shared machinery: learning-rate validation, zeroGrad, and a step that calls `update(i, W, dW, α)`
 * inside noGrad for each parameter i that has a gradient.
 */
class ParameterUpdater implements Optimizer {
  readonly parameters: readonly Tensor[];
  private rate: number;

  constructor(
    private readonly op: string,
    parameters: unknown,
    learningRate: unknown,
    private readonly update: (i: number, W: Tensor, dW: Tensor, alpha: number) => void,
    private readonly beforeStep: () => void = () => {},
  ) {
    this.parameters = checkParameters(op, parameters);
    this.rate = checkLearningRate(op, learningRate);
  }

  get learningRate(): number {
    return this.rate;
  }

  set learningRate(value: number) {
    this.rate = checkLearningRate(this.op, value);
  }

  step(): void {
    noGrad(() => {
      this.beforeStep();
      const params = this.parameters;
      for (let i = 0; i < params.length; i++) {
        const dW = params[i].grad;
        if (dW !== null) this.update(i, params[i], dW, this.rate);
        else if (!params[i].requiresGrad) throw neverRequiredGrad(this.op, i, params[i]);
      }
    });
  }

  zeroGrad(): void {
    for (const p of this.parameters) p.zeroGrad();
  }
}

/** The error for a listed parameter that backward can never reach: it does not require grad. */
function neverRequiredGrad(op: string, i: number, p: Tensor): ValueError {
  return new ValueError(
    `${op}.step`,
    `parameters[${i}]${p.name ? ` ('${p.name}')` : ""} ${formatShape(p.shape)} never required grad (requiresGrad is false), so backward() gave it no gradient and it would never be updated: create it with { requiresGrad: true } or call requiresGrad_() before the forward pass (to freeze a parameter, leave it out of the optimizer's list)`,
  );
}

/** A state tensor per parameter (v or s), created as zeros on first use, as the course initializes them. */
function stateOf(states: (Tensor | undefined)[], i: number, W: Tensor): Tensor {
  let s = states[i];
  if (s === undefined) {
    s = zerosLike(W);
    states[i] = s;
  }
  return s;
}

/**
 * Plain gradient descent, the course's update: W := W − α·dW.
 * @example
 * const opt = sgd([W1, b1, W2, b2], { learningRate: 1.2 });
 * opt.zeroGrad(); net.loss(X, Y).backward(); opt.step();
 */
export function sgd(parameters: Tensor[], options: { learningRate: number }): Optimizer {
  return new ParameterUpdater("sgd", parameters, options?.learningRate, (_i, W, dW, alpha) => {
    W.sub_(dW, alpha); // one pass, the same bits as W.sub_(dW.mul(alpha))
  });
}

/**
 * Gradient descent with momentum in the course's form (an exponentially weighted average of the
 * gradients, no bias correction): v := β·v + (1 − β)·dW; W := W − α·v. v starts at zeros; β defaults to 0.9.
 * (PyTorch's SGD momentum uses v := β·v + dW instead, which scales the effective step by 1/(1 − β).)
 * @example const opt = momentum(net.namedParameters().map(([, p]) => p), { learningRate: 0.01, beta: 0.9 });
 */
export function momentum(parameters: Tensor[], options: { learningRate: number; beta?: number }): Optimizer {
  const beta = checkBeta("momentum", "beta", options?.beta ?? 0.9);
  const v: (Tensor | undefined)[] = [];
  return new ParameterUpdater("momentum", parameters, options?.learningRate, (i, W, dW, alpha) => {
    const vi = stateOf(v, i, W)
      .mul_(beta)
      .add_(dW, 1 - beta);
    W.sub_(vi, alpha);
  });
}

/**
 * RMSProp in the course's form: s := β·s + (1 − β)·dW²; W := W − α·dW / (√s + ε).
 * s starts at zeros; β defaults to 0.9 and ε to 1e-8.
 * @example const opt = rmsprop(params, { learningRate: 0.001 });
 */
export function rmsprop(
  parameters: Tensor[],
  options: { learningRate: number; beta?: number; epsilon?: number },
): Optimizer {
  const beta = checkBeta("rmsprop", "beta", options?.beta ?? 0.9);
  const epsilon = checkEpsilon("rmsprop", options?.epsilon ?? 1e-8);
  const s: (Tensor | undefined)[] = [];
  return new ParameterUpdater("rmsprop", parameters, options?.learningRate, (i, W, dW, alpha) => {
    const si = stateOf(s, i, W)
      .mul_(beta)
      .add_(dW.square().mul(1 - beta));
    W.sub_(dW.mul(alpha).div(si.sqrt().add(epsilon)));
  });
}

/**
 * Adam in the course's form, with bias correction. With t the number of steps taken so far (1 on the first):
 * v := β1·v + (1 − β1)·dW; s := β2·s + (1 − β2)·dW²; v̂ = v / (1 − β1ᵗ); ŝ = s / (1 − β2ᵗ);
 * W := W − α·v̂ / (√ŝ + ε). Defaults β1 = 0.9, β2 = 0.999, ε = 1e-8. t counts calls to step(),
 * shared by all parameters, as the course's `t` is.
 * @example const opt = adam(params, { learningRate: 0.001 });
 */
export function adam(
  parameters: Tensor[],
  options: { learningRate: number; beta1?: number; beta2?: number; epsilon?: number },
): Optimizer {
  const beta1 = checkBeta("adam", "beta1", options?.beta1 ?? 0.9);
  const beta2 = checkBeta("adam", "beta2", options?.beta2 ?? 0.999);
  const epsilon = checkEpsilon("adam", options?.epsilon ?? 1e-8);
  const v: (Tensor | undefined)[] = [];
  const s: (Tensor | undefined)[] = [];
  let t = 0;
  return new ParameterUpdater(
    "adam",
    parameters,
    options?.learningRate,
    (i, W, dW, alpha) => {
      const vi = stateOf(v, i, W)
        .mul_(beta1)
        .add_(dW, 1 - beta1);
      const si = stateOf(s, i, W)
        .mul_(beta2)
        .add_(dW.square().mul(1 - beta2));
      const vCorrected = vi.div(1 - beta1 ** t);
      const sCorrected = si.div(1 - beta2 ** t);
      W.sub_(vCorrected.mul(alpha).div(sCorrected.sqrt().add(epsilon)));
    },
    () => {
      t += 1;
    },
  );
}
