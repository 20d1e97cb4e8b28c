import { test as base, expect, Page } from '@playwright/test';

/** The password of every test account (made by playwright.config.ts, one per role). */
export const PASSWORD = 'correct horse battery staple';
export const BASE = `http://127.0.0.1:${Number(process.env.UTMFORGE_E2E_PORT ?? 3100)}`;

/** Signs the page's browser context in as `email` on the server at `base` (a form post from
 * that origin, as the sign-in page makes). */
export async function signIn(page: Page, email: string, base = BASE) {
  const response = await page.request.post(`${base}/api/account/sign-in`, {
    form: { email, password: PASSWORD, next: '/' },
    headers: { Origin: base },
    maxRedirects: 0,
  });
  expect([200, 302, 303], await response.text()).toContain(response.status());
}

// Every test fails if the page logs a console error (a Content-Security-Policy violation is
// one) or throws: hydration mismatches and WASM panics show up there first. Each test starts
// signed in as `account` (an owner unless the test file says otherwise; null: signed out).
export const test = base.extend<{ consoleErrors: string[]; account: string | null; signedIn: void }>({
  account: ['owner@example.com', { option: true }],
  signedIn: [
    async ({ page, account }, use) => {
      if (account) await signIn(page, account);
      await use();
    },
    { auto: true },
  ],
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        // A server function answering 422 (invalid input), 409 (conflict) or 413 (too many) is a handled
        // answer that the page shows beside the field; Chromium still logs it.
        const handled = /status of (401|409|413|422) /.test(msg.text());
        if (/Content.Security.Policy/i.test(msg.text())) {
          errors.push(`CSP violation: ${msg.text()}`);
          return;
        }
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

/** Opens a page and waits until the WASM has hydrated its islands (the app root carries the
 * marker, set by the last island of the page). */
export async function openHydrated(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

/** Waits until the page's islands have hydrated: after a navigation the test caused (a link, a
 * form that answers with a new page, a reload). */
export async function hydrated(page: Page) {
  await expect(page.locator('.app[data-hydrated="true"]')).toBeVisible();
}

/** Creates a campaign through the New campaign form and answers its page's path. */
export async function newCampaign(page: Page, name: string, landing = 'https://shop.example.com/trust'): Promise<string> {
  await openHydrated(page, '/campaigns/new');
  await page.getByLabel('Campaign name').fill(name);
  await page.getByLabel('Default landing URL').fill(landing);
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  // The campaign page is a new page load: wait for its islands.
  await hydrated(page);
  return new URL(page.url()).pathname;
}

/** From a campaign's page to its import page (a page of its own: a link, then a page load). */
export async function openImport(page: Page) {
  await page.getByRole('link', { name: 'Import from a spreadsheet…' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import creatives');
  await expect(page.locator('.app[data-hydrated="true"]')).toBeVisible();
}
