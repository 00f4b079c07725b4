/** The hand-written protobuf codec: what it writes it reads back field for field, and it reads both repeated-field encodings. */
import { describe, expect, it } from "vitest";
import { decodeModel } from "../src/proto/decode.js";
import { encodeModel } from "../src/proto/encode.js";
import { Reader, WireType, Writer } from "../src/proto/wire.js";
import { floatTensor, info, int64Tensor, model, node } from "./protoModels.js";

describe("protobuf wire format", () => {
  it("decode(encode(model)) gives the model back, every field", () => {
    const m = model(
      {
        input: [info("X", "float64", [3, "m"])],
        output: [info("Y", "float32", ["m"])],
        initializer: [
          floatTensor("a", [2], [1.5, -2], "float64"),
          floatTensor("b", [2, 1], [0.25, 3], "float32", true),
          int64Tensor("s", [-1, 0, 2 ** 40]),
        ],
        node: [
          node("Gemm", ["X", "a"], ["Y"], { alpha: { f: 0.5 }, transB: 1, perm: [-3, 0, 7] }, "g"),
          node("Constant", [], ["c"], { value: floatTensor("", [], [2], "float64") }),
        ],
      },
      16,
    );
    const back = decodeModel(encodeModel(m));
    expect(back).toEqual(m);
  });

  it("int64 varints: negative values take 10 bytes and read back", () => {
    const w = new Writer();
    w.int64(-1);
    w.int64(2n ** 62n);
    w.varint(300);
    const bytes = w.finish();
    expect(bytes.length).toBe(10 + 9 + 2); // 64 bits in 7-bit groups; 2^62 needs 63 bits = 9 groups; 300 = 2 groups
    const r = new Reader(bytes);
    expect(r.int64()).toBe(-1n);
    expect(r.int64()).toBe(2n ** 62n);
    expect(r.varint()).toBe(300);
    expect(r.done()).toBe(true);
  });

  it("reads repeated scalars packed or unpacked (dims as onnx.proto's proto2 schema writes them)", () => {
    const tensorBytes = (packedDims: boolean) => {
      const w = new Writer();
      if (packedDims) {
        const p = new Writer();
        p.int64(2);
        p.int64(3);
        w.bytes(1, p.finish());
      } else {
        for (const d of [2, 3]) {
          w.tag(1, WireType.Varint);
          w.int64(d);
        }
      }
      w.tag(2, WireType.Varint);
      w.varint(11);
      return w.finish();
    };
    for (const packed of [true, false]) {
      const r = new Reader(tensorBytes(packed));
      const dims: bigint[] = [];
      while (!r.done()) {
        const [field, wire] = r.tag();
        if (field === 1) r.repeated(wire, WireType.Varint, (x) => x.int64(), dims);
        else r.skip(wire);
      }
      expect(dims).toEqual([2n, 3n]);
    }
  });

  it("bounds: a length past the end, a bad wire type, field 0 are errors naming the message", () => {
    expect(() => new Reader(Uint8Array.of(0x05, 1)).sub("x")).toThrow(
      /a field of 5 bytes runs past the end in ModelProto/,
    );
    expect(() => new Reader(Uint8Array.of(0x0b)).skip(3)).toThrow(/unsupported wire type 3/);
    expect(() => new Reader(Uint8Array.of(0x00)).tag()).toThrow(/field number 0/);
    expect(() => new Reader(Uint8Array.of(0xff, 0xff)).varint()).toThrow(/a varint runs past the end/);
  });
});
