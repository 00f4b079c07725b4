import { broadcastShapes, customOp, grad, graphOf, noGrad, type Tensor } from "@backprop/core";
import { primitives } from "@backprop/core/internal";
import {
  allGraphOpNames,
  assertGradcheck,
  computationalGraph,
  graphOpNames,
  kinkedGraphOpNames,
  propertyParams,
} from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

describe("computationalGraph()", () => {
  test.prop([computationalGraph()], propertyParams(100))("outputs have the reported shape and stay finite", (c) => {
    const out = noGrad(() => c.f(...c.inputs));
    expect(out.shape).toEqual(c.outputShapes[0]);
    for (const v of out.data) expect(Number.isFinite(v)).toBe(true);
    // Every input broadcasts to the base shape of the graph.
    expect(() => c.inputs.reduce<readonly number[]>((s, x) => broadcastShapes("test", s, x.shape), [])).not.toThrow();
  });

  test.prop([computationalGraph({ output: "scalar", functions: 2, maxInputs: 2 })], propertyParams(100))(
    "scalar output, several functions over the same inputs",
    (c) => {
      expect(c.functions).toHaveLength(2);
      expect(c.f).toBe(c.functions[0]);
      for (const f of c.functions) expect(noGrad(() => f(...c.inputs)).shape).toEqual([]);
      expect(c.inputs.length).toBeLessThanOrEqual(2);
    },
  );

  it("draws every op, fan-out (a node read twice) and squashing", () => {
    const cases = fc.sample(computationalGraph({ maxNodes: 8 }), { numRuns: 400, seed: 5 });
    const text = cases.flatMap((c) => c.programs.flat()).join("\n");
    for (const op of graphOpNames) {
      const pattern = {
        scale: /= -?[\d.]+ ∗ /,
        div: / \/ \(1 \+ /,
        matmul: /ᵀ · /,
        reshape: /reshape\(reshape/,
        pow: /= \(1 \+ \w+²\)\^/,
        slice: /= pad\(slice\(/,
      }[op as string];
      expect(text, op).toMatch(pattern ?? new RegExp(`= (${op})\\(`));
    }
    expect(text).toMatch(/·tanh\(/); // squashed nodes
    const fanOut = cases.some((c) =>
      c.programs[0].some((line) => {
        const names = line.split("=")[1].match(/[xt]\d+/g) ?? [];
        return new Set(names).size < names.length;
      }),
    );
    expect(fanOut).toBe(true);
  });

  it("draws the kinked ops (relu, abs, maximum, minimum, max, min) and cast only when asked", () => {
    const kinked = /= (relu|abs|maximum|minimum|max|min|cast)\(/;
    const programs = (ops?: typeof graphOpNames) =>
      fc
        .sample(computationalGraph({ ops }), { numRuns: 200, seed: 3 })
        .flatMap((c) => c.programs.flat())
        .join("\n");
    expect(programs()).not.toMatch(kinked);
    const withKinks = programs([...graphOpNames, ...kinkedGraphOpNames]);
    for (const op of kinkedGraphOpNames) expect(withKinks).toMatch(new RegExp(`= ${op}\\(`));
  });

  it("uses every primitive of core's registry (default, kinked and lossy ops together)", () => {
    const used = new Set<string>();
    for (const c of fc.sample(computationalGraph({ ops: allGraphOpNames, maxNodes: 8 }), { numRuns: 300, seed: 8 })) {
      const xs = c.inputs.map((x) => x.detach().requiresGrad_());
      for (const node of graphOf(c.f(...xs)).nodes) if (node.op !== null) used.add(node.op);
    }
    // compare, sign, size and stopGradient are recorded only while tracing (withTracing, for ONNX export): no
    // gradient flows through them, so a computational graph never holds them.
    const traceOnly = new Set(["compare", "sign", "size", "stopGradient"]);
    expect([...used].sort()).toEqual(
      Object.keys(primitives)
        .filter((name) => !traceOnly.has(name))
        .sort(),
    );
    // The smooth default set alone misses only the kinked ops and cast.
    const smooth = new Set<string>();
    for (const c of fc.sample(computationalGraph({ maxNodes: 8 }), { numRuns: 300, seed: 8 })) {
      const xs = c.inputs.map((x) => x.detach().requiresGrad_());
      for (const node of graphOf(c.f(...xs)).nodes) if (node.op !== null) smooth.add(node.op);
    }
    const missing = Object.keys(primitives).filter((op) => !smooth.has(op) && !traceOnly.has(op));
    expect(missing.sort()).toEqual(["abs", "cast", "max", "maximum", "min", "minimum", "relu"]);
  });

  it("prints the program and the inputs in counterexamples", () => {
    const [c] = fc.sample(computationalGraph({ output: "scalar" }), { numRuns: 1, seed: 2 });
    const printed = fc.stringify(c);
    expect(printed).toMatch(/^x0 = tensor\(/);
    expect(printed).toMatch(/f0:\n {2}t\d+ = /);
    expect(printed).toMatch(/out = sum\(t\d+ ∗ w\)/);
  });

  it("takes fixed input shapes (to compose graphs) and rejects bad ones", () => {
    for (const c of fc.sample(computationalGraph({ inputShapes: [[2, 3], [3]] }), 20)) {
      expect(c.inputs.map((x) => x.shape)).toEqual([[2, 3], [3]]);
    }
    expect(() => computationalGraph({ inputShapes: [[2, 3, 4]] })).toThrow(/rank ≤ 2/);
    expect(() => computationalGraph({ inputShapes: [[2], [3]] })).toThrow(/do not broadcast/);
    expect(() => computationalGraph({ ops: [] })).toThrow(/ops must not be empty/);
  });

  it("a wrong backward rule inside a graph shrinks to a tiny graph over tiny inputs", () => {
    const badSquare = customOp({
      name: "badSquare",
      forward: (x) => x.mul(x),
      backward: (g, { inputs: [x] }) => [g.mul(x)], // should be 2x
    });
    const out = fc.check(
      fc.property(computationalGraph({ output: "scalar" }), (c) => {
        const h = (...xs: Tensor[]) => c.f(...xs.map((x) => badSquare(x).add(x)));
        try {
          assertGradcheck(h, c.inputs);
          return true;
        } catch {
          return false;
        }
      }),
      { seed: 9 },
    );
    expect(out.failed).toBe(true);
    const c = out.counterexample![0];
    const elements = c.inputs.reduce((n, x) => n + x.size, 0);
    expect(elements).toBeLessThanOrEqual(2);
    expect(c.programs[0].length).toBeLessThanOrEqual(2);
    // And the gradient really differs there.
    expect(grad((x: Tensor) => badSquare(x).sum())(c.inputs[0]).data[0]).not.toBe(2 * c.inputs[0].data[0] || 1);
  });
});
