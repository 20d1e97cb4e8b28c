import { test, expect, openHydrated, newCampaign } from './fixtures';
import { Page, Route } from '@playwright/test';

// The server renders every page; only its islands (the parts that react to the person) load
// WASM, and the islands one page alone uses are chunks of their own, fetched by the pages that
// have them. The previews tag in the browser with a chunk fetched after the page is interactive.
// These tests look at what a person would notice: every page opens by navigation from a cold
// start, a first load does not carry other pages' islands, and the preview works before and
// after the tagging code arrives.

/** The lazy islands whose code the page fetched, in order: each island's chunks come in one
 * file (`bundle_<island>_loader.bin`, scripts/wasm-bundles.py), or file by file
 * (`split_<island>_loader_….wasm`) if a page forgot to announce it. */
function islandChunks(page: Page) {
  const seen: string[] = [];
  page.on('request', (r) => {
    const m = /\/pkg\/(?:bundle_(\w+?)_loader\.bin|split_(\w+?)_loader_\d+\.wasm)$/.exec(r.url());
    if (m) seen.push(m[1] ?? m[2]);
  });
  return seen;
}

/** The browser's tagging code of one preview (`creative_preview`, `campaign_slug_preview`),
 * bundled or as its own file. */
const tagging = (split: string) => new RegExp(`/pkg/(bundle_${split}\\.bin|split_${split}_\\d+\\.wasm)$`);

test('from a cold start, every page opens by navigation, each fetching only its own islands', async ({ page, context }) => {
  const campaign = await newCampaign(page, 'Lazy Pages', 'https://shop.example.com/lazy');
  await page.getByLabel('Variant name').fill('first creative');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText('Creative added')).toBeVisible();

  // Cold: a new page with nothing cached.
  const cold = await context.newPage();
  const cdp = await context.newCDPSession(cold);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const chunks = islandChunks(cold);
  await openHydrated(cold, '/');
  // The home page brought its own island and no other page's.
  expect(chunks).toEqual(['parameters']);

  const h1 = cold.getByRole('heading', { level: 1 });
  const nav = cold.getByRole('navigation', { name: 'Main' });
  const hydrated = cold.locator('.app[data-hydrated="true"]');
  const visit = async (click: () => Promise<void>, heading: string | RegExp, islands: string[]) => {
    chunks.length = 0;
    await click();
    await expect(h1).toHaveText(heading);
    await expect(hydrated).toBeVisible();
    expect(chunks, `opening ${heading} fetched its islands`).toEqual(islands);
  };
  // A campaign page: its forms' islands and Check links (whose work is fetched on its first click).
  const campaignIslands = ['import_done', 'check_links_button', 'creative_preview'];
  await visit(() => nav.getByRole('link', { name: 'Campaigns' }).click(), 'Campaigns', []);
  await visit(() => cold.getByRole('link', { name: 'Lazy Pages' }).first().click(), 'Lazy Pages', campaignIslands);
  await visit(() => cold.getByRole('link', { name: 'Import from a spreadsheet…' }).click(), 'Import creatives', ['import_card']);
  await visit(() => cold.getByRole('link', { name: 'Lazy Pages' }).first().click(), 'Lazy Pages', campaignIslands);
  await visit(() => cold.getByRole('link', { name: 'Edit campaign' }).click(), 'Edit campaign', ['slug_preview']);
  await visit(() => cold.getByRole('link', { name: 'Lazy Pages' }).first().click(), 'Lazy Pages', campaignIslands);
  await visit(() => cold.getByRole('link', { name: 'Edit', exact: true }).first().click(), /Edit creative/, ['creative_preview']);
  await visit(() => cold.getByRole('link', { name: 'Lazy Pages' }).first().click(), 'Lazy Pages', campaignIslands);
  const tabs = cold.getByRole('navigation', { name: 'Campaign' });
  await visit(() => tabs.getByRole('link', { name: 'GA4' }).click(), 'Lazy Pages', []);
  await expect(cold).toHaveURL(/\/ga4$/);
  await visit(() => tabs.getByRole('link', { name: 'Activity' }).click(), 'Lazy Pages', ['activity_list']);
  await expect(cold.getByTestId('activity')).toBeVisible();
  await visit(() => nav.getByRole('link', { name: 'GA4 setup' }).click(), 'GA4 setup', []);
  await visit(() => nav.getByRole('link', { name: 'Tracking' }).click(), 'Tracking', []);
  await visit(() => nav.getByRole('link', { name: 'Audit' }).click(), 'Audit', ['audit']);
  await visit(() => nav.getByRole('link', { name: 'API' }).click(), 'API', []);
  await visit(() => nav.getByRole('link', { name: 'People' }).click(), 'People', ['new_invitation_link']);
  await visit(() => nav.getByRole('link', { name: 'Activity' }).click(), 'Activity', ['activity_list']);
  await visit(() => cold.getByTestId('signed-in-as').click(), 'API tokens', ['new_token_secret']);
  await visit(() => nav.getByRole('link', { name: 'Campaigns' }).click(), 'Campaigns', []);
  await visit(() => cold.getByRole('link', { name: 'New campaign' }).click(), 'New campaign', ['slug_preview']);
  expect(campaign).toMatch(/^\/campaigns\//);
  await cold.close();
});

test.describe('signed out', () => {
  test.use({ account: null });
  test('the sign-in page loads no island chunk: its form is in the main module', async ({ page }) => {
    const chunks = islandChunks(page);
    await openHydrated(page, '/login');
    expect(chunks).toEqual([]);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  });
});

test('the preview follows typing before the tagging code has arrived (server) and after (browser)', async ({ page }) => {
  // Hold back the browser's tagging chunk until the test lets it through.
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  let asked = 0;
  await page.route(tagging('creative_preview'), async (route: Route) => {
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
  await page.route(tagging('campaign_slug_preview'), async (route: Route) => {
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
