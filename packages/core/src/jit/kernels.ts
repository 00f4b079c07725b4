/** jit's kernel steps (products, reductions, layout copies, the fused loss) through eager's own kernels, and broadcast index maps. */
import { binary } from "../kernels/binary.js";
import { type FloatArray, newFloatArray } from "../kernels/floatArray.js";
import { sigmoidCrossEntropyLoss } from "../kernels/fused.js";
import { gemm } from "../kernels/gemm.js";
import { gather, type ReduceKernel, reduce, scatter } from "../kernels/strided.js";
import { reduceStrides } from "../ops/reduce/sum.js";
import { broadcastStrides, sizeOf, stridesOf } from "../shape.js";
import type { Instruction, Value } from "./plan.js";

/** A kernel step at run time: writes `out` from its inputs' data (the instruction's inputs, in order). */
export type KernelFn = (out: FloatArray, inputs: readonly FloatArray[]) => void;

/**
 * The kernel of one instruction, specialised to its shapes: the same kernel functions eager's ops call, with the
 * same arguments, so the same bits. Reshape shares storage and runs nothing.
 */
export function kernelOf(ins: Instruction, values: readonly Value[]): KernelFn {
  const shapes = ins.inputs.map((x) => values[x].shape);
  const out = values[ins.output];
  const attrs = ins.attrs;
  switch (ins.op) {
    case "matmul": {
      const transA = attrs.transA === true;
      const transB = attrs.transB === true;
      const [a, b] = shapes;
      const m = transA ? a[1] : a[0];
      const k = transA ? a[0] : a[1];
      const n = transB ? b[0] : b[1];
      return (o, [x, y]) => gemm(transA, transB, m, n, k, x, y, o);
    }
    case "linear": {
      const [w, , b] = shapes;
      const shape = out.shape;
      const [n, m] = shape;
      const k = w[1];
      const outStrides = stridesOf(shape);
      const bStrides = broadcastStrides(b, shape);
      return (o, [W, X, bias]) => {
        gemm(false, false, n, m, k, W, X, o);
        binary("add", o, outStrides, bias, bStrides, shape, o);
      };
    }
    case "sum":
    case "max":
    case "min": {
      const kind = ins.op as ReduceKernel;
      const identity = kind === "sum" ? 0 : kind === "max" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      const xShape = shapes[0];
      const strides = reduceStrides(xShape, attrs.axes as number[]);
      return (o, [x]) => {
        o.fill(identity);
        reduce(kind, x, xShape, strides, o);
      };
    }
    case "transpose": {
      const strides = stridesOf(shapes[0]);
      const perm = (attrs.axes as number[]).map((a) => strides[a]);
      const shape = out.shape;
      return (o, [x]) => gather(x, 0, perm, shape, o);
    }
    case "slice": {
      const strides = stridesOf(shapes[0]);
      const offset = (attrs.starts as number[]).reduce((acc, s, i) => acc + s * strides[i], 0);
      const shape = out.shape;
      return (o, [x]) => gather(x, offset, strides, shape, o);
    }
    case "pad": {
      const strides = stridesOf(out.shape);
      const offset = (attrs.starts as number[]).reduce((acc, s, i) => acc + s * strides[i], 0);
      const xShape = shapes[0];
      return (o, [x]) => {
        o.fill(0);
        scatter(x, xShape, o, offset, strides);
      };
    }
    case "concat": {
      const axis = attrs.axis as number;
      const strides = stridesOf(out.shape);
      const offsets: number[] = [];
      let offset = 0;
      for (const s of shapes) {
        offsets.push(offset);
        offset += s[axis] * strides[axis];
      }
      return (o, xs) => {
        for (let i = 0; i < xs.length; i++) scatter(xs[i], shapes[i], o, offsets[i], strides);
      };
    }
    case "sigmoidCrossEntropy": {
      const scratch = newFloatArray("float64", out.size) as Float64Array; // e^(−|z|), eager keeps it for its backward
      return (o, [z, y]) => {
        sigmoidCrossEntropyLoss(z, y, scratch, o);
      };
    }
    case "reshape":
      return () => {};
    default:
      throw new Error(`jit: no kernel for ${ins.op}`);
  }
}

/**
 * How a loop over `loopShape` reads a value of shape `shape` broadcast to it: "full" (same size: the loop index),
 * "scalar" (one element), or the flat source index of each loop element.
 */
export function broadcastRead(shape: readonly number[], loopShape: readonly number[]): "full" | "scalar" | Int32Array {
  const size = sizeOf(shape);
  const n = sizeOf(loopShape);
  if (size === n) return "full";
  if (size === 1) return "scalar";
  // The broadcast read of the indices 0, 1, … is the index map: gather walks the broadcast once, at plan time.
  const indices = Float64Array.from({ length: size }, (_, i) => i);
  return Int32Array.from(gather(indices, 0, broadcastStrides(shape, loopShape), loopShape, new Float64Array(n)));
}
