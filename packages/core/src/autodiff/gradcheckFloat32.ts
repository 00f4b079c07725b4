/** gradcheckFloat32: autodiff Jacobians of a float32 computation against float32 central differences, with a step and tolerances sized for float32. */
import { DTypeError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import {
  checkInputs,
  checkOptions,
  compare,
  GradcheckError,
  type GradcheckOptions,
  type GradcheckReport,
  inputsUsed,
  numericalJacobians,
} from "./gradcheck.js";
import type { TensorFunction } from "./transforms.js";
import { jacrevAs } from "./transforms.js";

/**
 * Compares autodiff's Jacobian of f with central finite differences, both computed in float32:
 * the inputs stay float32, f runs on them as a float32 model would, and nothing is cast to float64
 * (use `gradcheck` to check the same rules in float64). As in `gradcheck`, an input f's output does not depend
 * on fails the check (both Jacobians would be 0 and "pass") unless `allowUnused` is set.
 *
 * Why the defaults: with unit roundoff u = 2⁻²⁴ ≈ 6e-8, a central difference of step h has a
 * truncation error ≈ h²·|f‴|/6 and a rounding error ≈ c·u·|f|/h, where c counts the roundings in f
 * (about 10–100 for the ops here); the sum is smallest near h ≈ (3cu)^(1/3), about 1e-2, which is
 * why float64's 1e-6 step cannot be used (its rounding term would be c·6e-2). The default step is
 * h = 2⁻⁷ ≈ 7.8e-3, a power of two, and the divisor is the difference of the two perturbed
 * float32 values as stored (exact), not 2h. At that step, for values and derivatives of order 1,
 * each term is 1e-5–1e-4, so atol 1e-3 and rtol 1e-2 leave a margin of about 10 while a wrong rule
 * (off by O(1)) still fails.
 * @example gradcheckFloat32((W) => W.matmul(X32).tanh().sum(), [W32]).passed
 */
export function gradcheckFloat32(
  f: TensorFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  checkInputs("gradcheckFloat32", f, inputs);
  checkOptions("gradcheckFloat32", options);
  const { eps = 2 ** -7, atol = 1e-3, rtol = 1e-2, raise = true, allowUnused = false } = options;
  inputs.forEach((x, i) => {
    if (x.dtype !== "float32") {
      throw new DTypeError("gradcheckFloat32", `input ${i} is ${x.dtype}; it checks float32 inputs (use gradcheck)`);
    }
  });
  const xs = inputs.map((x) => x.detach().clone());
  const used = inputsUsed("gradcheckFloat32", f, xs);
  const numerical = numericalJacobians(f, xs, eps);
  const reports = xs.map((x, k) => {
    const report = compare(k, x, jacrevAs("gradcheckFloat32", f, k)(...xs)._data, numerical[k], atol, rtol);
    return used[k] ? report : { ...report, used: false, passed: report.passed && allowUnused };
  });
  const report = { passed: reports.every((r) => r.passed), inputs: reports };
  if (!report.passed && raise) throw new GradcheckError("gradcheckFloat32", report);
  return report;
}
