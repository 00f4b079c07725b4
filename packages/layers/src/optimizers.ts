/** Optimizers in the course's forms (gradient descent, momentum, RMSProp, Adam): in-place parameter updates outside the graph. */
import { formatShape, noGrad, Tensor, ValueError, zerosLike } from "@backprop/core";
import { checkLearningRate, checkOptionKeys } from "./dataChecks.js";

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
  if (parameters.length === 0) {
    throw new ValueError(op, "got an empty parameter list: nothing would ever be updated (as PyTorch refuses it too)");
  }
  const seen = new Set<Tensor>();
  parameters.forEach((p: unknown, i) => {
    if (Array.isArray(p) && p[1] instanceof Tensor) {
      throw new ValueError(
        op,
        `parameters[${i}] is a [name, Tensor] pair: pass the Tensors, model.namedParameters().map(([, p]) => p)`,
      );
    }
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
 * Plain gradient descent, the course's update: W := W − α·dW. Like every optimizer here, it refuses an empty parameter
 * list and option keys it does not take (`lr`, `momentum`, `beta_1`, `betas`, `eps`, `rho` throw a ValueError).
 * @example
 * const opt = sgd([W1, b1, W2, b2], { learningRate: 1.2 });
 * opt.zeroGrad(); net.loss(X, Y).backward(); opt.step();
 */
export function sgd(parameters: Tensor[], options: { learningRate: number }): Optimizer {
  checkOptionKeys("sgd", options ?? null, ["learningRate"]);
  return new ParameterUpdater("sgd", parameters, options.learningRate, (_i, W, dW, alpha) => {
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
  checkOptionKeys("momentum", options ?? null, ["learningRate", "beta"]);
  const beta = checkBeta("momentum", "beta", options.beta ?? 0.9);
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
  checkOptionKeys("rmsprop", options ?? null, ["learningRate", "beta", "epsilon"]);
  const beta = checkBeta("rmsprop", "beta", options.beta ?? 0.9);
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
 * shared by all parameters, as the course's `t` is. βᵗ is correctly rounded (`powerOf`), the C library's
 * `pow` and so numpy's `np.power(beta1, t)`; JavaScript's `beta1 ** t` differs in the last bit for ~10% of t.
 * @example const opt = adam(params, { learningRate: 0.001 });
 */
export function adam(
  parameters: Tensor[],
  options: { learningRate: number; beta1?: number; beta2?: number; epsilon?: number },
): Optimizer {
  checkOptionKeys("adam", options ?? null, ["learningRate", "beta1", "beta2", "epsilon"]);
  const beta1 = checkBeta("adam", "beta1", options.beta1 ?? 0.9);
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
      // 1 − βᵗ with βᵗ correctly rounded, as the C library's pow gives the course's np.power(beta1, t).
      const vCorrected = vi.div(1 - powerOf(beta1, t));
      const sCorrected = si.div(1 - powerOf(beta2, t));
      W.sub_(vCorrected.mul(alpha).div(sCorrected.sqrt().add(epsilon)));
    },
    () => {
      t += 1;
    },
  );
}

/** Reinterprets a double's bits. */
const bits = new Float64Array(1);
const bitsU = new BigUint64Array(bits.buffer);

/** The bit length of a positive BigInt. */
function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/** m·2^k rounded to the nearest double (ties to even), for m > 0 and a normal result. */
function toDouble(m: bigint, k: number): number {
  const shift = Math.max(0, bitLength(m) - 64);
  let top = m >> BigInt(shift);
  if (top << BigInt(shift) !== m) top |= 1n; // sticky bit: 64 > 53 + 1 bits, so Number() rounds as m would
  bitsU[0] = BigInt(k + shift + 1023) << 52n; // 2^(k + shift), exact for a normal power of two
  return Number(top) * bits[0];
}

/**
 * βᵗ correctly rounded, for 0 ≤ β < 1 and an integer t ≥ 0 (what glibc's `pow`, Python's `beta ** t` and numpy
 * give; V8's `**` is off by an ulp for ~10% of t): β = M·2^E exactly, and M^t by squaring in BigInt fixed point
 * with P-bit truncation (relative error < t·2^(10−P)), P doubled until both ends of the error interval round to
 * the same double. Returns 0 below 2^−200 (1 − βᵗ is then 1 exactly, all Adam needs).
 * @example powerOf(0.999, 10); // 0.9900448802097482, where 0.999 ** 10 in JavaScript may differ in the last bit
 */
export function powerOf(beta: number, t: number): number {
  if (t === 0) return 1;
  if (beta === 0) return 0;
  bits[0] = beta;
  const exponent = Number(bitsU[0] >> 52n);
  const fraction = bitsU[0] & 0xfffffffffffffn;
  const M = exponent === 0 ? fraction : fraction | 0x10000000000000n;
  const E = (exponent === 0 ? 1 : exponent) - 1075;
  if (Math.log2(beta) * t < -200) return 0;
  for (let P = 128 + bitLength(BigInt(t)); ; P *= 2) {
    // value ≈ m·2^k; the base b·2^kb runs through M^(2^i); exact until a product is truncated.
    let m = 1n;
    let k = 0;
    let b = M;
    let kb = E;
    let exact = true;
    const truncate = (x: bigint, kx: number): [bigint, number] => {
      const extra = bitLength(x) - P;
      if (extra <= 0) return [x, kx];
      exact = false;
      return [x >> BigInt(extra), kx + extra];
    };
    for (let n = t; n > 0; n = Math.floor(n / 2)) {
      if (n % 2 === 1) [m, k] = truncate(m * b, k + kb);
      if (n > 1) [b, kb] = truncate(b * b, kb + kb);
    }
    if (exact) return toDouble(m, k);
    const err = ((m * BigInt(t)) >> BigInt(P - 10)) + 1n;
    const low = toDouble(m - err, k);
    if (low === toDouble(m + err, k) || P > 8192) return low;
  }
}
