/** Tracing changes no bit: values, gradients and second derivatives inside withTracing equal eager ones exactly (float64 and float32). */
import {
  type DType,
  grad,
  jvp,
  randn,
  type Tensor,
  type TensorFunction,
  tensor,
  valueAndGrad,
  withTracing,
} from "@backprop/core";
import { primitives } from "@backprop/core/internal";
import { allGraphOpNames, computationalGraph, floatTensor, propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { opSpecs } from "../ops/opSpecs.js";

/** Every element's bits, readable in a failure: Object.is semantics (−0 ≠ +0; NaN equals NaN whatever its payload). */
function expectSameBits(traced: Tensor, eager: Tensor, what: string): void {
  expect(traced.dtype, `${what}: dtype`).toBe(eager.dtype);
  expect(traced.shape, `${what}: shape`).toEqual(eager.shape);
  const t = Array.from(traced.data);
  const e = Array.from(eager.data);
  const differ = t.findIndex((v, i) => !Object.is(v, e[i]));
  expect(differ, `${what}: element ${differ} is ${t[differ]} traced, ${e[differ]} eager`).toBe(-1);
}

/** Lists element by element; null (an input `backward()` never reached) must be null on both sides. */
function expectAllSameBits(traced: (Tensor | null)[], eager: (Tensor | null)[], what: string): void {
  expect(traced.length).toBe(eager.length);
  traced.forEach((t, i) => {
    const e = eager[i];
    if (t === null || e === null) expect([t === null, e === null], `${what} ${i}: reached`).toEqual([true, true]);
    else expectSameBits(t, e, `${what} ${i}`);
  });
}

/** A fixed tensor in [0.5, 1.5] of the given shape and dtype (weights that make an output scalar). */
function weights(shape: readonly number[], dtype: DType, seed: number): Tensor {
  const w = randn([...shape], seed)
    .tanh()
    .mul(0.5)
    .add(1);
  return dtype === "float64" ? w : w.astype(dtype);
}

/** A new leaf holding x's values in the given dtype (made from the data, so never a node, even while tracing). */
function leaf(x: Tensor, dtype: DType): Tensor {
  const data = dtype === "float32" ? Float32Array.from(x.data) : Float64Array.from(x.data);
  return tensor(data, { shape: [...x.shape] });
}

/**
 * Runs every computation the transforms offer on (f, inputs) and returns the results in a fixed order: f's value,
 * the value and gradient of the scalar Σ f·w, that gradient by `backward()`, the jvp of f along vs, and the second
 * derivatives both ways (reverse over reverse: ∇(∇L·v); forward over reverse: the jvp of ∇L along v).
 */
function everything(f: TensorFunction, inputs: Tensor[], vs: Tensor[], w: Tensor): Record<string, (Tensor | null)[]> {
  const argnums = inputs.map((_, i) => i);
  const L: TensorFunction = (...xs) =>
    f(...xs)
      .mul(w)
      .sum();
  const [value, grads] = valueAndGrad(L, { argnums })(...inputs);
  const leaves = inputs.map((x) => leaf(x, x.dtype).requiresGrad_());
  L(...leaves).backward();
  const [, tangent] = jvp(f, inputs, vs);
  const gradDotV: TensorFunction = (...xs) =>
    grad(L, { argnums })(...xs)
      .map((g, i) => g.mul(vs[i]).sum())
      .reduce((a, b) => a.add(b));
  const reverseOverReverse = grad(gradDotV, { argnums })(...inputs);
  const forwardOverReverse = argnums.map((i) => jvp((...xs) => grad(L, { argnums: i })(...xs), inputs, vs)[1]);
  return {
    "f(x)": [f(...inputs)],
    "valueAndGrad value": [value],
    "valueAndGrad gradient": grads,
    "backward() gradient": leaves.map((x) => x.grad),
    "jvp tangent": [tangent],
    "∇(∇L·v)": reverseOverReverse,
    "jvp of ∇L": forwardOverReverse,
  };
}

function expectTracingChangesNothing(f: TensorFunction, inputs: Tensor[], vs: Tensor[], w: Tensor): void {
  const eager = everything(f, inputs, vs, w);
  const traced = withTracing(() => everything(f, inputs, vs, w));
  for (const [what, tensors] of Object.entries(eager)) expectAllSameBits(traced[what], tensors, what);
}

const dtypes: readonly DType[] = ["float64", "float32"];

describe("every primitive: traced values and derivatives equal eager ones bit for bit", () => {
  it("the op table covers the registry", () => {
    expect(Object.keys(opSpecs).sort()).toEqual(Object.keys(primitives).sort());
  });

  for (const dtype of dtypes) {
    for (const [name, spec] of Object.entries(opSpecs)) {
      test.prop([spec.cases, fc.integer({ min: 1, max: 1000 })], propertyParams(15, 0.5))(
        `${name} (${dtype})`,
        ({ inputs, f }, seed) => {
          const xs = inputs.map((x) => leaf(x, dtype));
          const vs = xs.map((x, i) => weights(x.shape, dtype, seed + i).sub(1));
          const w = weights(f(...xs).shape, f(...xs).dtype, seed + 100);
          expectTracingChangesNothing(f, xs, vs, w);
        },
      );
    }
  }
});

describe("random computational graphs: traced equals eager bit for bit", () => {
  for (const dtype of dtypes) {
    const cases = computationalGraph({ dtype, ops: allGraphOpNames, output: "scalar" }).chain((c) =>
      fc
        .tuple(...c.inputs.map((x) => floatTensor({ shape: x.shape, min: -1, max: 1, dtype })))
        .map((vs) => ({ c, vs })),
    );
    test.prop([cases], propertyParams(60, 0.3))(`values, gradients, second derivatives (${dtype})`, ({ c, vs }) => {
      expectTracingChangesNothing(c.f, c.inputs, vs, tensor(1, { dtype }));
    });
  }
});
