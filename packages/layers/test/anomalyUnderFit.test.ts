/** Anomaly mode under fit and the models: "op created at" starts at the user's own line, and NaN in X reports X. */
import { AnomalyError, detectAnomaly, tensor, ValueError } from "@backprop/core";
import { fit, TwoLayerNet } from "@backprop/layers";
import { describe, expect, it } from "vitest";

const X = tensor([
  [1, 2, -1, 0.5, 3],
  [0, 1, 2, -2, 1],
]);
const Y = tensor([[1, 0, 0, 1, 1]]);

function thrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("detectAnomaly around fit", () => {
  it("blames the op and starts the stack at the line that called fit, with no library frames", () => {
    const net = new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });
    net.W1.data[1] = Number.POSITIVE_INFINITY; // W1·X meets Infinity·0 in column 0: NaN at Z1 (0,0)
    const error = thrownBy(() => detectAnomaly(() => fit(net, X, Y, { iterations: 2, learningRate: 0.1 })));
    expect(error).toBeInstanceOf(AnomalyError);
    expect(error.message).toMatch(
      /^linear: forward produced NaN at index \(0,0\) of its output \(3,5\) \(inputs: W1 \(3,2\), \(2,5\), b1 \(3,1\)\)/,
    );
    const site = error.message.split("op created at:\n")[1].split("\n");
    expect(site[0]).toMatch(/anomalyUnderFit\.test\.ts:\d+:\d+/);
    expect(site.join("\n")).not.toMatch(/packages[\\/](core|layers)[\\/]src/);
  });

  it("NaN in X is reported as X (the data check runs before any op), with or without anomaly mode", () => {
    const net = new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });
    const bad = tensor([
      [1, 2, -1, 0.5, 3],
      [0, 1, Number.NaN, -2, 1],
    ]);
    const expected = new ValueError(
      "TwoLayerNet.loss",
      "X must hold finite numbers, found NaN at index (1,2) of X (2,5)",
    );
    expect(() => net.loss(bad, Y)).toThrow(expected);
    expect(() => detectAnomaly(() => net.loss(bad, Y))).toThrow(expected);
    expect(() => detectAnomaly(() => fit(net, bad, Y, { iterations: 1, learningRate: 0.1 }))).toThrow(
      new ValueError("fit", "X must hold finite numbers, found NaN at index (1,2) of X (2,5)"),
    );
  });
});
