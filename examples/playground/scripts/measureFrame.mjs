/** Measures a playground frame in Chromium: step(50) (50 iterations + 100×100 boundary + every picture) and step(0) (the drawing alone). Run after `vite build`. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { preview } from "vite";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = 5399;
const server = await preview({ root, preview: { host: "127.0.0.1", port, strictPort: true } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage();
  const hidden = Number(process.argv[2] ?? 4);
  await page.goto(`http://127.0.0.1:${port}/?hidden=${hidden}`);
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
} finally {
  await browser.close();
  await server.close();
}
