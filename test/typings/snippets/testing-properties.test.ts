/** README snippet (checked by test/typings.test.ts), run as a vitest suite: the testing README's properties. */
// ---- the README block, verbatim:
import { test, fc } from "@fast-check/vitest";              // or: import fc from "fast-check"
import { relu } from "@backprop/core";
import { assertGradcheck, computationalGraph, expectClose, floatTensor, propertyParams } from "@backprop/testing";

// relu's gradient equals finite differences away from its kink at 0.
test.prop([floatTensor({ shape: { maxRank: 2 }, avoid: [0] })], propertyParams(100))("relu", (x) => {
  assertGradcheck((t) => relu(t), [x]);
});

// Autodiff on random DAGs of core ops (fan-out, broadcasting, reductions, matmul). A graph need not read every
// input, and gradcheck refuses an unused one unless told it is allowed.
test.prop([computationalGraph()], propertyParams(50))("gradcheck on random graphs", ({ f, inputs }) => {
  assertGradcheck(f, inputs, { allowUnused: true });
});
