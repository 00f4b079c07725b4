/** Checkpoints survive a crash: a process killed mid-save leaves the old or the new file, and the next save sweeps its temp file. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Tensor } from "@backprop/core";
import { readParametersFile, saveParameters } from "@backprop/layers/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const child = fileURLToPath(new URL("./fixtures/saveLoop.mjs", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "backprop-crash-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  // The child process runs dist/: bring it up to date with the sources (incremental, a no-op after `pnpm build`).
  execFileSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-b", "packages/layers"], {
    cwd: repo,
    stdio: "inherit",
  });
}, 120_000);

/** A checkpoint of 2^20 float64 values (8 MiB): large enough that every save takes milliseconds. */
function version(v: 0 | 1): Record<string, Tensor> {
  const n = 1 << 19;
  const w = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    w[i] = v === 0 ? i + 0.25 : -(3 * i + 0.5);
    b[i] = v === 0 ? 1 / (i + 1) : i * 1e-300;
  }
  return { W: new Tensor(w, [n / 8, 8]), b: new Tensor(b, [n, 1]) };
}

/** Starts the saving child and resolves once its save loop runs. */
function startSaving(path: string, first: string, second: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [child, path, first, second], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    proc.once("error", reject);
    proc.once("exit", (code) => reject(new Error(`the saving child exited early with code ${code}`)));
    proc.stdout?.once("data", () => resolve(proc));
  });
}

function killed(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.removeAllListeners("exit");
    proc.once("exit", () => resolve());
    proc.kill("SIGKILL");
  });
}

/** Temporary files in `dir` (everything but the named files). */
function strays(dir: string, keep: string[]): string[] {
  return readdirSync(dir).filter((name) => !keep.includes(name));
}

describe("saveParameters under SIGKILL", () => {
  it("leaves the old or the new checkpoint after each of 12 kills, and the next save removes the temp file", async () => {
    const dir = join(root, "kills");
    mkdirSync(dir);
    const refs = join(root, "refs");
    mkdirSync(refs);
    const first = join(refs, "v0.safetensors");
    const second = join(refs, "v1.safetensors");
    await saveParameters(version(0), first);
    await saveParameters(version(1), second);
    const expected = [readFileSync(first), readFileSync(second)];
    const path = join(dir, "model.safetensors");
    await saveParameters(version(0), path);

    let leftBehind = 0;
    for (let round = 0; round < 12; round++) {
      const proc = await startSaving(path, first, second);
      // A random moment within a few saves (each writes and fsyncs 8 MiB).
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 150));
      await killed(proc);
      const bytes = readFileSync(path);
      expect(expected[0].equals(bytes) || expected[1].equals(bytes), `round ${round}: a whole version`).toBe(true);
      const loaded = await readParametersFile(path);
      expect(loaded.W.shape).toEqual([1 << 16, 8]);
      if (strays(dir, ["model.safetensors"]).length > 0) leftBehind++;
      // The next save (here, by this live process) removes the dead process's temporary file.
      await saveParameters(version(round % 2 === 0 ? 1 : 0), path);
      expect(strays(dir, ["model.safetensors"]), `round ${round}`).toEqual([]);
    }
    // Not asserted (timing decides it), but a kill mid-write is what the sweep is for.
    console.log(`checkpointCrash: ${leftBehind} of 12 kills left a temporary file, each removed by the next save`);
  }, 60_000);
});

describe("the next save's sweep of temporary files", () => {
  it("removes a dead process's and its own stale files, keeps a live process's and other paths'", async () => {
    const dir = join(root, "sweep");
    mkdirSync(dir);
    const path = join(dir, "m.safetensors");
    const dead = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((resolve) => dead.once("exit", () => resolve(dead.pid as number)));
    const files = {
      dead: `.m.safetensors.${deadPid}.0123456789ab.tmp`,
      mine: `.m.safetensors.${process.pid}.0123456789ab.tmp`,
      live: `.m.safetensors.${process.ppid}.0123456789ab.tmp`, // our parent runs while we do
      otherPath: `.n.safetensors.${deadPid}.0123456789ab.tmp`,
      notOurs: `.m.safetensors.${deadPid}.notatempfile`,
    };
    for (const name of Object.values(files)) writeFileSync(join(dir, name), "partial");
    await saveParameters(version(0), path);
    expect(readdirSync(dir).sort()).toEqual([files.live, files.otherPath, files.notOurs, "m.safetensors"].sort());
  });
});
