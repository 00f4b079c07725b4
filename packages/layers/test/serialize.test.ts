import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Tensor, tensor, zeros } from "@backprop/core";
import { fromSafetensors, readSafetensors, toSafetensors } from "@backprop/layers";
import { afterAll, describe, expect, it } from "vitest";

import { bits, build, expectValueError, f64, SPECIAL } from "./serializeHelpers.js";

describe("toSafetensors / fromSafetensors", () => {
  it("writes the exact bytes of the spec for a small case (built by hand)", () => {
    const bytes = toSafetensors({ a: tensor([1, -2], [2]) });
    const header = '{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}'; // 55 bytes → 1 space of padding
    expect(header.length).toBe(55);
    const length = [56, 0, 0, 0, 0, 0, 0, 0]; // u64 little-endian header length
    const one = [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]; // 1.0 as little-endian IEEE-754
    const minusTwo = [0, 0, 0, 0, 0, 0, 0x00, 0xc0]; // -2.0
    const expected = [...length, ...Array.from(new TextEncoder().encode(`${header} `)), ...one, ...minusTwo];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it("pads the header with spaces to a multiple of 8 and lays tensors out in order", () => {
    const params: [string, Tensor][] = [
      ["W1", tensor([[1, 2, 3]])],
      ["b1", tensor([[4]], { dtype: "float32" })],
      ["W2", tensor([[5], [6]])],
    ];
    const bytes = toSafetensors(params, { note: "hi" });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text).toMatch(/^\{.*\} *$/);
    expect(JSON.parse(text)).toEqual({
      __metadata__: { note: "hi" },
      W1: { dtype: "F64", shape: [1, 3], data_offsets: [0, 24] },
      b1: { dtype: "F32", shape: [1, 1], data_offsets: [24, 28] },
      W2: { dtype: "F64", shape: [2, 1], data_offsets: [28, 44] },
    });
    expect(bytes.length).toBe(8 + n + 44);
  });

  it("round-trips float64 bit for bit (−0, subnormals, ±Infinity, NaN), float32, scalars, empty tensors and unicode names", () => {
    const params = {
      special: tensor(SPECIAL),
      f32: tensor([1.5, -0, 3.4028234663852886e38, 1e-45, Math.fround(0.1)], { dtype: "float32" }),
      scalar: tensor(7),
      empty: zeros([0, 3]),
      Wé: tensor([
        [1, 2],
        [3, 4],
      ]),
    };
    const back = fromSafetensors(toSafetensors(params));
    expect(Object.keys(back)).toEqual(Object.keys(params));
    expect(bits(back.special.data)).toEqual(bits(SPECIAL));
    expect(back.special.dtype).toBe("float64");
    expect(back.f32.dtype).toBe("float32");
    expect(Array.from(back.f32.data)).toEqual(Array.from(params.f32.data));
    expect(Object.is(back.f32.data[1], -0)).toBe(true);
    expect(back.scalar.shape).toEqual([]);
    expect(back.scalar.item()).toBe(7);
    expect(back.empty.shape).toEqual([0, 3]);
    expect(back.Wé.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(back.Wé.name).toBe("Wé");
  });

  it("reads from a Uint8Array at any byte offset (no alignment assumptions) and returns the metadata", () => {
    const bytes = toSafetensors({ x: tensor([0.1, 0.2, 0.3]) }, { epoch: "3" });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const { tensors, metadata } = readSafetensors(shifted.subarray(3));
    expect(Array.from(tensors.x.data)).toEqual([0.1, 0.2, 0.3]);
    expect(metadata).toEqual({ epoch: "3" });
  });

  it("reads headers written by other writers (spaces in the JSON, data laid out in another order)", () => {
    // Written by hand the way Python's json.dumps would, with b's bytes before a's.
    const header =
      '{"a": {"dtype": "F64", "shape": [1], "data_offsets": [8, 16]}, "b": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}';
    const back = fromSafetensors(build(header, f64(2, 1)));
    expect(back.a.item()).toBe(1);
    expect(back.b.item()).toBe(2);
  });

  it("rejects bad input to the writer", () => {
    const t = tensor([1]);
    expectValueError(
      () =>
        toSafetensors([
          ["a", t],
          ["a", t],
        ]),
      /^toSafetensors: the name "a" appears twice$/,
    );
    expectValueError(() => toSafetensors({ __metadata__: t }), /"__metadata__" is reserved/);
    expectValueError(() => toSafetensors({ a: [1] as unknown as Tensor }), /^toSafetensors: "a" is not a Tensor$/);
    expectValueError(() => toSafetensors({ a: t }, { n: 1 as unknown as string }), /metadata values must be strings/);
  });
});

describe("fromSafetensors rejects truncated or corrupt files with a ValueError", () => {
  const entry = (offsets: [number, number], extra: Record<string, unknown> = {}) => ({
    dtype: "F64",
    shape: [1],
    data_offsets: offsets,
    ...extra,
  });
  const good = toSafetensors({
    W: tensor([
      [1, 2],
      [3, 4],
    ]),
    b: tensor([[5], [6]]),
  });

  const cases: [string, () => Uint8Array, RegExp][] = [
    ["fewer than 8 bytes", () => new Uint8Array(5), /^fromSafetensors: 5 bytes is too short/],
    [
      "a header length past the end",
      () => good.subarray(0, 40),
      /^fromSafetensors: header length \d+ exceeds the 32 bytes after it/,
    ],
    ["a huge header length", () => build({}, new Uint8Array(0), 2 ** 40), /header length 1099511627776 exceeds/],
    [
      "a header that is not JSON",
      () => build("{not json}   "),
      /^fromSafetensors: the 13-byte header is not UTF-8 JSON/,
    ],
    [
      "a header that is not UTF-8",
      () => build(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
      /the 7-byte header is not UTF-8 JSON \(.*encoded data was not valid/,
    ],
    ["a header that is a JSON array", () => build("[1, 2]"), /^fromSafetensors: the header is not a JSON object$/],
    [
      "data cut short (truncated file)",
      () => good.subarray(0, good.length - 1),
      /out of range: the data section has 47 bytes \(truncated file\?\)/,
    ],
    [
      "offsets past the data",
      () => build({ a: entry([0, 16]) }, f64(1)),
      /^fromSafetensors: tensor "a": data_offsets \[0, 16\] out of range/,
    ],
    ["begin after end", () => build({ a: entry([8, 0]) }, f64(1)), /data_offsets \[8, 0\] out of range/],
    [
      "overlapping tensors",
      () => build({ a: entry([0, 8]), b: entry([0, 8]) }, f64(1, 2)),
      /tensors "a" \[0, 8\] and "b" \[0, 8\] overlap/,
    ],
    [
      "a gap between tensors",
      () => build({ a: entry([8, 16]) }, f64(1, 2)),
      /bytes \[0, 8\) before tensor "a" belong to no tensor/,
    ],
    [
      "trailing bytes",
      () => build({ a: entry([0, 8]) }, f64(1, 2)),
      /the data section has 16 bytes but the tensors cover 8/,
    ],
    [
      "an unknown dtype",
      () => build({ a: entry([0, 8], { dtype: "Q8" }) }, f64(1)),
      /^fromSafetensors: tensor "a": unknown dtype "Q8"$/,
    ],
    ["a missing dtype", () => build({ a: { shape: [1], data_offsets: [0, 8] } }, f64(1)), /unknown dtype undefined/],
    [
      "an unsupported dtype",
      () => build({ a: entry([0, 2], { dtype: "F16" }) }, new Uint8Array(2)),
      /dtype F16 is not supported \(only F64 and F32\)/,
    ],
    [
      "a byte count that is not shape × itemsize",
      () => build({ a: entry([0, 16]) }, f64(1, 2)),
      /data_offsets \[0, 16\] hold 16 bytes but shape \(1\) of F64 needs 8/,
    ],
    [
      "a negative dimension",
      () => build({ a: entry([0, 8], { shape: [-1] }) }, f64(1)),
      /shape \[-1\] is not a list of non-negative integers/,
    ],
    [
      "malformed data_offsets",
      () => build({ a: entry([0, 8], { data_offsets: [0] }) }, f64(1)),
      /data_offsets \[0\] is not a pair/,
    ],
    ["an entry that is not an object", () => build({ a: 3 }), /tensor "a": its header entry is not an object/],
    ["non-string metadata", () => build({ __metadata__: { k: 1 } }), /__metadata__ "k" is not a string/],
  ];

  it.each(cases)("%s", (_name, make, message) => {
    expectValueError(() => fromSafetensors(make()), message);
  });

  it("accepts the uncorrupted file these cases start from", () => {
    expect(fromSafetensors(good).W.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("rejects a non-Uint8Array", () => {
    expectValueError(() => fromSafetensors("abc" as unknown as Uint8Array), /^fromSafetensors: expected a Uint8Array/);
  });
});

const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;
// CI's machine has python3 with numpy: under CI=true these tests run (and fail) without it rather than skip silently.
const runPython = hasNumpy || process.env.CI === "true";

describe("interoperability with Python", () => {
  const dir = mkdtempSync(join(tmpdir(), "backprop-safetensors-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // An independent reader: the safetensors package when installed, else the spec by hand with numpy.
  const reader = `
import json, struct, sys
import numpy as np
path = sys.argv[1]
try:
    from safetensors.numpy import load_file
    arrays = load_file(path)
    reader = "safetensors"
except ImportError:
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    arrays = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        dtype = {"F64": "<f8", "F32": "<f4"}[e["dtype"]]
        arrays[name] = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=dtype).reshape(e["shape"])
    reader = "numpy"
out = {name: {"dtype": str(a.dtype), "shape": list(a.shape), "bits": [("nan" if np.isnan(x) else format(int(np.float64(x).view(np.uint64)), "x")) for x in a.astype(np.float64).ravel()]} for name, a in arrays.items()}
print(json.dumps({"reader": reader, "arrays": out}))
`;

  // An independent writer: numpy bytes and a json.dumps header (spaces after separators, no padding), b's data first.
  const writer = `
import json, struct, sys
import numpy as np
W = np.array([[1.0, -0.0], [5e-324, np.pi]])
b = np.array([0.1, 0.2, 0.3], dtype=np.float32)
header = {"W": {"dtype": "F64", "shape": [2, 2], "data_offsets": [12, 44]}, "b": {"dtype": "F32", "shape": [3], "data_offsets": [0, 12]}}
h = json.dumps(header).encode("utf-8")
open(sys.argv[1], "wb").write(struct.pack("<Q", len(h)) + h + b.astype("<f4").tobytes() + W.astype("<f8").tobytes())
`;

  it.runIf(runPython)(
    "python reads our safetensors bit for bit (skipped without python3 + numpy, except under CI)",
    () => {
      expect(hasNumpy, "python3 with numpy is required under CI=true").toBe(true);
      const path = join(dir, "ours.safetensors");
      const params = {
        W1: tensor([SPECIAL.slice(0, 8), SPECIAL.slice(8, 16)]),
        b1: tensor([[0.1], [-0]], { dtype: "float32" }),
      };
      writeFileSync(path, toSafetensors(params, { producer: "backprop" }));
      const run = spawnSync("python3", ["-c", reader, path], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      const { arrays } = JSON.parse(run.stdout);
      expect(arrays.W1.dtype).toBe("float64");
      expect(arrays.W1.shape).toEqual([2, 8]);
      expect(arrays.W1.bits).toEqual(bits(SPECIAL));
      expect(arrays.b1.dtype).toBe("float32");
      expect(arrays.b1.shape).toEqual([2, 1]);
      expect(arrays.b1.bits).toEqual(bits(params.b1.data));
    },
  );

  it.runIf(runPython)(
    "we read a file written by python with numpy (skipped without python3 + numpy, except under CI)",
    () => {
      expect(hasNumpy, "python3 with numpy is required under CI=true").toBe(true);
      const path = join(dir, "theirs.safetensors");
      const run = spawnSync("python3", ["-c", writer, path], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      const back = fromSafetensors(new Uint8Array(readFileSync(path)));
      expect(back.W.shape).toEqual([2, 2]);
      expect(bits(back.W.data)).toEqual(bits([1, -0, 5e-324, Math.PI]));
      expect(back.b.dtype).toBe("float32");
      expect(Array.from(back.b.data)).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    },
  );
});
