/** Writes images/playground.png: the page after 2,000 iterations of the course's settings, in Chromium. Run after `vite build`. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { preview } from "vite";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = 5398;
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
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(`http://127.0.0.1:${port}/?dataset=flower&hidden=4&lr=1.2&seed=2&activation=tanh&optimizer=gd`);
  for (let i = 0; i < 40; i++) await page.evaluate(() => window.backpropPlayground.step(50)); // a cost curve with 40 points
  await page.screenshot({ path: join(root, "images", "playground.png") });
} finally {
  await browser.close();
  await server.close();
}
