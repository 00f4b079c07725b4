/** Test helpers: run ONNX bytes in onnxruntime-node and compare its outputs with backprop's tensors. */
import { type Tensor, tensor } from "@backprop/core";
import * as ort from "onnxruntime-node";
import { expect } from "vitest";

/** Runs `bytes` in ONNX Runtime (CPU) on the given feeds; returns every output as a backprop tensor. */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const inputs: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    inputs[name] = new ort.Tensor(t.dtype, t.data.slice(), [...t.shape]);
  }
  const results = await session.run(inputs);
  const out: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(results)) {
    const data = value.data;
    if (!(data instanceof Float64Array || data instanceof Float32Array)) throw new Error(`${name}: ${value.type}`);
    out[name] = tensor(data, { shape: [...value.dims] });
  }
  await session.release();
  return out;
}

/**
 * The tolerance: every element of `actual` within `rtol` relative of `expected` (1e-12 for float64,
 * 1e-5 for float32); `atol` admits values that are rounding noise around 0.
 */
export function expectRelClose(actual: Tensor, expected: Tensor, rtol: number, atol = 0): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.data;
  const e = expected.data;
  let worst = 0;
  let at = -1;
  for (let i = 0; i < e.length; i++) {
    if (Object.is(a[i], e[i])) continue;
    const err = Math.abs(a[i] - e[i]) - atol;
    const rel = err <= 0 ? 0 : Number.isFinite(err) ? err / Math.abs(e[i]) : Number.POSITIVE_INFINITY;
    if (!(rel <= worst)) {
      worst = rel;
      at = i;
    }
  }
  expect(worst, `worst relative error at flat index ${at}: ${a[at]} vs ${e[at]}`).toBeLessThanOrEqual(rtol);
}
