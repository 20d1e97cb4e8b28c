import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openHydrated, hydrated, newCampaign } from './fixtures';

// The server is connected to the Advertiser API double (ads-api.mjs, started by
// playwright.config.ts): link a campaign's creatives to ads, publish, and see them in sync.
const ADS = `http://127.0.0.1:${Number(process.env.UTMFORGE_E2E_ADS_PORT ?? 3108)}`;

/** On a campaign's ChatGPT Ads tab: link it to Spring in ChatGPT › US English (the double's). */
async function linkToUsEnglish(page: Page) {
  await page.getByLabel('ChatGPT Ads campaign').selectOption({ label: 'Spring in ChatGPT' });
  await page.getByRole('button', { name: 'Show its ad groups' }).click();
  await hydrated(page);
  await page.getByLabel('Ad group').selectOption({ label: 'US English' });
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.getByTestId('ads-link')).toContainText('Spring in ChatGPT › ad group US English');
  await hydrated(page);
}

test('link a campaign and its creatives to ChatGPT ads, publish, see them in sync', async ({ page, request }) => {
  const campaign = await newCampaign(page, 'Ads Link E2E', 'https://shop.example.com/spring');
  const add = async (variant: string) => {
    await page.getByLabel('Variant name').fill(variant);
    await page.getByRole('button', { name: 'Add creative' }).click();
    await expect(page.getByText('Creative added.')).toBeVisible();
  };
  await add('Hero');
  await add('Sidebar');
  const urls = await page.getByTestId('creative-url').allTextContents();
  const hero = urls.find((u) => u.includes('utm_content=hero'))!;
  // In Ads Manager: one ad carries Hero's UTMs on an old landing page, one is named Sidebar.
  await request.post(`${ADS}/__test/ads`, { data: { id: 'ad_e2e_1', name: 'Card one', creative: { target_url: hero.replace('/spring', '/old-spring') } } });
  await request.post(`${ADS}/__test/ads`, { data: { id: 'ad_e2e_2', name: 'sidebar', creative: { target_url: 'https://shop.example.com/hand-typed' } } });

  await openHydrated(page, `${campaign}/ads`);
  await expect(page.getByTestId('ads-connection')).toContainText('Acme Ads');
  await linkToUsEnglish(page);

  // The proposals are preselected; saving them shows both ads as drifted.
  const table = page.getByTestId('ads-table');
  await expect(table).toContainText('proposed: same utm_content and utm_campaign');
  await expect(table).toContainText('proposed: same name');
  await page.getByRole('button', { name: /Save links/ }).click();
  await expect(page.getByText('Links saved.')).toBeVisible();
  await expect(table.getByText('drifted')).toHaveCount(2);
  // The campaign's own page says so too, and leads here.
  await openHydrated(page, campaign);
  await expect(page.getByTestId('ads-drifted')).toContainText('2 linked ChatGPT ads still carry an older URL');
  await page.getByRole('link', { name: 'Update the ads on the ChatGPT Ads tab' }).click();
  await hydrated(page);

  // Publish: old → new listed first, then both in sync and back in review.
  const publish = page.getByTestId('publish');
  await expect(publish).toContainText('/old-spring');
  await expect(publish).toContainText('reviews an ad again');
  await page.getByRole('button', { name: 'Publish 2 links' }).click();
  await expect(page.getByText('Published: the changed ads are back in OpenAI\'s review.')).toBeVisible();
  await expect(table.getByText('in sync')).toHaveCount(2);
  await expect(table.getByText('in_review')).toHaveCount(2);
  await expect(publish).toContainText('Every linked ad carries its creative');
  const ad = await (await request.get(`${ADS}/__test/ads/ad_e2e_1`)).json();
  await openHydrated(page, campaign);
  await expect(page.getByTestId('ads-drifted')).toHaveCount(0);
  await openHydrated(page, `${campaign}/ads`);
  expect(ad.creative.target_url).toBe(hero);

  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
  expect(await (await request.get(`${ADS}/__test/violations`)).json()).toEqual([]);
});

/** A PNG's signature and header of `w`×`h` (what OpenAI's upload and utmforge read of it). */
function png(w: number, h: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(b, 0);
  b.write('IHDR', 12);
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

test('a creative becomes a paused ad: title and body from its headline and description, the image a file', async ({ page, request }) => {
  const campaign = await newCampaign(page, 'Ads Create E2E', 'https://shop.example.com/autumn');
  await page.getByLabel('Variant name').fill('Banner');
  await page.getByLabel('Headline').fill('Autumn sale: 30% off');
  await page.getByLabel('Description').fill('Free delivery on orders over $30.');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText('Creative added.')).toBeVisible();

  await openHydrated(page, `${campaign}/ads`);
  await linkToUsEnglish(page);

  // The New ad form is filled from the creative.
  await expect(page.getByTestId('new-ad-creative')).toHaveText('Banner');
  await expect(page.getByLabel('Title (3–50 characters)')).toHaveValue('Autumn sale: 30% off');
  await expect(page.getByLabel('Body (at most 100 characters)')).toHaveValue('Free delivery on orders over $30.');
  // An image too small is refused beside the image field; nothing reaches OpenAI.
  await page.getByLabel('Image file').setInputFiles({ name: 'small.png', mimeType: 'image/png', buffer: png(600, 600) });
  await page.getByRole('button', { name: 'Create the ad' }).click();
  await expect(page.locator('#new-ad-image-msg')).toContainText('at least 640×640');
  await expect(page.getByLabel('Image file')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Image file').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: png(1200, 1200) });
  await page.getByRole('button', { name: 'Create the ad' }).click();
  await expect(page.getByText('Ad created (paused, in review) and linked.')).toBeVisible();
  const table = page.getByTestId('ads-table');
  await expect(table.getByText('in sync')).toHaveCount(1);
  await expect(table.getByText('in_review')).toHaveCount(1);
  await expect(table).toContainText('paused');

  const all = await (await request.get(`${ADS}/__test/ads`)).json();
  const made = all.find((a: { name: string }) => a.name === 'Banner');
  expect([made.status, made.creative.title, made.creative.body]).toEqual(['paused', 'Autumn sale: 30% off', 'Free delivery on orders over $30.']);
  expect(made.creative.target_url).toContain('utm_content=banner');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
  expect(await (await request.get(`${ADS}/__test/violations`)).json()).toEqual([]);
});

test('the Results tab pulls each creative\'s spend and clicks from OpenAI and shows them with a daily chart', async ({ page, request }) => {
  const campaign = await newCampaign(page, 'Ads Results E2E', 'https://shop.example.com/winter');
  await page.getByLabel('Variant name').fill('Snow');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText('Creative added.')).toBeVisible();
  const url = (await page.getByTestId('creative-url').allTextContents()).find((u) => u.includes('utm_content=snow'))!;
  await request.post(`${ADS}/__test/ads`, { data: { id: 'ad_e2e_snow', name: 'Snow card', creative: { target_url: url } } });
  // OpenAI's results: three days; the latest one's spend not finalized yet (null).
  const midnight = Math.floor(Date.now() / 86400000) * 86400;
  for (const [k, spend] of [[1, null], [2, 2.5], [3, 5]] as const) {
    const start = midnight - k * 86400;
    await request.post(`${ADS}/__test/insights`, { data: { ad_id: 'ad_e2e_snow', start_time: start, readable_time: new Date(start * 1000).toISOString().slice(0, 10), impressions: 1000, clicks: 20, spend, conversions: null } });
  }
  await openHydrated(page, `${campaign}/ads`);
  await linkToUsEnglish(page);
  await page.getByRole('button', { name: /Save links/ }).click();
  await expect(page.getByText('Links saved.')).toBeVisible();

  await page.getByRole('link', { name: 'Results', exact: true }).click();
  await hydrated(page);
  await expect(page.getByTestId('pulled-at')).toHaveText('Not pulled from OpenAI yet.');
  await page.getByRole('button', { name: 'Pull now' }).click();
  await expect(page.getByText('Pulled from OpenAI just now.')).toBeVisible();
  const row = page.getByTestId('results-table').getByRole('row', { name: /Snow/ });
  await expect(row).toContainText('3000');
  await expect(row).toContainText('60');
  await expect(row).toContainText('2.0 %');
  await expect(row).toContainText('7.50');
  await expect(page.getByTestId('results-table')).toContainText('Spend (USD)');
  await expect(row).toContainText('—');
  await expect(page.getByTestId('results-chart')).toHaveAttribute('aria-label', /7\.50 USD and 60 clicks/);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV (per creative and day)' }).click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^ads-results-e2e-results-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  await page.getByRole('link', { name: 'Last 7 days' }).click();
  await hydrated(page);
  await expect(page.getByTestId('results-table').getByRole('row', { name: /Snow/ })).toContainText('7.50');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);

  // Beside each link too: the campaigns list says what the campaign's ads cost in 30 days.
  await openHydrated(page, '/campaigns?q=Ads%20Results%20E2E');
  await expect(page.getByRole('row', { name: /Ads Results E2E/ }).locator('td[data-label="Ad spend, 30 days"]')).toHaveText('7.50');
  expect(await (await request.get(`${ADS}/__test/violations`)).json()).toEqual([]);
});
