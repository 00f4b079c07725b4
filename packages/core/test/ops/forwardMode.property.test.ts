/** The op-spec table through forward mode: jvp = finite differences, ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩; grad of jvp, jvp of jvp and jvp of grad = finite differences. */
import { add, concat, flatten, grad, gradcheck, jvp, mul, noGrad, sum, type Tensor, tensor, vjp } from "@backprop/core";
import { primitives } from "@backprop/core/internal";
import { propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type OpCase, opSpecs } from "./opSpecs.js";

/**
 * Directions drawn uniformly from the multiples of 1/256 in [−1, 1]: spread over the range (not
 * fast-check's doubles, which cluster at 0), and exact in float32, so cast's case sees no rounding.
 */
function direction(shape: readonly number[]): fc.Arbitrary<Tensor> {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc
    .array(fc.integer({ min: -256, max: 256 }), { minLength: size, maxLength: size })
    .map((ks) => tensor(new Float64Array(ks.map((k) => k / 256)), { shape: [...shape] }));
}

/** A case with a tangent v per input and a cotangent u of the output's shape. */
interface DirectedCase extends OpCase {
  readonly vs: Tensor[];
  readonly u: Tensor;
}

function directed(cases: fc.Arbitrary<OpCase>): fc.Arbitrary<DirectedCase> {
  return cases.chain((c) => {
    const outShape = noGrad(() => c.f(...c.inputs)).shape;
    return fc
      .tuple(fc.tuple(...c.inputs.map((x) => direction(x.shape))), direction(outShape))
      .map(([vs, u]) => ({ ...c, vs, u }));
  });
}

/** (g(x + εv) − g(x − εv)) / 2ε for a tensor function g of several inputs. */
function centralDifference(g: (...xs: Tensor[]) => Tensor, xs: Tensor[], vs: Tensor[], eps: number): Tensor {
  return noGrad(() => {
    const plus = g(...xs.map((x, i) => add(x, mul(vs[i], eps))));
    const minus = g(...xs.map((x, i) => add(x, mul(vs[i], -eps))));
    return mul(add(plus, mul(minus, -1)), 1 / (2 * eps));
  });
}

/** Every element within atol + rtol·|expected| (gradcheck's criterion). */
function expectCloseElementwise(actual: Tensor, expected: Tensor, atol: number, rtol: number): void {
  expect(actual.shape).toEqual(expected.shape);
  for (let i = 0; i < expected.size; i++) {
    const [a, e] = [actual.data[i], expected.data[i]];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`element ${i}: ${a} vs finite differences ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

function dot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i];
  return s;
}

function absSum(a: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += Math.abs(a.data[i]);
  return s;
}

describe("every primitive's JVP rule", () => {
  it("exists for every primitive in the registry (each entry has a jvp and a jvpFormula)", () => {
    expect(Object.keys(opSpecs).sort()).toEqual(Object.keys(primitives).sort());
    for (const def of Object.values(primitives)) {
      expect(typeof def.jvp).toBe("function");
      expect(def.jvpFormula.length).toBeGreaterThan(0);
    }
  });

  for (const [name, spec] of Object.entries(opSpecs)) {
    const eps = spec.eps ?? 1e-6;
    test.prop([directed(spec.cases)], propertyParams(30))(
      `${name}: forward mode (jvp) equals central finite differences along v`,
      ({ inputs, f, vs }) => {
        const [, Jv] = jvp(f, inputs, vs);
        expectCloseElementwise(Jv, centralDifference(f, inputs, vs, eps), 1e-6, 1e-5);
      },
    );

    // The two pairings are one sum in two orders: equal up to rounding, ~1e-16 of the sum of the terms' sizes.
    test.prop([directed(spec.cases)], propertyParams(30))(
      `${name}: forward and reverse mode agree: ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩`,
      ({ inputs, f, vs, u }) => {
        const [, Jv] = jvp(f, inputs, vs);
        const [, pullback] = vjp(f, ...inputs);
        const JTu = pullback(u);
        const forward = dot(u, Jv);
        const reverse = JTu.reduce((acc, g, i) => acc + dot(g, vs[i]), 0);
        const scale =
          dot(u.abs(), Jv.abs()) +
          JTu.reduce((acc, g, i) => acc + dot(g.abs(), vs[i].abs()), 0) +
          absSum(u) * vs.reduce((acc, v) => acc + absSum(v), 0);
        expect(Math.abs(forward - reverse)).toBeLessThanOrEqual(1e-10 * scale + 1e-300);
      },
    );

    if (spec.secondOrder) {
      // Reverse over forward: the tangent x ↦ J(x)·v is itself differentiable (its rule's ops recorded).
      test.prop([directed(spec.cases)], propertyParams(30, 1 / 3))(
        `${name}: grad of jvp (the tangent J(x)·v as a function of x) equals finite differences`,
        ({ inputs, f, vs }) => {
          const tangent = (...xs: Tensor[]) => jvp(f, xs, vs)[1];
          // allowUnused: a linear op's tangent (add's ȧ + ḃ) does not depend on x at all.
          const options = { atol: 1e-5, rtol: 1e-4, eps: spec.eps, allowUnused: true };
          expect(gradcheck(tangent, inputs, options).passed).toBe(true);
        },
      );

      // Forward over forward: the tangent along v, differentiated along v again (a second jvp level).
      test.prop([directed(spec.cases)], propertyParams(30, 1 / 3))(
        `${name}: jvp of jvp equals finite differences of the jvp along v`,
        ({ inputs, f, vs }) => {
          const tangent = (...xs: Tensor[]) => jvp(f, xs, vs)[1];
          const [, second] = jvp(tangent, inputs, vs);
          expectCloseElementwise(second, centralDifference(tangent, inputs, vs, spec.eps ?? 1e-5), 1e-6, 1e-5);
        },
      );

      // h = ⟨u, f⟩ is scalar; ∇h stacks its gradients (flattened). jvp(∇h)(v) is H·v, forward over
      // reverse; the finite difference of ∇h along v has truncation ~ε² and rounding ~1e-16/ε.
      test.prop([directed(spec.cases)], propertyParams(30, 1 / 3))(
        `${name}: jvp of grad (H·v) equals finite differences of the gradient along v`,
        ({ inputs, f, vs, u: drawn }) => {
          // With a step of its own (cast's float32 round trip), u is coarsened to quarters so that the
          // gradient u ∗ x stays exact in float32 at x ± εv and the differences see no rounding.
          const u =
            spec.eps === undefined
              ? drawn
              : tensor(
                  drawn.data.map((w) => Math.round(4 * w) / 4),
                  drawn.shape,
                );
          const argnums = inputs.map((_, i) => i);
          const h = (...xs: Tensor[]) => sum(mul(f(...xs), u));
          const gradH = (...xs: Tensor[]) => concat(grad(h, { argnums })(...xs).map((g) => flatten(g)));
          const [, Hv] = jvp(gradH, inputs, vs);
          expectCloseElementwise(Hv, centralDifference(gradH, inputs, vs, spec.eps ?? 1e-5), 1e-6, 1e-5);
        },
      );
    }
  }
});
