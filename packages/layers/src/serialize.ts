/** Saving and loading parameters, browser-safe: safetensors bytes, a JSON checkpoint, and loadParameters into a model. */
import { type DType, formatShape, noGrad, Tensor, ValueError } from "@backprop/core";
import type { Model } from "./model.js";

/** Named tensors: a record, or [name, tensor] pairs such as `model.namedParameters()`. */
export type NamedTensors = Record<string, Tensor> | ReadonlyArray<readonly [string, Tensor]>;

/** A checkpoint read back: the tensors and the `__metadata__` strings. */
export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

const SAFETENSORS_DTYPE: Record<DType, { code: string; itemsize: number }> = {
  float64: { code: "F64", itemsize: 8 },
  float32: { code: "F32", itemsize: 4 },
};
/** Every dtype code of the safetensors spec, to tell "not supported here" from "not a dtype at all". */
const KNOWN_CODES = [
  "BOOL",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "I16",
  "U16",
  "F16",
  "BF16",
  "I32",
  "U32",
  "F32",
  "F64",
  "I64",
  "U64",
];
/** The reference implementation refuses headers over 100 MB; so do we (a corrupt length would otherwise allocate it). */
const MAX_HEADER_BYTES = 100_000_000;

/** The entries of `params` as pairs, checking names (unique, non-reserved) and values (Tensors). */
function entriesOf(op: string, params: NamedTensors): [string, Tensor][] {
  if (params === null || typeof params !== "object") {
    throw new ValueError(op, `params must be a record of Tensors or [name, Tensor] pairs, got ${String(params)}`);
  }
  if (!Array.isArray(params) && typeof (params as Partial<Model>).namedParameters === "function") {
    throw new ValueError(op, "params is a model: pass model.namedParameters()");
  }
  const notPair = (i: number, pair: unknown) =>
    `params[${i}] is not a [name, Tensor] pair (got ${pair instanceof Tensor ? "a Tensor" : typeof pair}): pass a record { W1, b1, … } or model.namedParameters()`;
  const entries: [string, Tensor][] = Array.isArray(params)
    ? params.map((pair: unknown, i): [string, Tensor] => {
        if (!Array.isArray(pair) || pair.length !== 2) throw new ValueError(op, notPair(i, pair));
        return [pair[0], pair[1]];
      })
    : Object.entries(params as Record<string, Tensor>);
  const seen = new Set<string>();
  for (const [name, t] of entries) {
    if (typeof name !== "string") throw new ValueError(op, `tensor names must be strings, got ${typeof name}`);
    if (name === "__metadata__") throw new ValueError(op, `"__metadata__" is reserved and cannot name a tensor`);
    if (seen.has(name)) throw new ValueError(op, `the name "${name}" appears twice`);
    if (!(t instanceof Tensor)) throw new ValueError(op, `"${name}" is not a Tensor`);
    seen.add(name);
  }
  return entries;
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((d) => Number.isSafeInteger(d) && d >= 0);
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The safetensors encoding of named tensors: an 8-byte little-endian header length N, N bytes of JSON
 * header (`{"__metadata__": {...}, "W1": {"dtype": "F64", "shape": [4, 2], "data_offsets": [0, 64]}, ...}`,
 * padded with spaces to a multiple of 8 as the reference implementation does), then the little-endian data of
 * each tensor in the order given.
 * @example
 * const bytes = toSafetensors(net.namedParameters(), { course: "week 3" });
 * const { W1 } = fromSafetensors(bytes);
 */
export function toSafetensors(params: NamedTensors, metadata?: Record<string, string>): Uint8Array {
  const entries = entriesOf("toSafetensors", params);
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
      throw new ValueError("toSafetensors", "metadata must be a record of strings");
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") {
        throw new ValueError(
          "toSafetensors",
          `metadata values must be strings (the spec's format), "${key}" is ${typeof value}`,
        );
      }
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, t] of entries) {
    const { code, itemsize } = SAFETENSORS_DTYPE[t.dtype];
    const end = offset + t.size * itemsize;
    header[name] = { dtype: code, shape: t.shape.slice(), data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padding = (8 - (json.length % 8)) % 8;
  const n = json.length + padding;
  const bytes = new Uint8Array(8 + n + offset);
  const view = new DataView(bytes.buffer);
  // The header length is a u64; headers stay far below 2^32, so the high word is 0.
  view.setUint32(0, n, true);
  view.setUint32(4, 0, true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + n);
  let at = 8 + n;
  for (const [, t] of entries) {
    const data = t.data;
    if (t.dtype === "float64") {
      for (let i = 0; i < data.length; i++, at += 8) view.setFloat64(at, data[i], true);
    } else {
      for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i], true);
    }
  }
  return bytes;
}

interface HeaderEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/** Parses and checks one tensor entry of a safetensors header against the size of the data section. */
function headerEntry(name: string, raw: unknown, dataLength: number): HeaderEntry {
  const fail = (message: string): never => {
    throw new ValueError("fromSafetensors", `tensor "${name}": ${message}`);
  };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) fail("its header entry is not an object");
  const { dtype: code, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof code !== "string" || !KNOWN_CODES.includes(code)) fail(`unknown dtype ${JSON.stringify(code)}`);
  const dtype = code === "F64" ? "float64" : code === "F32" ? "float32" : null;
  if (dtype === null) fail(`dtype ${code} is not supported (only F64 and F32)`);
  if (!isShape(shape)) fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    fail(`data_offsets [${begin}, ${end}] out of range: the data section has ${dataLength} bytes (truncated file?)`);
  }
  const expected = product(shape as number[]) * SAFETENSORS_DTYPE[dtype as DType].itemsize;
  if (end - begin !== expected) {
    fail(
      `data_offsets [${begin}, ${end}] hold ${end - begin} bytes but shape ${formatShape(shape as number[])} of ${code} needs ${expected}`,
    );
  }
  return { name, dtype: dtype as DType, shape: shape as number[], begin, end };
}

/** Checks that the tensors tile the data section exactly: no overlap, no gap, no trailing bytes (as the reference requires). */
function checkLayout(entries: HeaderEntry[], dataLength: number): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: HeaderEntry | null = null;
  for (const e of sorted) {
    if (e.begin < at) {
      throw new ValueError(
        "fromSafetensors",
        `tensors "${previous?.name}" [${previous?.begin}, ${previous?.end}] and "${e.name}" [${e.begin}, ${e.end}] overlap`,
      );
    }
    if (e.begin > at) {
      throw new ValueError(
        "fromSafetensors",
        `bytes [${at}, ${e.begin}) before tensor "${e.name}" belong to no tensor`,
      );
    }
    at = e.end;
    previous = e;
  }
  if (at !== dataLength) {
    throw new ValueError("fromSafetensors", `the data section has ${dataLength} bytes but the tensors cover ${at}`);
  }
}

/**
 * Reads a safetensors file's tensors and its `__metadata__`, checking the header against the bytes.
 * Corrupt or truncated input throws a ValueError starting "fromSafetensors:".
 * @example const { tensors, metadata } = readSafetensors(bytes);
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) throw new ValueError("fromSafetensors", "expected a Uint8Array of file bytes");
  if (bytes.length < 8) {
    throw new ValueError(
      "fromSafetensors",
      `${bytes.length} bytes is too short: a file starts with an 8-byte header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > bytes.length - 8) {
    throw new ValueError(
      "fromSafetensors",
      `header length ${n} exceeds the ${bytes.length - 8} bytes after it (truncated or not a safetensors file)`,
    );
  }
  if (n > MAX_HEADER_BYTES) throw new ValueError("fromSafetensors", `header length ${n} exceeds the 100 MB limit`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new ValueError("fromSafetensors", `the ${n}-byte header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw new ValueError("fromSafetensors", "the header is not a JSON object");
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new ValueError("fromSafetensors", "__metadata__ is not an object");
      }
      for (const [key, value] of Object.entries(raw)) {
        if (typeof value !== "string") throw new ValueError("fromSafetensors", `__metadata__ "${key}" is not a string`);
        metadata[key] = value;
      }
    } else {
      entries.push(headerEntry(name, raw, dataLength));
    }
  }
  checkLayout(entries, dataLength);
  const tensors: Record<string, Tensor> = {};
  for (const e of entries) {
    const size = product(e.shape);
    const at = dataStart + e.begin;
    let data: Float64Array | Float32Array;
    if (e.dtype === "float64") {
      data = new Float64Array(size);
      for (let i = 0; i < size; i++) data[i] = view.getFloat64(at + 8 * i, true);
    } else {
      data = new Float32Array(size);
      for (let i = 0; i < size; i++) data[i] = view.getFloat32(at + 4 * i, true);
    }
    tensors[e.name] = new Tensor(data, e.shape, false, e.name);
  }
  return { tensors, metadata };
}

/**
 * The tensors of a safetensors file, by name (see `readSafetensors` for the metadata too).
 * @example loadParameters(net, fromSafetensors(bytes));
 */
export function fromSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  return readSafetensors(bytes).tensors;
}

/** JSON has no NaN, ±Infinity or −0: those travel as strings; every other double round-trips through JSON.stringify. */
function encodeNumber(x: number): number | string {
  if (Number.isFinite(x)) return Object.is(x, -0) ? "-0" : x;
  return Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}

const SPECIAL: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
  "-0": -0,
};

/**
 * A JSON checkpoint: `{"format": "backprop-json", "version": 1, "tensors": {name: {dtype, shape, data}}}` with
 * `data` flat in row-major order. Every float64 round-trips exactly; NaN, ±Infinity and −0 are written as the
 * strings "NaN", "Infinity", "-Infinity", "-0".
 * @example const text = toJSONCheckpoint(net.namedParameters());
 */
export function toJSONCheckpoint(params: NamedTensors): string {
  const tensors: Record<string, unknown> = {};
  for (const [name, t] of entriesOf("toJSONCheckpoint", params)) {
    tensors[name] = { dtype: t.dtype, shape: t.shape.slice(), data: Array.from(t.data, encodeNumber) };
  }
  return JSON.stringify({ format: "backprop-json", version: 1, tensors });
}

/**
 * The tensors of a JSON checkpoint written by `toJSONCheckpoint`. Malformed input throws a ValueError
 * starting "fromJSONCheckpoint:".
 * @example loadParameters(net, fromJSONCheckpoint(text));
 */
export function fromJSONCheckpoint(text: string): Record<string, Tensor> {
  const op = "fromJSONCheckpoint";
  if (typeof text !== "string") {
    const hint =
      typeof text === "object" && text !== null ? " (the JSON text toJSONCheckpoint returned, not parsed)" : "";
    throw new ValueError(op, `expected a string${hint}, got ${typeof text}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ValueError(op, `not JSON (${(e as Error).message})`);
  }
  if (typeof doc === "string") {
    throw new ValueError(
      op,
      "the text is a JSON string, not an object: the checkpoint was encoded twice (toJSONCheckpoint already returns JSON text: write it as it is, without JSON.stringify)",
    );
  }
  const { format, version, tensors } = (doc ?? {}) as Record<string, unknown>;
  if (format !== "backprop-json") {
    throw new ValueError(
      op,
      `not a backprop JSON checkpoint: "format" is ${JSON.stringify(format)}, expected "backprop-json"`,
    );
  }
  if (version !== 1)
    throw new ValueError(op, `unsupported version ${JSON.stringify(version)} (this reader knows version 1)`);
  if (tensors === null || typeof tensors !== "object" || Array.isArray(tensors)) {
    throw new ValueError(op, `"tensors" is not an object`);
  }
  const out: Record<string, Tensor> = {};
  for (const [name, raw] of Object.entries(tensors)) {
    const { dtype, shape, data } = (raw ?? {}) as Record<string, unknown>;
    if (dtype !== "float64" && dtype !== "float32") {
      throw new ValueError(op, `tensor "${name}": unknown dtype ${JSON.stringify(dtype)} (float64 or float32)`);
    }
    if (!isShape(shape))
      throw new ValueError(
        op,
        `tensor "${name}": shape ${JSON.stringify(shape)} is not a list of non-negative integers`,
      );
    const size = product(shape);
    if (!Array.isArray(data) || data.length !== size) {
      const got = Array.isArray(data) ? `${data.length} values` : typeof data;
      throw new ValueError(
        op,
        `tensor "${name}": shape ${formatShape(shape)} needs ${size} values in "data", got ${got}`,
      );
    }
    const values = dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const v = data[i];
      let x: number | undefined;
      if (typeof v === "number") x = v;
      else if (typeof v === "string" && Object.hasOwn(SPECIAL, v)) x = SPECIAL[v];
      if (x === undefined) {
        throw new ValueError(op, `tensor "${name}": data[${i}] is ${JSON.stringify(v)}, not a number`);
      }
      if (dtype === "float32" && Number.isFinite(x) && !Number.isFinite(Math.fround(x))) {
        throw new ValueError(
          op,
          `tensor "${name}": data[${i}] is ${x}, outside float32's range (a corrupted checkpoint?)`,
        );
      }
      values[i] = x;
    }
    out[name] = new Tensor(values, shape, false, name);
  }
  return out;
}

/**
 * Copies checkpoint tensors into the model's parameters, in place (`copy_`). Checks first, and copies nothing
 * unless everything fits: every model parameter present, no unexpected names, same shapes and dtypes.
 * @example loadParameters(net, fromSafetensors(bytes));
 */
export function loadParameters(model: Model, params: NamedTensors): void {
  const op = "loadParameters";
  if (model === null || typeof model !== "object" || typeof model.namedParameters !== "function") {
    throw new ValueError(op, "model must have namedParameters() (the Model interface)");
  }
  const given = new Map(entriesOf(op, params));
  const targets = model.namedParameters();
  const problems: string[] = [];
  for (const [name, p] of targets) {
    const t = given.get(name);
    if (t === undefined) {
      problems.push(`missing "${name}" ${formatShape(p.shape)} ${p.dtype}`);
    } else if (t.dtype !== p.dtype || t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
      problems.push(
        `"${name}" is ${formatShape(t.shape)} ${t.dtype} in the checkpoint but ${formatShape(p.shape)} ${p.dtype} in the model`,
      );
    }
  }
  const known = new Set(targets.map(([name]) => name));
  for (const name of given.keys()) if (!known.has(name)) problems.push(`unexpected "${name}"`);
  if (problems.length > 0) {
    throw new ValueError(op, `the checkpoint does not fit the model (nothing was loaded): ${problems.join("; ")}`);
  }
  noGrad(() => {
    for (const [name, p] of targets) p.copy_(given.get(name) as Tensor);
  });
}
