/** A long training run holds bounded memory: wasm linear memory stays at its first steps' high-water mark, spare buffers under their bound. */
import { type DType, linear, linearActivation, noGrad, randn, type Tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";
import { spareBytesHeld } from "../../src/kernels/floatArray.js";
import { wasmMemoryBytes } from "../../src/kernels/wasm/gemmWasm.js";

/** One SGD step of a 96 → 64 relu → 10 softmax net, batch 48 (products large enough for the packed kernels). */
function trainer(dtype: DType) {
  const X = randn([96, 48], 1).astype(dtype);
  const Y = randn([10, 48], 2).astype(dtype).softmax(0);
  const params = [randn([64, 96], 3).mul(0.1), randn([64, 1], 4), randn([10, 64], 5).mul(0.1), randn([10, 1], 6)].map(
    (p) => p.astype(dtype).requiresGrad_(),
  );
  const [W1, b1, W2, b2] = params;
  return () => {
    const A1 = linearActivation(W1, X, b1, "relu").A;
    const J = Y.mul(linear(W2, A1, b2).logSoftmax(0))
      .sum()
      .mul(-1 / 48);
    J.backward();
    noGrad(() => {
      for (const p of params) {
        p.sub_(p.grad as Tensor, 0.1);
        p.grad = null;
      }
    });
    return J.item();
  };
}

describe("memory over a long run", () => {
  it("wasm linear memory does not grow after the first steps, and spare buffers stay under 16 MB (float64 then float32)", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const step = trainer(dtype);
      for (let i = 0; i < 3; i++) step();
      const wasmAfterWarmup = wasmMemoryBytes();
      let first = Number.NaN;
      let last = Number.NaN;
      for (let i = 0; i < 300; i++) {
        last = step();
        if (i === 0) first = last;
        expect(spareBytesHeld()).toBeLessThanOrEqual(16 * 1024 * 1024);
      }
      expect(wasmAfterWarmup).toBeGreaterThan(0); // the products ran in the wasm module
      expect(wasmMemoryBytes()).toBe(wasmAfterWarmup);
      expect(last).toBeLessThan(first); // it trained
    }
  });
});
