import { test as base, expect, Page } from '@playwright/test';

// Every test fails if the page logs a console error or throws: hydration mismatches and WASM
// panics show up there first.
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        // A server function answering 422 (invalid input), 409 (conflict) or 413 (too many) is a handled
        // answer that the page shows beside the field; Chromium still logs it.
        const handled = /status of (409|413|422) /.test(msg.text());
        if (msg.type() === 'error' && !handled) errors.push(msg.text());
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
