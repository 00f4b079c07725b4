/** Test support for the model tests: the numpy fixtures in shared/fixtures and tensor comparisons. */
import { readFileSync } from "node:fs";
import { type Tensor, tensor } from "@backprop/core";
import { expect } from "vitest";

// The repository is <root>/main (or a CI clone) with shared/ beside it: packages/layers/test -> <root>/shared.
const fixtures = new URL("../../../../shared/fixtures/", import.meta.url);

/** A numpy array as the fixtures store it. */
export interface NdArray {
  shape: number[];
  data: number[];
}

/** One case of closed-form-cases.json. */
export interface ClosedFormCase {
  name: string;
  hidden_activation: "tanh" | "sigmoid" | "relu" | "leaky_relu";
  leaky_slope: number;
  cost: number;
  [key: string]: NdArray | number | string;
}

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixtures), "utf8")) as T;
}

/** The fixture array as a float64 tensor. */
export function nd(a: NdArray, options: { requiresGrad?: boolean; name?: string } = {}): Tensor {
  return tensor(Float64Array.from(a.data), { shape: a.shape, ...options });
}

/** The closed-form cases, with their activation names mapped to ours. */
export function closedFormCases(): ClosedFormCase[] {
  return loadFixture<{ cases: ClosedFormCase[] }>("closed-form-cases.json").cases;
}

export function hiddenSpec(c: ClosedFormCase): "tanh" | "sigmoid" | "relu" | { name: "leakyRelu"; slope: number } {
  return c.hidden_activation === "leaky_relu" ? { name: "leakyRelu", slope: c.leaky_slope } : c.hidden_activation;
}

/** The course's relative difference ‖a − b‖ / (‖a‖ + ‖b‖) (0 when both are 0). */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  const denom = Math.sqrt(na) + Math.sqrt(nb);
  return denom === 0 ? 0 : Math.sqrt(diff) / denom;
}

/** Tolerances of `expectClose`. */
export interface Tolerance {
  /** Bound on the course's relative difference of the whole tensor (default 1e-12). */
  rtol?: number;
  /** Bound per element, relative to max(|expected|, 1% of the tensor's largest |expected|) (default rtol). */
  elementRtol?: number;
  /**
   * Absolute slack (default 0): a gradient entry that is a sum cancelling to nearly 0 (db = Σ dZ / m, for one) is
   * only known to the rounding error of its O(1) terms, whatever its own size. Within atol everywhere passes.
   */
  atol?: number;
}

/** Same shape, and the values agree to the tolerances (see Tolerance); the fixture tests use rtol alone. */
export function expectClose(actual: Tensor, expected: Tensor | NdArray, what: string, tol: Tolerance = {}): void {
  const { rtol = 1e-12, elementRtol = rtol, atol = 0 } = tol;
  const shape = Array.isArray((expected as NdArray).data) ? (expected as NdArray).shape : (expected as Tensor).shape;
  const e = (expected as NdArray | Tensor).data;
  expect(actual.shape, `${what}: shape`).toEqual(shape);
  let scale = 0;
  let maxAbs = 0;
  for (let i = 0; i < e.length; i++) {
    scale = Math.max(scale, Math.abs(e[i]));
    maxAbs = Math.max(maxAbs, Math.abs(actual.data[i] - e[i]));
  }
  for (let i = 0; i < e.length; i++) {
    const bound = atol + elementRtol * Math.max(Math.abs(e[i]), scale * 1e-2);
    if (!(Math.abs(actual.data[i] - e[i]) <= bound)) {
      expect.fail(
        `${what}[${i}]: got ${actual.data[i]}, expected ${e[i]} (|diff| ${Math.abs(actual.data[i] - e[i])} > ${bound})`,
      );
    }
  }
  if (maxAbs > atol) expect(relativeDifference(actual.data, e), `${what}: relative difference`).toBeLessThan(rtol);
}
