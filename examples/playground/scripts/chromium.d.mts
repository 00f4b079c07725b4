/** Types of chromium.mjs (used by playwright.config.ts). */
import type { Page } from "@playwright/test";

export const playgroundRoot: string;
export const chromiumPath: string;
export const chromiumArgs: string[];
export function withBuiltPage<T>(
  port: number,
  path: string,
  viewport: { width: number; height: number },
  use: (page: Page) => Promise<T>,
): Promise<T>;
