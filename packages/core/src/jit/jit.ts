/** jit: trace a function of tensors once per signature, compile it into fused loops and kernels, replay it; bit-identical to eager. */
import { isForwardActive } from "../autodiff/forwardMode.js";
import { isGradEnabled, isPromiseLike } from "../autodiff/gradMode.js";
import { isTracing, withJitTrace } from "../autodiff/tracing.js";
import { checkOptionKeys, describeValue, JitError, ValueError } from "../errors.js";
import { type FloatArray, newFloatArray } from "../kernels/floatArray.js";
import { Tensor } from "../tensor.js";
import { compile, type Program } from "./codegen.js";
import { interpret } from "./interpret.js";
import { formatPlan } from "./lower.js";
import { buildPlan, type Plan } from "./plan.js";
import { flatten, LruCache, rebuild, sameTopLevel, signatureKey, type Template, topLevelSpec } from "./signature.js";

/** Options of `jit`. */
export interface JitOptions {
  /** How many signatures keep their compiled program (least recently used dropped first; default 16). */
  cacheSize?: number;
  /**
   * "codegen": generated JavaScript (`new Function`; throws EvalError where it is forbidden); "interpret": the same
   * plan run by an interpreter (for pages whose Content-Security-Policy forbids `new Function`, or
   * `node --disallow-code-generation-from-strings`); "auto" (default): codegen where allowed, with the same bits.
   */
  backend?: "auto" | "codegen" | "interpret";
}

/**
 * A jitted function: f's signature, plus the traced program as text and its cache.
 * @typeParam F - the type of the function that was jitted
 */
export interface JitFunction<F extends (...args: never[]) => unknown> {
  (...args: Parameters<F>): ReturnType<F>;
  /** The program compiled for these arguments' signature, as text (traces and compiles it if needed). */
  lower(...args: Parameters<F>): string;
  /** How many signatures have a compiled program now. */
  readonly cacheSize: number;
  /** How many times f was traced (once per new signature, again after eviction). */
  readonly traceCount: number;
}

/** One compiled signature: the plan and its program, or "eager" when the call must be differentiated. */
type Entry =
  | {
      readonly eager: false;
      readonly plan: Plan;
      readonly program: Program;
      readonly output: Template;
      readonly backend: string;
      /** The arguments' and leaves' data of the current call (filled in place: no allocation per call). */
      readonly argData: FloatArray[];
      readonly leafData: FloatArray[];
    }
  | { readonly eager: true };

let codegenAllowed: boolean | undefined;

/** Whether `new Function` may run here (a strict Content-Security-Policy throws EvalError); checked once. */
function canGenerateCode(): boolean {
  if (codegenAllowed === undefined) {
    try {
      codegenAllowed = new Function("return 1")() === 1;
    } catch {
      codegenAllowed = false;
    }
  }
  return codegenAllowed;
}

/** Whether this call is itself being differentiated (then jit runs f eagerly); `args` may hold non-tensors too. */
function differentiated(args: readonly unknown[]): boolean {
  if (isForwardActive() || isTracing()) return true;
  if (!isGradEnabled()) return false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Tensor && a.requiresGrad) return true;
  }
  return false;
}

/**
 * Compiles `f`, a function of tensors (also in arrays and plain objects, beside numbers, strings and booleans) that
 * returns tensors (alone, in arrays or plain objects — what `valueAndGrad` & co. return). The first call for a
 * signature (each tensor's shape, dtype and requiresGrad; every other argument by value) runs `f` once on
 * placeholder tensors in tracing mode, so the transforms inside `f` record their backward and forward passes too,
 * and compiles the recorded primitives: elementwise chains fused into single loops, products through the GEMM
 * kernel, reductions and layout copies through eager's kernels, into buffers planned once. Later calls with that
 * signature replay the program: no graph, no allocation but the outputs, and every bit equal to calling `f`.
 *
 * Semantics (as JAX's): tensors `f` closes over are read at every call (in-place updates are seen); JavaScript side
 * effects in `f` happen while tracing only; reading a traced tensor's values inside `f` throws `JitError`; outputs are
 * fresh tensors that do not require grad. When the call itself is differentiated (grad mode on and an argument, or a
 * tensor `f` closes over, requires grad; inside a jvp; or while tracing) `f` runs eagerly instead.
 * @example
 * const step = jit(valueAndGrad(loss, { argnums: [0, 1, 2, 3] }));
 * const [J, [dW1, db1, dW2, db2]] = step(W1, b1, W2, b2, X, Y);
 * console.log(step.lower(W1, b1, W2, b2, X, Y)); // the fused program
 * @typeParam F - the type of `f`: the jitted function has its parameters and result
 */
export function jit<F extends (...args: never[]) => unknown>(f: F, options: JitOptions = {}): JitFunction<F> {
  if (typeof f !== "function") throw new ValueError("jit", `expects a function of tensors, got ${describeValue(f)}`);
  checkJitOptions(options);
  const capacity = options.cacheSize ?? 16;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new ValueError("jit", `cacheSize must be a positive integer, got ${String(capacity)}`);
  }
  const backend = options.backend ?? "auto";
  if (backend !== "auto" && backend !== "codegen" && backend !== "interpret") {
    throw new ValueError("jit", `backend must be "auto", "codegen" or "interpret", got ${JSON.stringify(backend)}`);
  }
  const cache = new LruCache<Entry>(capacity);
  let traces = 0;
  const call = f as unknown as (...args: unknown[]) => unknown;

  const entryFor = (template: Template, tensors: Tensor[]): Entry => {
    const key = signatureKey(template, tensors);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    traces++;
    const entry = traceAndCompile(call, template, tensors, backend);
    cache.set(key, entry);
    return entry;
  };

  // The last compiled signature of all-tensor-or-primitive arguments, checked first without allocating.
  let last: { spec: NonNullable<ReturnType<typeof topLevelSpec>>; entry: Entry & { eager: false } } | null = null;
  const jitted = ((...args: unknown[]) => {
    if (last !== null && sameTopLevel(last.spec, args) && !differentiated(args)) return runEntry(last.entry, args);
    const { template, tensors } = flatten(args);
    if (differentiated(tensors)) return call(...args);
    const entry = entryFor(template, tensors);
    if (entry.eager) return call(...args);
    const spec = topLevelSpec(args);
    last = spec === null ? null : { spec, entry };
    return runEntry(entry, tensors);
  }) as unknown as JitFunction<F>;
  Object.defineProperties(jitted, {
    lower: {
      value: (...args: unknown[]) => {
        const { template, tensors } = flatten(args);
        const entry = entryFor(template, tensors);
        return entry.eager
          ? "jit: this call is differentiated through a tensor f closes over; it runs eagerly (no program)"
          : formatPlan(entry.plan, entry.backend);
      },
    },
    cacheSize: { get: () => cache.size },
    traceCount: { get: () => traces },
  });
  return jitted;
}

/** Throws a ValueError unless `options` is an object with only jit's options (a typo must not be ignored). */
function checkJitOptions(options: unknown): void {
  checkOptionKeys("jit", options, ["cacheSize", "backend"], "{ cacheSize: 16 }");
}

/** Traces f on placeholders of the arguments' tensors and compiles the result. */
function traceAndCompile(
  f: (...args: unknown[]) => unknown,
  template: Template,
  tensors: readonly Tensor[],
  backend: JitOptions["backend"],
): Entry {
  const placeholders = tensors.map((t) => {
    const copy = newFloatArray(t.dtype, t.size);
    copy.set(t._data);
    return new Tensor(copy, t.shape.slice(), t.requiresGrad, t.name);
  });
  const data = new Set<FloatArray>(placeholders.map((p) => p._data));
  const result = withJitTrace(data, () => f(...(rebuild(template, placeholders) as unknown[])));
  const out = flatten(result);
  rejectOpaque(out.template);
  if (isGradEnabled() && out.tensors.some((t) => t.requiresGrad)) return { eager: true };
  const plan = buildPlan(placeholders, out.tensors);
  const entry = (program: Program, name: string): Entry => ({
    eager: false,
    plan,
    program,
    output: out.template,
    backend: name,
    argData: new Array<FloatArray>(plan.argCount),
    leafData: new Array<FloatArray>(plan.leaves.length),
  });
  if (backend !== "interpret" && (backend === "codegen" || canGenerateCode())) {
    try {
      return entry(compile(plan).program, "codegen");
    } catch (e) {
      if (backend === "codegen" || !(e instanceof EvalError)) throw e;
    }
  }
  return entry(interpret(plan), "interpreter");
}

/**
 * A JitError for a value in f's result that jit would hand back unchanged on every later call, holding what the trace
 * made: a function (vjp's pullback runs on the trace's placeholders), a Promise (an async f), or an object other than an
 * array or a plain object (a Map, a class instance, a typed array), whose tensors jit cannot find and replace.
 */
function rejectOpaque(template: Template): void {
  if (template.kind === "value") {
    const v = template.value;
    if (typeof v === "function") {
      throw new JitError(
        "jit",
        "the function returned a function (such as vjp's pullback), which would run on the trace's placeholders; call it inside the jitted function and return its tensors",
      );
    }
    if (v !== null && typeof v === "object") {
      const what = isPromiseLike(v)
        ? "a Promise (an async function?): jit traces the function synchronously, once, and would return that same Promise on every call"
        : `${describeValue(v)}, which jit cannot look into: it would return the object the trace made on every call`;
      throw new JitError("jit", `the function returned ${what}; return tensors, alone or in arrays and plain objects`);
    }
  }
  if (template.kind === "array") for (const t of template.items) rejectOpaque(t);
  if (template.kind === "object") for (const [, t] of template.entries) rejectOpaque(t);
}

/**
 * Runs a compiled entry on the arguments' current data and the closed-over tensors' current data; `tensors` are the
 * flattened tensor arguments, or the arguments themselves (tensors and primitives) on the top-level path.
 */
function runEntry(entry: Entry & { eager: false }, tensors: readonly unknown[]): unknown {
  const { plan, program, argData: args, leafData: leaves } = entry;
  let k = 0;
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    if (t instanceof Tensor) args[k++] = t._data;
  }
  for (let i = 0; i < plan.leaves.length; i++) leaves[i] = plan.leaves[i]._data;
  program(args, leaves);
  const outputs = plan.outputs.map((id) => {
    const v = plan.values[id];
    const s = v.storage;
    const source =
      s.kind === "arg"
        ? args[s.index]
        : s.kind === "leaf"
          ? leaves[s.index]
          : plan.buffers[(s as { index: number }).index];
    return new Tensor(source.slice(), v.shape.slice());
  });
  return rebuild(entry.output, outputs);
}
