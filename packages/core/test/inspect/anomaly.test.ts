import { AnomalyError, detectAnomaly, isAnomalyEnabled, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";
import { twoLayerGraph } from "./nets.js";

/** Runs `fn` and returns the AnomalyError it throws (failing the test if it throws nothing else). */
function anomalyOf(fn: () => unknown): AnomalyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AnomalyError);
    return e as AnomalyError;
  }
  throw new Error("expected an AnomalyError");
}

describe("detectAnomaly", () => {
  it("is off by default: NaN and Infinity pass silently", () => {
    expect(isAnomalyEnabled()).toBe(false);
    const x = tensor([-1, 4], { requiresGrad: true, name: "x" });
    expect(Number.isNaN(x.log().data[0])).toBe(true);
    const r = tensor([0, 4], { requiresGrad: true, name: "r" });
    r.sqrt().sum().backward();
    expect(r.grad?.toArray()).toEqual([Number.POSITIVE_INFINITY, 0.25]);
  });

  it("forward: names log for the log of a negative number, with the tensor's name, shape and the user's line", () => {
    const x = tensor([[2, -1, 3]], { requiresGrad: true, name: "x" });
    const e = anomalyOf(() => detectAnomaly(() => x.mul(2).add(1).log()));
    // x·2 + 1 = [5, −1, 7]: the log of −1 is NaN, at (row, col) (0,1); mul and add are fine.
    expect(e.op).toBe("log");
    expect(e.message).toMatch(/^log: forward produced NaN at index \(0,1\) of its output \(1,3\) \(inputs: \(1,3\)\)/);
    // The first frame is this file's line: the user's own code, not core's.
    expect(e.message).toMatch(/op created at:\n[^\n]*anomaly\.test\.ts:\d+:\d+/);
    const named = anomalyOf(() => detectAnomaly(() => x.log()));
    expect(named.message).toContain("(inputs: x (1,3))");
  });

  it("forward: in a two-layer net with a saturated sigmoid, blames the cost's log(1 − A2), not sigmoid", () => {
    const g = twoLayerGraph(5);
    g.W2.copy_(1e4); // Z2 ≈ 1e4·Σ A1: A2 rounds to exactly 1 or 0
    const e = anomalyOf(() =>
      detectAnomaly(() => {
        const A2 = g.W2.matmul(g.A1).add(g.b2).sigmoid().named("A2");
        return g.Y.mul(A2.log()).add(g.Y.neg().add(1).mul(A2.neg().add(1).log()));
      }),
    );
    expect(e.op).toBe("log");
    expect(e.message).toMatch(/forward produced -Infinity/);
    expect(e.message).toContain("(1,5)");
  });

  it("backward: names sqrt for the infinite gradient of √x at 0, with where the op was created", () => {
    const r = tensor([4, 0, 9], { requiresGrad: true, name: "r" });
    const e = anomalyOf(() =>
      detectAnomaly(() => {
        const s = r.sqrt().named("s");
        s.mul(3).sum().backward();
      }),
    );
    expect(e.op).toBe("sqrt");
    // The gradient for r, 3/(2√r), is +Infinity at r = 0 (index 1); the message names the output s as well as r.
    expect(e.message).toMatch(
      /^sqrt: backward produced \+Infinity at index \(1\) of the gradient for its input 0 'r' \(3\) \(output: 's' \(3\); inputs: r \(3\)\)/,
    );
    // The stack was recorded when sqrt ran (anomaly mode on): it points into this file, not into core.
    const site = e.message.split("op created at:\n")[1];
    expect(site.split("\n")[0]).toContain("anomaly.test.ts");
    expect(site).not.toMatch(/packages[\\/]core[\\/]src/);
  });

  it("backward only: a graph recorded without anomaly mode still names the op and the backward call site", () => {
    const r = tensor([0, 1], { requiresGrad: true, name: "r" });
    const J = r.sqrt().sum();
    const e = anomalyOf(() => detectAnomaly(() => J.backward()));
    expect(e.op).toBe("sqrt");
    expect(e.message).toContain("anomaly.test.ts");
  });

  it("prints (row, col) indices for matrices and the output's name in backward", () => {
    const W = tensor(
      [
        [1, 2],
        [3, 0],
      ],
      { requiresGrad: true, name: "W" },
    );
    // d√W/dW = 1/(2√W) is +Infinity where W = 0: row 1, col 1.
    const e = anomalyOf(() => detectAnomaly(() => W.sqrt().named("S").sum().backward()));
    expect(e.message).toMatch(
      /^sqrt: backward produced \+Infinity at index \(1,1\) of the gradient for its input 0 'W' \(2,2\) \(output: 'S' \(2,2\); inputs: W \(2,2\)\)/,
    );
  });

  it("turns itself off afterwards, also after a throw", () => {
    const x = tensor([-1], { requiresGrad: true });
    expect(() => detectAnomaly(() => x.log())).toThrow(AnomalyError);
    expect(isAnomalyEnabled()).toBe(false);
    expect(() => x.log()).not.toThrow();
  });
});
