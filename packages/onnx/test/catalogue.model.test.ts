/** Bad-input catalogue of fromOnnx, model level: bytes, ModelProto shape, opsets, names, data types and tensor storage. */
import { BackpropError, DTypeError, type Tensor, tensor, ValueError } from "@backprop/core";
import { fromOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { encodeModel } from "../src/proto/encode.js";
import { DataType } from "../src/proto/types.js";
import { WireType, Writer } from "../src/proto/wire.js";
import { bytesOf, floatTensor, info, int64Tensor, matMulModel, model, node } from "./protoModels.js";

type ErrorClass = new (...args: never[]) => BackpropError;

const base = matMulModel;
const w6 = floatTensor("w", [2, 3], [1, 2, 3, 4, 5, 6], "float64");
const chain = (...nodes: ReturnType<typeof node>[]) =>
  model({ input: [info("x", "float64", [2, 3])], output: [info("y", "float64", [2, 3])], node: nodes }, 18);

/** A message written field by field with the package's own wire writer. */
function raw(build: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  build(w);
  return w.finish();
}
/** A model whose graph is `graph` (raw bytes), with ir_version 8 and opset 18. */
const withGraph = (graph: Uint8Array) =>
  raw((w) => {
    w.tag(1, WireType.Varint);
    w.varint(8);
    w.bytes(7, graph);
    w.message(8, (o) => {
      o.tag(2, WireType.Varint);
      o.varint(18);
    });
  });

/** [case, bytes, error class, message pattern]: the message starts with the function name and names the culprit. */
const loadCases: Array<[string, () => Uint8Array, ErrorClass, RegExp]> = [
  ["empty bytes", () => new Uint8Array(0), ValueError, /^fromOnnx: corrupt or truncated ONNX bytes: no graph/],
  ["one byte", () => new Uint8Array([0x08]), ValueError, /^fromOnnx: corrupt or truncated ONNX bytes: a varint runs/],
  ["field number 0", () => new Uint8Array([0x00, 0x01]), ValueError, /^fromOnnx: corrupt .*field number 0/],
  ["wire type 7", () => new Uint8Array([0x2f]), ValueError, /^fromOnnx: corrupt .*unsupported wire type 7/],
  ["11-byte varint", () => new Uint8Array([0x08, ...Array(10).fill(0xff), 1]), ValueError, /longer than 10 bytes/],
  ["a length past the end", () => new Uint8Array([0x3a, 0xff, 0xff, 0x03, 1]), ValueError, /runs past the end/],
  ["a JSON file", () => new TextEncoder().encode('{"graph": {}}'), ValueError, /^fromOnnx: corrupt/],
  [
    "a TensorProto, not a ModelProto",
    () => encodeModelPart((w) => w.message(1, () => {})),
    ValueError,
    /^fromOnnx: corrupt .*ModelProto.ir_version has wire type 2/,
  ],
  ["only unknown fields (no graph)", () => raw((w) => w.string(99, "x")), ValueError, /no graph/],
  [
    "ir_version missing",
    () => bytesOf({ ...base(), irVersion: 0 }),
    ValueError,
    /^fromOnnx: ir_version 0 is not an ONNX model's/,
  ],
  [
    "graph is not UTF-8 in a name",
    () => withGraph(raw((g) => g.bytes(2, new Uint8Array([0xff, 0xfe])))),
    ValueError,
    /a string is not UTF-8 in GraphProto/,
  ],
  [
    "sparse initializer",
    () => withGraph(raw((g) => g.bytes(15, new Uint8Array(0)))),
    ValueError,
    /^fromOnnx: sparse initializers are not supported/,
  ],
  ["no opset import", () => bytesOf({ ...base(), opsetImport: [] }), ValueError, /imports no opset of the default/],
  [
    "the default domain imported twice",
    () =>
      bytesOf({
        ...base(),
        opsetImport: [
          { domain: "", version: 18 },
          { domain: "ai.onnx", version: 17 },
        ],
      }),
    ValueError,
    /^fromOnnx: the model imports the default ONNX domain 2 times \(opsets 18, 17\)/,
  ],
  ["opset 12 (too old)", () => bytesOf(base({}, 12)), ValueError, /^fromOnnx: opset 12 is not supported .*13–18/],
  ["opset 19 (too new)", () => bytesOf(base({}, 19)), ValueError, /^fromOnnx: opset 19 is not supported/],
  ["opset 0", () => bytesOf(base({}, 0)), ValueError, /^fromOnnx: opset 0 is not supported/],
  [
    "an op of domain ai.onnx.ml",
    () => bytesOf(base({ node: [{ ...node("Scaler", ["x"], ["y"], {}, "s"), domain: "ai.onnx.ml" }] })),
    ValueError,
    /^fromOnnx: node Scaler 's': op Scaler of domain ai.onnx.ml is not supported/,
  ],
  [
    "an unsupported op (Conv)",
    () => bytesOf(base({ node: [node("Conv", ["x", "w"], ["y"], {}, "c1")] })),
    ValueError,
    /^fromOnnx: node Conv 'c1': op Conv is not supported; supported ops: Abs/,
  ],
  [
    "an op named like an Object method",
    () => bytesOf(base({ node: [node("constructor", ["x"], ["y"])] })),
    ValueError,
    /^fromOnnx: node constructor #0: op constructor is not supported/,
  ],
  [
    "a missing initializer",
    () => bytesOf(base({ initializer: [] })),
    ValueError,
    /^fromOnnx: node MatMul 'proj': input 'w' is not defined/,
  ],
  [
    "nodes out of topological order",
    () => bytesOf(chain(node("Exp", ["t"], ["y"], {}, "b"), node("Neg", ["x"], ["t"], {}, "a"))),
    ValueError,
    /^fromOnnx: node Exp 'b': input 't' is not defined by an earlier node/,
  ],
  [
    "a cycle",
    () => bytesOf(chain(node("Add", ["x", "y"], ["t"], {}, "a"), node("Neg", ["t"], ["y"], {}, "b"))),
    ValueError,
    /^fromOnnx: node Add 'a': input 'y' is not defined/,
  ],
  [
    "a node reading its own output",
    () => bytesOf(chain(node("Neg", ["y"], ["y"], {}, "self"))),
    ValueError,
    /^fromOnnx: node Neg 'self': input 'y' is not defined/,
  ],
  [
    "two nodes writing one name",
    () => bytesOf(chain(node("Neg", ["x"], ["y"], {}, "a"), node("Exp", ["x"], ["y"], {}, "b"))),
    ValueError,
    /^fromOnnx: node Exp 'b': output 'y' is already defined/,
  ],
  [
    "a node overwriting a graph input",
    () => bytesOf(chain(node("Neg", ["x"], ["x"], {}, "a"), node("Exp", ["x"], ["y"], {}, "b"))),
    ValueError,
    /^fromOnnx: node Neg 'a': output 'x' is already defined/,
  ],
  [
    "a node overwriting an initializer",
    () => bytesOf(base({ node: [node("Neg", ["w"], ["w"], {}, "a"), node("MatMul", ["x", "w"], ["y"], {}, "p")] })),
    ValueError,
    /^fromOnnx: node Neg 'a': output 'w' is already defined/,
  ],
  [
    "two initializers of one name",
    () => bytesOf(base({ initializer: [w6, { ...w6, doubleData: [0, 0, 0, 0, 0, 0] }] })),
    ValueError,
    /^fromOnnx: two graph initializers are named 'w'/,
  ],
  [
    "two inputs of one name",
    () => bytesOf(base({ input: [info("x", "float64", ["m", 2]), info("x", "float64", ["m", 2])] })),
    ValueError,
    /^fromOnnx: two graph inputs are named 'x'/,
  ],
  [
    "two outputs of one name",
    () => bytesOf(base({ output: [info("y", "float64", ["m", 3]), info("y", "float64", ["m", 3])] })),
    ValueError,
    /^fromOnnx: two graph outputs are named 'y'/,
  ],
  [
    "an empty output name",
    () => bytesOf(base({ node: [node("MatMul", ["x", "w"], [""], {}, "p")] })),
    ValueError,
    /^fromOnnx: node MatMul 'p': its output has an empty name/,
  ],
  ["an output never produced", () => bytesOf(base({ node: [] })), ValueError, /graph output 'y' is never computed/],
  [
    "a node with two outputs",
    () => bytesOf(base({ node: [node("MatMul", ["x", "w"], ["y", "z"], {}, "mm")] })),
    ValueError,
    /^fromOnnx: node MatMul 'mm': has 2 outputs/,
  ],
];

/** A ModelProto-shaped message built by hand (field 1 written as a message: what a TensorProto's dims never are). */
function encodeModelPart(build: (w: Writer) => void): Uint8Array {
  return raw(build);
}

const dtypeCases: Array<[string, number]> = [
  ["int8", DataType.INT8],
  ["float16", DataType.FLOAT16],
  ["bfloat16", 16],
  ["string", DataType.STRING],
  ["complex64", 14],
  ["complex128", 15],
  ["float8e4m3fn", 17],
  ["int64", DataType.INT64],
];

describe("fromOnnx model-level catalogue", () => {
  it("accepts the base model (each case fails for its one change)", () => {
    expect(
      fromOnnx(bytesOf(base()))
        .run({ x: tensor([[1, 1]]) })
        .y.toArray(),
    ).toEqual([[5, 7, 9]]);
  });

  it.each(loadCases)("%s: a typed error naming it", (_, bytes, Class, pattern) => {
    const b = bytes();
    expect(() => fromOnnx(b)).toThrow(Class);
    expect(() => fromOnnx(b)).toThrow(pattern);
  });

  it("every truncation of a valid model is a ValueError (never a RangeError or a wrong model)", () => {
    const good = bytesOf(base());
    for (let cut = 0; cut < good.length; cut++) {
      expect(() => fromOnnx(good.subarray(0, cut)), `cut at ${cut}`).toThrow(ValueError);
    }
  });

  it("every single flipped byte either loads and runs or is a BackpropError", () => {
    const good = bytesOf(base());
    for (let i = 0; i < good.length; i++) {
      for (const v of [0x00, 0x7f, 0x80, 0xff]) {
        const bad = good.slice();
        bad[i] = v;
        try {
          fromOnnx(bad).run({ x: tensor([[1, 1]]) });
        } catch (e) {
          expect(e, `byte ${i} = ${v}: ${e}`).toBeInstanceOf(BackpropError);
          expect((e as Error).message, `byte ${i} = ${v}`).toMatch(/^fromOnnx(\.run)?: /);
        }
      }
    }
  });

  it.each(dtypeCases)("a %s graph input or output is a DTypeError naming it", (name, type) => {
    expect(() => fromOnnx(bytesOf(base({ input: [info("x", type, ["m", 2])] })))).toThrow(DTypeError);
    expect(() => fromOnnx(bytesOf(base({ input: [info("x", type, ["m", 2])] })))).toThrow(
      new RegExp(`^fromOnnx: input 'x' has type ${name}; fromOnnx supports float32 and float64`),
    );
    expect(() => fromOnnx(bytesOf(base({ output: [info("y", type, ["m", 3])] })))).toThrow(
      `output 'y' has type ${name}`,
    );
  });

  it("a graph input or output with no tensor type (a sequence, or no type at all) is a DTypeError naming it", () => {
    expect(() => fromOnnx(bytesOf(base({ input: [{ name: "x", elemType: 0 }] })))).toThrow(DTypeError);
    expect(() => fromOnnx(bytesOf(base({ output: [{ name: "y", elemType: 0 }] })))).toThrow(
      /^fromOnnx: output 'y' is not a typed tensor \(no type, or a sequence, map or optional type\)/,
    );
  });

  it.each(dtypeCases.slice(1, 7))("a %s initializer is a DTypeError naming the tensor", (name, type) => {
    const bad = base({ initializer: [{ ...w6, dataType: type }] });
    expect(() => fromOnnx(bytesOf(bad))).toThrow(DTypeError);
    expect(() => fromOnnx(bytesOf(bad))).toThrow(`fromOnnx: initializer 'w': tensor 'w' has data type ${name}`);
  });

  it("tensor storage: external data, raw_data of the wrong length, typed data too short or too long", () => {
    const cases: Array<[Partial<typeof w6>, RegExp]> = [
      [{ external: true }, /^fromOnnx: initializer 'w': tensor 'w' keeps its data in an external file/],
      [{ doubleData: [], rawData: new Uint8Array(40) }, /tensor 'w' of shape \(2,3\) holds 5 values, expected 6/],
      [{ doubleData: [], rawData: new Uint8Array(56) }, /holds 7 values, expected 6/],
      [
        { doubleData: [], rawData: new Uint8Array(47) },
        /has 47 bytes of raw_data, not a whole number of 8-byte float64/,
      ],
      [{ doubleData: [1, 2, 3, 4, 5, 6, 7] }, /holds 7 values, expected 6/],
      [{ doubleData: [] }, /holds 0 values, expected 6/],
    ];
    for (const [change, pattern] of cases) {
      expect(() => fromOnnx(bytesOf(base({ initializer: [{ ...w6, ...change }] }))), pattern.source).toThrow(pattern);
    }
  });

  it("huge declared sizes are refused before anything is allocated (no RangeError, no gigabytes)", () => {
    const huge = [
      [100_000, 100_000],
      [2 ** 40, 2 ** 40],
      [2 ** 26, 2 ** 26, 2 ** 26],
    ];
    for (const dims of huge) {
      for (const t of [floatTensor("w", dims, [1, 2], "float64"), floatTensor("w", dims, [1, 2], "float32", true)]) {
        expect(() => fromOnnx(bytesOf(base({ initializer: [t] }))), `${dims}`).toThrow(
          /tensor 'w' of shape .* holds 2/,
        );
      }
      const shape = int64Tensor("s", [1, 2], dims);
      expect(() => fromOnnx(bytesOf(base({ initializer: [w6, shape] })))).toThrow(ValueError);
    }
    // A dimension beyond 2^53 or negative is refused by the decoder.
    expect(() => fromOnnx(bytesOf(base({ initializer: [{ ...w6, dims: [-1, 3] }] })))).toThrow(
      /a tensor dimension -1 is not a valid size in TensorProto/,
    );
    // A huge declared input shape is only a contract the feed must meet.
    const m = fromOnnx(bytesOf(base({ input: [info("x", "float64", [2 ** 52, 2])] })));
    expect(() => m.run({ x: tensor([[1, 1]]) })).toThrow(/input 'x' has shape \(4503599627370496,2\) in the model/);
  });

  it("names that are Object.prototype keys are ordinary names (parameters, inputs, outputs)", () => {
    const params = model(
      {
        input: [info("constructor", "float64", [1, 2])],
        output: [info("valueOf", "float64", [1, 3])],
        initializer: [{ ...w6, name: "__proto__" }],
        node: [node("MatMul", ["constructor", "__proto__"], ["valueOf"])],
      },
      18,
    );
    const m = fromOnnx(bytesOf(params));
    expect(Object.keys(m.parameters)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(m.parameters, "__proto__")?.value.shape).toEqual([2, 3]);
    expect((m.run({ constructor: tensor([[1, 1]]) }).valueOf as unknown as Tensor).toArray()).toEqual([[5, 7, 9]]);
    const outputs = model(
      {
        input: [info("x", "float64", [2])],
        output: [info("__proto__", "float64", [2])],
        node: [node("Neg", ["x"], ["__proto__"])],
      },
      18,
    );
    const out = fromOnnx(bytesOf(outputs)).run({ x: tensor([1, 2]) });
    expect(Object.keys(out)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value.toArray()).toEqual([-1, -2]);
  });

  it("inputs with unknown dims or no shape accept any feed of the dtype", () => {
    for (const input of [
      { name: "x", elemType: DataType.DOUBLE },
      { ...info("x", "float64", [2]), shape: [{}, {}] },
    ]) {
      expect(
        fromOnnx(bytesOf(base({ input: [input] })))
          .run({ x: tensor([[1, 0]]) })
          .y.toArray(),
      ).toEqual([[1, 2, 3]]);
    }
  });

  it("an output the graph computes in another dtype than declared is a DTypeError at run", () => {
    const bad = model(
      {
        input: [info("x", "float64", [2])],
        output: [info("y", "float64", [2])],
        node: [node("Cast", ["x"], ["y"], { to: DataType.FLOAT }, "c")],
      },
      18,
    );
    expect(() => fromOnnx(encodeModel(bad)).run({ x: tensor([1, 2]) })).toThrow(DTypeError);
    expect(() => fromOnnx(encodeModel(bad)).run({ x: tensor([1, 2]) })).toThrow(
      /^fromOnnx.run: output 'y' is float64 in the model, the graph computes float32/,
    );
  });
});
