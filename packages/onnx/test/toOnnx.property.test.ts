/** Property: random graphs from @backprop/testing, exported with gradients, give backprop's values and gradients in ONNX Runtime. */

import { toOnnx } from "@backprop/onnx";
import { computationalGraph, propertyParams } from "@backprop/testing";
import fc from "fast-check";
import { describe, it } from "vitest";
import { eager } from "./eager.js";
import { expectRelClose, runOrt } from "./ort.js";

describe("toOnnx on random computational graphs", () => {
  it("ONNX Runtime's output and grad_* outputs equal backprop's value and gradients (1e-12 relative)", async () => {
    await fc.assert(
      fc.asyncProperty(computationalGraph({ output: "scalar", maxNodes: 8 }), async ({ f, inputs }) => {
        const bytes = toOnnx(f, inputs, { gradients: "inputs" });
        const got = await runOrt(bytes, Object.fromEntries(inputs.map((x, i) => [`input_${i}`, x])));
        const want = eager(f, inputs, [], "inputs");
        // atol 1e-13: a gradient that cancels to rounding noise around 0 has no meaningful relative error.
        expectRelClose(got.output_0, want.outputs[0], 1e-12, 1e-13);
        for (const [i, g] of want.grads.entries()) expectRelClose(got[`grad_input_${i}`], g, 1e-12, 1e-13);
      }),
      propertyParams(25),
    );
  });
});
