/** Node-only checkpoint files (`@backprop/layers/node`): atomic saves (temp file + rename) and loads, safetensors or JSON. */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type Tensor, ValueError } from "@backprop/core";
import type { Model } from "./model.js";
import {
  fromJSONCheckpoint,
  fromSafetensors,
  loadParameters,
  type NamedTensors,
  toJSONCheckpoint,
  toSafetensors,
} from "./serialize.js";

/** The file formats: safetensors (binary, readable by the Python `safetensors` library) or the JSON checkpoint. */
export type CheckpointFormat = "safetensors" | "json";

/** Options of `saveParameters`. */
export interface SaveOptions {
  /** Default: "json" for a path ending in `.json`, else "safetensors". */
  format?: CheckpointFormat;
  /** String metadata stored in the safetensors header (`__metadata__`); not written to JSON checkpoints. */
  metadata?: Record<string, string>;
}

/** Options of the loaders. */
export interface LoadOptions {
  /** Default: detected from the content (a JSON checkpoint starts with `{`; a safetensors header length cannot). */
  format?: CheckpointFormat;
}

function checkFormat(op: string, format: unknown): CheckpointFormat | undefined {
  if (format !== undefined && format !== "safetensors" && format !== "json") {
    throw new ValueError(op, `format must be "safetensors" or "json", got ${JSON.stringify(format)}`);
  }
  return format;
}

function isModel(x: Model | NamedTensors): x is Model {
  return typeof (x as Partial<Model>).namedParameters === "function";
}

/**
 * Writes a model's parameters (or named tensors) to `path`. The bytes go to a temporary file in the same
 * folder, are flushed to disk, and the file is then renamed over `path`, so a crash or an error leaves
 * either the old file or the complete new one — never a half-written checkpoint — and no temporary file.
 * @example await saveParameters(net, "planar.safetensors");
 * @example await saveParameters(net, "planar.json"); // the JSON checkpoint
 */
export async function saveParameters(
  model: Model | NamedTensors,
  path: string,
  options: SaveOptions = {},
): Promise<void> {
  const format = checkFormat("saveParameters", options.format) ?? (path.endsWith(".json") ? "json" : "safetensors");
  const params = isModel(model) ? model.namedParameters() : model;
  // Encode before touching the disk, so a bad input never creates a file.
  const bytes =
    format === "json" ? new TextEncoder().encode(toJSONCheckpoint(params)) : toSafetensors(params, options.metadata);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, "wx");
    created = true;
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    if (created) await unlink(temp).catch(() => {});
    throw error;
  }
}

/** Whether file bytes are a JSON checkpoint: text starting with `{` (or whitespace), whose 8th byte is not 0 as a safetensors header length's would be. */
function looksLikeJSON(bytes: Uint8Array): boolean {
  const first = bytes[0];
  const opens = first === 0x7b || first === 0x20 || first === 0x0a || first === 0x0d || first === 0x09;
  return opens && (bytes.length < 8 || bytes[7] !== 0);
}

/**
 * The tensors of a checkpoint file, by name.
 * @example const { W1, b1 } = await readParametersFile("planar.safetensors");
 */
export async function readParametersFile(path: string, options: LoadOptions = {}): Promise<Record<string, Tensor>> {
  const explicit = checkFormat("readParametersFile", options.format);
  const bytes: Uint8Array = await readFile(path);
  const format = explicit ?? (looksLikeJSON(bytes) ? "json" : "safetensors");
  return format === "json" ? fromJSONCheckpoint(new TextDecoder().decode(bytes)) : fromSafetensors(bytes);
}

/**
 * Loads a checkpoint file into a model's parameters in place (checking names, shapes and dtypes first).
 * @example await loadParametersFile(net, "planar.safetensors");
 */
export async function loadParametersFile(model: Model, path: string, options: LoadOptions = {}): Promise<void> {
  loadParameters(model, await readParametersFile(path, options));
}
