/** Measures a 1,000-op elementwise chain, forward + backward, with anomaly detection off (the default) and on: `node scripts/measure-anomaly-off.mjs [size] [repeats]`. */
// Runs against the built package (`npx -y pnpm@10.34.8 build` first). Off is the path every program
// takes; on checks every op's output and every gradient for NaN/±Infinity and records a stack per op.
import { detectAnomaly, tensor } from "../dist/index.js";

const size = Number(process.argv[2] ?? 100);
const repeats = Number(process.argv[3] ?? 15);
const ops = 1000;

/** x → tanh(x·0.9 + 0.1) → ... : 1,000 recorded elementwise ops (mul, add, tanh in turn), then backward. */
function chain() {
  const x = tensor(
    Array.from({ length: size }, (_, i) => Math.sin(i)),
    { requiresGrad: true },
  );
  let y = x;
  for (let i = 0; i < ops; i++) y = i % 3 === 0 ? y.mul(0.9) : i % 3 === 1 ? y.add(0.1) : y.tanh();
  y.sum().backward();
  return x.grad;
}

/** Median seconds of one chain over `repeats` timed runs (after warm-up). */
function time(run) {
  for (let i = 0; i < 5; i++) run();
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// Interleave the two modes twice so drift (JIT, thermal) does not favour one.
const off1 = time(chain);
const on1 = time(() => detectAnomaly(chain));
const off2 = time(chain);
const on2 = time(() => detectAnomaly(chain));
const off = Math.min(off1, off2);
const on = Math.min(on1, on2);
const row = (name, s) =>
  `${name.padEnd(12)} ${(s * 1e3).toFixed(2).padStart(8)} ms/chain  ${Math.round(ops / s)
    .toLocaleString("en-US")
    .padStart(10)} ops/s (forward ops, each with its backward rule)`;
console.log(`1,000-op chain on tensors of ${size} elements, median of ${repeats} (best of two rounds)`);
console.log(row("anomaly off", off));
console.log(row("anomaly on", on));
console.log(`on / off: ${(on / off).toFixed(2)}×`);
