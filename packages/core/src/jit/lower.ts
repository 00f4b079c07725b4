/** jit's readable program text (the analogue of a jaxpr): inputs, closed-over tensors, each step with its primitives, shapes and dtypes. */
import { formatShape } from "../errors.js";
import type { Instruction, Plan, Value } from "./plan.js";

const DTYPE: Record<string, string> = { float64: "f64", float32: "f32" };

/** `v3:f64(4,400)`: a value with its dtype and shape. */
function typed(v: Value): string {
  return `v${v.id}:${DTYPE[v.dtype]}${formatShape(v.shape)}`;
}

/** An instruction's attributes as `axes=[1] keepdims=true`, or nothing. */
function attrText(ins: Instruction): string {
  const parts = Object.entries(ins.attrs)
    .filter(([k]) => k !== "kind" && k !== "outer")
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (ins.op === "where") parts.unshift("mask first");
  return parts.length > 0 ? ` {${parts.join(" ")}}` : "";
}

/** One instruction: `v7:f64(4,400) = mul v5 v6`, naming the comparison or the identity a primitive computes. */
function instructionText(plan: Plan, ins: Instruction): string {
  const out = plan.values[ins.output];
  const name = ins.op === "compare" ? `compare.${ins.kind}` : ins.op;
  const stored = out.storage.kind === "buffer" ? "" : out.storage.kind === "register" ? "  (register)" : "";
  return `${typed(out)} = ${name} ${ins.inputs.map((x) => `v${x}`).join(" ")}${attrText(ins)}${stored}`;
}

/** The ops of a loop in order (`tanh, mul`), or counted when there are many (`80 mul, 40 add, 40 tanh`). */
function opList(plan: Plan, body: readonly number[]): string {
  const names = body.map((i) => plan.instructions[i].op);
  if (names.length <= 16) return names.join(", ");
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => `${c} ${n}`).join(", ");
}

/**
 * The program as text: one line per argument and closed-over tensor, then each step — a fused loop lists the
 * primitives it runs in one pass over its shape (values kept in registers marked), a kernel names its primitive —
 * and the outputs.
 */
export function formatPlan(plan: Plan, backend: string): string {
  const { values, instructions } = plan;
  const bytes = plan.buffers.reduce((n, b) => n + b.byteLength, 0);
  const lines: string[] = [
    `jit program (${backend}): ${instructions.length} primitives in ${plan.steps.length} steps, ${plan.buffers.length} buffers (${bytes} bytes)`,
  ];
  const inputs = values.filter((v) => v.storage.kind === "arg" && v.producer < 0);
  const seenArgs = new Set<number>();
  for (const v of inputs) {
    if (v.storage.kind !== "arg" || seenArgs.has(v.storage.index)) continue;
    seenArgs.add(v.storage.index);
    lines.push(`  in  ${typed(v)}  argument ${v.storage.index}`);
  }
  for (const v of values) {
    if (v.storage.kind === "leaf") {
      const t = plan.leaves[v.storage.index];
      const traced = t.size === 1 ? `, ${t._data[0]} when traced` : "";
      lines.push(
        `  in  ${typed(v)}  leaf${t.name ? ` '${t.name}'` : ""} (closed over or made by f: read at each call${traced})`,
      );
    }
  }
  for (const v of values) {
    if (v.producer < 0 && v.storage.kind === "buffer") {
      lines.push(`  const ${typed(v)} = ${plan.buffers[v.storage.index][0]}  (a count from the shapes)`);
    }
  }
  plan.steps.forEach((step, s) => {
    if (step.kind === "kernel") {
      const ins = instructions[step.instruction];
      const how = ins.op === "reshape" ? "view" : "kernel";
      lines.push(`  step ${s}: ${how} ${instructionText(plan, ins)}`);
      return;
    }
    lines.push(
      `  step ${s}: fused loop over ${formatShape(step.shape)} (${step.body.length} ops: ${opList(plan, step.body)})`,
    );
    for (const i of step.body) lines.push(`    ${instructionText(plan, instructions[i])}`);
  });
  lines.push(`  out ${plan.outputs.map((id) => typed(values[id])).join(", ")}`);
  return lines.join("\n");
}
