/** jit's call signatures: tensors found in arguments and results (arrays, plain objects), the cache key, and the LRU cache. */
import { JitError } from "../errors.js";
import { Tensor } from "../tensor.js";

/** Where a tensor sits in a nested argument or result: a path of array indices and object keys. */
export type Path = readonly (string | number)[];

/** The structure of a value with its tensors taken out: rebuilt around new tensors by `rebuild`. */
export type Template =
  | { readonly kind: "tensor"; readonly index: number }
  | { readonly kind: "array"; readonly items: readonly Template[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, Template])[] }
  | { readonly kind: "value"; readonly value: unknown };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** The tensors of `value` (depth first) and its template. Arrays and plain objects are walked; other values kept. */
export function flatten(value: unknown, tensors: Tensor[] = []): { template: Template; tensors: Tensor[] } {
  const walk = (x: unknown): Template => {
    if (x instanceof Tensor) {
      tensors.push(x);
      return { kind: "tensor", index: tensors.length - 1 };
    }
    if (Array.isArray(x)) return { kind: "array", items: x.map(walk) };
    if (isPlainObject(x)) return { kind: "object", entries: Object.keys(x).map((k) => [k, walk(x[k])] as const) };
    return { kind: "value", value: x };
  };
  return { template: walk(value), tensors };
}

/** The value `template` describes, with `tensors[i]` in tensor slot i. */
export function rebuild(template: Template, tensors: readonly Tensor[]): unknown {
  switch (template.kind) {
    case "tensor":
      return tensors[template.index];
    case "array":
      return template.items.map((t) => rebuild(t, tensors));
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, t] of template.entries) out[k] = rebuild(t, tensors);
      return out;
    }
    default:
      return template.value;
  }
}

/** A JSON-like key of a non-tensor argument value, compared by value (−0, NaN and ±Infinity kept apart). */
function valueKey(x: unknown, where: string): string {
  if (x === undefined) return "u";
  if (x === null) return "null";
  if (typeof x === "number") return Object.is(x, -0) ? "n-0" : `n${String(x)}`;
  if (typeof x === "string") return `s${JSON.stringify(x)}`;
  if (typeof x === "boolean") return `b${String(x)}`;
  if (typeof x === "bigint") return `i${String(x)}`;
  throw new JitError(
    "jit",
    `argument ${where} is ${typeof x === "function" ? "a function" : "an object jit cannot compare by value"}; pass tensors, numbers, strings, booleans, and arrays or plain objects of them (close over anything else)`,
  );
}

/** The cache key of one call: each tensor's shape, dtype and requiresGrad, and every other value by value. */
export function signatureKey(template: Template, tensors: readonly Tensor[], where = ""): string {
  switch (template.kind) {
    case "tensor": {
      const t = tensors[template.index];
      return `T(${t.shape.join(",")};${t.dtype};${t.requiresGrad ? 1 : 0})`;
    }
    case "array":
      // The arguments themselves are the outermost array: argument 1, then 1[0], 1.W inside it.
      return `[${template.items.map((t, i) => signatureKey(t, tensors, where === "" ? `${i}` : `${where}[${i}]`)).join(",")}]`;
    case "object":
      return `{${template.entries.map(([k, t]) => `${JSON.stringify(k)}:${signatureKey(t, tensors, `${where}.${k}`)}`).join(",")}}`;
    default:
      return valueKey(template.value, where);
  }
}

/** One top-level argument as a signature holds it: a tensor's shape, dtype and requiresGrad, or a primitive value. */
type ArgSpec = { readonly shape: readonly number[]; readonly dtype: string; readonly requiresGrad: boolean } | unknown;

/**
 * The signature of a call whose arguments are all tensors or primitives (no arrays or objects), for the allocation-free
 * check `sameTopLevel` of the next call; null for other calls.
 */
export function topLevelSpec(args: readonly unknown[]): ArgSpec[] | null {
  const spec: ArgSpec[] = [];
  for (const a of args) {
    if (a instanceof Tensor) spec.push({ shape: a.shape.slice(), dtype: a.dtype, requiresGrad: a.requiresGrad });
    else if (a !== null && (typeof a === "object" || typeof a === "function")) return null;
    else spec.push(a);
  }
  return spec;
}

/** Whether `args` has the signature `spec` (from `topLevelSpec`), checked without allocating. */
export function sameTopLevel(spec: readonly ArgSpec[], args: readonly unknown[]): boolean {
  if (spec.length !== args.length) return false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const s = spec[i];
    if (a instanceof Tensor) {
      if (s === null || typeof s !== "object") return false;
      const t = s as { shape: readonly number[]; dtype: string; requiresGrad: boolean };
      if (a.dtype !== t.dtype || a.requiresGrad !== t.requiresGrad || a.shape.length !== t.shape.length) return false;
      for (let d = 0; d < t.shape.length; d++) if (a.shape[d] !== t.shape[d]) return false;
    } else if (!Object.is(a, s) || (a !== null && typeof a === "object")) return false;
  }
  return true;
}

/** A bounded map whose least recently used entry goes first when it is full. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly capacity: number) {}

  /** The entry for `key`, now the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Stores `value`, evicting the least recently used entry when over capacity. */
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  /** Number of entries. */
  get size(): number {
    return this.map.size;
  }

  /** The keys, least recently used first. */
  keys(): string[] {
    return [...this.map.keys()];
  }

  /** Removes every entry. */
  clear(): void {
    this.map.clear();
  }
}
