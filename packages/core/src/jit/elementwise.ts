/** jit's elementwise primitives: each as a JavaScript expression (codegen) and a function (interpreter), with eager's exact operations. */
import type { BinaryKernel } from "../kernels/binary.js";
import { max2, min2, pow2 } from "../kernels/loops/binary.js";
import { stableSigmoid } from "../kernels/sigmoid.js";

/**
 * The helpers generated code calls, passed to `new Function` by name: the very functions eager's kernels use
 * (`stableSigmoid`; numpy's maximum, minimum and power from kernels/loops/binary.ts).
 */
export const helpers = {
  stableSigmoid,
  max2,
  min2,
  pow2,
  /** sign with sign(±0) = 0 and NaN kept, as kernels/unary.ts computes it. */
  sign: (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : Number.NaN),
  /** relu as kernels/unary.ts computes it (NaN stays NaN). */
  relu: (v: number): number => (v > 0 ? v : v === v ? 0 : v),
  /** log σ(v) as kernels/unary.ts computes it. */
  logSigmoid: (v: number): number => Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v))),
};

/** One elementwise primitive: its arity, its expression over argument expressions, and the same as a function. */
export interface ElementwiseDef {
  readonly arity: 1 | 2 | 3;
  readonly expr: (args: readonly string[]) => string;
  readonly fn: (a: number, b: number, c: number) => number;
}

const unary = (expr: (a: string) => string, fn: (a: number) => number): ElementwiseDef => ({
  arity: 1,
  expr: ([a]) => expr(a),
  fn: (a) => fn(a),
});

const binary = (expr: (a: string, b: string) => string, fn: (a: number, b: number) => number): ElementwiseDef => ({
  arity: 2,
  expr: ([a, b]) => expr(a, b),
  fn: (a, b) => fn(a, b),
});

/** Each elementwise primitive (by the name jit's plan gives it) as eager's kernels compute it. */
export const elementwise: Readonly<Record<string, ElementwiseDef>> = {
  identity: unary(
    (a) => a,
    (a) => a,
  ),
  neg: unary(
    (a) => `-${a}`,
    (a) => -a,
  ),
  exp: unary(
    (a) => `Math.exp(${a})`,
    (a) => Math.exp(a),
  ),
  log: unary(
    (a) => `Math.log(${a})`,
    (a) => Math.log(a),
  ),
  sqrt: unary(
    (a) => `Math.sqrt(${a})`,
    (a) => Math.sqrt(a),
  ),
  abs: unary(
    (a) => `Math.abs(${a})`,
    (a) => Math.abs(a),
  ),
  tanh: unary(
    (a) => `Math.tanh(${a})`,
    (a) => Math.tanh(a),
  ),
  sign: unary((a) => `H.sign(${a})`, helpers.sign),
  sigmoid: unary((a) => `H.stableSigmoid(${a})`, stableSigmoid),
  relu: unary((a) => `H.relu(${a})`, helpers.relu),
  logSigmoid: unary((a) => `H.logSigmoid(${a})`, helpers.logSigmoid),
  add: binary(
    (a, b) => `${a} + ${b}`,
    (a, b) => a + b,
  ),
  sub: binary(
    (a, b) => `${a} - ${b}`,
    (a, b) => a - b,
  ),
  mul: binary(
    (a, b) => `${a} * ${b}`,
    (a, b) => a * b,
  ),
  div: binary(
    (a, b) => `${a} / ${b}`,
    (a, b) => a / b,
  ),
  pow: binary((a, b) => `H.pow2(${a}, ${b})`, helpers.pow2),
  maximum: binary((a, b) => `H.max2(${a}, ${b})`, helpers.max2),
  minimum: binary((a, b) => `H.min2(${a}, ${b})`, helpers.min2),
  greater: binary(
    (a, b) => `(${a} > ${b} ? 1 : 0)`,
    (a, b) => (a > b ? 1 : 0),
  ),
  greaterEqual: binary(
    (a, b) => `(${a} >= ${b} ? 1 : 0)`,
    (a, b) => (a >= b ? 1 : 0),
  ),
  less: binary(
    (a, b) => `(${a} < ${b} ? 1 : 0)`,
    (a, b) => (a < b ? 1 : 0),
  ),
  lessEqual: binary(
    (a, b) => `(${a} <= ${b} ? 1 : 0)`,
    (a, b) => (a <= b ? 1 : 0),
  ),
  equal: binary(
    (a, b) => `(${a} === ${b} ? 1 : 0)`,
    (a, b) => (a === b ? 1 : 0),
  ),
  notEqual: binary(
    (a, b) => `(${a} !== ${b} ? 1 : 0)`,
    (a, b) => (a !== b ? 1 : 0),
  ),
  where: {
    arity: 3,
    expr: ([c, a, b]) => `(${c} !== 0 ? ${a} : ${b})`,
    fn: (c, a, b) => (c !== 0 ? a : b),
  },
} satisfies Record<Exclude<BinaryKernel, never> | string, ElementwiseDef>;
