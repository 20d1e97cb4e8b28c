import { test as base, expect, Page } from '@playwright/test';

// Every test fails if the page logs a console error or throws: hydration mismatches and WASM
// panics show up there first.
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await use(errors);
      expect(errors, 'console errors on the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens a page and waits until the WASM has hydrated it (the app root carries the marker). */
export async function openHydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('.app[data-hydrated="true"]')).toBeVisible();
}
