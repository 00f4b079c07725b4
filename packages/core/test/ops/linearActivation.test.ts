/** linearActivation and linear's fused epilogue: the bits of matmul, add and the activation op, on every product path, and their graph. */
import {
  type DType,
  type GemmBackend,
  gradients,
  linear,
  linearActivation,
  matmul,
  nodeOf,
  randn,
  setGemmBackend,
  stopGemmWorker,
  type Tensor,
  tensor,
  ValueError,
} from "@backprop/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startGemmWorkerThread } from "../../src/node.js";

const activations = ["relu", "tanh", "sigmoid"] as const;
type Act = (typeof activations)[number];
const dtypes: DType[] = ["float64", "float32"];
// (n, k, m): the plain loops (24 multiply-adds), the wasm unpacked kernel, the wasm packed kernel with edge tiles.
const sizes = [
  [2, 3, 4],
  [7, 9, 11],
  [37, 70, 45],
] as const;
const backends: GemmBackend[] = ["auto", "js", "wasm"];

function separate(W: Tensor, X: Tensor, b: Tensor, act: Act): { Z: Tensor; A: Tensor } {
  const Z = matmul(W, X).add(b);
  return { Z, A: Z[act]() };
}

/** Values that test the activations' branches: large magnitudes, exact zeros and a NaN among ordinary draws. */
function operands(n: number, k: number, m: number, dtype: DType, seed: number) {
  const W = randn([n, k], seed).mul(4).astype(dtype);
  const X = randn([k, m], seed + 1).astype(dtype);
  W.data[0] = 300; // a |z| in the hundreds: sigmoid's and tanh's saturated branches
  W.data[W.size - 1] = 0;
  X.data[X.size - 1] = Number.NaN; // the last column of Z and A: NaN stays NaN
  return { W, X };
}

function biases(n: number, m: number, dtype: DType, seed: number): Tensor[] {
  return [randn([n, 1], seed), randn([1, m], seed + 1), randn([n, m], seed + 2), tensor(-0.25)].map((b) =>
    b.astype(dtype),
  );
}

const bits = (t: Tensor) => Array.from(t.data, (v) => (Number.isNaN(v) ? "NaN" : Object.is(v, -0) ? "-0" : v));

afterEach(() => setGemmBackend("auto"));

describe("linearActivation: Z and A bit for bit as matmul, add and the activation op", () => {
  for (const backend of backends) {
    for (const dtype of dtypes) {
      it.each(sizes.map((s) => [...s]))(`${backend} ${dtype}: (%i,%i)·(%i,·)`, (n, k, m) => {
        setGemmBackend(backend);
        const { W, X } = operands(n, k, m, dtype, n + k);
        for (const b of biases(n, m, dtype, m)) {
          const z = linear(W, X, b);
          for (const act of activations) {
            const want = separate(W, X, b, act);
            const got = linearActivation(W, X, b, act);
            expect(got.Z.dtype).toBe(dtype);
            expect(bits(got.Z)).toEqual(bits(want.Z));
            expect(bits(got.A)).toEqual(bits(want.A));
            expect(bits(z)).toEqual(bits(want.Z));
          }
        }
      });
    }
  }
});

describe("linearActivation's graph is linear then the activation", () => {
  it.each(activations)("%s: two nodes, and the gradients of the separate ops bit for bit", (act) => {
    const W = randn([6, 5], 1).requiresGrad_();
    const X = randn([5, 40], 2).requiresGrad_();
    const b = randn([6, 1], 3).requiresGrad_();
    const dA = randn([6, 40], 4);
    const { Z, A } = linearActivation(W, X, b, act);
    expect(nodeOf(A)?.op.name).toBe(act);
    expect(nodeOf(A)?.inputs[0]).toBe(Z);
    expect(nodeOf(Z)?.op.name).toBe("linear");
    const fused = gradients(A, [W, X, b], dA);
    const plain = gradients(separate(W, X, b, act).A, [W, X, b], dA);
    for (let i = 0; i < 3; i++) expect(bits(fused[i])).toEqual(bits(plain[i]));
  });

  it("rejects an activation it does not fuse, naming it", () => {
    const W = randn([2, 3], 1);
    const X = randn([3, 4], 2);
    expect(() => linearActivation(W, X, 0, "softmax" as Act)).toThrow(ValueError);
    expect(() => linearActivation(W, X, 0, "softmax" as Act)).toThrow(/linearActivation: .*got softmax/);
  });
});

describe("linearActivation with the GEMM worker (a product split over two threads)", () => {
  afterAll(() => stopGemmWorker());
  it("gives the separate ops' bits", async () => {
    expect(await startGemmWorkerThread()).toBe(true);
    for (const dtype of dtypes) {
      const { W, X } = operands(130, 140, 150, dtype, 5); // ≥ 128³ multiply-adds: split
      const b = randn([130, 1], 6).astype(dtype);
      const want = separate(W, X, b, "relu");
      const got = linearActivation(W, X, b, "relu");
      expect(bits(got.Z)).toEqual(bits(want.Z));
      expect(bits(got.A)).toEqual(bits(want.A));
    }
  });
});
