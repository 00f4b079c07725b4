/** A NaN or ±Infinity during training stops fit naming the iteration and the parameter, with the last good parameters kept. */
import { type Tensor, tensor, ValueError } from "@backprop/core";
import { divergenceGuard, fit, type Model, TrainingDivergedError, TwoLayerNet } from "@backprop/layers";
import { describe, expect, it } from "vitest";

const X = tensor([
  [1, 2, -1, 0.5, 3],
  [0, 1, 2, -2, 1],
]);
const Y = tensor([[1, 0, 0, 1, 1]]);

function parameters(model: Model): number[][] {
  return model.namedParameters().map(([, p]) => Array.from(p.data));
}

function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

/** y ≈ w·x with J = mean((w·x − y)²): finite gradients, so a huge step overflows the update itself. */
function linearModel(): Model & { w: Tensor } {
  const w = tensor([[0.5, -0.25]], { requiresGrad: true });
  return { w, namedParameters: () => [["w", w]], loss: (x, y) => w.matmul(x).sub(y).square().mean() };
}

describe("fit on a diverging learning rate", () => {
  it("stops at the first non-finite cost or gradient, naming the iteration and the parameter", () => {
    // α = 100 on this data: the sigmoid saturates and iteration 3's cost is +Infinity (checked below with "continue").
    const net = new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });
    const error = thrownBy(() => fit(net, X, Y, { iterations: 50, learningRate: 100 })) as TrainingDivergedError;
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error).toBeInstanceOf(ValueError);
    expect(error.iteration).toBe(3);
    expect(error.parameter).toBe("W1");
    expect(error.message).toBe(
      'fit: training diverged at iteration 3: the cost is +Infinity and dW1 holds NaN at index (0,0); the parameters are kept as they were before this update (try a smaller learningRate, or pass nonFinite: "continue" to train on)',
    );
    // The last good parameters: those after iterations 0, 1 and 2.
    const threeSteps = new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });
    fit(threeSteps, X, Y, { iterations: 3, learningRate: 100 });
    expect(parameters(net)).toEqual(parameters(threeSteps));
    expect(parameters(net).flat().every(Number.isFinite)).toBe(true);
  });

  it('trains on with nonFinite: "continue"', () => {
    const net = new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });
    // Four iterations: a fifth would stop in binaryCrossEntropy, which refuses the NaN outputs of NaN parameters.
    const { costs, iterations } = fit(net, X, Y, { iterations: 4, learningRate: 100, nonFinite: "continue" });
    expect(iterations).toBe(4);
    expect(costs.slice(0, 3).every(Number.isFinite)).toBe(true);
    expect(costs[3]).toBe(Number.POSITIVE_INFINITY);
    expect(
      parameters(net)
        .flat()
        .some((v) => !Number.isFinite(v)),
    ).toBe(true);
  });

  it("an update that overflows is undone: the parameter is restored and named", () => {
    const model = linearModel();
    const before = parameters(model);
    // With 10·X, iteration 0's dJ/dw = (2/m) Σ r·x = (267, −56) by hand (r = 10·w·x − y = 4, 7.5, −10, 6.5, 11.5),
    // so w − 1e308·dw overflows to (−Infinity, +Infinity).
    const error = thrownBy(() =>
      fit(model, X.mul(10), Y, { iterations: 3, learningRate: 1e308 }),
    ) as TrainingDivergedError;
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error.iteration).toBe(0);
    expect(error.parameter).toBe("w");
    expect(error.message).toMatch(
      /^fit: training diverged at iteration 0: the update made w hold -Infinity at index \(0,0\); the parameters are kept/,
    );
    expect(parameters(model)).toEqual(before);
  });

  it("a non-finite cost with finite gradients names no parameter", () => {
    const w = tensor([[0.5, -0.25]], { requiresGrad: true });
    const model: Model = {
      namedParameters: () => [["w", w]],
      loss: (x, y) => w.matmul(x).sub(y).square().mean().add(Number.POSITIVE_INFINITY),
    };
    const error = thrownBy(() => fit(model, X, Y, { iterations: 3, learningRate: 0.1 })) as TrainingDivergedError;
    expect(error.iteration).toBe(0);
    expect(error.parameter).toBeNull();
    expect(error.message).toMatch(/^fit: training diverged at iteration 0: the cost is \+Infinity; the parameters/);
    expect(Array.from(w.data)).toEqual([0.5, -0.25]);
  });

  it("rejects an unknown nonFinite mode before training", () => {
    const model = linearModel();
    expect(() => fit(model, X, Y, { iterations: 1, learningRate: 0.1, nonFinite: "ignore" as "throw" })).toThrow(
      new ValueError("fit", 'nonFinite must be "throw" or "continue", got ignore'),
    );
  });
});

describe("divergenceGuard in a loop of one's own", () => {
  it("checks gradients passed apart (as valueAndGrad returns them) and names the parameter", () => {
    const w = tensor([[0.5, -0.25]]);
    const guard = divergenceGuard([["w", w]]);
    guard.beforeStep(0, 1.5, [tensor([[0.1, 0.2]])]);
    const error = thrownBy(() => guard.beforeStep(1, 1.5, [tensor([[0.1, Number.NaN]])])) as TrainingDivergedError;
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error.iteration).toBe(1);
    expect(error.parameter).toBe("w");
    expect(error.message).toContain("dw holds NaN at index (0,1)");
  });

  it("restores every parameter saved before the update that made one non-finite", () => {
    const w = tensor([[0.5, -0.25]]);
    const v = tensor([[2]]);
    const guard = divergenceGuard([
      ["w", w],
      ["v", v],
    ]);
    guard.beforeStep(0, 1, [null, null]);
    w.data[0] = 7; // a finite change, then an overflow in v
    v.data[0] = Number.POSITIVE_INFINITY;
    const error = thrownBy(() => guard.afterStep(0)) as TrainingDivergedError;
    expect(error.parameter).toBe("v");
    expect(error.message).toContain("the update made v hold +Infinity at index (0,0)");
    expect(Array.from(w.data)).toEqual([0.5, -0.25]);
    expect(Array.from(v.data)).toEqual([2]);
  });
});
