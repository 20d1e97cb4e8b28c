import AxeBuilder from '@axe-core/playwright';
import { test, expect, openHydrated, hydrated, newCampaign } from './fixtures';

// The server is connected to the Advertiser API double (ads-api.mjs, started by
// playwright.config.ts): link a campaign's creatives to ads, publish, and see them in sync.
const ADS = `http://127.0.0.1:${Number(process.env.UTMFORGE_E2E_ADS_PORT ?? 3108)}`;

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
  await page.getByLabel('ChatGPT Ads campaign').selectOption({ label: 'Spring in ChatGPT' });
  await page.getByRole('button', { name: 'Show its ad groups' }).click();
  await hydrated(page);
  await page.getByLabel('Ad group').selectOption({ label: 'US English' });
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.getByTestId('ads-link')).toContainText('Spring in ChatGPT › ad group US English');
  await hydrated(page);

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
