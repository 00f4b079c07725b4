/** Measures a playground frame in Chromium: step(50) (50 iterations + 100×100 boundary + every picture) and step(0) (the drawing alone). Run after `vite build`. */
import { withBuiltPage } from "./chromium.mjs";

const hidden = Number(process.argv[2] ?? 4);
await withBuiltPage(5399, `/?hidden=${hidden}`, { width: 1280, height: 900 }, async (page) => {
  // Let the GEMM worker start (it needs the event loop, which the measuring loop below blocks).
  await page.waitForFunction(() => window.backpropPlayground.state().threads === 2);
  const result = await page.evaluate(() => {
    const api = window.backpropPlayground;
    const time = (n, frames) => {
      const ms = [];
      for (let i = 0; i < frames; i++) {
        const t0 = performance.now();
        api.step(n);
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      return { median: ms[Math.floor(frames / 2)], p90: ms[Math.floor(frames * 0.9)], min: ms[0] };
    };
    time(50, 20); // warm-up: JIT and the wasm module
    return { frame: time(50, 200), drawingOnly: time(0, 200), threads: api.state().threads };
  });
  console.log(JSON.stringify({ hidden, ...result }, null, 1));
});
