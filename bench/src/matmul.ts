/** The matmul workload: C = A·B for square n×n operands through each implementation, as GFLOP/s. */
import { type DType, type GemmBackend, matmul, RandomState, setGemmBackend, Tensor } from "@backprop/core";
import type { Contender } from "./harness.js";
import type { Tf, TfBackend } from "./tfjs.js";
import { useBackend } from "./tfjs.js";

/** Operands of one size: A and B standard normal, seeded. */
export interface MatmulData {
  readonly n: number;
  readonly A: Float64Array;
  readonly B: Float64Array;
}

/** Seeded square operands. */
export function matmulData(n: number): MatmulData {
  const rs = new RandomState(n);
  const A = new Float64Array(n * n);
  const B = new Float64Array(n * n);
  rs.fillStandardNormal(A);
  rs.fillStandardNormal(B);
  return { n, A, B };
}

/**
 * A check value that tells a wrong product from a right one: Σ |C_i|·(1 + i mod 7), position-weighted
 * so a transposed or shuffled result does not pass, and free of the cancellation a plain Σ C_i has.
 */
export function productChecksum(c: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < c.length; i++) s += Math.abs(c[i]) * (1 + (i % 7));
  return s;
}

/** Floating-point operations of one n×n×n product (a multiply and an add per term). */
export function gemmFlops(n: number): number {
  return 2 * n * n * n;
}

/** backprop's `matmul` op on tensors (no grad) with the gemm backend forced to `backend`. */
export function matmulCore(d: MatmulData, dtype: DType, backend: GemmBackend, reps: number): Contender {
  const data = (a: Float64Array) => (dtype === "float64" ? new Float64Array(a) : Float32Array.from(a));
  const A = new Tensor(data(d.A), [d.n, d.n]);
  const B = new Tensor(data(d.B), [d.n, d.n]);
  return {
    name: backend === "wasm" ? "backprop (wasm SIMD)" : "backprop (TypeScript)",
    dtype,
    run() {
      setGemmBackend(backend);
      try {
        let C = A;
        for (let r = 0; r < reps; r++) C = matmul(A, B);
        return productChecksum(C.data);
      } finally {
        setGemmBackend("auto");
      }
    },
  };
}

/** tf.matMul (float32) on one backend. */
export function matmulTf(tf: Tf, backend: TfBackend, d: MatmulData, reps: number, maxRepeats?: number): Contender {
  useBackend(tf, backend);
  const A = tf.tensor2d(Float32Array.from(d.A), [d.n, d.n]);
  const B = tf.tensor2d(Float32Array.from(d.B), [d.n, d.n]);
  return {
    name: `tfjs-${backend}`,
    dtype: "float32",
    maxRepeats,
    run() {
      useBackend(tf, backend);
      let check = Number.NaN;
      for (let r = 0; r < reps; r++) {
        const C = tf.matMul(A, B);
        const values = C.dataSync();
        if (r === reps - 1) check = productChecksum(values);
        C.dispose();
      }
      return check;
    },
    dispose() {
      A.dispose();
      B.dispose();
    },
  };
}
