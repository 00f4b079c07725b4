/** The ONNX example's steps: export a trained net, run it in ONNX Runtime, export a gradient graph, import a model back. */
import { randn, type Tensor, tensor } from "@backprop/core";
import { fit, TwoLayerNet } from "@backprop/layers";
import { fromOnnx, modelToOnnx, toOnnx } from "@backprop/onnx";
import * as ort from "onnxruntime-node";

/** Runs ONNX bytes in ONNX Runtime (CPU) on float64 feeds. */
async function runInOnnxRuntime(
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
): Promise<Record<string, Float64Array>> {
  const session = await ort.InferenceSession.create(bytes);
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [
      name,
      new ort.Tensor("float64", Float64Array.from(t.data), [...t.shape]),
    ]),
  );
  const results = await session.run(inputs);
  await session.release();
  return Object.fromEntries(Object.entries(results).map(([name, v]) => [name, v.data as Float64Array]));
}

/** The largest |a − b| / |b| over two arrays. */
function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return worst;
}

/** What the tour measured, for the printout and the test. */
export interface TourResult {
  modelBytes: number;
  /** Worst relative difference ONNX Runtime vs backprop of A2 at 1 and 9 examples. */
  forwardError: number;
  /** Worst relative difference of J and grad_W1 … grad_b2 (ONNX Runtime vs backprop). */
  gradientError: number;
  /** Worst relative difference of dW1 after fromOnnx → backward vs the net's own dW1. */
  importError: number;
  lines: string[];
}

/** The tour: a small planar-style net trained for a few hundred steps, then the four ONNX steps. */
export async function onnxTour(): Promise<TourResult> {
  const lines: string[] = [];
  // Data: two features per column (examples are columns), label = whether x1·x2 > 0 (an XOR-like pattern).
  const X = randn([2, 200], 1);
  const Y = tensor([Array.from({ length: 200 }, (_, i) => (X.data[i] * X.data[200 + i] > 0 ? 1 : 0))]);
  const net = new TwoLayerNet({ nx: 2, nh: 6, ny: 1, seed: 2, init: "he" });
  fit(net, X, Y, { iterations: 300, learningRate: 1.2 });

  // 1. Export the trained net: input X (2, m), output A (1, m), m symbolic.
  const bytes = modelToOnnx(net);
  lines.push(`1. modelToOnnx(net): ${bytes.length} bytes (input X (2, m), output A (1, m))`);

  // 2. Run it in ONNX Runtime at two batch sizes and compare with backprop's forward pass.
  let forwardError = 0;
  for (const m of [1, 9]) {
    const Xm = randn([2, m], 10 + m);
    const { A } = await runInOnnxRuntime(bytes, { X: Xm });
    forwardError = Math.max(forwardError, worstRelative(A, net.forward(Xm).A2.data));
  }
  lines.push(
    `2. ONNX Runtime vs backprop, A at m = 1 and 9: worst relative difference ${forwardError.toExponential(1)}`,
  );

  // 3. A gradient graph: the cost J and grad_W1 … grad_b2 as ordinary ONNX ops. The cost is the course's formula with
  // core's mean, whose 1/m is read from the batch at run time (layers' losses divide by the number m, which toOnnx
  // refuses to bake in with a dynamic batch axis).
  const cost = (Xb: Tensor, Yb: Tensor) => {
    const A2 = net.forward(Xb).A2;
    return Yb.mul(A2.log())
      .add(Yb.neg().add(1).mul(A2.neg().add(1).log()))
      .mean()
      .neg();
  };
  const training = toOnnx(cost, [X, Y], {
    inputNames: ["X", "Y"],
    outputNames: ["J"],
    dynamicAxes: { X: { 1: "m" }, Y: { 1: "m" } },
    gradients: "parameters",
  });
  const got = await runInOnnxRuntime(training, { X, Y });
  for (const [, p] of net.namedParameters()) p.zeroGrad();
  const J = cost(X, Y);
  J.backward();
  let gradientError = worstRelative(got.J, J.data);
  for (const [name, p] of net.namedParameters()) {
    gradientError = Math.max(gradientError, worstRelative(got[`grad_${name}`], (p.grad as Tensor).data));
  }
  lines.push(
    `3. toOnnx(cost, { gradients: "parameters" }): outputs ${Object.keys(got).join(", ")}; worst relative difference ${gradientError.toExponential(1)}`,
  );

  // 4. Import: the file onto backprop's graph, then backward through the imported model.
  const imported = fromOnnx(bytes);
  for (const [, p] of net.namedParameters()) p.zeroGrad();
  net.loss(X, Y).backward();
  net.cost(imported.run({ X }).A, Y).backward();
  const importError = worstRelative(imported.parameters.W1.grad?.data ?? [], (net.W1.grad as Tensor).data);
  lines.push(
    `4. fromOnnx(bytes).run({ X }) → cost → backward: dW1 vs the net's own, worst relative difference ${importError.toExponential(1)}`,
  );
  return { modelBytes: bytes.length, forwardError, gradientError, importError, lines };
}
