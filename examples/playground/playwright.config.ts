/** Playwright settings: Debian's Chromium (never a downloaded browser); the built page served with and without COOP/COEP, and the dev server. */
import { defineConfig } from "@playwright/test";

import { devPort, isolatedPort, plainPort } from "./e2e/ports.js";
import { chromiumArgs, chromiumPath } from "./scripts/chromium.mjs";

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  reporter: [["list"]],
  forbidOnly: !!process.env.CI,
  use: {
    baseURL: `http://127.0.0.1:${isolatedPort}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: chromiumPath,
      args: chromiumArgs,
    },
  },
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${isolatedPort} --strictPort`,
      url: `http://127.0.0.1:${isolatedPort}/`,
      reuseExistingServer: false,
    },
    {
      command: `npx vite preview --host 127.0.0.1 --port ${plainPort} --strictPort`,
      url: `http://127.0.0.1:${plainPort}/`,
      env: { BACKPROP_PLAYGROUND_ISOLATION: "0" },
      reuseExistingServer: false,
    },
    {
      command: `npx vite --host 127.0.0.1 --port ${devPort} --strictPort`,
      url: `http://127.0.0.1:${devPort}/`,
      reuseExistingServer: false,
    },
  ],
});
