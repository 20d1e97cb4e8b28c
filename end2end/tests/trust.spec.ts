import { test, expect, openHydrated, newCampaign, openImport, hydrated } from './fixtures';
import { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';


async function addCreative(page: Page, variant: string, headline = '') {
  await page.getByLabel('Variant name').fill(variant);
  if (headline) await page.getByLabel('Headline (optional)').fill(headline);
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText('Creative added.')).toBeVisible();
}

test('a rejected creative keeps everything that was typed', async ({ page }) => {
  await newCampaign(page, 'Keep Typing');
  await addCreative(page, 'Headline A');
  // The same variant again (a conflict), with a headline and a bad landing URL typed too.
  await page.getByLabel('Variant name').fill('Headline A');
  await page.getByLabel('Headline (optional)').fill('Save 20% this spring');
  await page.getByLabel('Landing URL (optional)').fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText('only http and https landing pages can be tagged').first()).toBeVisible();
  await expect(page.getByLabel('Variant name')).toHaveValue('Headline A');
  await expect(page.getByLabel('Headline (optional)')).toHaveValue('Save 20% this spring');
  await expect(page.getByLabel('Landing URL (optional)')).toHaveValue('javascript:alert(1)');

  // Fixed and resent: the duplicate variant is refused, and the text still stays.
  await page.getByLabel('Landing URL (optional)').fill('');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'utm_content=headline-a' })).toBeVisible();
  await expect(page.getByLabel('Headline (optional)')).toHaveValue('Save 20% this spring');
  await expect(page.getByTestId('creative')).toHaveCount(1);
});

test('edit a creative, then delete the campaign it belongs to', async ({ page }) => {
  const path = await newCampaign(page, 'Edit Then Delete');
  await addCreative(page, 'Headline A', 'Old headline');
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit creative “Headline A”');
  await hydrated(page);
  await page.getByLabel('Headline (optional)').fill('New headline');
  await page.getByLabel('Topic (optional)').fill('Budget apps');
  await expect(page.getByTestId('preview-url')).toContainText('utm_term=budget-apps');
  await page.getByRole('button', { name: 'Save creative' }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByTestId('creative')).toContainText('“New headline”');
  await expect(page.getByTestId('creative-url')).toContainText('utm_content=headline-a&utm_term=budget-apps');

  // The campaign's version moved with each creative write; the delete form follows it.
  await page.getByText('Delete campaign…').click();
  await expect(page.getByText('This moves the campaign and its 1 creative to the trash')).toBeVisible();
  await page.getByRole('button', { name: 'Delete campaign', exact: true }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await expect(page.getByText('Edit Then Delete')).toHaveCount(0);
});

test('an import that lacks a column keeps it, and shows what changes', async ({ page }) => {
  await newCampaign(page, 'Import Keeps');
  await addCreative(page, 'Headline A', 'Approved by legal');
  await openImport(page);
  await page.getByLabel('Sheet', { exact: true }).fill('content,url\nHeadline A,https://shop.example.com/new');
  await page.getByRole('button', { name: 'Preview' }).click();
  const row = page.locator('tr[data-action="update"]');
  await expect(row).toContainText('landing_url: (empty) → https://shop.example.com/new');
  await expect(row.getByTestId('url-change')).toContainText('shop.example.com/trust?utm_source=chatgpt');
  await expect(page.getByTestId('kept-columns')).toContainText('term, headline, notes');
  await page.getByRole('button', { name: 'Import 1 row' }).click();
  await expect(page.getByTestId('import-done')).toContainText('1 updated');
  await expect(page.getByTestId('creative')).toContainText('“Approved by legal”');
  await expect(page.getByTestId('creative-url')).toContainText('https://shop.example.com/new?utm_source=chatgpt');
});

test('an import over the row limit and an audit over the URL limit say so', async ({ page }) => {
  test.setTimeout(90_000);
  const path = await newCampaign(page, 'Limits');
  await openImport(page);
  // As a person with a big sheet would: choose the CSV file.
  const rows = Array.from({ length: 5001 }, (_, i) => `Variant ${i}`);
  await page.locator('input[type="file"]').setInputFiles({
    name: 'creatives.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['content', ...rows].join('\n')),
  });
  await expect(page.getByLabel('Sheet', { exact: true })).toHaveValue(/Variant 5000$/);
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('alert')).toContainText('more than 5000 rows: split it');
  await openHydrated(page, path);
  await expect(page.getByRole('heading', { name: 'Creatives (0)' })).toBeVisible();

  await openHydrated(page, '/audit');
  const urls = Array.from({ length: 10_001 }, (_, i) => `https://example.com/${i}`);
  // 280 KB pasted at once (Playwright's fill types it in pieces, too slowly for this size).
  await page.getByLabel('URLs').evaluate((el, text) => {
    (el as HTMLTextAreaElement).value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, urls.join('\n'));
  await page.getByRole('button', { name: 'Check URLs' }).click();
  await expect(page.getByRole('alert')).toContainText('10001 URLs: at most 10000 at a time');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the creative forms still add and edit', async ({ page }) => {
    await page.goto('/campaigns/new');
    await page.getByLabel('Campaign name').fill('No Script');
    await page.getByLabel('Default landing URL').fill('https://shop.example.com/plain');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('No Script');

    await page.getByLabel('Variant name').fill('Plain Form');
    await page.getByRole('button', { name: 'Add creative' }).click();
    await expect(page.getByTestId('creative-url')).toContainText('utm_content=plain-form');

    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Headline (optional)').fill('Edited without JS');
    await page.getByRole('button', { name: 'Save creative' }).click();
    await expect(page.getByTestId('creative')).toContainText('“Edited without JS”');
  });
});

test('a long unbroken name does not make a phone scroll sideways', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const long = 'https://shop.example.com/' + 'x'.repeat(80);
  const path = await newCampaign(page, long);
  for (const p of [path, '/campaigns', `${path}/ga4`, `${path}/results`, `${path}/import`, `${path}/activity`, '/people', '/tokens', '/activity']) {
    await openHydrated(page, p);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${p} scrolls sideways`).toBeLessThanOrEqual(0);
  }
});

test('every page passes axe (WCAG 2.1 AA)', async ({ page, consoleErrors }) => {
  // Sixteen pages, each analysed in full: about 30 s on the 2-core machine.
  test.setTimeout(120_000);
  const path = await newCampaign(page, 'Accessible');
  await addCreative(page, 'Headline A');
  const creative = await page.getByRole('link', { name: 'Edit', exact: true }).getAttribute('href');
  // The audit and import results are part of their pages: show them first.
  const pages: [string, ((p: Page) => Promise<void>) | null][] = [
    ['/', null],
    ['/campaigns', null],
    ['/campaigns/new', null],
    [path, null],
    [`${path}/import`, async (p) => {
      await p.getByLabel('Sheet', { exact: true }).fill('content\nHeadline A\nHeadline B');
      await p.getByRole('button', { name: 'Preview' }).click();
      await expect(p.getByTestId('import-preview')).toBeVisible();
    }],
    [`${path}/edit`, null],
    [creative!, null],
    [`${path}/ga4`, null],
    [`${path}/results`, null],
    ['/ga4', null],
    ['/audit', async (p) => {
      await p.getByLabel('URLs').fill('http://example.com/?utm_source=ChatGPT');
      await p.getByRole('button', { name: 'Check URLs' }).click();
      await expect(p.getByRole('heading', { name: 'Results' })).toBeVisible();
    }],
    ['/api', null],
    ['/tracking', null],
    ['/settings', null],
    ['/trash', null],
    ['/campaigns?q=a&sort=name', null],
    ['/tracking?pixel_id=AxePx1&measurement_id=G-AXE1&currency=EUR&consent=true&debug=true', async (p) => {
      await p.locator('[data-platform="shopify"] > summary').click();
      await p.locator('[data-snippet="html-base"] .nonce-variant summary').click();
    }],
    [`${path}/activity`, null],
    ['/activity', null],
    ['/people', async (p) => {
      await p.getByRole('button', { name: 'Create invitation link' }).click();
      await expect(p.getByTestId('invitation-link')).toBeVisible();
    }],
    ['/tokens', async (p) => {
      await p.getByLabel('Name').fill('axe');
      await p.getByRole('button', { name: 'Create token' }).click();
      await expect(p.getByTestId('token-secret')).toBeVisible();
    }],
    ['/no-such-page', null],
  ];
  for (const [p, prepare] of pages) {
    if (p === '/no-such-page') {
      await openHydrated(page, p);
      // Chromium logs the document's own 404 status: expected here.
      const i = consoleErrors.findIndex((e) => e.includes('status of 404'));
      if (i >= 0) consoleErrors.splice(i, 1);
    } else await openHydrated(page, p);
    if (prepare) await prepare(page);
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(found, `axe on ${p}`).toEqual([]);
  }
});
