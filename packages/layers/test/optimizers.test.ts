import { type Tensor, tensor, ValueError } from "@backprop/core";
import { adam, momentum, type Optimizer, rmsprop, sgd, TwoLayerNet } from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { powerOf } from "../src/optimizers.js";

/** Asserts that actual equals expected elementwise to within `rel` relative error. */
function expectClose(actual: Tensor, expected: number[], rel = 1e-15): void {
  const got = Array.from(actual.data);
  expect(got).toHaveLength(expected.length);
  got.forEach((v, i) => {
    expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(rel * Math.abs(expected[i]));
  });
}

/** A fresh parameter W = [1, −2] that requires grad. */
const param = () => tensor([1, -2], { requiresGrad: true, name: "W" });
const g1 = () => tensor([0.5, -1]);
const g2 = () => tensor([1, 2]);

/** Runs two steps with gradients g1 then g2, returning W after each. */
function twoSteps(make: (params: Tensor[]) => Optimizer): [number[], number[]] {
  const W = param();
  const opt = make([W]);
  W.grad = g1();
  opt.step();
  const after1 = Array.from(W.data);
  W.grad = g2();
  opt.step();
  return [after1, Array.from(W.data)];
}

describe("optimizer steps against hand-computed / numpy values", () => {
  it("sgd: W := W − α dW", () => {
    const W = param();
    const opt = sgd([W], { learningRate: 0.1 });
    W.grad = g1();
    opt.step();
    // 1 − 0.1·0.5 = 0.95; −2 − 0.1·(−1) = −1.9
    expectClose(W, [0.95, -1.9]);
  });

  it("sgd through backward: J = Σ (w·x − y)², dJ/dw = 2 Σ (w·x − y) x", () => {
    const w = tensor([[2]], { requiresGrad: true });
    const x = tensor([[1, 3]]);
    const y = tensor([[1, 1]]);
    const opt = sgd([w], { learningRate: 0.01 });
    w.matmul(x).sub(y).square().sum().backward();
    // residuals (1, 5): dJ/dw = 2·(1·1 + 5·3) = 32; w = 2 − 0.32 = 1.68
    expect(w.grad?.item()).toBe(32);
    opt.step();
    expectClose(w, [1.68]);
  });

  it("momentum (course form, no bias correction): v = βv + (1−β)dW; W −= αv", () => {
    // By hand, β = 0.9, α = 0.1: v1 = 0.1·g1 = (0.05, −0.1), W1 = (0.995, −1.99);
    // v2 = 0.9·v1 + 0.1·g2 = (0.145, 0.11), W2 = (0.9805, −2.001).
    const [a, b] = twoSteps((p) => momentum(p, { learningRate: 0.1, beta: 0.9 }));
    expectClose(tensor(a), [0.995, -1.99]);
    expectClose(tensor(b), [0.9805, -2.001]);
  });

  it("momentum defaults to β = 0.9", () => {
    const [, b] = twoSteps((p) => momentum(p, { learningRate: 0.1 }));
    expectClose(tensor(b), [0.9805, -2.001]);
  });

  it("rmsprop: s = βs + (1−β)dW²; W −= α dW/(√s + ε)", () => {
    // Step 1 by hand: s = 0.1·g1² = (0.025, 0.1), so the step is α·g/(√s + ε) ≈ 0.01·√10 = 0.0316227766… on both.
    // Both steps from numpy (β = 0.9, α = 0.01, ε = 1e-8):
    //   s = 0.9*s + 0.1*g**2; W = W - 0.01*g/(np.sqrt(s) + 1e-8)
    const [a, b] = twoSteps((p) => rmsprop(p, { learningRate: 0.01, beta: 0.9, epsilon: 1e-8 }));
    expectClose(tensor(a), [1 - 0.01 * Math.sqrt(10), -2 + 0.01 * Math.sqrt(10)], 1e-8); // ε shifts it by ~2e-9
    expectClose(tensor(a), [0.968377225398316, -1.9683772243983162], 1e-14);
    expectClose(tensor(b), [0.939805797643214, -1.9969486525615816], 1e-14);
  });

  it("adam with bias correction (course form)", () => {
    // Step 1 by hand: v̂ = g, ŝ = g², so W −= α·g/(|g| + ε): 1 − 0.01·0.5/(0.5 + 1e-8) = 0.9900000002.
    // Both steps from numpy (β1 = 0.9, β2 = 0.999, α = 0.01, ε = 1e-8, t = 1, 2):
    //   v = 0.9*v + 0.1*g; s = 0.999*s + 0.001*g**2; vc = v/(1 - 0.9**t); sc = s/(1 - 0.999**t)
    //   W = W - 0.01*vc/(np.sqrt(sc) + 1e-8)
    const [a, b] = twoSteps((p) => adam(p, { learningRate: 0.01 }));
    expectClose(tensor(a), [0.9900000002, -1.9900000001], 1e-14);
    expectClose(tensor(b), [0.9803481800638509, -1.9936610353472075], 1e-14);
  });

  it("adam's t counts steps of the optimizer: a parameter first stepped at t = 2 uses t = 2's bias correction", () => {
    const skipped = param();
    const other = tensor([0], { requiresGrad: true });
    const opt = adam([other, skipped], { learningRate: 0.01 });
    other.grad = tensor([1]);
    opt.step(); // skipped has no grad: untouched
    expect(Array.from(skipped.data)).toEqual([1, -2]);
    skipped.grad = g2();
    opt.step();
    // numpy: v = 0.1*g2; s = 0.001*g2**2; W0 - 0.01*(v/(1 - 0.9**2))/(np.sqrt(s/(1 - 0.999**2)) + 1e-8)
    expectClose(skipped, [0.9925586318695407, -2.0074413681830645], 1e-14);
  });
});

describe("adam's bias correction 1 − βᵗ uses βᵗ correctly rounded, as the C library's pow gives numpy", () => {
  it("powerOf(β, t) is βᵗ correctly rounded where JavaScript's ** is not", () => {
    // Python: float(Fraction(beta) ** t) (= beta ** t, C pow); V8's 0.9 ** 4 is 0.6561000000000001.
    expect(0.9 ** 4).toBe(0.6561000000000001);
    const exact: [number, number, number][] = [
      [0.9, 4, 0.6561],
      [0.9, 23, 0.08862938119652507],
      [0.9, 29, 0.047101286972462485],
      [0.9, 40, 0.014780882941434608],
      [0.999, 16, 0.9841194418156399],
      [0.999, 32, 0.9684910757595268],
      [0.999, 2000, 0.13519992539749945],
      [0.9999999, 1_000_000, 0.9048374135593988],
      [0.9, 1, 0.9],
      [0.9, 0, 1],
    ];
    for (const [beta, t, value] of exact) expect(powerOf(beta, t), `${beta}^${t}`).toBe(value);
    expect(powerOf(0.5, 1100)).toBe(0); // below 2^−200: 1 − βᵗ is 1 either way
  });

  it("30 Adam steps equal the course's update_parameters_with_adam in numpy bit for bit", () => {
    // numpy 2.4.6, float64: W = np.array([[0.5, -1.2, 3.0, 0.1]]); v = s = zeros; for t in 1..30:
    //   dW = np.array([[0.5/t, (-1)**t*0.25, 0.01*t*t, 3.0 - 0.07*t]]); v = 0.9*v + (1 - 0.9)*dW
    //   vc = v/(1 - 0.9**t); s = 0.999*s + (1 - 0.999)*np.power(dW, 2); sc = s/(1 - 0.999**t)
    //   W = W - 0.01*vc/(np.sqrt(sc) + 1e-8)
    // With JavaScript's 0.9 ** 4 the last column differs from t = 4 on (0.060062068716029614 at t = 4).
    const W = tensor([[0.5, -1.2, 3.0, 0.1]], { requiresGrad: true });
    const opt = adam([W], { learningRate: 0.01 });
    const after: Record<number, number[]> = {};
    for (let t = 1; t <= 30; t++) {
      W.grad = tensor([[0.5 / t, (-1) ** t * 0.25, 0.01 * t * t, 3.0 - 0.07 * t]]);
      opt.step();
      after[t] = Array.from(W.data);
    }
    expect(after[4]).toEqual([0.4637342307267773, -1.1876946984918235, 2.9638310067104334, 0.06006206871602962]);
    expect(after[10]).toEqual([0.4228717388826394, -1.184546084938797, 2.9089796319676915, 0.0009436996323173245]);
    expect(after[30]).toEqual([0.3450025268264667, -1.1826277988956015, 2.680798503638923, -0.17227619774002464]);
  });
});

describe("a parameter that never required grad", () => {
  it.each([
    ["sgd", (p: Tensor[]) => sgd(p, { learningRate: 0.1 })],
    ["adam", (p: Tensor[]) => adam(p, { learningRate: 0.1 })],
  ] as const)("%s.step names it instead of silently never updating it", (name, make) => {
    const W1 = tensor([[0.5, -1]], { requiresGrad: true, name: "W1" });
    const b1 = tensor([[0]], { name: "b1" }); // forgot requiresGrad: backward can never reach it
    const opt = make([W1, b1]);
    W1.matmul(tensor([[1], [2]]))
      .add(b1)
      .sum()
      .backward();
    expect(b1.grad).toBeNull();
    expect(() => opt.step()).toThrow(
      new ValueError(
        `${name}.step`,
        "parameters[1] ('b1') (1,1) never required grad (requiresGrad is false), so backward() gave it no gradient and it would never be updated: create it with { requiresGrad: true } or call requiresGrad_() before the forward pass (to freeze a parameter, leave it out of the optimizer's list)",
      ),
    );
  });
});

describe("optimizer behaviour", () => {
  const all: [string, (p: Tensor[]) => Optimizer][] = [
    ["sgd", (p) => sgd(p, { learningRate: 0.1 })],
    ["momentum", (p) => momentum(p, { learningRate: 0.1 })],
    ["rmsprop", (p) => rmsprop(p, { learningRate: 0.1 })],
    ["adam", (p) => adam(p, { learningRate: 0.1 })],
  ];

  it.each(all)("%s updates in place, records no graph node, and skips parameters without grad", (_name, make) => {
    const W = param();
    const untouched = tensor([3, 4], { requiresGrad: true });
    const data = W.data;
    const opt = make([W, untouched]);
    // A gradient that itself is on a graph (as createGraph leaves it): the update must still not be recorded.
    const x = tensor([0.5, -1], { requiresGrad: true });
    W.grad = x.mul(1);
    opt.step();
    expect(W.data).toBe(data); // same storage: updated in place
    expect(W.isLeaf).toBe(true);
    expect(W.op).toBeNull();
    expect(W.requiresGrad).toBe(true);
    expect(Array.from(W.data)).not.toEqual([1, -2]);
    expect(Array.from(untouched.data)).toEqual([3, 4]);
    expect(x.grad).toBeNull();
  });

  it.each(all)("%s: zeroGrad clears every parameter's grad; parameters lists them in order", (_name, make) => {
    const a = param();
    const b = tensor([1], { requiresGrad: true });
    const opt = make([a, b]);
    a.grad = g1();
    b.grad = tensor([2]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
    expect(opt.parameters).toEqual([a, b]);
  });

  it.each(all)("%s keeps float32 parameters float32", (_name, make) => {
    const W = tensor([1, -2], { dtype: "float32", requiresGrad: true });
    const opt = make([W]);
    W.grad = tensor([0.5, -1], { dtype: "float32" });
    opt.step();
    expect(W.dtype).toBe("float32");
    expect(W.data).toBeInstanceOf(Float32Array);
  });

  it("learningRate is mutable (what schedules drive) and validated", () => {
    const W = param();
    const opt = sgd([W], { learningRate: 0.1 });
    opt.learningRate = 1;
    W.grad = g1();
    opt.step();
    expectClose(W, [0.5, -1]);
    expect(() => {
      opt.learningRate = 0;
    }).toThrow(ValueError);
    expect(() => {
      opt.learningRate = Number.NaN;
    }).toThrow(/sgd: learningRate must be a positive finite number, got NaN/);
    expect(opt.learningRate).toBe(1);
  });

  it("rejects bad options with a ValueError naming the optimizer", () => {
    const p = [param()];
    expect(() => sgd(p, { learningRate: 0 })).toThrow(/^sgd: learningRate must be a positive finite number, got 0$/);
    expect(() => sgd(p, { learningRate: -0.1 })).toThrow(ValueError);
    expect(() => sgd(p, {} as { learningRate: number })).toThrow(/got undefined/);
    expect(() => momentum(p, { learningRate: 0.1, beta: 1 })).toThrow(
      /^momentum: beta must be a number in \[0, 1\), got 1$/,
    );
    expect(() => momentum(p, { learningRate: 0.1, beta: -0.1 })).toThrow(ValueError);
    expect(() => rmsprop(p, { learningRate: 0.1, beta: 1.5 })).toThrow(/rmsprop: beta/);
    expect(() => rmsprop(p, { learningRate: 0.1, epsilon: 0 })).toThrow(/rmsprop: epsilon must be a positive/);
    expect(() => adam(p, { learningRate: 0.1, beta1: 1 })).toThrow(/adam: beta1/);
    expect(() => adam(p, { learningRate: 0.1, beta2: Number.NaN })).toThrow(/adam: beta2/);
    expect(() => adam(p, { learningRate: Number.POSITIVE_INFINITY })).toThrow(/adam: learningRate/);
  });

  it("rejects a parameter list that is not Tensors or lists one twice", () => {
    const W = param();
    expect(() => sgd([W, W], { learningRate: 0.1 })).toThrow(/sgd: parameters\[1\] \('W'\) is listed twice/);
    expect(() => sgd([W, [1, 2] as unknown as Tensor], { learningRate: 0.1 })).toThrow(
      /parameters\[1\] is not a Tensor/,
    );
    expect(() => adam(null as unknown as Tensor[], { learningRate: 0.1 })).toThrow(/adam: parameters must be an array/);
  });

  it("β = 0 momentum is plain sgd", () => {
    const W = param();
    const opt = momentum([W], { learningRate: 0.1, beta: 0 });
    W.grad = g1();
    opt.step();
    W.grad = g2();
    opt.step();
    // (1 − 0.05 − 0.1, −2 + 0.1 − 0.2)
    expectClose(W, [0.85, -2.1], 1e-15);
  });
});

describe("README example", () => {
  it("Adam trains the 2-layer net with the manual zeroGrad / backward / step loop", () => {
    const X = tensor([
      [1, 2, -1, -2, 0.5, -0.5],
      [1, -1, 2, -2, 0.3, 0.2],
    ]);
    const Y = tensor([[1, 1, 0, 0, 1, 0]]);
    const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
    const opt = adam(
      net.namedParameters().map(([, p]) => p),
      { learningRate: 0.01 },
    );
    const J0 = net.loss(X, Y).item();
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      net.loss(X, Y).backward();
      opt.step();
    }
    // Starting at ≈ log 2 (W ≈ 0.01·randn), the separable data is fitted well.
    expect(J0).toBeCloseTo(Math.LN2, 3);
    expect(net.loss(X, Y).item()).toBeLessThan(0.1);
    expect(net.accuracy(X, Y)).toBe(100);
  });
});
