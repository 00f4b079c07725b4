/** The tests' page fixture: fails a test on any console error or uncaught exception, and reads the automation interface. */
import { test as base, expect, type Page } from "@playwright/test";
// Type-only: brings the page's `window.backpropPlayground` declaration into scope.
import type { PlaygroundState } from "../src/main.js";

export const test = base.extend<{ consoleErrors: string[]; outsideRequests: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      await use(errors);
      expect(errors, "console errors").toEqual([]);
    },
    { auto: true },
  ],
  // The built page works offline: every request it makes goes to the local server (no CDN, no fonts).
  outsideRequests: [
    async ({ page }, use) => {
      const outside: string[] = [];
      page.on("request", (request) => {
        const url = new URL(request.url());
        if (url.hostname !== "127.0.0.1" && url.protocol !== "data:" && url.protocol !== "blob:")
          outside.push(url.href);
      });
      await use(outside);
      expect(outside, "requests leaving the local server").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** state() of the page's automation interface. */
export function state(page: Page): Promise<PlaygroundState> {
  return page.evaluate(() => window.backpropPlayground.state());
}

/** Runs n training iterations through the automation interface (synchronous in the page). */
export function step(page: Page, n: number): Promise<void> {
  return page.evaluate((count) => window.backpropPlayground.step(count), n);
}

/** The boundary canvas's pixels, as a short fingerprint (sum of RGB values weighted by position). */
export function boundaryFingerprint(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.getElementById("boundary") as HTMLCanvasElement;
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum = (sum * 31 + data[i]) % 1_000_000_007;
    return sum;
  });
}

/** The course's settings as a link. */
export const courseUrl = "/?dataset=flower&hidden=4&lr=1.2&seed=2&activation=tanh&optimizer=gd&autoplay=0";
