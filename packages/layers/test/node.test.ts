import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Tensor, tensor, ValueError } from "@backprop/core";
import { fromSafetensors, type Model, TwoLayerNet } from "@backprop/layers";
import { loadParametersFile, readParametersFile, saveParameters } from "@backprop/layers/node";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "backprop-node-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh empty folder per test, so the listings below see only what that test wrote. */
function folder(): string {
  const dir = join(root, `t${counter++}`);
  mkdirSync(dir);
  return dir;
}

/** A tiny model of our own: w (1,2), b (1,1). */
function tiny(w: number[], b: number): Model & { w: Tensor; b: Tensor } {
  const wt = tensor([w], { requiresGrad: true });
  const bt = tensor([[b]], { requiresGrad: true });
  return {
    w: wt,
    b: bt,
    namedParameters: () => [
      ["w", wt],
      ["b", bt],
    ],
    loss: (X, Y) => wt.matmul(X).add(bt).sub(Y).square().mean(),
  };
}

describe("saveParameters / loadParametersFile", () => {
  it("saves safetensors by default and loads it back into another model", async () => {
    const dir = folder();
    const path = join(dir, "model.safetensors");
    await saveParameters(tiny([1.5, -0], 5e-324), path, { metadata: { step: "10" } });
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    // The file is plain safetensors.
    expect(fromSafetensors(new Uint8Array(readFileSync(path))).w.toArray()).toEqual([[1.5, -0]]);
    const target = tiny([0, 0], 0);
    await loadParametersFile(target, path);
    expect(target.w.toArray()).toEqual([[1.5, -0]]);
    expect(Object.is(target.w.data[1], -0)).toBe(true);
    expect(target.b.item()).toBe(5e-324);
  });

  it("saves JSON for a .json path (or format: 'json'), and detects the format when loading", async () => {
    const dir = folder();
    const a = join(dir, "model.json");
    const b = join(dir, "model.ckpt");
    await saveParameters(tiny([1, Number.NaN], -2), a);
    await saveParameters(tiny([3, 4], Number.NEGATIVE_INFINITY), b, { format: "json" });
    expect(JSON.parse(readFileSync(a, "utf8")).format).toBe("backprop-json");
    expect(readFileSync(b, "utf8").startsWith('{"format":"backprop-json"')).toBe(true);
    const fromA = await readParametersFile(a);
    expect(fromA.w.data[0]).toBe(1);
    expect(Number.isNaN(fromA.w.data[1])).toBe(true);
    const fromB = await readParametersFile(b);
    expect(fromB.b.item()).toBe(Number.NEGATIVE_INFINITY);
    // An explicit format wins over detection.
    await expect(readParametersFile(b, { format: "safetensors" })).rejects.toThrow(/^fromSafetensors: header length/);
  });

  it("accepts named tensors as well as a model, and overwrites an existing checkpoint", async () => {
    const dir = folder();
    const path = join(dir, "p.safetensors");
    await saveParameters({ w: tensor([[1, 2]]), b: tensor([[3]]) }, path);
    await saveParameters([["w", tensor([[7, 8]])] as const, ["b", tensor([[9]])] as const], path);
    const back = await readParametersFile(path);
    expect(back.w.toArray()).toEqual([[7, 8]]);
    expect(readdirSync(dir)).toEqual(["p.safetensors"]);
  });

  it("round-trips the course's TwoLayerNet", async () => {
    const dir = folder();
    const path = join(dir, "planar.safetensors");
    const net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: 2 });
    await saveParameters(net, path);
    const other = new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: 9 });
    await loadParametersFile(other, path);
    expect(other.W1.toArray()).toEqual(net.W1.toArray());
    expect(other.W2.toArray()).toEqual(net.W2.toArray());
  });

  it("checks names and shapes when loading a file into a model", async () => {
    const dir = folder();
    const path = join(dir, "big.safetensors");
    await saveParameters(new TwoLayerNet({ nx: 2, nh: 4, ny: 1 }), path);
    const small = new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });
    await expect(loadParametersFile(small, path)).rejects.toThrow(
      /^loadParameters: the checkpoint does not fit the model \(nothing was loaded\): "W1" is \(4,2\) float64 in the checkpoint but \(3,2\) float64 in the model/,
    );
  });
});

describe("a failed save leaves no partial file behind", () => {
  it("into a folder that does not exist: rejects, creates nothing", async () => {
    const dir = folder();
    await expect(saveParameters(tiny([1, 2], 3), join(dir, "missing", "m.safetensors"))).rejects.toMatchObject({
      code: "ENOENT",
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("when the final rename fails (the path is a folder): the temp file is removed", async () => {
    const dir = folder();
    const target = join(dir, "taken");
    mkdirSync(target);
    writeFileSync(join(target, "keep"), "x"); // a non-empty folder cannot be replaced by a file
    await expect(saveParameters(tiny([1, 2], 3), target)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["taken"]);
    expect(readdirSync(target)).toEqual(["keep"]);
  });

  it("when encoding fails: the existing checkpoint is untouched and no file is created", async () => {
    const dir = folder();
    const path = join(dir, "m.safetensors");
    await saveParameters(tiny([1, 2], 3), path);
    const before = readFileSync(path);
    const bad = [["w", tensor([1])] as const, ["w", tensor([2])] as const];
    await expect(saveParameters(bad, path)).rejects.toThrow(ValueError);
    await expect(saveParameters(bad, path)).rejects.toThrow(/^toSafetensors: the name "w" appears twice$/);
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(["m.safetensors"]);
  });

  it("rejects an unknown format", async () => {
    const dir = folder();
    await expect(saveParameters(tiny([1, 2], 3), join(dir, "m"), { format: "pickle" as "json" })).rejects.toThrow(
      /^saveParameters: format must be "safetensors" or "json", got "pickle"$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("reading corrupt files", () => {
  it("a truncated safetensors file is a ValueError from fromSafetensors", async () => {
    const dir = folder();
    const path = join(dir, "m.safetensors");
    await saveParameters(tiny([1, 2], 3), path);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    await expect(readParametersFile(path)).rejects.toThrow(ValueError);
    await expect(readParametersFile(path)).rejects.toThrow(
      /^fromSafetensors: tensor "b": data_offsets \[16, 24\] out of range/,
    );
  });

  it("a truncated JSON checkpoint is a ValueError from fromJSONCheckpoint", async () => {
    const dir = folder();
    const path = join(dir, "m.json");
    await saveParameters(tiny([1, 2], 3), path);
    writeFileSync(path, readFileSync(path, "utf8").slice(0, 30));
    await expect(readParametersFile(path)).rejects.toThrow(/^fromJSONCheckpoint: not JSON/);
  });

  it("a missing file rejects with ENOENT", async () => {
    await expect(readParametersFile(join(folder(), "nope.safetensors"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
