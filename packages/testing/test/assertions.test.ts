import { BackpropError, customOp, GradcheckError, type Tensor, tensor } from "@backprop/core";
import { assertGradcheck, assertGradgradcheck, expectClose, TensorMismatchError } from "@backprop/testing";
import { describe, expect, it } from "vitest";

function mismatch(run: () => void): TensorMismatchError {
  try {
    run();
  } catch (e) {
    if (e instanceof TensorMismatchError) return e;
    throw e;
  }
  throw new Error("expected a TensorMismatchError");
}

describe("expectClose", () => {
  it("passes within |a − e| ≤ atol + rtol·|e| and accepts nested arrays", () => {
    expectClose(tensor([[1, 2]]), [[1 + 1e-8, 2]], { rtol: 1e-7 });
    expectClose(tensor(0.5), 0.5);
    expectClose(tensor([Number.NaN, Number.POSITIVE_INFINITY]), tensor([Number.NaN, Number.POSITIVE_INFINITY]));
  });

  it("reports the worst element by multi-index, both values and its tolerance", () => {
    const e = mismatch(() =>
      expectClose(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        tensor([
          [1, 2, 3.001],
          [4, 5.1, 6],
        ]),
        { rtol: 1e-6, name: "dW1" },
      ),
    );
    expect(e).toBeInstanceOf(BackpropError);
    expect(e.op).toBe("expectClose");
    expect(e.mismatches).toBe(2);
    expect(e.worst).toMatchObject({ index: [1, 1], actual: 5, expected: 5.1 });
    expect(e.worst?.tolerance).toBeCloseTo(5.1e-6, 18);
    expect(e.message).toMatch(/^expectClose: dW1: 2 of 6 elements of \(2,3\) differ/);
    expect(e.message).toMatch(/worst at \[1, 1\]: actual 5, expected 5\.1/);
    expect(e.message).toMatch(/> tolerance 0\.00000509/);
  });

  it("fails on a shape mismatch before looking at values", () => {
    const e = mismatch(() => expectClose(tensor([1, 2]), tensor([[1, 2]])));
    expect(e.worst).toBeNull();
    expect(e.message).toBe("expectClose: shape (2) differs from the expected (1,2)");
  });

  it("judges entries against `scale` (Σ|terms|) so cancellation does not make them fail", () => {
    // 1e-17 vs 0: hopeless relative to |e| = 0, fine relative to terms of size 1.
    expect(() => expectClose(tensor([1e-17]), tensor([0]), { rtol: 1e-12 })).toThrow(TensorMismatchError);
    expectClose(tensor([1e-17]), tensor([0]), { rtol: 1e-12, scale: 1 });
    expectClose(tensor([[1e-17, 5]]), tensor([[0, 5]]), { rtol: 1e-12, scale: tensor([[1], [1]]).T });
  });

  it("treats NaN as a mismatch unless both are NaN (and equalNaN is on)", () => {
    expect(() => expectClose(tensor([Number.NaN]), tensor([1]))).toThrow(/actual NaN, expected 1/);
    expect(() => expectClose(tensor([Number.NaN]), tensor([Number.NaN]), { equalNaN: false })).toThrow(
      TensorMismatchError,
    );
  });

  it("compares float32 against float64", () => {
    expectClose(tensor([0.1], { dtype: "float32" }), tensor([0.1]), { rtol: 1e-7 });
    expect(() => expectClose(tensor([0.1], { dtype: "float32" }), tensor([0.1]), { rtol: 1e-9 })).toThrow(
      TensorMismatchError,
    );
  });

  it("rejects negative tolerances", () => {
    expect(() => expectClose(tensor([1]), tensor([1]), { rtol: -1 })).toThrow(/rtol and atol must be non-negative/);
  });
});

describe("assertGradcheck / assertGradgradcheck", () => {
  const x = tensor([0.5, -1.2, 2]);
  const cube = (backward: (g: Tensor, x: Tensor) => Tensor) =>
    customOp({ name: "cube", forward: (t) => t.mul(t).mul(t), backward: (g, { inputs: [t] }) => [backward(g, t)] });

  it("return the report when autodiff matches finite differences", () => {
    const report = assertGradcheck((t) => t.tanh().mul(t), [x]);
    expect(report.passed).toBe(true);
    expect(assertGradgradcheck((t) => t.tanh().mul(t).sum(), [x]).passed).toBe(true);
  });

  it("throw core's GradcheckError, labelled, for a wrong first derivative", () => {
    const wrong = cube((g, t) => g.mul(t).mul(3)); // 3x instead of 3x²
    expect(() => assertGradcheck(wrong, [x], { label: "cube" })).toThrow(GradcheckError);
    expect(() => assertGradcheck(wrong, [x], { label: "cube" })).toThrow(
      /^cube: analytical and numerical gradients differ/,
    );
  });

  it("catch a rule whose first derivative is right but not differentiable correctly (detached)", () => {
    // Right values, but computed from a detached input: the second derivative is lost.
    const detached = cube((g, t) => g.mul(t.detach().square().mul(3)));
    expect(assertGradcheck(detached, [x]).passed).toBe(true);
    expect(() => assertGradgradcheck(detached, [x])).toThrow(/assertGradgradcheck: analytical and numerical/);
  });
});
