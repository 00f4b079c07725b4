/** Without the wasm kernel products run in the TypeScript kernels; a WebAssembly that is there but refuses the module (a virtual-memory limit, no SIMD128) is reported once, an absent one (node --jitless) is not. */
import { afterEach, describe, expect, it, vi } from "vitest";

type Global = { WebAssembly?: unknown };
const original = (globalThis as Global).WebAssembly;

/** A fresh copy of the kernels (their module state starts at "unloaded") run under `api` as WebAssembly. */
async function kernelsUnder(api: unknown) {
  vi.resetModules();
  (globalThis as Global).WebAssembly = api;
  const gemm = await import("../../src/kernels/gemm.js");
  const wasm = await import("../../src/kernels/wasm/gemmWasm.js");
  return { ...gemm, ...wasm };
}

/** Runs a 20×30×40 float64 product (wasm-sized) and returns it with the warnings printed meanwhile. */
function productWithWarnings(gemm: (...args: never[]) => void): { out: Float64Array; warnings: string[] } {
  const warnings: string[] = [];
  const spy = vi.spyOn(console, "warn").mockImplementation((m: unknown) => void warnings.push(String(m)));
  try {
    const [m, n, k] = [20, 30, 40];
    const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const out = new Float64Array(m * n);
    const run = gemm as (tA: boolean, tB: boolean, m: number, n: number, k: number, ...arrays: Float64Array[]) => void;
    run(false, false, m, n, k, a, b, out);
    run(false, false, m, n, k, a, b, out); // a second product: still one warning
    return { out, warnings };
  } finally {
    spy.mockRestore();
  }
}

describe("products without the wasm kernel", () => {
  afterEach(() => {
    (globalThis as Global).WebAssembly = original;
    vi.resetModules();
  });

  it("a WebAssembly that cannot instantiate the module is reported once; the TypeScript kernels give the bits", async () => {
    const reference = await kernelsUnder(original);
    reference.setGemmBackend("js");
    const expected = productWithWarnings(reference.gemm).out;
    const refusing = {
      ...(original as object),
      Module: (original as { Module: unknown }).Module,
      Instance: function Instance() {
        throw new RangeError("WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance");
      },
    };
    const k = await kernelsUnder(refusing);
    const { out, warnings } = productWithWarnings(k.gemm);
    expect(k.wasmGemmAvailable()).toBe(false);
    expect(Array.from(out)).toEqual(Array.from(expected));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^backprop: the WebAssembly matrix-multiply kernel is unavailable here \(RangeError: WebAssembly\.Instance\(\): Out of memory.*\); products run in the TypeScript kernels/,
    );
    expect(warnings[0]).toMatch(/--disable-wasm-trap-handler/);
  });

  it("no WebAssembly at all (node --jitless, --no-expose-wasm) is silent", async () => {
    const k = await kernelsUnder(undefined);
    const { warnings } = productWithWarnings(k.gemm);
    expect(k.wasmGemmAvailable()).toBe(false);
    expect(warnings).toEqual([]);
  });
});
