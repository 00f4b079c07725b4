/** Property 6: metamorphic laws of gradients on random graphs: linearity, the chain rule, broadcasting, sums. */
import { grad, noGrad, type Tensor, tensor, vjp } from "@backprop/core";
import {
  computationalGraph,
  expectClose,
  floatTensor,
  floatValue,
  type GraphCase,
  graphOpNames,
  kinkedGraphOpNames,
  propertyParams,
} from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe } from "vitest";

const rtol = 1e-12;
const atol = 1e-300;

/** Gradients of a scalar f with respect to every input. */
function gradsOf(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): Tensor[] {
  return grad(f, { argnums: inputs.map((_, i) => i) })(...inputs);
}

/**
 * Σ_k |c_k|·(|g_k| + 1) elementwise: the scale of a linear combination of gradients. The + 1 stands for
 * the intermediate gradients that backward sums along fan-out paths, which may cancel (sub(x, x) has
 * gradient exactly 0 built from ±1 terms); graph values are bounded (squash at 3), so those are O(1)–O(100)
 * and rtol 1e-12 still leaves a 10⁴ margin over rounding while any wrong rule misses by O(1).
 */
function magnitude(terms: [number, Tensor][]): Tensor {
  return noGrad(() => terms.map(([c, g]) => g.abs().add(1).mul(Math.abs(c))).reduce((a, b) => a.add(b)));
}

const coefficient = floatValue({ min: -3, max: 3, include: [0, 1, -1] });

/** Smooth and kinked ops: autodiff is compared with itself at the same points, so ties resolve alike (cast's float32 rounding would not). */
const exactOps = [...graphOpNames, ...kinkedGraphOpNames];

describe("metamorphic laws", () => {
  test.prop(
    [computationalGraph({ output: "scalar", functions: 2, ops: exactOps }), coefficient, coefficient],
    propertyParams(100, 0.5),
  )("linearity: ∇(a f + b g) = a ∇f + b ∇g", (c, a, b) => {
    const [f, g] = c.functions;
    const combined = gradsOf(
      (...xs) =>
        f(...xs)
          .mul(a)
          .add(g(...xs).mul(b)),
      c.inputs,
    );
    const gf = gradsOf(f, c.inputs);
    const gg = gradsOf(g, c.inputs);
    combined.forEach((d, i) => {
      const expected = noGrad(() => gf[i].mul(a).add(gg[i].mul(b)));
      const scale = magnitude([
        [a, gf[i]],
        [b, gg[i]],
      ]);
      expectClose(d, expected, { rtol, atol, scale, name: `∂/∂x${i}` });
    });
  });

  test.prop(
    [
      computationalGraph({ ops: exactOps }).chain((inner) =>
        computationalGraph({ inputShapes: inner.outputShapes, output: "scalar", ops: exactOps }).map(
          (outer): [GraphCase, GraphCase] => [inner, outer],
        ),
      ),
    ],
    propertyParams(100, 0.5),
  )("chain rule: ∇(outer ∘ inner) = Jᵀ_inner · ∇outer(inner(x))", ([inner, outer]) => {
    const composite = gradsOf((...xs) => outer.f(inner.f(...xs)), inner.inputs);
    const [y, pullback] = vjp(inner.f, ...inner.inputs);
    const viaPullback = pullback(grad(outer.f)(y));
    composite.forEach((d, i) => {
      const scale = magnitude([[1, viaPullback[i]]]);
      expectClose(d, viaPullback[i], { rtol, atol, scale, name: `∂/∂x${i}` });
    });
  });

  test.prop(
    [
      fc
        .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
        .chain(([r, c]) =>
          fc.tuple(
            computationalGraph({ inputShapes: [[r, c]], output: "scalar" }),
            fc.constantFrom([r, 1], [1, c], [c], [], [1, 1]),
          ),
        )
        .chain(([graph, small]) => floatTensor({ shape: small, min: -2, max: 2 }).map((y) => ({ graph, y }))),
    ],
    propertyParams(100, 0.5),
  )(
    "broadcasting: the gradient of a broadcast input is the full gradient summed over the broadcast axes",
    ({ graph, y }) => {
      const full = graph.inputs[0].shape;
      const g = grad((t: Tensor) => graph.f(t.broadcastTo(full)))(y);
      const gFull = grad(graph.f)(noGrad(() => y.broadcastTo(full)));
      // Sum by hand (independent of core's reductions): full index (i, j) lands on the small index.
      const [r, c] = full;
      const padded = [...Array(2 - y.rank).fill(1), ...y.shape];
      const sums = new Float64Array(y.size);
      const mags = new Float64Array(y.size);
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < c; j++) {
          const k = (padded[0] === 1 ? 0 : i) * padded[1] + (padded[1] === 1 ? 0 : j);
          sums[k] += gFull.data[i * c + j];
          mags[k] += Math.abs(gFull.data[i * c + j]);
        }
      }
      const shape = [...y.shape];
      const scale = magnitude([[1, tensor(mags, { shape })]]);
      expectClose(g, tensor(sums, { shape }), { rtol, atol, scale, name: "∂/∂y" });
    },
  );

  test.prop([computationalGraph({ output: "scalar", functions: 3, ops: exactOps })], propertyParams(100, 0.5))(
    "sums: ∇Σ_k f_k = Σ_k ∇f_k, and backward() accumulates gradients into .grad",
    (c) => {
      const total = gradsOf((...xs) => c.functions.map((f) => f(...xs)).reduce((a, b) => a.add(b)), c.inputs);
      const each = c.functions.map((f) => gradsOf(f, c.inputs));
      total.forEach((d, i) => {
        const terms = each.map((g): [number, Tensor] => [1, g[i]]);
        const expected = noGrad(() => terms.map(([, g]) => g).reduce((a, b) => a.add(b)));
        expectClose(d, expected, { rtol, atol, scale: magnitude(terms), name: `∂/∂x${i}` });
      });
      // Accumulation: two backward passes into the same leaves add up.
      const leaves = c.inputs.map((x) => x.detach().requiresGrad_());
      c.functions[0](...leaves).backward();
      c.functions[1](...leaves).backward();
      leaves.forEach((x, i) => {
        const expected = noGrad(() => each[0][i].add(each[1][i]));
        const scale = magnitude([
          [1, each[0][i]],
          [1, each[1][i]],
        ]);
        expectClose(x.grad ?? noGrad(() => x.mul(0)), expected, { rtol, atol, scale, name: `x${i}.grad` });
      });
    },
  );
});
