/** Bad-input and semantics catalogue of training: optimizers, schedules, regularization, fit and its callbacks. */
import { RandomState, ShapeError, type Tensor, tensor, ValueError } from "@backprop/core";
import {
  adam,
  applyDropout,
  dropoutMask,
  exponentialDecay,
  fit,
  inverseTimeDecay,
  l2Cost,
  momentum,
  rmsprop,
  sgd,
  stepDecay,
  TwoLayerNet,
} from "@backprop/layers";
import { describe, expect, it } from "vitest";
import { bad, expectTyped } from "../../../test/expectTyped.js";

const rs = new RandomState(0);
const X = rs.randn(2, 10);
const Y = tensor([Array.from({ length: 10 }, (_, i) => i % 2)]);
const net = (seed = 2) => new TwoLayerNet({ nx: 2, nh: 3, ny: 1, seed });
const P = () => [tensor([[1, 2]], { requiresGrad: true })];
const tensorsOf = (n: TwoLayerNet) => n.namedParameters().map(([, p]) => p);
const fitKeys =
  "{ iterations, epochs, batchSize, optimizer, learningRate, printEvery, onProgress, validationData, earlyStopping, seed, nonFinite }";

describe("optimizers: misspelt options were ignored (PyTorch/Keras names)", () => {
  const cases: [string, () => unknown, string, string][] = [
    ["adam { beta_1 } (Keras)", () => adam(P(), bad({ learningRate: 0.1, beta_1: 0.5 })), "adam", "beta_1"],
    ["adam { betas } (PyTorch)", () => adam(P(), bad({ learningRate: 0.1, betas: [0.5, 0.9] })), "adam", "betas"],
    ["adam { eps } (PyTorch)", () => adam(P(), bad({ learningRate: 0.1, eps: 1e-3 })), "adam", "eps"],
    ["sgd { momentum } (PyTorch)", () => sgd(P(), bad({ learningRate: 0.1, momentum: 0.9 })), "sgd", "momentum"],
    ["momentum { momentum }", () => momentum(P(), bad({ learningRate: 0.1, momentum: 0.5 })), "momentum", "momentum"],
    ["rmsprop { rho } (Keras)", () => rmsprop(P(), bad({ learningRate: 0.1, rho: 0.5 })), "rmsprop", "rho"],
    ["sgd { lr } (PyTorch)", () => sgd(P(), bad({ lr: 0.1 })), "sgd", "lr"],
  ];
  const keys: Record<string, string> = {
    sgd: "{ learningRate }",
    momentum: "{ learningRate, beta }",
    rmsprop: "{ learningRate, beta, epsilon }",
    adam: "{ learningRate, beta1, beta2, epsilon }",
  };
  for (const [name, call, op, key] of cases) {
    it(name, () => expectTyped(call, ValueError, op, `unknown option '${key}': ${op} takes ${keys[op]}`));
  }
  it("null or missing options", () => {
    expectTyped(() => sgd(P(), bad(null)), ValueError, "sgd", "options must be an object { learningRate }, got null");
    expectTyped(
      () => adam(P(), bad(undefined)),
      ValueError,
      "adam",
      "options must be an object { learningRate, beta1, beta2, epsilon }, got null",
    );
  });
});

describe("optimizers: bad values", () => {
  for (const lr of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`learningRate ${lr}`, () => {
      expectTyped(
        () => sgd(P(), { learningRate: lr }),
        ValueError,
        "sgd",
        `learningRate must be a positive finite number, got ${lr}`,
      );
    });
  }
  it("β = 1, β < 0, β NaN, ε = 0", () => {
    expectTyped(
      () => adam(P(), { learningRate: 0.1, beta1: 1 }),
      ValueError,
      "adam",
      "beta1 must be a number in [0, 1), got 1",
    );
    expectTyped(
      () => adam(P(), { learningRate: 0.1, beta2: -0.1 }),
      ValueError,
      "adam",
      "beta2 must be a number in [0, 1), got -0.1",
    );
    expectTyped(
      () => momentum(P(), { learningRate: 0.1, beta: Number.NaN }),
      ValueError,
      "momentum",
      "beta must be a number in [0, 1), got NaN",
    );
    expectTyped(
      () => rmsprop(P(), { learningRate: 0.1, epsilon: 0 }),
      ValueError,
      "rmsprop",
      "epsilon must be a positive finite number, got 0",
    );
  });
  it("an empty parameter list (PyTorch refuses it too)", () => {
    expectTyped(
      () => sgd([], { learningRate: 0.1 }),
      ValueError,
      "sgd",
      "got an empty parameter list: nothing would ever be updated (as PyTorch refuses it too)",
    );
  });
  it("namedParameters() pairs instead of tensors", () => {
    expectTyped(
      () => sgd(bad(net().namedParameters()), { learningRate: 0.1 }),
      ValueError,
      "sgd",
      "parameters[0] is a [name, Tensor] pair: pass the Tensors, model.namedParameters().map(([, p]) => p)",
    );
  });
  it("setting learningRate to NaN later", () => {
    const opt = sgd(P(), { learningRate: 0.1 });
    expectTyped(
      () => {
        opt.learningRate = Number.NaN;
      },
      ValueError,
      "sgd",
      "learningRate must be a positive finite number, got NaN",
    );
    expect(opt.learningRate).toBe(0.1);
  });
});

describe("optimizer semantics against the course's numpy (values from numpy, float64)", () => {
  const step = (make: (p: Tensor[]) => { step(): void }, steps = 1): number[] => {
    const W = tensor([[0.5, -1.0, 2.0]], { requiresGrad: true });
    const opt = make([W]);
    for (let i = 0; i < steps; i++) {
      W.grad = tensor([[0.1, -0.2, 0.0]]);
      opt.step();
    }
    return Array.from(W.data);
  };
  it("Adam's first step is bias-corrected: W − α·v̂/(√ŝ + ε) ≈ W − α·sign(dW)", () => {
    expect(step((p) => adam(p, { learningRate: 0.01 }))).toEqual([0.4900000009999999, -0.9900000004999999, 2.0]);
  });
  it("momentum with β = 0 is plain gradient descent", () => {
    expect(step((p) => momentum(p, { learningRate: 0.01, beta: 0 }))).toEqual(
      step((p) => sgd(p, { learningRate: 0.01 })),
    );
    expect(step((p) => sgd(p, { learningRate: 0.01 }))).toEqual([0.499, -0.998, 2.0]);
  });
  it("momentum β = 0.9 (course form, v := βv + (1 − β)dW) after two steps", () => {
    expect(step((p) => momentum(p, { learningRate: 0.01, beta: 0.9 }), 2)).toEqual([0.49971, -0.99942, 2.0]);
  });
  it("RMSProp's first step", () => {
    expect(step((p) => rmsprop(p, { learningRate: 0.01 }))).toEqual([0.46837723339831305, -0.9683772283983154, 2.0]);
  });
});

describe("schedules", () => {
  it("misspelt options were ignored: exponentialDecay { decay_steps } decayed 100× too fast", () => {
    expectTyped(
      () => exponentialDecay(0.1, bad({ rate: 0.5, decay_steps: 100 })),
      ValueError,
      "exponentialDecay",
      "unknown option 'decay_steps': exponentialDecay takes { rate, decaySteps }",
    );
    expectTyped(
      () => inverseTimeDecay(0.1, bad({ decayRate: 1, timeInterval: 1000 })),
      ValueError,
      "inverseTimeDecay",
      "unknown option 'timeInterval': inverseTimeDecay takes { decayRate, decaySteps }",
    );
    expectTyped(
      () => stepDecay(0.1, bad({ drop_every: 10, factor: 0.5 })),
      ValueError,
      "stepDecay",
      "unknown option 'drop_every': stepDecay takes { dropEvery, factor }",
    );
  });
  it("null options, factor > 1, a negative iteration", () => {
    expectTyped(
      () => stepDecay(0.1, bad(null)),
      ValueError,
      "stepDecay",
      "options must be an object { dropEvery, factor }, got null",
    );
    expectTyped(
      () => stepDecay(0.1, { dropEvery: 10, factor: 2 }),
      ValueError,
      "stepDecay",
      "factor must be a number in (0, 1], got 2",
    );
    expectTyped(
      () => exponentialDecay(0.1, { rate: 0.5 })(-1),
      ValueError,
      "exponentialDecay",
      "the iteration must be a non-negative finite number, got -1",
    );
  });
  it("the course's decay: α0 / (1 + decayRate·⌊t / timeInterval⌋)", () => {
    expect(inverseTimeDecay(0.5, { decayRate: 1, decaySteps: 1000 })(2500)).toBe(0.5 / 3);
  });
});

describe("regularization", () => {
  it("L2 is the course's λ/(2m)·Σ‖W‖²", () => {
    const W = [tensor([[1, 2]]), tensor([[3], [4]])];
    expect(l2Cost(W, 0.7, 5).item()).toBe((0.7 / 10) * 30);
  });
  it("l2Cost of null or of non-tensors (were raw TypeErrors)", () => {
    expectTyped(
      () => l2Cost(bad(null), 0.1, 1),
      ValueError,
      "l2Cost",
      "W must be an array of weight Tensors [W1, W2, …], got null",
    );
    expectTyped(
      () => l2Cost(bad([[1, 2]]), 0.1, 1),
      ValueError,
      "l2Cost",
      "W must be an array of weight Tensors [W1, W2, …], got an array holding object",
    );
  });
  it("dropoutMask without a RandomState, with a bad shape (said 'RandomState.rand:')", () => {
    expectTyped(
      () => dropoutMask(bad(null), [2, 2], 0.5),
      ValueError,
      "dropoutMask",
      "rng must be a RandomState, got null",
    );
    expectTyped(
      () => dropoutMask(rs, [2, -1], 0.5),
      ShapeError,
      "dropoutMask",
      "shape must be [rows, columns] of positive integers, got [2, -1]",
    );
  });
  it("applyDropout with a mask of another shape (said 'mul:')", () => {
    expectTyped(
      () => applyDropout(tensor([[1, 2, 3]]), tensor([[1], [0], [1]]), 0.5),
      ShapeError,
      "applyDropout",
      "the mask D (3,1) must have A's shape (1,3) (draw it with dropoutMask(rng, A.shape, keepProb))",
    );
  });
  it("inverted dropout keeps the expected value: A·D/keepProb", () => {
    expect(applyDropout(tensor([[2, 4]]), tensor([[1, 0]]), 0.8).toArray()).toEqual([[2.5, 0]]);
  });
});

describe("fit: misspelt options were ignored (Keras/course names)", () => {
  for (const key of ["batch_size", "num_epochs", "print_cost", "callbacks", "lr"]) {
    it(`{ ${key} }`, () => {
      expectTyped(
        () => fit(net(), X, Y, bad({ iterations: 2, learningRate: 0.1, [key]: 3 })),
        ValueError,
        "fit",
        `unknown option '${key}': fit takes ${fitKeys}`,
      );
    });
  }
  it("earlyStopping { min_delta }", () => {
    expectTyped(
      () => fit(net(), X, Y, { epochs: 1, learningRate: 0.1, earlyStopping: bad({ patience: 2, min_delta: 0.1 }) }),
      ValueError,
      "fit",
      "unknown earlyStopping option 'min_delta': earlyStopping takes { patience, minDelta }",
    );
  });
});

describe("fit: bad values, checked before any update", () => {
  const fitsNothing = (options: object, message: string) => {
    const n = net();
    const before = Array.from(n.W1.data);
    expectTyped(() => fit(n, X, Y, bad(options)), ValueError, "fit", message);
    expect(Array.from(n.W1.data)).toEqual(before);
  };
  it("epochs 0 and 1.5, batchSize 0, printEvery 0", () => {
    fitsNothing({ epochs: 0, learningRate: 0.1 }, "epochs must be a positive integer, got 0");
    fitsNothing({ epochs: 1.5, learningRate: 0.1 }, "epochs must be a positive integer, got 1.5");
    fitsNothing({ epochs: 1, learningRate: 0.1, batchSize: 0 }, "batchSize must be a positive integer, got 0");
    fitsNothing({ epochs: 1, learningRate: 0.1, printEvery: 0 }, "printEvery must be a positive integer, got 0");
  });
  it("learningRate 0, NaN, a string", () => {
    fitsNothing({ epochs: 1, learningRate: 0 }, "learningRate must be a positive finite number, got 0");
    fitsNothing({ epochs: 1, learningRate: Number.NaN }, "learningRate must be a positive finite number, got NaN");
    fitsNothing({ epochs: 1, learningRate: "0.1" }, "learningRate must be a number or a Schedule function, got string");
  });
  it("onProgress that is not a function (was a raw TypeError after the first update)", () => {
    fitsNothing(
      { epochs: 1, learningRate: 0.1, onProgress: true },
      "onProgress must be a function (event) => void, got boolean",
    );
  });
  it("batchSize larger than m is full batch (Keras does the same; kept)", () => {
    expect(fit(net(), X, Y, { epochs: 2, learningRate: 0.1, batchSize: 64 }).costs).toEqual(
      fit(net(), X, Y, { epochs: 2, learningRate: 0.1 }).costs,
    );
  });
});

describe("fit: validationData and optimizers from elsewhere", () => {
  it("validationData as rows is refused up front (was found after the first update, or never without onProgress)", () => {
    const n = net();
    const before = Array.from(n.W1.data);
    expectTyped(
      () => fit(n, X, Y, { epochs: 1, learningRate: 0.1, validationData: [rs.randn(10, 2), Y] }),
      ShapeError,
      "fit",
      "validationData [Xv, Yv]: Xv has shape (10,2) but W1 is (3,2): Xv needs 2 rows (n_x)",
    );
    expect(Array.from(n.W1.data)).toEqual(before);
  });
  it("an optimizer built for another model: the model silently did not train", () => {
    const a = net();
    const b = net(5);
    const opt = adam(tensorsOf(a), { learningRate: 0.1 });
    expectTyped(
      () => fit(b, X, Y, { iterations: 3, optimizer: opt }),
      ValueError,
      "fit",
      "the optimizer's parameters[0] ('W1') (3,2) is not a parameter of this model (an optimizer built for another model?): the model would not train; build the optimizer from this model's namedParameters()",
    );
  });
  it("an optimizer over some of the model's parameters freezes the others (kept)", () => {
    const n = net();
    const b1 = Array.from(n.b1.data);
    fit(n, X, Y, { iterations: 2, optimizer: sgd([n.W1], { learningRate: 0.1 }) });
    expect(Array.from(n.b1.data)).toEqual(b1);
  });
});

describe("fit: a callback that throws", () => {
  it("propagates the user's error; updates already made stay, and training can resume from them", () => {
    const n = net();
    const reference = net();
    expect(() =>
      fit(n, X, Y, {
        iterations: 5,
        learningRate: 0.5,
        onProgress: ({ iteration }) => {
          if (iteration === 2) throw new Error("boom");
        },
      }),
    ).toThrow("boom");
    // Three updates (iterations 0, 1, 2) were made before the callback of iteration 2 threw.
    fit(reference, X, Y, { iterations: 3, learningRate: 0.5 });
    expect(Array.from(n.W1.data)).toEqual(Array.from(reference.W1.data));
    const resumed = fit(n, X, Y, { iterations: 2, learningRate: 0.5 }).costs;
    expect(resumed).toEqual(fit(reference, X, Y, { iterations: 2, learningRate: 0.5 }).costs);
  });
});
