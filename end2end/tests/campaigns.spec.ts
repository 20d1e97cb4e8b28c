import { test, expect, signIn, hydrated, openHydrated } from './fixtures';
import { Page } from '@playwright/test';
import { Server } from './server';

// One server of our own (not Playwright's webServer) so that the test can restart it.
const server = new Server(Number(process.env.UTMFORGE_E2E_PORT2 ?? 3101));

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  server.addUser('owner@example.com', 'owner');
  await server.start();
});
test.afterAll(async () => {
  await server.stop();
  server.cleanup();
});

async function open(page: Page, path: string) {
  await signIn(page, 'owner@example.com', server.url);
  await openHydrated(page, server.url + path);
}

/** The parameters of a URL as the browser's own URL parser reads them. */
async function params(page: Page, url: string) {
  return page.evaluate((u) => {
    const parsed = new URL(u);
    return {
      origin: parsed.origin,
      pathname: parsed.pathname,
      hash: parsed.hash,
      entries: [...parsed.searchParams.entries()],
    };
  }, url);
}

let campaignUrl = '';

test('a first-time user creates a campaign from the empty state', async ({ page }) => {
  await open(page, '/campaigns');
  await expect(page.getByRole('heading', { name: 'No campaigns yet' })).toBeVisible();
  await page.getByRole('link', { name: 'Create your first campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New campaign');

  const name = page.getByLabel('Campaign name');
  await name.pressSequentially('Spring Sale');
  await expect(page.getByTestId('slug-preview')).toHaveText('utm_campaign=spring-sale');
  await name.pressSequentially(' 2025');
  await expect(page.getByTestId('slug-preview')).toHaveText('utm_campaign=spring-sale-2025');

  await page.getByLabel('CPM — cost per 1,000 impressions').check();
  await page.getByLabel('Default landing URL').fill('https://shop.example.com/spring');
  await page.getByLabel('Topic cluster (optional)').fill('Project management tools');
  await page.getByLabel('Primary conversion').selectOption('lead_created');
  await page.getByLabel('Status').selectOption('active');
  await page.getByRole('button', { name: 'Create campaign' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spring Sale 2025');
  await expect(page.getByTestId('campaign-slug')).toHaveText('spring-sale-2025');
  campaignUrl = new URL(page.url()).pathname;
  expect(campaignUrl).toMatch(/^\/campaigns\/[0-9a-f-]{36}$/);
});

test('three creatives, each URL checked with the browser URL parser', async ({ page }) => {
  await open(page, campaignUrl);
  const add = async (variant: string, landing?: string) => {
    await page.getByLabel('Variant name').fill(variant);
    if (landing) await page.getByLabel('Landing URL (optional)').fill(landing);
    await page.getByRole('button', { name: 'Add creative' }).click();
    await expect(page.getByText('Creative added.')).toBeVisible();
  };
  await add('Headline A');
  await add('北京 Banner');
  await add('Query creative', 'https://shop.example.com/p?ref=nav&q=a%20b&x=1#reviews');

  const urls = await page.getByTestId('creative-url').allTextContents();
  expect(urls).toHaveLength(3);
  const expected = [
    { content: 'headline-a', pathname: '/spring', hash: '', foreign: [] as string[][] },
    { content: 'bei-jing-banner', pathname: '/spring', hash: '', foreign: [] },
    { content: 'query-creative', pathname: '/p', hash: '#reviews', foreign: [['ref', 'nav'], ['q', 'a b'], ['x', '1']] },
  ];
  for (const [i, url] of urls.entries()) {
    const p = await params(page, url);
    expect(p.origin).toBe('https://shop.example.com');
    expect(p.pathname).toBe(expected[i].pathname);
    expect(p.hash).toBe(expected[i].hash);
    expect(p.entries).toEqual([
      ...expected[i].foreign,
      ['utm_source', 'chatgpt'],
      ['utm_medium', 'cpm'],
      ['utm_campaign', 'spring-sale-2025'],
      ['utm_content', expected[i].content],
      ['utm_term', 'project-management-tools'],
    ]);
  }
});

test('the copy button puts the URL on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await open(page, campaignUrl);
  const first = page.getByTestId('creative').first();
  const url = await first.getByTestId('creative-url').textContent();
  await first.getByRole('button', { name: 'Copy URL of Headline A' }).click();
  await expect(first.getByRole('button', { name: 'Copy URL of Headline A' })).toHaveText('Copied ✓');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  await page.getByRole('button', { name: 'Copy all URLs' }).click();
  const all = await page.evaluate(() => navigator.clipboard.readText());
  expect(all.split('\n')).toEqual(await page.getByTestId('creative-url').allTextContents());
});

test('the live preview follows typing, and an invalid URL saves nothing', async ({ page }) => {
  await open(page, campaignUrl);
  const preview = page.getByTestId('preview-url');
  await page.getByLabel('Variant name').pressSequentially('Live v1');
  await expect(preview).toContainText('utm_content=live-v1');
  await page.getByLabel('Variant name').pressSequentially('2');
  await expect(preview).toContainText('utm_content=live-v12');

  await page.getByLabel('Landing URL (optional)').fill('javascript:alert(1)');
  await expect(page.locator('.preview-errors')).toContainText('only http and https');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.locator('#clanding-msg')).toContainText('only http and https');
  await expect(page.getByLabel('Landing URL (optional)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('creative')).toHaveCount(3);
});

test('editing the campaign warns about a changed slug and saves', async ({ page }) => {
  await open(page, campaignUrl);
  await page.getByRole('link', { name: 'Edit campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit campaign');
  await page.getByLabel('Campaign name').fill('Spring Sale 2025 EU');
  await page.getByLabel('utm_campaign (optional)').fill('spring-sale-eu');
  await expect(page.getByTestId('slug-change-warning')).toContainText('3 creative links already use utm_campaign=spring-sale-2025');
  await page.getByRole('button', { name: 'Save changes' }).click();
  // The campaign is active: its ads carry these links, so the change needs a confirmation.
  await expect(page.getByRole('alert')).toContainText('is active: this change alters 3 live links that ads carry');
  await page.getByLabel('Ads carry the old link; I will update them').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spring Sale 2025 EU');
  await expect(page.getByTestId('campaign-slug')).toHaveText('spring-sale-eu');
  await expect(page.getByTestId('creative-url').first()).toContainText('utm_campaign=spring-sale-eu');
});

test('everything is still there after a reload and after a server restart', async ({ page }) => {
  await open(page, campaignUrl);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spring Sale 2025 EU');
  await expect(page.getByTestId('creative')).toHaveCount(3);
  // Stop the server only once the page has everything it fetches (its code, then the tagging
  // code it loads once interactive): a fetch cut off by the stop is an error in the console.
  await hydrated(page);
  await page.waitForLoadState('networkidle');

  await server.stop();
  await server.start();
  await open(page, '/campaigns');
  await expect(page.getByRole('link', { name: 'Spring Sale 2025 EU' })).toBeVisible();
  await page.getByRole('link', { name: 'Spring Sale 2025 EU' }).click();
  await expect(page.getByTestId('creative')).toHaveCount(3);
  await expect(page.getByTestId('creative').nth(1)).toContainText('北京 Banner');
});

test('deleting a creative asks first, then removes it', async ({ page }) => {
  await open(page, campaignUrl);
  const row = page.getByTestId('creative').filter({ hasText: 'Headline A' });
  await row.getByText('Delete', { exact: true }).click();
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByTestId('creative')).toHaveCount(2);
  await expect(page.getByTestId('creative').filter({ hasText: 'Headline A' })).toHaveCount(0);
});

test('a campaign named like a script tag renders as text', async ({ page }) => {
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await open(page, '/campaigns/new');
  await page.getByLabel('Campaign name').fill('<script>alert(1)</script>');
  await page.getByLabel('Default landing URL').fill('https://example.com/');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('<script>alert(1)</script>');
  await open(page, '/campaigns');
  await expect(page.getByRole('link', { name: '<script>alert(1)</script>' })).toBeVisible();
});
