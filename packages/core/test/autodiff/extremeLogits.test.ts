/** Gradients at extreme logits (±800, ±50), in reverse and forward mode, against mpmath references. */
import { readFileSync } from "node:fs";
import {
  gradients,
  jacfwd,
  jacrev,
  jvp,
  logSigmoid,
  logSoftmax,
  logSumExp,
  sigmoid,
  sigmoidCrossEntropy,
  softmax,
  softplus,
  sum,
  type Tensor,
  tensor,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

/** Made by fixtures/make-extreme-logits.py (mpmath, 60 digits, rounded once to float64). */
const ref = JSON.parse(readFileSync(new URL("./fixtures/extreme-logits.json", import.meta.url), "utf8")) as {
  z: number[];
  sigmoid: number[];
  logSigmoid: number[];
  softplus: number[];
  sigmoidCrossEntropy: { y: number[]; dz: number[]; dy: number[] };
  rows: number[][];
  softmax: number[][][];
  logSoftmax: number[][][];
  logSumExp: number[][];
};

/**
 * |got − ref| ≤ (1e-14 + 4·2⁻⁵³·L)·|ref| + cancellation·4·2⁻⁵³. L is the logits' magnitude for
 * the row functions: they compute p = exp(z − logSumExp(z)), and z − logSumExp(z) ≈ −0.3 at z ≈ 800
 * carries the rounding of numbers near 800 (ulp 1.1e-13), so p is relatively accurate to ~L·2⁻⁵².
 * A rule that subtracts two quantities near 1
 * (σ′ = a(1 − a) from the output a, σ(z) − y, δ − p: the same formulas as PyTorch's) cannot resolve
 * a true value below ~1e-16 (σ′(50) = 1.9e-22 comes out 0): its error is bounded by a few ulps of 1,
 * `cancellation = 1`. The other rules (σ(−z), p) are relatively accurate down to the subnormals.
 */
function expectReference(got: Tensor, expected: number[], cancellation: 0 | 1, label: string, L = 0): void {
  expect(got.size, label).toBe(expected.length);
  expected.forEach((e, i) => {
    const g = got.data[i];
    expect(Number.isFinite(g), `${label}[${i}] = ${g} is not finite`).toBe(true);
    const tol = (1e-14 + 4 * 2 ** -53 * L) * Math.abs(e) + cancellation * 4 * 2 ** -53;
    expect(Math.abs(g - e) <= tol, `${label}[${i}]: got ${g}, reference ${e}`).toBe(true);
  });
}

/** The elementwise derivative of f at z, by reverse mode (gradient of Σf) and by forward mode (jvp along ones). */
function bothModes(f: (z: Tensor) => Tensor, z: number[]): [Tensor, Tensor] {
  const leaf = tensor(z, { requiresGrad: true });
  const reverse = gradients(sum(f(leaf)), [leaf])[0];
  const forward = jvp(f, [tensor(z)], [tensor(z.map(() => 1))])[1];
  return [reverse, forward];
}

describe("gradients at extreme logits equal high-precision references, in both modes", () => {
  const elementwise: [string, (z: Tensor) => Tensor, number[], 0 | 1][] = [
    ["sigmoid", sigmoid, ref.sigmoid, 1],
    ["logSigmoid", logSigmoid, ref.logSigmoid, 0],
    ["softplus", softplus, ref.softplus, 0],
  ];
  for (const [name, f, expected, cancellation] of elementwise) {
    it(`${name}′ at z = ${ref.z.join(", ")}`, () => {
      const [reverse, forward] = bothModes(f, ref.z);
      expectReference(reverse, expected, cancellation, `${name} reverse`);
      expectReference(forward, expected, cancellation, `${name} forward`);
    });
  }

  it("sigmoidCrossEntropy: ∂/∂z = σ(z) − y and ∂/∂y = −z at z = ±800, ±50 with y = 0 and 1", () => {
    const { y, dz, dy } = ref.sigmoidCrossEntropy;
    const zs = [...ref.z, ...ref.z];
    const [Z, Y] = [tensor(zs, { requiresGrad: true }), tensor(y, { requiresGrad: true })];
    const [gz, gy] = gradients(sum(sigmoidCrossEntropy(Z, Y)), [Z, Y]);
    expectReference(gz, dz, 1, "dz reverse");
    expectReference(gy, dy, 0, "dy reverse");
    const ones = tensor(zs.map(() => 1));
    const zeros = tensor(zs.map(() => 0));
    expectReference(jvp(sigmoidCrossEntropy, [tensor(zs), tensor(y)], [ones, zeros])[1], dz, 1, "dz forward");
    expectReference(jvp(sigmoidCrossEntropy, [tensor(zs), tensor(y)], [zeros, ones])[1], dy, 0, "dy forward");
  });

  const rowwise: [string, (z: Tensor) => Tensor, number[][][], 0 | 1][] = [
    ["softmax", (z) => softmax(z), ref.softmax, 1],
    ["logSoftmax", (z) => logSoftmax(z), ref.logSoftmax, 1],
    ["logSumExp", (z) => logSumExp(z), ref.logSumExp.map((p) => [p]), 0],
  ];
  for (const [name, f, jacobians, cancellation] of rowwise) {
    it(`${name}'s Jacobian (jacrev and jacfwd) at the rows ${ref.rows.map((r) => `[${r}]`).join(", ")}`, () => {
      ref.rows.forEach((row, r) => {
        const expected = jacobians[r].flat();
        const L = Math.max(...row.map(Math.abs));
        expectReference(jacrev(f)(tensor(row)), expected, cancellation, `${name} jacrev row ${r}`, L);
        expectReference(jacfwd(f)(tensor(row)), expected, cancellation, `${name} jacfwd row ${r}`, L);
      });
    });
  }
});
