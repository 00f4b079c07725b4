/** onnx.checker's structural rules, checked by reading back every field of the files modelToOnnx and toOnnx write. */
import { linear, mean, randn, sigmoid, type Tensor } from "@backprop/core";
import { LogisticRegression, mlp, TwoLayerNet } from "@backprop/layers";
import { modelToOnnx, toOnnx } from "@backprop/onnx";
import { describe, expect, it } from "vitest";
import { decodeModel } from "../src/proto/decode.js";
import { AttributeType, DataType, type ModelProto } from "../src/proto/types.js";

const width: Record<number, number> = { [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.INT64]: 8 };

/** The checker's rules for what backprop writes: versions, typed and shaped graph I/O, SSA, defined inputs, typed attributes, sized data. */
function check(model: ModelProto): void {
  expect(model.irVersion).toBe(8);
  expect(model.opsetImport).toEqual([{ domain: "", version: 18 }]);
  const g = model.graph;
  for (const v of [...g.input, ...g.output]) {
    expect([DataType.FLOAT, DataType.DOUBLE], v.name).toContain(v.elemType);
    expect(v.shape, `${v.name} has a shape`).toBeDefined();
    for (const d of v.shape ?? []) expect(d.value !== undefined || (d.param ?? "") !== "", v.name).toBe(true);
  }
  const defined = new Set<string>();
  const define = (name: string) => {
    expect(defined.has(name), `'${name}' is assigned once`).toBe(false);
    defined.add(name);
  };
  for (const t of g.initializer) {
    define(t.name);
    const size = t.dims.reduce((a, b) => a * b, 1);
    expect(t.rawData?.byteLength, t.name).toBe(size * width[t.dataType]);
  }
  for (const v of g.input) if (!defined.has(v.name)) define(v.name);
  const nodeNames = new Set<string>();
  for (const n of g.node) {
    expect(nodeNames.has(n.name), `node name ${n.name} is unique`).toBe(false);
    nodeNames.add(n.name);
    for (const i of n.input)
      expect(defined.has(i), `${n.opType} ${n.name} reads '${i}' after it is defined`).toBe(true);
    for (const o of n.output) define(o);
    for (const a of n.attribute) {
      const set = {
        [AttributeType.INT]: a.i !== undefined,
        [AttributeType.FLOAT]: a.f !== undefined,
        [AttributeType.INTS]: true,
        [AttributeType.TENSOR]: a.t !== undefined,
      };
      expect(set[a.type as keyof typeof set], `${n.opType}.${a.name} has a type matching its value`).toBe(true);
      if (a.t) expect(a.t.rawData?.byteLength).toBe(a.t.dims.reduce((x, y) => x * y, 1) * width[a.t.dataType]);
    }
  }
  for (const o of g.output) expect(defined.has(o.name), `output ${o.name} is computed`).toBe(true);
}

describe("the files backprop writes follow onnx.checker's structural rules", () => {
  it("modelToOnnx for every layers model", () => {
    for (const model of [
      new LogisticRegression({ nx: 3 }),
      new TwoLayerNet({ nx: 2, nh: 4, ny: 1 }),
      mlp([3, 4, 3, 2], ["relu", { name: "leakyRelu", slope: 0.2 }, "softmax"]),
    ]) {
      check(decodeModel(modelToOnnx(model)));
    }
  });

  it("toOnnx with dynamic axes, parameters as inputs and gradients", () => {
    const W = randn([3, 2], 1).requiresGrad_().named("W");
    const b = randn([3, 1], 2).requiresGrad_().named("b");
    const f = (X: Tensor, Y: Tensor) =>
      mean(
        sigmoid(linear(W, X, b))
          .sub(Y)
          .square(),
      );
    const bytes = toOnnx(f, [randn([2, 4], 3), randn([3, 4], 4)], {
      inputNames: ["X", "Y"],
      dynamicAxes: { X: { 1: "m" }, Y: { 1: "m" } },
      parametersAsInputs: true,
      gradients: "all",
    });
    const model = decodeModel(bytes);
    check(model);
    expect(model.graph.output.map((o) => o.name)).toEqual(["output_0", "grad_W", "grad_b", "grad_X", "grad_Y"]);
    expect(model.graph.output[3].shape).toEqual([{ value: 2 }, { param: "m" }]); // grad_X (2, m)
  });
});
