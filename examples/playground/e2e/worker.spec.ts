/** The GEMM worker: on when the page is cross-origin isolated, off without the headers, with the same numbers. */
import { courseUrl, expect, state, step, test } from "./fixtures.js";
import { plainOrigin } from "./ports.js";

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
