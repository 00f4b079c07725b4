/** Accessibility: an axe-core scan, keyboard-only use, and prefers-reduced-motion. */
import AxeBuilder from "@axe-core/playwright";
import { courseUrl, expect, state, step, test } from "./fixtures.js";

test("axe-core finds no violations", async ({ page }) => {
  await page.goto(courseUrl);
  await step(page, 50);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
});

test("Tab reaches every control in order, and Space/Enter on Play start and stop training", async ({ page }) => {
  await page.goto(courseUrl);
  const expected = [
    "Data set",
    "Noise",
    "Data seed",
    "Regenerate",
    "Clear points",
    "Hidden units",
    "Activation",
    "Learning rate",
    "Optimizer",
    "Initialisation seed",
    "Iterations per frame",
    "Play",
    "Step",
    "Reset",
  ];
  const reached: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    await page.keyboard.press("Tab");
    reached.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? "";
      }),
    );
  }
  expect(reached.map((s) => s.trim())).toEqual(expected);
  // Back to Play (Shift+Tab twice from Reset) and start it from the keyboard.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Space");
  await expect(page.getByRole("button", { name: "Pause" })).toBeFocused();
  await expect.poll(async () => (await state(page)).iteration).toBeGreaterThan(0);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Play" })).toBeFocused();
  // Step from the keyboard: one iteration.
  const before = (await state(page)).iteration;
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  expect((await state(page)).iteration).toBe(before + 1);
  // A control changed from the keyboard: arrow up on Hidden units, committed with Enter.
  await page.getByLabel("Hidden units").focus();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/hidden=5/);
});

test("autoplay=1 starts training, except under prefers-reduced-motion", async ({ page }) => {
  await page.goto("/?autoplay=1");
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect.poll(async () => (await state(page)).iteration).toBeGreaterThan(0);

  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto("/?autoplay=1");
  // Autoplay is decided when the page's script runs, so once it has loaded the answer is final.
  await expect(page.getByRole("button", { name: "Play" })).toBeVisible();
  expect((await state(page)).iteration).toBe(0);
  // Training still works on request, and the readouts follow.
  await page.getByRole("button", { name: "Play" }).click();
  await expect.poll(async () => (await state(page)).iteration).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Pause" }).click();
  const { iteration } = await state(page);
  await expect(page.getByRole("status")).toContainText(`Iteration ${iteration}`);
});

test("under prefers-reduced-motion the pictures are redrawn on every 15th frame only", async ({ page }) => {
  // Playwright's clock drives requestAnimationFrame, so the number of frames is exact.
  const redrawsPerFrame = async (reduced: boolean) => {
    await page.emulateMedia({ reducedMotion: reduced ? "reduce" : "no-preference" });
    await page.clock.install();
    await page.goto("/?perFrame=1");
    const canvas = page.getByRole("img", { name: "Decision boundary" });
    const redrawsBefore = Number(await canvas.getAttribute("data-redraws"));
    await page.getByRole("button", { name: "Play" }).click();
    await page.clock.runFor(3000);
    await page.getByRole("button", { name: "Pause" }).click();
    const frames = (await state(page)).iteration; // one iteration per frame
    const redraws = Number(await canvas.getAttribute("data-redraws")) - redrawsBefore;
    return { frames, redraws };
  };
  const normal = await redrawsPerFrame(false);
  expect(normal.frames).toBeGreaterThanOrEqual(30);
  expect(normal.redraws).toBe(normal.frames);
  const reduced = await redrawsPerFrame(true);
  expect(reduced.frames).toBeGreaterThanOrEqual(30);
  expect(reduced.redraws).toBe(Math.floor(reduced.frames / 15));
});
