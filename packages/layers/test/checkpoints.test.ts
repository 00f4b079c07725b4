import { type Tensor, tensor } from "@backprop/core";
import {
  fromJSONCheckpoint,
  fromSafetensors,
  loadParameters,
  type Model,
  TwoLayerNet,
  toJSONCheckpoint,
  toSafetensors,
} from "@backprop/layers";
import { describe, expect, it } from "vitest";

import { bits, expectValueError, SPECIAL } from "./serializeHelpers.js";

describe("JSON checkpoints", () => {
  it("has the documented format, with NaN, ±Infinity and −0 as strings", () => {
    const text = toJSONCheckpoint({
      b: tensor([[-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1]]),
    });
    expect(text).toBe(
      '{"format":"backprop-json","version":1,"tensors":{"b":{"dtype":"float64","shape":[1,5],"data":["-0","NaN","Infinity","-Infinity",0.1]}}}',
    );
  });

  it("round-trips float64 exactly and keeps dtypes and shapes", () => {
    const values = [...SPECIAL, ...Array.from({ length: 50 }, (_, i) => Math.sin(i) * 10 ** (i - 25))];
    const params: [string, Tensor][] = [
      ["v", tensor(values)],
      [
        "f",
        tensor(
          [
            [0.1, -0],
            [3, 1e-45],
          ],
          { dtype: "float32" },
        ),
      ],
      ["s", tensor(2.5)],
    ];
    const back = fromJSONCheckpoint(toJSONCheckpoint(params));
    expect(bits(back.v.data)).toEqual(bits(values));
    expect(back.f.dtype).toBe("float32");
    expect(back.f.shape).toEqual([2, 2]);
    expect(Array.from(back.f.data)).toEqual(Array.from(params[1][1].data));
    expect(back.s.shape).toEqual([]);
  });

  it.each([
    ["not JSON", "{", /^fromJSONCheckpoint: not JSON/],
    ["another format", '{"format":"x","version":1,"tensors":{}}', /"format" is "x", expected "backprop-json"/],
    ["another version", '{"format":"backprop-json","version":2,"tensors":{}}', /unsupported version 2/],
    ["no tensors", '{"format":"backprop-json","version":1}', /"tensors" is not an object/],
    [
      "a bad dtype",
      '{"format":"backprop-json","version":1,"tensors":{"a":{"dtype":"int8","shape":[1],"data":[1]}}}',
      /tensor "a": unknown dtype "int8"/,
    ],
    [
      "a bad shape",
      '{"format":"backprop-json","version":1,"tensors":{"a":{"dtype":"float64","shape":[1.5],"data":[1]}}}',
      /shape \[1.5\]/,
    ],
    [
      "too few values",
      '{"format":"backprop-json","version":1,"tensors":{"a":{"dtype":"float64","shape":[2],"data":[1]}}}',
      /shape \(2\) needs 2 values in "data", got 1 values/,
    ],
    [
      "a bad value",
      '{"format":"backprop-json","version":1,"tensors":{"a":{"dtype":"float64","shape":[1],"data":["nan"]}}}',
      /data\[0\] is "nan", not a number/,
    ],
    [
      "null value",
      '{"format":"backprop-json","version":1,"tensors":{"a":{"dtype":"float64","shape":[1],"data":[null]}}}',
      /data\[0\] is null/,
    ],
  ])("rejects %s", (_name, text, message) => {
    expectValueError(() => fromJSONCheckpoint(text), message);
  });

  it("says a checkpoint encoded twice or passed parsed is the wrong kind of value, with the fix", () => {
    const text = toJSONCheckpoint({ W1: tensor([[1, 2]]) });
    // JSON.stringify(toJSONCheckpoint(…)): toJSONCheckpoint already returns text (before: '"format" is undefined').
    expectValueError(
      () => fromJSONCheckpoint(JSON.stringify(text)),
      /^fromJSONCheckpoint: the text is a JSON string, not an object: the checkpoint was encoded twice \(toJSONCheckpoint already returns JSON text: write it as it is, without JSON.stringify\)$/,
    );
    expectValueError(
      () => fromJSONCheckpoint(JSON.parse(text) as string),
      /^fromJSONCheckpoint: expected a string \(the JSON text toJSONCheckpoint returned, not parsed\), got object$/,
    );
    expect(fromJSONCheckpoint(text).W1?.toArray()).toEqual([[1, 2]]);
  });
});

describe("loadParameters", () => {
  /** A tiny model of our own: w (1,2), b (1,1). */
  const tiny = (): Model & { w: Tensor; b: Tensor } => {
    const w = tensor([[0, 0]], { requiresGrad: true });
    const b = tensor([[0]], { requiresGrad: true });
    return {
      w,
      b,
      namedParameters: () => [
        ["w", w],
        ["b", b],
      ],
      loss: (X, Y) => w.matmul(X).add(b).sub(Y).square().mean(),
    };
  };

  it("copies values into the model's own tensors, in place", () => {
    const model = tiny();
    const storage = model.w.data;
    loadParameters(model, { w: tensor([[1.5, -2]]), b: tensor([[0.25]]) });
    expect(model.w.data).toBe(storage);
    expect(model.w.toArray()).toEqual([[1.5, -2]]);
    expect(model.b.item()).toBe(0.25);
    expect(model.w.requiresGrad).toBe(true);
    expect(model.w.isLeaf).toBe(true);
  });

  it("lists every mismatch (missing, unexpected, shape, dtype) and loads nothing", () => {
    const model = tiny();
    expectValueError(
      () => loadParameters(model, { w: tensor([[1, 2, 3]]), extra: tensor([1]) }),
      /^loadParameters: the checkpoint does not fit the model \(nothing was loaded\): "w" is \(1,3\) float64 in the checkpoint but \(1,2\) float64 in the model; missing "b" \(1,1\) float64; unexpected "extra"$/,
    );
    expectValueError(
      () => loadParameters(model, { w: tensor([[1, 2]], { dtype: "float32" }), b: tensor([[1]]) }),
      /"w" is \(1,2\) float32 in the checkpoint but \(1,2\) float64 in the model/,
    );
    expect(model.w.toArray()).toEqual([[0, 0]]);
    expect(model.b.item()).toBe(0);
  });

  it("restores a TwoLayerNet saved through safetensors and through JSON", () => {
    const trained = new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: 2 });
    loadParameters(trained, {
      W1: tensor([
        [1, -2],
        [0.5, 3],
        [-0, 2e-310],
        [4, 5],
      ]),
      b1: tensor([[0.1], [0.2], [0.3], [0.4]]),
      W2: tensor([[1, 2, 3, 4]]),
      b2: tensor([[-1]]),
    });
    for (const roundTrip of [
      (m: Model) => fromSafetensors(toSafetensors(m.namedParameters())),
      (m: Model) => fromJSONCheckpoint(toJSONCheckpoint(m.namedParameters())),
    ]) {
      const fresh = new TwoLayerNet({ nx: 2, nh: 4, ny: 1, seed: 7 });
      loadParameters(fresh, roundTrip(trained));
      for (const [name, p] of fresh.namedParameters()) {
        const original = trained.namedParameters().find(([n]) => n === name)?.[1] as Tensor;
        expect(bits(p.data)).toEqual(bits(original.data));
      }
    }
  });
});
