/** jit's interpreter: runs the same plan without `new Function` (pages whose Content-Security-Policy forbids it), with the same bits. */
import { type FloatArray, newFloatArray } from "../kernels/floatArray.js";
import type { Program } from "./codegen.js";
import { elementwise } from "./elementwise.js";
import { broadcastRead, type KernelFn, kernelOf } from "./kernels.js";
import type { Plan } from "./plan.js";

/** How one elementwise instruction reads one input inside its loop. */
type Read = { readonly value: number; readonly how: "full" | "scalar" | Int32Array };

/**
 * The plan as a program of closures: each kernel step calls its kernel; each fused loop runs its instructions one at
 * a time over the whole loop, register values in scratch arrays of their dtype (so float32 results are rounded when
 * stored, as in eager and in the generated code).
 */
export function interpret(plan: Plan): Program {
  const { values, instructions } = plan;
  const scratch = new Map<number, FloatArray>();
  const run: ((arrays: FloatArray[]) => void)[] = [];
  for (const step of plan.steps) {
    if (step.kind === "kernel") {
      const ins = instructions[step.instruction];
      if (ins.op === "reshape") continue;
      const kernel: KernelFn = kernelOf(ins, values);
      const list = new Array<FloatArray>(ins.inputs.length);
      run.push((arrays) => {
        for (let j = 0; j < ins.inputs.length; j++) list[j] = arrays[ins.inputs[j]];
        kernel(arrays[ins.output], list);
      });
      continue;
    }
    const n = step.shape.reduce((a, b) => a * b, 1);
    for (const i of step.body) {
      const ins = instructions[i];
      const out = values[ins.output];
      if (out.storage.kind === "register") scratch.set(out.id, newFloatArray(out.dtype, out.size));
      const reads: Read[] = ins.inputs.map((x) => ({ value: x, how: broadcastRead(values[x].shape, step.shape) }));
      const fn = elementwise[ins.kind].fn;
      run.push((arrays) => {
        const o = arrays[ins.output];
        const ins0 = reads[0];
        const ins1 = reads[1];
        const ins2 = reads[2];
        const x = arrays[ins0.value];
        const y = ins1 ? arrays[ins1.value] : x;
        const z = ins2 ? arrays[ins2.value] : x;
        for (let e = 0; e < n; e++) {
          o[e] = fn(at(x, ins0.how, e), ins1 ? at(y, ins1.how, e) : 0, ins2 ? at(z, ins2.how, e) : 0);
        }
      });
    }
  }
  const arrays = new Array<FloatArray>(values.length);
  return (args, leaves) => {
    for (const v of values) {
      const s = v.storage;
      arrays[v.id] =
        s.kind === "arg"
          ? args[s.index]
          : s.kind === "leaf"
            ? leaves[s.index]
            : s.kind === "buffer"
              ? plan.buffers[s.index]
              : (scratch.get(v.id) as FloatArray);
    }
    for (const r of run) r(arrays);
  };
}

/** Element e of a loop read through `how`. */
function at(x: FloatArray, how: "full" | "scalar" | Int32Array, e: number): number {
  return how === "full" ? x[e] : how === "scalar" ? x[0] : x[how[e]];
}
