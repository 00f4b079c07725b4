/** Bad-input catalogue of save/load: checkpoints that do not fit, corrupted JSON, and the /node file helpers' paths and options. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tensor, ValueError } from "@backprop/core";
import {
  fromJSONCheckpoint,
  loadParameters,
  mlp,
  TwoLayerNet,
  toJSONCheckpoint,
  toSafetensors,
} from "@backprop/layers";
import { loadParametersFile, readParametersFile, saveParameters } from "@backprop/layers/node";
import { afterAll, describe, expect, it } from "vitest";
import { bad, expectRejects, expectTyped } from "../../../test/expectTyped.js";

const net = (nh = 3, dtype: "float64" | "float32" = "float64") => new TwoLayerNet({ nx: 2, nh, ny: 1, dtype });
const dir = mkdtempSync(join(tmpdir(), "backprop-catalogue-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const checkpoint = (edit: (doc: { tensors: Record<string, { data: unknown[]; dtype: string }> }) => void) => {
  const doc = JSON.parse(toJSONCheckpoint(net().namedParameters()));
  edit(doc);
  return JSON.stringify(doc);
};

describe("loadParameters: a checkpoint that does not fit loads nothing", () => {
  it("other layer sizes", () => {
    const n = net();
    const W1 = Array.from(n.W1.data);
    expectTyped(
      () => loadParameters(n, net(4).namedParameters()),
      ValueError,
      "loadParameters",
      /^the checkpoint does not fit the model \(nothing was loaded\): "W1" is \(4,2\) float64 in the checkpoint but \(3,2\) float64 in the model; /,
    );
    expect(Array.from(n.W1.data)).toEqual(W1);
  });
  it("another layer count", () => {
    expectTyped(
      () =>
        loadParameters(
          mlp([2, 3, 1], ["relu", "sigmoid"]),
          mlp([2, 3, 3, 1], ["relu", "relu", "sigmoid"]).namedParameters(),
        ),
      ValueError,
      "loadParameters",
      /; unexpected "W3"; unexpected "b3"$/,
    );
  });
  it("another dtype", () => {
    expectTyped(
      () => loadParameters(net(), net(3, "float32").namedParameters()),
      ValueError,
      "loadParameters",
      /"W1" is \(3,2\) float32 in the checkpoint but \(3,2\) float64 in the model/,
    );
  });
  it("a list that is not [name, Tensor] pairs (was a raw TypeError)", () => {
    expectTyped(
      () => loadParameters(net(), bad([1, 2])),
      ValueError,
      "loadParameters",
      "params[0] is not a [name, Tensor] pair (got number): pass a record { W1, b1, … } or model.namedParameters()",
    );
    expectTyped(
      () => loadParameters(net(), bad(null)),
      ValueError,
      "loadParameters",
      "params must be a record of Tensors or [name, Tensor] pairs, got null",
    );
  });
  it("the model itself instead of its parameters (said '\"hiddenActivation\" is not a Tensor')", () => {
    expectTyped(
      () => toJSONCheckpoint(bad(net())),
      ValueError,
      "toJSONCheckpoint",
      "params is a model: pass model.namedParameters()",
    );
    expectTyped(
      () => toSafetensors(bad(net())),
      ValueError,
      "toSafetensors",
      "params is a model: pass model.namedParameters()",
    );
  });
  it("a list of tensors without names (was a raw TypeError)", () => {
    expectTyped(
      () => toSafetensors(bad([tensor([1])])),
      ValueError,
      "toSafetensors",
      "params[0] is not a [name, Tensor] pair (got a Tensor): pass a record { W1, b1, … } or model.namedParameters()",
    );
  });
});

describe("fromJSONCheckpoint: corrupted text", () => {
  it("truncated text, a missing value, a boolean value, a null entry", () => {
    expectTyped(
      () => fromJSONCheckpoint('{"format":"backprop-json","ver'),
      ValueError,
      "fromJSONCheckpoint",
      /^not JSON \(/,
    );
    const short = checkpoint((doc) => doc.tensors.W1.data.pop());
    expectTyped(
      () => fromJSONCheckpoint(short),
      ValueError,
      "fromJSONCheckpoint",
      'tensor "W1": shape (3,2) needs 6 values in "data", got 5 values',
    );
    const bool = checkpoint((doc) => {
      doc.tensors.b2.data[0] = true;
    });
    expectTyped(
      () => fromJSONCheckpoint(bool),
      ValueError,
      "fromJSONCheckpoint",
      'tensor "b2": data[0] is true, not a number',
    );
    const empty = '{"format":"backprop-json","version":1,"tensors":{"W1":null}}';
    expectTyped(
      () => fromJSONCheckpoint(empty),
      ValueError,
      "fromJSONCheckpoint",
      'tensor "W1": unknown dtype undefined (float64 or float32)',
    );
  });
  it("a float32 value outside float32's range (was read as Infinity)", () => {
    const text = checkpoint((doc) => {
      doc.tensors.W1.dtype = "float32";
      doc.tensors.W1.data[1] = 1e300;
    });
    expectTyped(
      () => fromJSONCheckpoint(text),
      ValueError,
      "fromJSONCheckpoint",
      `tensor "W1": data[1] is 1e+300, outside float32's range (a corrupted checkpoint?)`,
    );
  });
  it("NaN, ±Infinity and −0 round-trip (kept)", () => {
    const t = tensor([[Number.NaN, Number.POSITIVE_INFINITY, -0]]);
    expect(Array.from(fromJSONCheckpoint(toJSONCheckpoint({ t })).t.data)).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -0,
    ]);
  });
});

describe("/node: paths and options", () => {
  it("a folder that does not exist (was Node's raw ENOENT naming the temporary file)", async () => {
    const path = join(dir, "missing", "net.safetensors");
    await expectRejects(
      () => saveParameters(net(), path),
      ValueError,
      "saveParameters",
      `cannot write ${JSON.stringify(path)}: the folder does not exist (ENOENT)`,
    );
    await expect(saveParameters(net(), path)).rejects.toMatchObject({ code: "ENOENT" });
  });
  it("a path that is a folder", async () => {
    await expectRejects(
      () => saveParameters(net(), dir),
      ValueError,
      "saveParameters",
      `cannot write ${JSON.stringify(dir)}: it is a folder (EISDIR)`,
    );
    await expectRejects(
      () => readParametersFile(dir),
      ValueError,
      "readParametersFile",
      `cannot read ${JSON.stringify(dir)}: it is a folder (EISDIR)`,
    );
  });
  it("a path that is not a string (was a raw TypeError)", async () => {
    await expectRejects(
      () => saveParameters(net(), bad(42)),
      ValueError,
      "saveParameters",
      "path must be a non-empty file path string, got number",
    );
    await expectRejects(
      () => readParametersFile(bad(undefined)),
      ValueError,
      "readParametersFile",
      "path must be a non-empty file path string, got undefined",
    );
  });
  it("null options (raw TypeErrors) and misspelt options (ignored)", async () => {
    const path = join(dir, "a.safetensors");
    await expectRejects(
      () => saveParameters(net(), path, bad(null)),
      ValueError,
      "saveParameters",
      "options must be an object { format, metadata }, got null",
    );
    await expectRejects(
      () => saveParameters(net(), path, bad({ fmt: "json" })),
      ValueError,
      "saveParameters",
      "unknown option 'fmt': saveParameters takes { format, metadata }",
    );
    await expectRejects(
      () => readParametersFile(path, bad(null)),
      ValueError,
      "readParametersFile",
      "options must be an object { format }, got null",
    );
    await expectRejects(
      () => readParametersFile(path, bad({ fmt: "json" })),
      ValueError,
      "readParametersFile",
      "unknown option 'fmt': readParametersFile takes { format }",
    );
  });
  it("a missing file, for readParametersFile and loadParametersFile", async () => {
    const path = join(dir, "nope.safetensors");
    await expectRejects(
      () => readParametersFile(path),
      ValueError,
      "readParametersFile",
      `cannot read ${JSON.stringify(path)}: no such file (ENOENT)`,
    );
    await expectRejects(
      () => loadParametersFile(net(), path),
      ValueError,
      "loadParametersFile",
      `cannot read ${JSON.stringify(path)}: no such file (ENOENT)`,
    );
    await expectRejects(
      () => loadParametersFile(bad(null), path),
      ValueError,
      "loadParametersFile",
      "model must have namedParameters() (the Model interface)",
    );
  });
  it("corrupted files name the decoder; a shape mismatch names loadParameters (kept)", async () => {
    const garbage = join(dir, "garbage.safetensors");
    writeFileSync(garbage, "hello world, not a checkpoint");
    await expectRejects(
      () => readParametersFile(garbage),
      ValueError,
      "fromSafetensors",
      /^header length \d+ exceeds the 21 bytes after it/,
    );
    const json = join(dir, "cut.json");
    writeFileSync(json, toJSONCheckpoint(net().namedParameters()).slice(0, 40));
    await expectRejects(() => readParametersFile(json), ValueError, "fromJSONCheckpoint", /^not JSON \(/);
    const small = join(dir, "small.safetensors");
    await saveParameters(net(), small);
    await expectRejects(
      () => loadParametersFile(net(4), small),
      ValueError,
      "loadParameters",
      /^the checkpoint does not fit the model/,
    );
  });
});
