import { test, expect, openHydrated, hydrated } from './fixtures';

test('home page says what utmforge does and shows the navigation', async ({ page }) => {
  await openHydrated(page, '/');
  await expect(page).toHaveTitle('utmforge');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Every ChatGPT ad link, tagged the same way.',
  );
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Campaigns', 'GA4 setup', 'Audit', 'API']) {
    await expect(nav.getByRole('link', { name })).toBeVisible();
  }
});

test('choosing a buying model changes utm_medium once hydrated', async ({ page }) => {
  await openHydrated(page, '/');
  const medium = page.getByTestId('medium-value');
  await expect(medium).toHaveText('cpc');
  // The pill is the radio button itself (a transparent input over its label).
  await page.getByRole('radio', { name: 'CPM — cost per 1,000 impressions' }).click();
  await expect(medium).toHaveText('cpm');
  await expect(page.getByRole('radio', { name: /CPM/ })).toBeChecked();
  await page.getByRole('radio', { name: 'CPC — cost per click' }).click();
  await expect(medium).toHaveText('cpc');
});

test('navigation moves between sections (each a page load of its own) and marks the current one', async ({ page }) => {
  await openHydrated(page, '/');
  await page.getByRole('link', { name: 'GA4 setup' }).click();
  await expect(page).toHaveURL(/\/ga4$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GA4 setup');
  await expect(page).toHaveTitle('GA4 setup · utmforge');
  await expect(page.getByRole('link', { name: 'GA4 setup' })).toHaveAttribute('aria-current', 'page');
});

test('an unknown address shows a not-found page', async ({ page, consoleErrors }) => {
  const response = await page.goto('/nowhere');
  expect(response?.status()).toBe(404);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  // Chromium logs the document's own 404 status as a console error: expected here, and the
  // only one allowed.
  expect(consoleErrors).toEqual([expect.stringContaining('status of 404')]);
  consoleErrors.length = 0;
  await page.getByRole('link', { name: 'Back to the home page' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('the WASM, JS and CSS are served compressed', async ({ page }) => {
  const encodings = new Map<string, string>();
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/pkg/')) {
      encodings.set(url.pathname, (await response.allHeaders())['content-encoding'] ?? 'none');
    }
  });
  await openHydrated(page, '/');
  for (const file of ['/pkg/utmforge.js', '/pkg/utmforge.wasm', '/pkg/utmforge.css']) {
    expect(['br', 'gzip'], `${file} encoding`).toContain(encodings.get(file));
  }
});
