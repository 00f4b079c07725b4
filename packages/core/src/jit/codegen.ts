/** jit's code generator: the plan as one JavaScript function (`new Function`), each fused loop specialised to its shapes and dtypes. */
import type { FloatArray } from "../kernels/floatArray.js";
import { elementwise, helpers } from "./elementwise.js";
import { broadcastRead, type KernelFn, kernelOf } from "./kernels.js";
import type { Plan, Value } from "./plan.js";

/** A compiled program: fills the plan's buffers from the arguments' and closed-over tensors' current data. */
export type Program = (args: readonly FloatArray[], leaves: readonly FloatArray[]) => void;

/** The array a stored value lives in, as generated code names it. */
function arrayName(v: Value): string {
  switch (v.storage.kind) {
    case "arg":
      return `a${v.storage.index}`;
    case "leaf":
      return `l${v.storage.index}`;
    case "buffer":
      return `b${v.storage.index}`;
    default:
      throw new Error(`jit: value ${v.id} has no array`);
  }
}

/** The source text of the program of `plan` and what it closes over (kernels, index maps, input lists). */
export function generate(plan: Plan): {
  source: string;
  kernels: KernelFn[];
  maps: Int32Array[];
  lists: FloatArray[][];
} {
  const { values, instructions } = plan;
  const kernels: KernelFn[] = [];
  const maps: Int32Array[] = [];
  const lists: FloatArray[][] = [];
  const functions: string[] = [];
  let lines: string[] = [];
  // Each step is its own function (so each stays small enough to be optimised), reading the arrays it uses.
  const used = new Set<string>();
  const name = (v: Value): string => {
    const n = arrayName(v);
    used.add(n);
    return n;
  };
  const finish = (): void => {
    const head = [...used].map((n) => `const ${n} = ${{ a: "A", l: "L", b: "B" }[n[0]]}[${n.slice(1)}];`);
    functions.push(`function step${functions.length}(A, L) {\n${[...head, ...lines].join("\n")}\n}`);
    lines = [];
    used.clear();
  };
  for (const step of plan.steps) {
    if (lines.length > 0) finish();
    if (step.kind === "kernel") {
      const ins = instructions[step.instruction];
      if (ins.op === "reshape") continue;
      const k = kernels.push(kernelOf(ins, values)) - 1;
      const l = lists.push(new Array<FloatArray>(ins.inputs.length)) - 1;
      const fills = ins.inputs.map((x, j) => `I${l}[${j}] = ${name(values[x])};`).join(" ");
      lines.push(`{ const I${l} = LISTS[${l}]; ${fills} K[${k}](${name(values[ins.output])}, I${l}); }`);
      continue;
    }
    const n = step.shape.reduce((a, b) => a * b, 1);
    const inGroup = new Set(step.body.map((i) => instructions[i].output));
    if (n <= UNROLL) {
      lines.push(...unrolled(plan, step.body, step.shape, n, inGroup, name));
      continue;
    }
    const hoisted: string[] = [];
    const reads = new Map<number, string>();
    const read = (x: number): string => {
      if (inGroup.has(x)) return `r${x}`;
      const known = reads.get(x);
      if (known !== undefined) return known;
      const v = values[x];
      const how = broadcastRead(v.shape, step.shape);
      let expr = `x${x}`;
      if (how === "full") {
        hoisted.push(`const x${x} = ${name(v)}[i];`);
      } else if (how === "scalar") {
        lines.push(`const s${x} = ${name(v)}[0];`);
        expr = `s${x}`;
      } else {
        const m = maps.push(how) - 1;
        lines.push(`const m${m} = M[${m}];`);
        hoisted.push(`const x${x} = ${name(v)}[m${m}[i]];`);
      }
      reads.set(x, expr);
      return expr;
    };
    const body: string[] = [];
    for (const i of step.body) {
      const ins = instructions[i];
      const args = ins.inputs.map(read);
      const out = values[ins.output];
      const expr = elementwise[ins.kind].expr(args);
      // float32 values are rounded when stored, as eager stores every op's result in a Float32Array.
      body.push(`const r${out.id} = ${out.dtype === "float32" ? `fr(${expr})` : expr};`);
      if (out.storage.kind === "buffer") body.push(`${name(out)}[i] = r${out.id};`);
    }
    lines.push(`for (let i = 0; i < ${n}; i++) {`, ...hoisted.map((l) => `  ${l}`), ...body.map((l) => `  ${l}`), "}");
  }
  if (lines.length > 0) finish();
  const calls = functions.map((_, i) => `  step${i}(A, L);`).join("\n");
  return { source: `${functions.join("\n")}\nreturn function jitProgram(A, L) {\n${calls}\n};`, kernels, maps, lists };
}

/**
 * Loops over at most this many elements are written out element by element (each instruction for every element in
 * turn), so the elements' dependency chains (a 1,000-op chain on a (4,1) tensor) run side by side.
 */
const UNROLL = 8;

/** A tiny loop written out: `r7_0 = …; r7_1 = …` for each instruction, inputs loaded once into constants. */
function unrolled(
  plan: Plan,
  body: readonly number[],
  shape: readonly number[],
  n: number,
  inGroup: ReadonlySet<number>,
  name: (v: Value) => string,
): string[] {
  const lines: string[] = [];
  const loaded = new Set<string>();
  const read = (x: number, e: number): string => {
    if (inGroup.has(x)) return `r${x}_${e}`;
    const v = plan.values[x];
    const how = broadcastRead(v.shape, shape);
    const index = how === "full" ? e : how === "scalar" ? 0 : how[e];
    const local = `x${x}_${index}`;
    if (!loaded.has(local)) {
      loaded.add(local);
      lines.push(`const ${local} = ${name(v)}[${index}];`);
    }
    return local;
  };
  for (const i of body) {
    const ins = plan.instructions[i];
    const out = plan.values[ins.output];
    for (let e = 0; e < n; e++) {
      const expr = elementwise[ins.kind].expr(ins.inputs.map((x) => read(x, e)));
      lines.push(`const r${out.id}_${e} = ${out.dtype === "float32" ? `fr(${expr})` : expr};`);
      if (out.storage.kind === "buffer") lines.push(`${name(out)}[${e}] = r${out.id}_${e};`);
    }
  }
  return lines;
}

/** Compiles `plan` with `new Function` (throws EvalError where a Content-Security-Policy forbids it). */
export function compile(plan: Plan): { program: Program; source: string } {
  const { source, kernels, maps, lists } = generate(plan);
  const factory = new Function("H", "K", "M", "B", "LISTS", "fr", `"use strict";\n${source}`) as (
    h: typeof helpers,
    k: KernelFn[],
    m: Int32Array[],
    b: FloatArray[],
    lists: FloatArray[][],
    fr: (x: number) => number,
  ) => Program;
  return { program: factory(helpers, kernels, maps, plan.buffers, lists, Math.fround), source };
}
