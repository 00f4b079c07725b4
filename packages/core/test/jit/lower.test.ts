/** jit(f).lower(...): the program as text names the primitives, their shapes and dtypes, and which were fused into which loop; the README shows it as printed. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { jit, type Tensor, tensor, valueAndGrad } from "@backprop/core";
import { describe, expect, it } from "vitest";

const loss = (W: Tensor, X: Tensor) => W.matmul(X).tanh().square().mean();
const W = tensor([[0.5, -0.25]]);
const X = tensor([
  [1, 2, 3],
  [0, 1, -1],
]);

describe("jit(f).lower", () => {
  const text = jit(valueAndGrad(loss)).lower(W, X);

  it("lists the arguments with dtype and shape, and the leaves read at each call", () => {
    expect(text).toContain("in  v0:f64(1,2)  argument 0");
    expect(text).toContain("in  v1:f64(2,3)  argument 1");
    expect(text).toMatch(/leaf \(closed over or made by f: read at each call, 1 when traced\)/);
    expect(text).toContain("= 3  (a count from the shapes)");
  });

  it("names each kernel and each fused loop with the primitives it runs", () => {
    expect(text).toContain("kernel v2:f64(1,3) = matmul v0 v1 {transA=false transB=false}");
    expect(text).toContain("fused loop over (1,3) (2 ops: tanh, mul)");
    expect(text).toContain("kernel v5:f64() = sum v4 {axes=[0,1] keepdims=false}");
    expect(text).toMatch(/fused loop over \(1,3\) \(7 ops: broadcastTo, mul, mul, add, mul, sub, mul\)/);
    expect(text).toContain("matmul v19 v1 {transA=false transB=true}");
    expect(text).toContain("out v8:f64(), v20:f64(1,2)");
    expect(text).toMatch(/^jit program \(codegen\): 16 primitives in 7 steps, \d+ buffers \(\d+ bytes\)/);
  });

  it("marks the values that stay in a loop's registers", () => {
    expect(text).toContain("v7:f64() = div v5 v6  (register)");
    expect(text).toContain("v19:f64(1,3) = mul v15 v18\n"); // stored: the product reads it
  });

  it("names the backend: codegen, or the interpreter", () => {
    expect(jit(loss, { backend: "interpret" }).lower(W, X).startsWith("jit program (interpreter)")).toBe(true);
    expect(jit(loss, { backend: "codegen" }).lower(W, X).startsWith("jit program (codegen)")).toBe(true);
  });

  it("float32 programs say f32", () => {
    expect(jit(loss).lower(W.astype("float32"), X.astype("float32"))).toContain("v3:f32(1,3) = tanh v2");
  });

  it("is the program the core README prints", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
    const start = readme.indexOf("jit program (codegen)");
    const printed = readme.slice(start, readme.indexOf("\n```", start));
    expect(printed).toBe(text);
  });
});
