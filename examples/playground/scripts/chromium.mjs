/** Debian's Chromium as the tests and scripts start it, and a helper that opens the built page in it. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The playground's folder. */
export const playgroundRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** CHROMIUM_PATH, else Debian's chromium. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** No background traffic: this machine's network is closed and Chromium would keep retrying Google's hosts. */
export const chromiumArgs = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Serves dist/ with `vite preview` on `port`, opens `path` in Chromium, runs `use(page)`, and closes both. */
export async function withBuiltPage(port, path, viewport, use) {
  const { chromium } = await import("@playwright/test");
  const { preview } = await import("vite");
  const server = await preview({ root: playgroundRoot, preview: { host: "127.0.0.1", port, strictPort: true } });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport });
    await page.goto(`http://127.0.0.1:${port}${path}`);
    return await use(page);
  } finally {
    await browser.close();
    await server.close();
  }
}
