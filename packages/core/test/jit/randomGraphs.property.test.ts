/** jit on random computational graphs: values, gradients and second derivatives equal eager's bit for bit (float64 and float32, both backends). */
import { type DType, grad, hvp, jit, type Tensor, type TensorFunction, tensor } from "@backprop/core";
import { allGraphOpNames, computationalGraph, type GraphOpName, propertyParams } from "@backprop/testing";
import { test } from "@fast-check/vitest";
import { describe, expect } from "vitest";

/** Each element as text, so −0 and NaN compare as bits do. */
const bits = (t: Tensor) => Array.from(t.data, (v) => (Object.is(v, -0) ? "-0" : String(v)));

function expectSameBits(actual: readonly Tensor[], expected: readonly Tensor[], what: string, program: string): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.shape, `${what} ${i} shape\n${program}`).toEqual(expected[i].shape);
    expect(a.dtype).toBe(expected[i].dtype);
    expect(bits(a), `${what} ${i}\n${program}`).toEqual(bits(expected[i]));
  });
}

/** The sum of every gradient's entries: a scalar whose gradient is a row sum of the Hessian (reverse over reverse). */
function gradSum(f: TensorFunction, argnums: number[]): TensorFunction {
  return (...xs) => {
    const gs = grad(f, { argnums })(...xs);
    return gs.reduce((acc: Tensor, g) => acc.add(g.sum()), tensor(0, { dtype: xs[0].dtype }));
  };
}

/** Every primitive, kinks and the float32 round trip included (no finite differences here: bits are compared). */
const ops: readonly GraphOpName[] = allGraphOpNames;

describe.each(["float64", "float32"] as const)("jit on random graphs (%s)", (dtype: DType) => {
  describe.each(["codegen", "interpret"] as const)("%s", (backend) => {
    test.prop([computationalGraph({ dtype, output: "scalar", ops, maxNodes: 8 })], propertyParams(40, 0.5))(
      "value, gradients, grad of the gradients' sum and hvp: every bit equals eager",
      ({ f, inputs, programs }) => {
        const program = programs[0].join("\n");
        const argnums = inputs.map((_, i) => i);
        const value = jit(f, { backend })(...inputs);
        expectSameBits([value], [f(...inputs)], "value", program);
        const g = grad(f, { argnums });
        expectSameBits(jit(g, { backend })(...inputs), g(...inputs), "gradient", program);
        const g2 = grad(gradSum(f, argnums), { argnums });
        expectSameBits(jit(g2, { backend })(...inputs), g2(...inputs), "grad of Σ gradients", program);
        const v = inputs[0].mul(0.5).add(0.25);
        const h = (x: Tensor, ...rest: Tensor[]) => hvp((y: Tensor) => f(y, ...rest), x, v);
        expectSameBits(
          [jit(h, { backend })(inputs[0], ...inputs.slice(1))],
          [h(inputs[0], ...inputs.slice(1))],
          "hvp",
          program,
        );
      },
    );
  });
});
