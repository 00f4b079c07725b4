/** Whether ops record graph nodes (grad mode) and whether anomaly detection is on; both restored by try/finally. */
import { describeValue, ValueError } from "../errors.js";

let gradEnabled = true;
let anomalyEnabled = false;

/** True while ops record graph nodes for autodiff. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** True while anomaly detection checks every op's output for NaN/±Infinity. */
export function isAnomalyEnabled(): boolean {
  return anomalyEnabled;
}

/**
 * Runs `fn` with graph recording off: parameter updates and evaluation that must not be differentiated.
 * @example const A2 = noGrad(() => net.forward(X).A2);
 */
export function noGrad<T>(fn: () => T): T {
  checkFunction("noGrad", fn);
  return checkSynchronous("noGrad", withGradMode(false, fn));
}

/** Runs `fn` with graph recording on (e.g. inside `noGrad`). */
export function enableGrad<T>(fn: () => T): T {
  checkFunction("enableGrad", fn);
  return checkSynchronous("enableGrad", withGradMode(true, fn));
}

/** Runs `fn` with grad mode set to `enabled`, restoring the previous mode afterwards. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Runs `fn` with anomaly detection: any op whose forward or backward produces NaN or ±Infinity
 * throws an `AnomalyError` naming the op, the tensor and the code that created it. Off by default;
 * when off it costs one boolean test per op.
 * @example detectAnomaly(() => cost.backward());
 */
export function detectAnomaly<T>(fn: () => T): T {
  checkFunction("detectAnomaly", fn);
  return checkSynchronous("detectAnomaly", withAnomalyMode(true, fn));
}

/** Runs `fn` with anomaly detection set to `enabled` (the engine turns it off inside backward rules and checks their results itself). */
export function withAnomalyMode<T>(enabled: boolean, fn: () => T): T {
  const previous = anomalyEnabled;
  anomalyEnabled = enabled;
  try {
    return fn();
  } finally {
    anomalyEnabled = previous;
  }
}

/** Throws a ValueError naming `op` unless `fn` is a function (the switches' argument). */
export function checkFunction(op: string, fn: unknown): void {
  if (typeof fn !== "function") throw new ValueError(op, `expects a function, got ${describeValue(fn)}`);
}

/**
 * Throws a ValueError naming `op` when a switch's `fn` returned a Promise: the switch is restored when fn returns,
 * before the code after its first `await` runs, so that code would silently run with the mode as it was outside.
 */
export function checkSynchronous<T>(op: string, result: T): T {
  if (isPromiseLike(result)) {
    // Its own rejection would otherwise surface later as an unhandled one, after the error below explained it.
    result.then(undefined, () => undefined);
    throw new ValueError(
      op,
      "fn returned a Promise (an async function?): the mode is switched back when fn returns, so the code after its first await would run without it; call " +
        `${op} inside the async function, around the synchronous code`,
    );
  }
  return result;
}

/** Whether `x` is a Promise or another thenable (what an async function returns). */
export function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return (
    (typeof x === "object" || typeof x === "function") &&
    x !== null &&
    typeof (x as { then?: unknown }).then === "function"
  );
}
