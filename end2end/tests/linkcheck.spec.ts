import { test, expect, openHydrated, newCampaign, BASE } from './fixtures';

// The landing site (landing-site.mjs, started by playwright.config.ts) on loopback; the server
// runs with UTMFORGE_LINK_CHECK_ALLOW_PRIVATE for it.
const LANDING = `http://127.0.0.1:${Number(process.env.UTMFORGE_E2E_LANDING_PORT ?? 3109)}`;

test('Check links puts a status on each creative, with the redirect chain one click away', async ({ page }) => {
  const path = await newCampaign(page, `Link check ${Date.now()}`, `${LANDING}/ok`);
  const id = path.split('/').pop();
  for (const [variant, landing] of [['Keeps', '/keep'], ['Drops', '/drop'], ['Missing', '/missing']]) {
    const r = await page.request.post(`${BASE}/api/v1/campaigns/${id}/creatives`, {
      data: { variant, landing_url: `${LANDING}${landing}` },
      headers: { Origin: BASE },
    });
    expect(r.status(), await r.text()).toBe(201);
  }
  await openHydrated(page, path);
  const rows = page.getByTestId('creative');
  await expect(rows).toHaveCount(3);
  await expect(rows.first().getByTestId('link-status')).toHaveText('Link not checked yet.');

  await page.getByRole('button', { name: 'Check links' }).click();
  const status = page.getByTestId('link-check-status');
  await expect(status).toHaveText('Checked 3 of 3 links: 1 ok, 0 warnings, 2 broken.');
  const row = (variant: string) => page.locator(`[data-testid="creative"][data-variant="${variant}"]`);
  await expect(row('keeps').getByTestId('link-status')).toHaveAttribute('data-verdict', 'ok');
  await expect(row('missing').getByTestId('link-status')).toHaveAttribute('data-verdict', 'broken');
  await expect(row('missing').getByTestId('link-status')).toContainText('answered 404');
  const drops = row('drops').getByTestId('link-status');
  await expect(drops).toHaveAttribute('data-verdict', 'broken');
  await expect(drops).toContainText('/drop → /ok dropped utm_');
  // The details: each hop with its status, the findings with their codes, the page's tags.
  await drops.getByText('Details').click();
  await expect(drops.locator('.hops li')).toHaveCount(2);
  await expect(drops.locator('.hops li').first()).toContainText('301');
  await expect(drops.locator('.findings')).toContainText('utm-dropped');
  await expect(drops.locator('.page-facts')).toContainText('G-TEST123');
  await expect(drops.locator('.page-facts')).toContainText('Px7test1 (in <head>)');

  // The statuses are stored: a reload shows them, with when they were checked.
  await openHydrated(page, path);
  await expect(row('drops').getByTestId('link-status')).toHaveAttribute('data-verdict', 'broken');
  await expect(row('drops').getByTestId('link-status')).toContainText(/broken since \d{4}-\d\d-\d\d/);
  await expect(status).toContainText(/Last checked \d{4}-\d\d-\d\d .*: 1 ok, 0 warnings, 2 broken\./);
});

test('the Audit page follows pasted links', async ({ page }) => {
  await openHydrated(page, '/audit');
  const q = 'utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring&utm_content=a';
  await page.getByLabel('URLs').fill(`${LANDING}/keep?${q}\n${LANDING}/pixel-in-body?${q}`);
  await page.getByRole('button', { name: 'Follow links' }).click();
  await expect(page.getByTestId('follow-status')).toHaveText('Followed 2 links.');
  const results = page.getByTestId('followed').locator('li.followed');
  await expect(results).toHaveCount(2);
  await expect(results.nth(0).getByTestId('link-status')).toHaveAttribute('data-verdict', 'ok');
  await expect(results.nth(1).getByTestId('link-status')).toHaveAttribute('data-verdict', 'warning');
  await expect(results.nth(1)).toContainText('pixel');

  // More than 100 URLs: refused with a message about the list, nothing followed.
  const many = Array.from({ length: 101 }, (_, i) => `https://example.com/${i}`).join('\n');
  await page.getByLabel('URLs').fill(many);
  await page.getByRole('button', { name: 'Follow links' }).click();
  await expect(page.getByRole('alert')).toContainText('at most 100');
});

test.describe('as a viewer', () => {
  test.use({ account: 'viewer@example.com' });
  test('no Follow links button (the server fetches what editors paste)', async ({ page }) => {
    await openHydrated(page, '/audit');
    await expect(page.getByRole('button', { name: 'Check URLs' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Follow links' })).toHaveCount(0);
  });
});
