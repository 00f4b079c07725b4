/** Runs the playground's browser tests when a Chromium is there; without one they are skipped, or fail under BACKPROP_REQUIRE_BROWSER=1. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromiumPath as chromium, playgroundRoot as root } from "./chromium.mjs";

if (!existsSync(chromium)) {
  if (process.env.BACKPROP_REQUIRE_BROWSER === "1") {
    console.error(`playground browser tests: no Chromium at ${chromium} and BACKPROP_REQUIRE_BROWSER=1`);
    process.exit(1);
  }
  console.log(
    `playground browser tests skipped: no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
  process.exit(0);
}
// Playwright must never fetch a browser of its own.
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" };
const run = (args) => spawnSync("npx", args, { cwd: root, stdio: "inherit", env }).status ?? 1;
const status = run(["vite", "build", "--logLevel", "warn"]) || run(["playwright", "test"]);
process.exit(status);
