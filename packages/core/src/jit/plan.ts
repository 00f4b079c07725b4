/** jit's plan: the traced graph as values and primitives in order, elementwise chains fused into loops, every buffer planned. */
import type { GraphNode } from "../autodiff/node.js";
import { JitError } from "../errors.js";
import type { DType, FloatArray } from "../kernels/floatArray.js";
import { newFloatArray } from "../kernels/floatArray.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";

/** Where a value lives at run time: an argument's data, a closed-over tensor's data, a planned buffer, or a fused loop's register. */
export type Storage =
  | { readonly kind: "arg"; readonly index: number }
  | { readonly kind: "leaf"; readonly index: number }
  | { readonly kind: "buffer"; readonly index: number }
  | { readonly kind: "register" };

/** One value of the program (a tensor of the trace). */
export interface Value {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  storage: Storage;
  /** The instruction that computes it (-1 for arguments and closed-over tensors). */
  producer: number;
}

/** One primitive applied: `op` is the primitive's name, `kind` the elementwise function or kernel jit runs. */
export interface Instruction {
  readonly index: number;
  readonly op: string;
  readonly kind: string;
  readonly inputs: readonly number[];
  readonly output: number;
  readonly attrs: Readonly<Record<string, unknown>>;
  /** The fused loop it belongs to (-1 for kernels). */
  group: number;
}

/** A step of the program: one fused loop over `shape`, or one kernel instruction. */
export type Step =
  | { readonly kind: "loop"; readonly group: number; readonly shape: readonly number[]; readonly body: number[] }
  | { readonly kind: "kernel"; readonly instruction: number };

/** The whole program of one signature. */
export interface Plan {
  readonly values: Value[];
  readonly instructions: Instruction[];
  readonly steps: Step[];
  /** The closed-over tensors, read at every call (`leaf` storage indexes them). */
  readonly leaves: Tensor[];
  /** Planned buffers, allocated once (constants such as mean's count are filled at planning). */
  readonly buffers: FloatArray[];
  /** The value of each output tensor, in the order of the flattened result. */
  readonly outputs: number[];
  readonly argCount: number;
}

/** Primitives computed elementwise over their output's shape (inputs read through broadcasting). */
const ELEMENTWISE = new Set([
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "neg",
  "exp",
  "log",
  "sqrt",
  "abs",
  "tanh",
  "sigmoid",
  "relu",
  "logSigmoid",
  "sign",
  "compare",
  "where",
  "cast",
  "stopGradient",
  "broadcastTo",
]);

/** Primitives run as kernels (the same kernels as eager). */
const KERNELS = new Set([
  "matmul",
  "linear",
  "sum",
  "max",
  "min",
  "transpose",
  "slice",
  "pad",
  "concat",
  "reshape",
  "sigmoidCrossEntropy",
  "size",
]);

/** The elementwise function an elementwise node computes. */
function kindOf(node: GraphNode): string {
  const name = node.op.name;
  if (name === "compare") return (node.attrs as { kind: string }).kind;
  // A cast rounds to float32 (or widens, exactly) by storing in its output's dtype, as every instruction does.
  if (name === "stopGradient" || name === "broadcastTo" || name === "cast") return "identity";
  return name;
}

/** The inputs a node reads: its recorded inputs, and where's mask (kept in its attrs) first. */
function inputsOf(node: GraphNode): readonly Tensor[] {
  if (node.op.name === "where") return [(node.attrs as { cond: Tensor }).cond, ...node.inputs];
  return node.op.name === "size" ? [] : node.inputs; // a count reads only its input's shape
}

/** The nodes reaching `outputs`, inputs before the tensors computed from them (an iterative DFS). */
function topological(outputs: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const state = new Map<Tensor, number>(); // 1: on the stack, 2: done
  for (const root of outputs) {
    const stack: [Tensor, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [t, next] = top;
      if (next === 0) {
        if (state.get(t) === 2) {
          stack.pop();
          continue;
        }
        state.set(t, 1);
      }
      const inputs = t._node ? inputsOf(t._node) : [];
      if (next < inputs.length) {
        top[1]++;
        const x = inputs[next];
        if (!state.has(x)) stack.push([x, 0]);
        continue;
      }
      stack.pop();
      state.set(t, 2);
      order.push(t);
    }
  }
  return order;
}

/** The plan of a traced call: `args` are the placeholders f was called with, `outputs` what it returned. */
export function buildPlan(args: readonly Tensor[], outputs: readonly Tensor[]): Plan {
  const argOf = new Map<FloatArray, number>();
  args.forEach((a, i) => {
    argOf.set(a._data, i);
  });
  const values: Value[] = [];
  const instructions: Instruction[] = [];
  const leaves: Tensor[] = [];
  const buffers: FloatArray[] = [];
  const idOf = new Map<Tensor, number>();
  const newValue = (t: Tensor, storage: Storage, producer: number): number => {
    const id = values.length;
    values.push({ id, shape: t.shape.slice(), dtype: t.dtype, size: t.size, storage, producer });
    idOf.set(t, id);
    return id;
  };
  for (const t of topological(outputs)) {
    const node = t._node;
    const arg = argOf.get(t._data);
    if (node === null) {
      // A leaf: an argument (transforms wrap arguments in fresh tensors sharing their data), or a closed-over tensor.
      if (arg !== undefined) newValue(t, { kind: "arg", index: arg }, -1);
      else newValue(t, { kind: "leaf", index: leaves.push(t) - 1 }, -1);
      continue;
    }
    const name = node.op.name;
    if (!ELEMENTWISE.has(name) && !KERNELS.has(name)) {
      throw new JitError(
        "jit",
        `cannot compile the ${node.label} op (${name === "custom" ? "a custom op: its forward is opaque to the trace" : "not supported"}); call the function without jit`,
      );
    }
    const inputs = inputsOf(node).map((x) => idOf.get(x) as number);
    const index = instructions.length;
    const out = newValue(t, { kind: "register" }, index);
    const attrs: Record<string, unknown> = { ...(node.attrs as Record<string, unknown> | undefined) };
    delete attrs.cond;
    delete attrs.expNegAbs;
    if (name === "size") {
      // mean's count: known from the shapes of this signature, a constant buffer.
      const buf = newFloatArray(t.dtype, 1);
      buf[0] = t._data[0];
      values[out].storage = { kind: "buffer", index: buffers.push(buf) - 1 };
      values[out].producer = -1;
      continue;
    }
    instructions.push({
      index,
      op: name,
      kind: ELEMENTWISE.has(name) ? kindOf(node) : name,
      inputs,
      output: out,
      attrs,
      group: -1,
    });
  }
  const outputIds = outputs.map((t) => idOf.get(t) as number);
  const steps = schedule(values, instructions);
  planStorage(values, instructions, steps, outputIds, buffers);
  return { values, instructions, steps, leaves, buffers, outputs: outputIds, argCount: args.length };
}

/**
 * The most instructions one loop runs: a longer chain is cut into loops of this many (the values crossing a cut are
 * stored), so each generated function stays small enough for V8's optimising compiler.
 */
export const MAX_LOOP_BODY = 160;

/**
 * Orders the instructions into steps, fusing elementwise instructions of one output shape into one loop: a loop stays
 * open while its values are only read by elementwise instructions of its shape, and is emitted (closed) just before
 * anything else reads one of them, so every step reads only values computed by earlier steps.
 */
function schedule(values: Value[], instructions: Instruction[]): Step[] {
  const steps: Step[] = [];
  const open = new Map<string, { group: number; shape: readonly number[]; body: number[] }>();
  const groupOpen = new Map<number, string>();
  let groups = 0;
  const close = (group: number): void => {
    const key = groupOpen.get(group);
    if (key === undefined) return;
    const g = open.get(key);
    if (g === undefined) return;
    steps.push({ kind: "loop", group: g.group, shape: g.shape, body: g.body });
    open.delete(key);
    groupOpen.delete(group);
  };
  const groupOfValue = (id: number): number => {
    const p = values[id].producer;
    return p < 0 ? -1 : instructions[p].group;
  };
  for (const ins of instructions) {
    const shape = values[ins.output].shape;
    const key = shape.join(",");
    if (!ELEMENTWISE.has(ins.op)) {
      for (const x of ins.inputs) close(groupOfValue(x));
      steps.push({ kind: "kernel", instruction: ins.index });
      continue;
    }
    const current = open.get(key);
    for (const x of ins.inputs) {
      const g = groupOfValue(x);
      if (g < 0 || (current !== undefined && g === current.group && shapesEqual(values[x].shape, shape))) continue;
      close(g);
    }
    let g = open.get(key);
    if (g === undefined) {
      g = { group: groups++, shape, body: [] };
      open.set(key, g);
      groupOpen.set(g.group, key);
    }
    ins.group = g.group;
    g.body.push(ins.index);
    if (g.body.length >= MAX_LOOP_BODY) close(g.group);
  }
  for (const group of [...groupOpen.keys()]) close(group);
  return steps;
}

/**
 * Gives every value read outside its loop (by a kernel, another loop, or as an output) a buffer, planned once; a
 * reshape shares its input's storage. A buffer whose value (and every reshape of it) is read for the last time by
 * a step is reused by later steps for a value of its dtype and length (never by that step's own outputs, so no
 * kernel or loop writes where it reads); outputs and constants keep theirs.
 */
function planStorage(
  values: Value[],
  instructions: Instruction[],
  steps: Step[],
  outputs: readonly number[],
  buffers: FloatArray[],
): void {
  const needed = new Set<number>(outputs);
  for (const ins of instructions) {
    for (const x of ins.inputs) {
      const p = values[x].producer;
      if (p < 0) continue;
      if (ins.group < 0 || instructions[p].group !== ins.group) needed.add(x);
    }
  }
  // The value whose storage each value uses (itself, or the input of a chain of reshapes), and the last step that
  // reads that storage.
  const root = values.map((v) => v.id);
  for (const ins of instructions) if (ins.op === "reshape") root[ins.output] = root[ins.inputs[0]];
  const lastRead = new Map<number, number>();
  steps.forEach((step, s) => {
    const body = step.kind === "loop" ? step.body : [step.instruction];
    for (const i of body) for (const x of instructions[i].inputs) lastRead.set(root[x], s);
  });
  const kept = new Set(outputs.map((id) => root[id]));
  const spare = new Map<string, number[]>();
  const freeAt = new Map<number, number[]>();
  steps.forEach((step, s) => {
    const body = step.kind === "loop" ? step.body : [step.instruction];
    for (const i of body) {
      const ins = instructions[i];
      const v = values[ins.output];
      if (ins.op === "reshape") v.storage = values[ins.inputs[0]].storage;
      else if (v.storage.kind === "register" && (step.kind === "kernel" || needed.has(v.id))) {
        const key = `${v.dtype}:${v.size}`;
        const reused = spare.get(key)?.pop();
        const index = reused ?? buffers.push(newFloatArray(v.dtype, v.size)) - 1;
        v.storage = { kind: "buffer", index };
        const last = lastRead.get(v.id);
        if (!kept.has(v.id) && last !== undefined) {
          const list = freeAt.get(last) ?? [];
          list.push(v.id);
          freeAt.set(last, list);
        }
      }
    }
    for (const id of freeAt.get(s) ?? []) {
      const key = `${values[id].dtype}:${values[id].size}`;
      const list = spare.get(key) ?? [];
      list.push((values[id].storage as { index: number }).index);
      spare.set(key, list);
    }
  });
}
