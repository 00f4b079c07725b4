/** gradcheck does not pass an f that ignores the copies of the inputs it receives (e.g. one closing over a model's parameters). */
import { GradcheckError, gradcheck, gradgradcheck, type Tensor, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

const X = tensor([
  [1, 2],
  [-1, 0.5],
]);

describe("gradcheck on an f that ignores its inputs", () => {
  it("fails, saying the output does not depend on the input and that f receives copies", () => {
    const W = tensor([[0.3, -0.2]], { requiresGrad: true, name: "W" });
    const closesOverW = (_copy: Tensor) => W.matmul(X).tanh().sum(); // uses the original W, not its argument
    const report = gradcheck(closesOverW, [W], { raise: false });
    // Both Jacobians are 0, so the old check "passed" with relative difference 0.
    expect(report.inputs[0]?.relativeDifference).toBe(0);
    expect(report.inputs[0]?.used).toBe(false);
    expect(report.passed).toBe(false);
    expect(() => gradcheck(closesOverW, [W])).toThrow(GradcheckError);
    expect(() => gradcheck(closesOverW, [W])).toThrow(
      /^gradcheck: the output of f does not depend on input 0 it was given, so nothing was checked for it\. f receives copies of the inputs/,
    );
    expect(() => gradcheck(closesOverW, [W])).toThrow(/use gradcheckModel from @backprop\/layers/);
    // Written as a function of its argument, the same cost is checked (and passes).
    expect(gradcheck((w: Tensor) => w.matmul(X).tanh().sum(), [W]).passed).toBe(true);
  });

  it("fails for a constant output that records no graph at all", () => {
    const x = tensor([1, 2]);
    expect(() => gradcheck(() => tensor(3), [x])).toThrow(/does not depend on input 0/);
  });

  it("names only the unused inputs; allowUnused accepts a function genuinely constant in one input", () => {
    const x = tensor([1, 2]);
    const y = tensor([3]);
    const f = (a: Tensor, _b: Tensor) => a.square().sum();
    expect(() => gradcheck(f, [x, y])).toThrow(/does not depend on input 1 it was given/);
    const report = gradcheck(f, [x, y], { allowUnused: true });
    expect(report.passed).toBe(true);
    expect(report.inputs.map((r) => r.used)).toEqual([true, false]);
  });

  it("gradgradcheck: f must use its inputs, but its gradient may be constant in them (f linear)", () => {
    const x = tensor([0.5, -1]);
    expect(gradgradcheck((a: Tensor) => a.mul(3).sum(), [x]).passed).toBe(true);
    expect(() => gradgradcheck((_a: Tensor) => x.mul(3).sum(), [x])).toThrow(
      /^gradgradcheck: the output of f does not depend on input 0/,
    );
  });
});
