/** Node-only checkpoint files (`@backprop/layers/node`): atomic saves (temp file + rename) and loads, safetensors or JSON. */
import { randomBytes } from "node:crypto";
import { open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type Tensor, ValueError } from "@backprop/core";
import { checkOptionKeys } from "./dataChecks.js";
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

/** Options of `saveParameters` (an unknown key throws a ValueError). */
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

/** Temporary files of saves in progress in this process (a stale one of ours is one not listed here). */
const savesInProgress = new Set<string>();

/** The temporary-file name prefix of saves to `path`: `.<name>.`, then `<pid>.<12 hex>.tmp`. */
function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/** Whether process `pid` is alive (signal 0 tests without sending anything; EPERM means alive but not ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temporary files that earlier saves to `path` left behind when their process was killed:
 * those whose process is gone, or this process's own that no save in progress owns. A concurrent save's
 * file (a live process's) is left alone.
 */
async function removeStaleTempFiles(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return; // the write below reports a missing folder
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
    if (match === null) continue;
    const file = join(dir, name);
    const pid = Number(match[1]);
    const stale = pid === process.pid ? !savesInProgress.has(file) : !processAlive(pid);
    if (stale) await unlink(file).catch(() => {});
  }
}

/** Flushes a folder's entries to disk, so a rename in it survives a power loss (not possible on Windows: skipped). */
async function syncFolder(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Folders cannot be opened or fsynced on some platforms; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

/**
 * Writes a model's parameters (or named tensors) to `path`. The bytes go to a temporary file in the same
 * folder, are flushed to disk, and the file is then renamed over `path` and the folder flushed, so a crash
 * or an error leaves either the old file or the complete new one — never a half-written checkpoint. A
 * process killed mid-save can leave its temporary file (`.<name>.<pid>.<random>.tmp`) behind; the next
 * save to the same path removes every such file whose process is gone. A file system error (ENOENT, EACCES, EISDIR, …)
 * rejects with a ValueError naming saveParameters and `path`, keeping Node's `code` and the original error as `cause`.
 * @example await saveParameters(net, "planar.safetensors");
 * @example await saveParameters(net, "planar.json"); // the JSON checkpoint
 */
export async function saveParameters(
  model: Model | NamedTensors,
  path: string,
  options: SaveOptions = {},
): Promise<void> {
  const op = "saveParameters";
  checkPath(op, path);
  checkOptionKeys(op, options, ["format", "metadata"]);
  const format = checkFormat(op, options.format) ?? (path.endsWith(".json") ? "json" : "safetensors");
  const params = isModel(model) ? model.namedParameters() : model;
  // Encode before touching the disk, so a bad input never creates a file.
  const bytes =
    format === "json" ? new TextEncoder().encode(toJSONCheckpoint(params)) : toSafetensors(params, options.metadata);
  const temp = join(dirname(path), `${tempPrefix(path)}${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  savesInProgress.add(temp);
  let created = false;
  try {
    await removeStaleTempFiles(path);
    const handle = await open(temp, "wx");
    created = true;
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
    await syncFolder(dirname(path));
  } catch (error) {
    if (created) await unlink(temp).catch(() => {});
    throw fileError(op, "write", path, error);
  } finally {
    savesInProgress.delete(temp);
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
  return readFileAs("readParametersFile", path, options);
}

/** readParametersFile, whose errors name `op` (the function called) and the file. */
async function readFileAs(op: string, path: string, options: LoadOptions): Promise<Record<string, Tensor>> {
  checkPath(op, path);
  checkOptionKeys(op, options, ["format"]);
  const explicit = checkFormat(op, options.format);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileError(op, "read", path, error);
  }
  const format = explicit ?? (looksLikeJSON(bytes) ? "json" : "safetensors");
  // A corrupt file's error names the decoder (fromSafetensors, fromJSONCheckpoint), as documented.
  return format === "json" ? fromJSONCheckpoint(new TextDecoder().decode(bytes)) : fromSafetensors(bytes);
}

/** Throws a ValueError naming `op` unless `path` is a non-empty string. */
function checkPath(op: string, path: unknown): void {
  if (typeof path !== "string" || path === "") {
    throw new ValueError(
      op,
      `path must be a non-empty file path string, got ${typeof path === "string" ? '""' : typeof path}`,
    );
  }
}

/**
 * A file system error (ENOENT, EACCES, EISDIR, ...) as a ValueError naming `op` and the user's path (not the
 * temporary file's), keeping Node's `code` (so `e.code === "ENOENT"` still works) and the original as `cause`;
 * other errors pass through.
 */
function fileError(op: string, action: "read" | "write", path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== "string") return error;
  const why: Record<string, string> = {
    ENOENT: action === "read" ? "no such file" : "the folder does not exist",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "it is a folder",
    ENOTDIR: "a part of the path is not a folder",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
  };
  const wrapped = new ValueError(
    op,
    `cannot ${action} ${JSON.stringify(path)}: ${why[code] ?? "file system error"} (${code})`,
  );
  Object.assign(wrapped, { code, cause: error });
  return wrapped;
}

/**
 * Loads a checkpoint file into a model's parameters in place (checking names, shapes and dtypes first).
 * @example await loadParametersFile(net, "planar.safetensors");
 */
export async function loadParametersFile(model: Model, path: string, options: LoadOptions = {}): Promise<void> {
  const op = "loadParametersFile";
  if (model === null || typeof model !== "object" || typeof model.namedParameters !== "function") {
    throw new ValueError(op, "model must have namedParameters() (the Model interface)");
  }
  loadParameters(model, await readFileAs(op, path, options));
}
