/** The GEMM worker: on when the page is cross-origin isolated, off without the headers, with the same numbers. */
import { courseUrl, expect, state, step, test } from "./fixtures.js";
import { devOrigin, plainOrigin } from "./ports.js";

test("isolated, the page runs two threads; without COOP/COEP one thread; the costs are bit-identical", async ({
  page,
}) => {
  await page.goto(courseUrl);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect.poll(async () => (await state(page)).threads).toBe(2);
  await expect(page.getByRole("status")).toContainText("Threads 2");
  await step(page, 500);
  const isolated = await state(page);

  await page.goto(`${plainOrigin}${courseUrl}`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  expect((await state(page)).threads).toBe(1);
  await step(page, 500);
  const plain = await state(page);
  expect(plain.threads).toBe(1);
  expect(plain.cost).toBe(isolated.cost); // exact equality of the float64 cost
  expect(plain.accuracy).toBe(isolated.accuracy);
});

test("the dev server sends COOP/COEP too: isolated, two threads, the course's first cost", async ({ page }) => {
  const response = await page.goto(`${devOrigin}${courseUrl}`);
  expect(response?.headers()["cross-origin-opener-policy"]).toBe("same-origin");
  expect(response?.headers()["cross-origin-embedder-policy"]).toBe("require-corp");
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect.poll(async () => (await state(page)).threads).toBe(2);
  expect((await state(page)).cost?.toFixed(6)).toBe("0.693048");
});
