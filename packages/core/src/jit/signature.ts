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
export function signatureKey(template: Template, tensors: readonly Tensor[], where = "0"): string {
  switch (template.kind) {
    case "tensor": {
      const t = tensors[template.index];
      return `T(${t.shape.join(",")};${t.dtype};${t.requiresGrad ? 1 : 0})`;
    }
    case "array":
      return `[${template.items.map((t, i) => signatureKey(t, tensors, `${where}[${i}]`)).join(",")}]`;
    case "object":
      return `{${template.entries.map(([k, t]) => `${JSON.stringify(k)}:${signatureKey(t, tensors, `${where}.${k}`)}`).join(",")}}`;
    default:
      return valueKey(template.value, where);
  }
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
