import { test, expect, openHydrated, newCampaign } from './fixtures';
import { Page, Route } from '@playwright/test';

// Every page's view is a WASM chunk of its own (lazy routes), and the previews tag in the
// browser with a chunk fetched after the page is interactive. These tests look at what a
// person would notice: every page opens by navigation from a cold start, a first load does not
// carry other pages' code, and the preview works before and after the tagging code arrives.

/** The view chunks (`split___<page>_route_view_….wasm`) the page fetched, by page. */
function viewChunks(page: Page) {
  const seen: string[] = [];
  page.on('request', (r) => {
    const m = /\/pkg\/split___(\w+?)_route_view_\d+\.wasm$/.exec(r.url());
    if (m) seen.push(m[1]);
  });
  return seen;
}


test('from a cold start, every page opens by navigation, each fetching only its own code', async ({ page, context }) => {
  const campaign = await newCampaign(page, 'Lazy Pages', 'https://shop.example.com/lazy');
  await page.getByLabel('Variant name').fill('first creative');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText('Creative added')).toBeVisible();

  // Cold: a new page with nothing cached.
  const cold = await context.newPage();
  const cdp = await context.newCDPSession(cold);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const chunks = viewChunks(cold);
  await openHydrated(cold, '/');
  // The home page brought its own view and no other page's.
  expect(chunks).toEqual(['home']);

  const h1 = cold.getByRole('heading', { level: 1 });
  const nav = cold.getByRole('navigation', { name: 'Main' });
  const visit = async (click: () => Promise<void>, heading: string | RegExp, chunk: string) => {
    await click();
    await expect(h1).toHaveText(heading);
    expect(chunks, `opening ${heading} fetched its view`).toContain(chunk);
  };
  await visit(() => nav.getByRole('link', { name: 'Campaigns' }).click(), 'Campaigns', 'campaigns');
  await visit(() => cold.getByRole('link', { name: 'Lazy Pages' }).first().click(), 'Lazy Pages', 'campaign');
  await visit(() => cold.getByRole('link', { name: 'Edit campaign' }).click(), 'Edit campaign', 'edit_campaign');
  await cold.goBack();
  await expect(h1).toHaveText('Lazy Pages');
  await visit(() => cold.getByRole('link', { name: 'Edit', exact: true }).first().click(), /Edit creative/, 'edit_creative');
  await cold.goBack();
  await expect(h1).toHaveText('Lazy Pages');
  const tabs = cold.getByRole('navigation', { name: 'Campaign' });
  await visit(() => tabs.getByRole('link', { name: 'GA4' }).click(), 'Lazy Pages', 'campaign_ga_4');
  await expect(cold).toHaveURL(/\/ga4$/);
  await visit(() => tabs.getByRole('link', { name: 'Activity' }).click(), 'Lazy Pages', 'campaign_activity');
  await expect(cold.getByTestId('activity')).toBeVisible();
  await visit(() => nav.getByRole('link', { name: 'GA4 setup' }).click(), 'GA4 setup', 'ga_4_setup');
  await visit(() => nav.getByRole('link', { name: 'Audit' }).click(), 'Audit', 'audit');
  await visit(() => nav.getByRole('link', { name: 'API' }).click(), 'API', 'api');
  await visit(() => nav.getByRole('link', { name: 'People' }).click(), 'People', 'people');
  await visit(() => nav.getByRole('link', { name: 'Activity' }).click(), 'Activity', 'activity');
  await visit(() => cold.getByTestId('signed-in-as').click(), 'API tokens', 'tokens');
  await visit(() => nav.getByRole('link', { name: 'Campaigns' }).click(), 'Campaigns', 'campaigns');
  await visit(() => cold.getByRole('link', { name: 'New campaign' }).click(), 'New campaign', 'new_campaign');
  // Each view was fetched once, however often its page was opened.
  expect(chunks.filter((c) => c === 'campaigns')).toHaveLength(1);
  expect(campaign).toMatch(/^\/campaigns\//);
  await cold.close();
});

test.describe('signed out', () => {
  test.use({ account: null });
  test('the sign-in page loads its own view only', async ({ page }) => {
    const chunks = viewChunks(page);
    await openHydrated(page, '/login');
    expect(chunks).toEqual(['login']);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  });
});

test('the preview follows typing before the tagging code has arrived (server) and after (browser)', async ({ page }) => {
  // Hold back the browser's tagging chunk until the test lets it through.
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  let asked = 0;
  await page.route(/\/pkg\/split_creative_preview_\d+\.wasm$/, async (route: Route) => {
    asked++;
    await held;
    await route.continue();
  });
  await newCampaign(page, 'Preview Both Ways', 'https://shop.example.com/lazy');
  const variant = page.getByLabel('Variant name');
  const preview = page.getByTestId('preview-url');
  const where = page.locator('.preview [data-computed-in]');

  // The chunk was asked for once the page was interactive, and is held: the server answers.
  await expect.poll(() => asked).toBeGreaterThan(0);
  await variant.pressSequentially('Crème Brûlée Ad');
  await expect(preview).toContainText('utm_content=creme-brulee-ad');
  await expect(where).toHaveAttribute('data-computed-in', 'server');
  const fromServer = await preview.textContent();

  // The chunk arrives: the same input now gives the same URL, computed in the page.
  release();
  await variant.fill('');
  await variant.pressSequentially('Crème Brûlée Ad');
  await expect(where).toHaveAttribute('data-computed-in', 'browser');
  await expect(preview).toHaveText(fromServer!);

  // Errors and warnings come from the same rules too.
  await page.getByLabel('Landing URL (optional)').fill('ftp://shop.example.com/x');
  await expect(page.getByText('No URL yet:')).toBeVisible();
  await expect(where).toHaveAttribute('data-computed-in', 'browser');
  await page.getByLabel('Landing URL (optional)').fill('https://shop.example.com/x?utm_source=google');
  await expect(preview).toContainText('utm_source=chatgpt');

  // What is saved is what the server computes.
  await page.getByLabel('Landing URL (optional)').fill('');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText('Creative added')).toBeVisible();
  await expect(page.getByTestId('creative-url').first()).toHaveText(fromServer!);
});

test('the slug preview works before and after the tagging code arrives', async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/pkg\/split_campaign_slug_preview_\d+\.wasm$/, async (route: Route) => {
    await held;
    await route.continue();
  });
  await openHydrated(page, '/campaigns/new');
  const slug = page.getByTestId('slug-preview');
  await page.getByLabel('Campaign name').pressSequentially('Été 2026 — Paris');
  await expect(slug).toHaveText('utm_campaign=ete-2026-paris');
  await expect(slug).toHaveAttribute('data-computed-in', 'server');
  release();
  await page.getByLabel('Campaign name').pressSequentially('!');
  await expect(slug).toHaveAttribute('data-computed-in', 'browser');
  await expect(slug).toHaveText('utm_campaign=ete-2026-paris');
});
