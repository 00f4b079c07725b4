/** The course's demo reproduced in the browser, through the automation interface; the heatmap moves as it trains. */
import { boundaryFingerprint, courseUrl, expect, state, step, test } from "./fixtures.js";

test("the course's settings give cost 0.693048 at 0, 0.288083 at 1000 and 90.5% at 10,000", async ({ page }) => {
  // Expected values: the course's printed output, which examples/planar reproduces (its README and tests).
  await page.goto(courseUrl);
  const start = await state(page);
  expect(start.iteration).toBe(0);
  expect(start.cost?.toFixed(6)).toBe("0.693048");
  await step(page, 1000);
  const thousand = await state(page);
  expect(thousand.iteration).toBe(1000);
  expect(thousand.cost?.toFixed(6)).toBe("0.288083");
  await expect(page.getByRole("status")).toContainText("0.288083");
  await step(page, 9000);
  const end = await state(page);
  expect(end.iteration).toBe(10_000);
  expect(end.accuracy).toBe(90.5);
  await expect(page.getByRole("status")).toContainText("90.50%");
  await expect(page.getByRole("img", { name: "Decision boundary" })).toHaveAccessibleDescription(/90\.50%/);
});

test("the heatmap's pixels change as training proceeds", async ({ page }) => {
  await page.goto(courseUrl);
  const before = await boundaryFingerprint(page);
  await step(page, 300);
  const after = await boundaryFingerprint(page);
  expect(after).not.toBe(before);
  // The same parameters draw the same picture: the change comes from training, not from noise in the drawing.
  await step(page, 0);
  expect(await boundaryFingerprint(page)).toBe(after);
});

test("the backward pass and the graph show the course's gradients with their norms", async ({ page }) => {
  await page.goto(courseUrl);
  const trace = page.getByRole("region", { name: "Backward pass" });
  await expect(trace).toContainText("dZ2 (1×400) ← dA2 ∗ σ′(Z2)");
  await expect(trace).toContainText("dW1 (4×2) ← dZ1·Xᵀ");
  const norm = async () => (await trace.textContent())?.match(/‖dW1‖ = (\S+)/)?.[1];
  const first = await norm();
  expect(first).toBeDefined();
  await step(page, 100);
  expect(await norm()).not.toBe(first);
  await expect(page.getByRole("img", { name: "Computational graph" })).toContainText("Z1 = linear");
});
