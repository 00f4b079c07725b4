/** Smoke test of the custom-op example: swish's values and derivatives by hand, and the checks pass. */
import { customOp, gradcheck, sigmoid, tensor, traceBackward } from "@backprop/core";
import { describe, expect, it } from "vitest";
import { checkSwish, swish, swishReport } from "../src/swish.js";

const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe("examples/custom-op: swish", () => {
  it("computes x·σ(x) and its derivative σ(x) + x·σ(x)(1 − σ(x))", () => {
    const xs = [-3, -0.5, 0, 1, 4];
    const x = tensor(xs, { requiresGrad: true });
    const y = swish(x);
    y.sum().backward();
    xs.forEach((v, i) => {
      expect(y.data[i]).toBeCloseTo(v * sig(v), 14);
      expect(x.grad?.data[i]).toBeCloseTo(sig(v) + v * sig(v) * (1 - sig(v)), 14);
    });
  });

  it("stays finite in the tails", () => {
    const x = tensor([-800, 800], { requiresGrad: true });
    const y = swish(x);
    y.sum().backward();
    expect(Array.from(y.data)).toEqual([-0, 800]);
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 1]);
  });

  it("passes gradcheck and gradgradcheck", () => {
    const { first, second, net } = checkSwish();
    expect([first.passed, second.passed, net.passed]).toEqual([true, true, true]);
    expect(first.inputs[0].relativeDifference).toBeLessThan(1e-7);
  });

  it("would be caught by gradcheck with a wrong backward rule (σ(x) alone)", () => {
    const wrong = customOp({
      name: "swishWrong",
      forward: (x) => x.mul(sigmoid(x)),
      backward: (g, { inputs: [x] }) => [g.mul(sigmoid(x))],
    });
    expect(gradcheck(wrong, [tensor([1, 2, -1])], { raise: false }).passed).toBe(false);
  });

  it("shows its own formula in backward traces", () => {
    const Z = tensor([[1, 2]], { requiresGrad: true, name: "Z" });
    const A = swish(Z).named("A");
    const [step] = traceBackward(A.sum().named("J"));
    expect(step.text).toBe("dA (1×2) ← broadcast dJ over the summed axes");
    expect(traceBackward(A.sum().named("J"))[1].text).toBe("dZ (1×2) ← dA ∗ (σ(Z) + A(1 − σ(Z)))");
  });

  it("prints the values and the three reports", () => {
    const text = swishReport();
    expect(text).toContain("gradcheck (autodiff vs central differences): passed");
    expect(text).toContain("gradgradcheck (the backward rule's own derivative): passed");
    expect(text).toContain("swish′(x) = 0, ");
  });
});
