/** Soak test (`pnpm soak`, not in CI): long runs must keep heap and RSS flat and stay correct. Run with --expose-gc. */

import fc from "fast-check";
import { planarDataset } from "../examples/planar/dist/data.js";
import { noGrad, RandomState, sub, zeros } from "../packages/core/dist/index.js";
import { fit, TwoLayerNet } from "../packages/layers/dist/index.js";
import { assertGradcheck, computationalGraph } from "../packages/testing/dist/index.js";

const usage = `Usage: node --expose-gc --min-semi-space-size=16 scripts/soak.mjs [--steps N] [--graphs N] [--only ops|fit|graphs]
  --steps N   planar training steps, each through core's ops and through TwoLayerNet + fit (default 1000000)
  --graphs N  random graphs from @backprop/testing through gradcheck (default 100000)
Samples heap (after GC) and RSS every 1% of a run; fails if, after the first 5% (warm-up), heap varies by more
than 1 MB or RSS by more than 8 MB. --min-semi-space-size=16 (what \`pnpm soak\` passes) starts V8's young generation
at its largest size: otherwise V8 enlarges it once, some 300,000 steps in (10–12 MB of RSS), which reads as a leak.`;

const HEAP_LIMIT = 1 << 20;
const RSS_LIMIT = 8 << 20;
/** Steps between parameter resets: the course's run length, so α = 1.2 never drives the sigmoid to saturation. */
const RUN = 10_000;

function parseArgs(argv) {
  const options = { steps: 1_000_000, graphs: 100_000, only: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--help") {
      console.log(usage);
      process.exit(0);
    }
    const value = argv[++i];
    if (flag === "--steps" || flag === "--graphs") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 100) throw new Error(`${flag} must be an integer ≥ 100, got ${value}`);
      options[flag.slice(2)] = n;
    } else if (flag === "--only" && ["ops", "fit", "graphs"].includes(value)) {
      options.only = value;
    } else {
      throw new Error(`unknown option ${flag} ${value ?? ""}\n${usage}`);
    }
  }
  return options;
}

/** Heap after two full collections, RSS, and what V8 has reserved for its heap (RSS moves with it) and off-heap buffers. */
function sample() {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, rss, heapTotal, arrayBuffers } = process.memoryUsage();
  return { heap: heapUsed, rss, heapTotal, arrayBuffers };
}

/** Runs `step(i)` `total` times, sampling memory every 1%; returns the figures after the 5% warm-up. */
function soak(label, total, step) {
  const every = Math.max(1, Math.floor(total / 100));
  const samples = [];
  const began = Date.now();
  for (let i = 0; i < total; i++) {
    step(i);
    if ((i + 1) % every === 0) {
      samples.push(sample());
      if (samples.length % 10 === 0) {
        const s = samples[samples.length - 1];
        console.error(`${label}: ${i + 1}/${total}, heap ${mb(s.heap)}, rss ${mb(s.rss)}, ${seconds(began)}`);
      }
    }
  }
  const steady = samples.slice(Math.ceil(samples.length * 0.05));
  const range = (key) => Math.max(...steady.map((s) => s[key])) - Math.min(...steady.map((s) => s[key]));
  const result = {
    label,
    steps: total,
    wallSeconds: (Date.now() - began) / 1000,
    heapStart: steady[0].heap,
    heapRange: range("heap"),
    rssStart: steady[0].rss,
    rssRange: range("rss"),
    heapTotalRange: range("heapTotal"),
    arrayBuffersRange: range("arrayBuffers"),
  };
  result.flat = result.heapRange <= HEAP_LIMIT && result.rssRange <= RSS_LIMIT;
  return result;
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MB`;
const seconds = (began) => `${((Date.now() - began) / 1000).toFixed(0)} s`;

const { X, Y } = planarDataset(1);
const m = X.shape[1];

/** The course's planar step written with core's ops: forward, cost, backward, update. */
function coreOpsStep() {
  let W1;
  let b1;
  let W2;
  let b2;
  return (i) => {
    if (i % RUN === 0) {
      const rs = new RandomState(2);
      W1 = rs.randn(4, 2).mul(0.01).requiresGrad_();
      b1 = zeros([4, 1], { requiresGrad: true });
      W2 = rs.randn(1, 4).mul(0.01).requiresGrad_();
      b2 = zeros([1, 1], { requiresGrad: true });
    }
    const A1 = W1.matmul(X).add(b1).tanh();
    const A2 = W2.matmul(A1).add(b2).sigmoid();
    const J = Y.mul(A2.log())
      .add(sub(1, Y).mul(sub(1, A2).log()))
      .sum()
      .div(-m);
    J.backward();
    if (!Number.isFinite(J.item())) throw new Error(`core ops: cost ${J.item()} at step ${i}`);
    noGrad(() => {
      for (const p of [W1, b1, W2, b2]) {
        p.sub_(p.grad.mul(1.2));
        p.grad = null;
      }
    });
  };
}

/** TwoLayerNet + fit, 1,000 iterations per call (each call's costs list is then garbage), a new net every 10,000. */
function fitStep() {
  const perCall = 1000;
  let net;
  return (call) => {
    if ((call * perCall) % RUN === 0) net = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
    const { costs } = fit(net, X, Y, { iterations: perCall, learningRate: 1.2 });
    if (costs.length !== perCall) throw new Error(`fit ran ${costs.length} iterations`);
  };
}

/** Random computational graphs through gradcheck, drawn as test/autodiff.property.test.ts draws them (seeds 0, 1, 2, …). */
function graphStep() {
  return (seed) => {
    const [{ f, inputs }] = fc.sample(computationalGraph(), { numRuns: 1, seed });
    // allowUnused: a random graph may ignore one of its inputs. Throws a GradcheckError with the numbers (seed in the log).
    assertGradcheck(f, inputs, { allowUnused: true });
  };
}

const options = parseArgs(process.argv.slice(2));
if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc (pnpm soak does)");
const results = [];
const began = Date.now();
if (options.only === null || options.only === "ops") results.push(soak("core ops", options.steps, coreOpsStep()));
if (options.only === null || options.only === "fit")
  results.push(soak("TwoLayerNet + fit", options.steps / 1000, fitStep()));
if (options.only === null || options.only === "graphs")
  results.push(soak("gradcheck on random graphs", options.graphs, graphStep()));

for (const r of results) {
  const steps = r.label === "TwoLayerNet + fit" ? `${r.steps * 1000} steps (${r.steps} fit calls)` : `${r.steps}`;
  console.log(
    `${r.label}: ${steps} in ${r.wallSeconds.toFixed(0)} s; heap ${mb(r.heapStart)} ± range ${mb(r.heapRange)}, rss ${mb(r.rssStart)} ± range ${mb(r.rssRange)} (V8 heap reserved: range ${mb(r.heapTotalRange)}; array buffers: range ${mb(r.arrayBuffersRange)}) → ${r.flat ? "flat" : "NOT FLAT"}`,
  );
}
console.log(`total wall time ${seconds(began)}`);
if (results.some((r) => !r.flat)) process.exit(1);
