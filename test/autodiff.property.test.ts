/** Property 5: on random computational graphs, autodiff agrees with finite differences (first and second order), jvp agrees with vjp, and recorded (createGraph) backward paths agree with fused ones. */
import {
  grad,
  gradcheck,
  gradients,
  hvp,
  jvp,
  noGrad,
  sigmoidCrossEntropy,
  type Tensor,
  tensor,
  vjp,
} from "@backprop/core";
import {
  allGraphOpNames,
  assertGradcheck,
  assertGradgradcheck,
  computationalGraph,
  expectClose,
  floatTensor,
  type GraphCase,
  labels,
  propertyParams,
} from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

/** A case with one extra tensor per input (directions v) drawn for the inputs' shapes. */
function withDirections(graphs: fc.Arbitrary<GraphCase>): fc.Arbitrary<[GraphCase, Tensor[]]> {
  return graphs.chain((c) =>
    fc
      .tuple(...c.inputs.map((x) => floatTensor({ shape: x.shape, min: -1, max: 1 })))
      .map((vs): [GraphCase, Tensor[]] => [c, vs]),
  );
}

function dot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i];
  return s;
}

function absDot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += Math.abs(a.data[i] * b.data[i]);
  return s;
}

describe("random computational graphs", () => {
  test.prop([computationalGraph()], propertyParams(200))(
    "autodiff Jacobians equal central finite differences (gradcheck)",
    ({ f, inputs }) => {
      // A random graph may genuinely not depend on an input (e.g. one that only feeds a comparison).
      assertGradcheck(f, inputs, { allowUnused: true });
    },
  );

  test.prop([computationalGraph()], propertyParams(60, 0.3))(
    "second derivatives equal finite differences of the gradient (gradgradcheck)",
    ({ f, inputs }) => {
      assertGradgradcheck(f, inputs, { allowUnused: true });
    },
  );

  test.prop([withDirections(computationalGraph({ output: "scalar" }))], propertyParams(100, 0.5))(
    "Hessian-vector products (hvp) equal finite differences of gradients along v",
    ([{ f, inputs }, [v]]) => {
      const [x, ...rest] = inputs;
      const h = (y: Tensor) => f(y, ...rest);
      const Hv = hvp(h, x, v);
      const eps = 1e-5;
      const g = grad(h);
      const step = (sign: number) => noGrad(() => x.add(v.mul(sign * eps)));
      const fd = noGrad(() =>
        g(step(1))
          .sub(g(step(-1)))
          .div(2 * eps),
      );
      expectClose(Hv, fd, { rtol: 1e-5, atol: 1e-6, name: "H·v" });
    },
  );

  test.prop(
    [
      withDirections(computationalGraph()).chain(([c, vs]) =>
        floatTensor({ shape: c.outputShapes[0], min: -1, max: 1 }).map((u) => ({ c, vs, u })),
      ),
    ],
    propertyParams(100, 0.5),
  )("jvp agrees with vjp: ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩", ({ c, vs, u }) => {
    const [, Jv] = jvp(c.f, c.inputs, vs);
    const [, pullback] = vjp(c.f, ...c.inputs);
    const JTu = pullback(u);
    const left = dot(u, Jv);
    const right = JTu.reduce((s, g, i) => s + dot(g, vs[i]), 0);
    // Σ|terms| of both pairings, plus Σ|u|·Σ|v| for intermediate terms that cancel inside J (as in sub(x, x)).
    const l1 = (t: Tensor) => Array.from(t.data).reduce((s, x) => s + Math.abs(x), 0);
    const scale =
      absDot(u, Jv) + JTu.reduce((s, g, i) => s + absDot(g, vs[i]), 0) + l1(u) * vs.reduce((s, v) => s + l1(v), 0);
    expectClose(tensor(left), tensor(right), { rtol: 1e-10, atol: 1e-300, scale, name: "⟨u, Jv⟩ vs ⟨Jᵀu, v⟩" });
  });
});

describe("recorded and fused backward paths", () => {
  // Rules take a fused, unrecorded path for plain backward and a recorded one under createGraph (needed for
  // second order); gradgradcheck only sees the recorded path's derivative, so compare the two paths' values.
  test.prop([computationalGraph({ ops: allGraphOpNames })], propertyParams(100, 0.5))(
    "gradients with createGraph equal gradients without (graphs with every primitive, kinked and cast ones too)",
    ({ f, inputs }) => {
      const leaves = () => inputs.map((x) => x.detach().requiresGrad_());
      const run = (createGraph: boolean) => {
        const xs = leaves();
        const out = f(...xs);
        if (!out.requiresGrad) return null;
        const seed = noGrad(() => out.mul(0).add(1));
        return gradients(out, xs, seed, { createGraph });
      };
      const plain = run(false);
      const recorded = run(true);
      plain?.forEach((g, i) => {
        expectClose(recorded![i], g, {
          rtol: 1e-12,
          atol: 1e-300,
          scale: noGrad(() => g.abs().add(1)),
          name: `∂/∂x${i}`,
        });
      });
    },
  );

  test.prop(
    [
      floatTensor({ shape: { minRank: 2, maxRank: 2, maxDim: 4 }, min: -4, max: 4 }).chain((z) =>
        labels(z.shape[1], z.shape[0]).map((y) => ({ z, y })),
      ),
    ],
    propertyParams(60, 0.5),
  )("sigmoidCrossEntropy with constant labels: second derivatives (the usual case: Y needs no grad)", ({ z, y }) => {
    assertGradgradcheck((t) => sigmoidCrossEntropy(t, y).mean(), [z]);
  });
});

describe("gradcheck itself", () => {
  it("sees the identity's Jacobian even when f returns its input unchanged", () => {
    const x = tensor([[0.5, -1]]);
    expect(gradcheck((y) => y, [x]).passed).toBe(true);
    expect(gradcheck((y) => y.broadcastTo([1, 2]), [x]).passed).toBe(true);
  });
});
