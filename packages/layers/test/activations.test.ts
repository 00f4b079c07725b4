/** Activations: forward values by hand, derivatives g′ against autodiff of g, leaky slope, softmax over columns, errors. */

import { grad, linear, nodeOf, onesLike, randn, type Tensor, tensor, ValueError } from "@backprop/core";
import { type Activation, type ActivationSpec, activation, leakyRelu } from "@backprop/layers";
import { floatValue, propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { linearThen } from "../src/activations.js";

const z = tensor([[-2, -0.5, 0, 0.5, 3]]);

describe("activation forward values", () => {
  it("sigmoid, tanh, relu, leakyRelu, linear", () => {
    const values = (spec: ActivationSpec) => (activation(spec).forward(z).toArray() as number[][])[0];
    values("sigmoid").forEach((v, i) => {
      expect(v).toBeCloseTo(1 / (1 + Math.exp(-z.data[i])), 15);
    });
    values("tanh").forEach((v, i) => {
      expect(v).toBeCloseTo(Math.tanh(z.data[i]), 15);
    });
    expect(values("relu")).toEqual([0, 0, 0, 0.5, 3]);
    expect(values("leakyRelu")).toEqual([-0.02, -0.005, 0, 0.5, 3]);
    expect(values({ name: "leakyRelu", slope: 0.2 })).toEqual([-0.4, -0.1, 0, 0.5, 3]);
    expect(values("linear")).toEqual([-2, -0.5, 0, 0.5, 3]);
  });

  it("softmax normalizes each column (classes are rows, examples are columns)", () => {
    const Z = tensor([
      [1, 0],
      [2, 0],
      [3, 1000],
    ]);
    const A = activation("softmax").forward(Z).toArray() as number[][];
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0] + e[1] + e[2];
    for (let c = 0; c < 3; c++) expect(A[c][0]).toBeCloseTo(e[c] / s, 15);
    // Column 2: a logit of 1000 takes all the mass without overflow.
    expect([A[0][1], A[1][1], A[2][1]]).toEqual([0, 0, 1]);
  });
});

describe("activation derivatives", () => {
  it("are the course's formulas at hand-picked points", () => {
    const deriv = (spec: ActivationSpec) => {
      const g = activation(spec);
      return (g.derivative(z, g.forward(z)).toArray() as number[][])[0];
    };
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    deriv("sigmoid").forEach((d, i) => {
      expect(d).toBeCloseTo(s(z.data[i]) * (1 - s(z.data[i])), 15);
    });
    deriv("tanh").forEach((d, i) => {
      expect(d).toBeCloseTo(1 - Math.tanh(z.data[i]) ** 2, 15);
    });
    expect(deriv("relu")).toEqual([0, 0, 0, 1, 1]); // 0 at z = 0
    expect(deriv("leakyRelu")).toEqual([0.01, 0.01, 0.01, 1, 1]); // slope at z = 0
    expect(deriv({ name: "leakyRelu", slope: 0.3 })).toEqual([0.3, 0.3, 0.3, 1, 1]);
    expect(deriv("linear")).toEqual([1, 1, 1, 1, 1]);
  });

  it.each(["sigmoid", "tanh", "relu", "leakyRelu", "linear"] as const)(
    "%s′ keeps z's dtype (float32), equal to autodiff's float32 gradient bit for bit",
    (spec) => {
      const g = activation(spec);
      const Z = tensor([[-1.5, -0.25, 0, 0.3, 2]], { dtype: "float32" });
      const closed = g.derivative(Z, g.forward(Z));
      expect(closed.dtype).toBe("float32");
      const auto = grad((x) => g.forward(x).sum())(Z);
      expect(Array.from(closed.data)).toEqual(Array.from(auto.data));
    },
  );

  test.prop(
    [
      fc.constantFrom<ActivationSpec>("sigmoid", "tanh", "relu", "leakyRelu", "linear"),
      fc.array(floatValue({ min: -6, max: 6, avoid: [0], gap: 1e-3 }), { minLength: 1, maxLength: 8 }),
    ],
    propertyParams(50),
  )("g′(z) equals autodiff's d Σg(z)/dz", (spec, values) => {
    const g = activation(spec);
    const Z = tensor([values]);
    const auto = grad((x) => g.forward(x).sum())(Z);
    const closed = g.derivative(Z, g.forward(Z));
    Array.from(closed.data).forEach((d, i) => {
      expect(Math.abs(d - auto.data[i])).toBeLessThanOrEqual(1e-15);
    });
  });

  it("softmax has no elementwise derivative and says what to do instead", () => {
    const g = activation("softmax");
    expect(() => g.derivative(z, g.forward(z))).toThrow(
      new ValueError(
        "softmax.derivative",
        "softmax's Jacobian is not elementwise, so it has no g′(z) tensor; pair softmax with softmaxCrossEntropy, whose dZ = A − Y",
      ),
    );
  });
});

describe("activation()", () => {
  it("returns Activation objects as they are and builds leakyRelu with a slope", () => {
    const custom: Activation = { name: "square", forward: (x) => x.square(), derivative: (x) => x.mul(2) };
    expect(activation(custom)).toBe(custom);
    expect(leakyRelu(0.1)).toMatchObject({ name: "leakyRelu", slope: 0.1 });
    expect(activation("leakyRelu")).toMatchObject({ name: "leakyRelu", slope: 0.01 });
    expect(activation("tanh").name).toBe("tanh");
  });

  it("rejects unknown names, bad slopes and other values", () => {
    expect(() => activation("swish" as ActivationSpec)).toThrow(
      new ValueError(
        "activation",
        'unknown activation "swish": expected one of sigmoid, tanh, relu, leakyRelu, linear, softmax',
      ),
    );
    expect(() => activation("toString" as ActivationSpec)).toThrow(/unknown activation "toString"/);
    expect(() => activation({ name: "leakyRelu", slope: Number.NaN })).toThrow(
      new ValueError("activation", "leakyRelu slope must be a finite number, got NaN"),
    );
    expect(() => activation({ name: "elu" } as unknown as ActivationSpec)).toThrow(/got an object with keys \[name\]/);
    expect(() => activation(3 as unknown as ActivationSpec)).toThrow(/got number 3/);
  });
});

describe("linearThen: Z = W·X + b and A = g(Z) as layers compute them", () => {
  const W = randn([5, 3], 1).requiresGrad_();
  const X = randn([3, 40], 2);
  const b = randn([5, 1], 3);
  const bits = (t: Tensor) => Array.from(t.data);

  it.each(["sigmoid", "tanh", "relu", "leakyRelu", "linear", "softmax"] as const)(
    "%s: the bits of linear then g, and the graph linear → g",
    (name) => {
      const g = activation(name);
      const { Z, A } = linearThen(g, W, X, b);
      const Zs = linear(W, X, b);
      expect(bits(Z)).toEqual(bits(Zs));
      expect(bits(A)).toEqual(bits(g.forward(Zs)));
      expect(nodeOf(Z)?.op.name).toBe("linear");
      if (name === "linear") expect(A).toBe(Z);
      if (name === "sigmoid" || name === "tanh" || name === "relu") {
        expect(nodeOf(A)?.op.name).toBe(name); // the fused pass records the activation's own node on Z
        expect(nodeOf(A)?.inputs[0]).toBe(Z);
      }
    },
  );

  it("a user's activation object runs its own forward, even when named like a built-in", () => {
    const custom: Activation = { name: "relu", forward: (z) => z.mul(2), derivative: (z) => onesLike(z).mul(2) };
    const { Z, A } = linearThen(custom, W, X, b);
    expect(bits(A)).toEqual(bits(Z.mul(2)));
  });
});
