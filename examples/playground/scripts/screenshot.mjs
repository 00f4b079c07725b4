/** Writes images/playground.png: the page after 2,000 iterations of the course's settings, in Chromium. Run after `vite build`. */
import { join } from "node:path";
import { playgroundRoot, withBuiltPage } from "./chromium.mjs";

const course = "/?dataset=flower&hidden=4&lr=1.2&seed=2&activation=tanh&optimizer=gd";
await withBuiltPage(5398, course, { width: 1280, height: 1100 }, async (page) => {
  for (let i = 0; i < 40; i++) await page.evaluate(() => window.backpropPlayground.step(50)); // 40 points of cost curve
  await page.screenshot({ path: join(playgroundRoot, "images", "playground.png") });
});
