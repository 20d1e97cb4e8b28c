import { test, expect, openHydrated, newCampaign, BASE, hydrated } from './fixtures';
import type { Page } from '@playwright/test';

/** A creative added to campaign `id` through the API; its JSON (id, version, …). */
async function addCreative(page: Page, id: string | undefined, variant: string) {
  const r = await page.request.post(`${BASE}/api/v1/campaigns/${id}/creatives`, {
    data: { variant },
    headers: { Origin: BASE },
  });
  expect(r.status(), await r.text()).toBe(201);
  return r.json();
}

// The campaign manager at scale: search and pages of the list, clone, a bulk change after its
// preview, delete and restore.

test('search and page through the list; the address holds the query', async ({ page }) => {
  // Seed 55 campaigns through the API (as the owner's session).
  for (let i = 0; i < 55; i++) {
    const r = await page.request.post(`${BASE}/api/v1/campaigns`, {
      data: { name: `Paged ${String(i).padStart(2, '0')}`, buying_model: 'cpc', landing_url: 'https://shop.example.com/p', conversion: 'lead_created' },
      headers: { Origin: BASE },
    });
    expect(r.status()).toBe(201);
  }
  await openHydrated(page, '/campaigns');
  await page.getByLabel('Search', { exact: true }).fill('paged');
  // As you type: the list follows without pressing Apply.
  await expect(page).toHaveURL(/[?&]q=paged/);
  await hydrated(page);
  await page.getByLabel('Order').selectOption('name');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/sort=name/);
  const rows = page.getByRole('table', { name: 'Campaigns' }).locator('tbody tr');
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText('Paged 00');
  await expect(rows.last()).toContainText('Paged 49');
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toContainText('Paged 50');
  // The address can be shared: it opens the same page.
  const shared = page.url();
  await page.goto(shared);
  await expect(rows.first()).toContainText('Paged 50');
  await page.getByRole('link', { name: '← Previous' }).click();
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText('Paged 00');
  // Nothing found says so.
  await openHydrated(page, '/campaigns?q=no-such-campaign');
  await expect(page.getByText('No campaign matches this search.')).toBeVisible();
});

test('clone a campaign, bulk-change three landing URLs after the preview, delete and restore', async ({ page }) => {
  await openHydrated(page, '/campaigns/new');
  await page.getByLabel('Campaign name').fill('Bulk Source');
  await page.getByLabel('Default landing URL').fill('https://shop.example.com/bulk');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bulk Source');
  await hydrated(page);
  for (const v of ['One', 'Two', 'Three', 'Four']) {
    await page.getByLabel('Variant name').fill(v);
    await page.getByRole('button', { name: 'Add creative' }).click();
    await expect(page.getByTestId('creative').filter({ hasText: v }).first()).toBeVisible();
    await hydrated(page);
  }
  const sourcePath = new URL(page.url()).pathname;

  // Bulk: three of four get a new landing URL; the preview lists each URL old → new.
  for (const v of ['One', 'Two', 'Three']) await page.getByLabel(`Choose ${v}`).check();
  await page.getByLabel('For the chosen creatives').selectOption('landing_url');
  await page.getByLabel(/New value/).fill('https://shop.example.com/winter');
  await page.getByRole('button', { name: 'Preview the change…' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change creatives');
  await expect(page.getByTestId('bulk-summary')).toContainText('3 creatives chosen; 3 URLs change.');
  const table = page.getByRole('table', { name: 'What changes' });
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table).toContainText('https://shop.example.com/bulk?utm_source=chatgpt&utm_medium=cpc&utm_campaign=bulk-source&utm_content=one');
  await expect(table).toContainText('https://shop.example.com/winter?utm_source=chatgpt&utm_medium=cpc&utm_campaign=bulk-source&utm_content=one');
  await hydrated(page);
  await page.getByRole('button', { name: 'Apply to 3 creatives' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bulk Source');
  await expect(page.getByTestId('creative-url').filter({ hasText: 'shop.example.com/winter?' })).toHaveCount(3);
  await expect(page.getByTestId('creative-url').filter({ hasText: 'shop.example.com/bulk?' })).toHaveCount(1);
  // Search within the campaign.
  await page.getByRole('searchbox', { name: 'Search creatives' }).fill('four');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('creative')).toHaveCount(1);
  await openHydrated(page, sourcePath);

  // Clone: next month's campaign, a draft with the four creatives.
  await page.getByLabel('Name of the copy').fill('Bulk Source December');
  await page.getByRole('button', { name: 'Copy campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bulk Source December');
  await expect(page.getByText('Draft').first()).toBeVisible();
  await expect(page.getByTestId('creative')).toHaveCount(4);
  await expect(page.getByTestId('creative-url').first()).toContainText('utm_campaign=bulk-source-december');

  // Delete the source: it goes to the trash; restore it.
  await openHydrated(page, sourcePath);
  await page.getByText('Delete campaign…').click();
  await expect(page.getByText('It can be restored from the trash for 30 days.')).toBeVisible();
  await page.getByRole('button', { name: 'Delete campaign', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Campaigns');
  await openHydrated(page, '/trash');
  const item = page.getByTestId('trash-item').filter({ hasText: 'Bulk Source' });
  await expect(item).toContainText('Campaign · 4 creatives');
  await item.getByRole('button', { name: 'Restore Bulk Source' }).click();
  await expect(page.getByTestId('trash-item').filter({ hasText: 'Bulk Source' })).toHaveCount(0);
  await openHydrated(page, sourcePath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bulk Source');
  await expect(page.getByTestId('creative')).toHaveCount(4);
});

test('a campaign with 120 creatives shows them 100 to a page; the search and Copy all cover every one', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const path = await newCampaign(page, `Many creatives ${Date.now()}`, 'https://shop.example.com/many');
  const id = path.split('/').pop();
  for (let i = 0; i < 120; i++) await addCreative(page, id, `V${String(i).padStart(3, '0')}`);
  await openHydrated(page, path);
  const rows = page.getByTestId('creative');
  await expect(page.getByRole('heading', { name: /Creatives/ })).toContainText('(120)');
  await expect(rows).toHaveCount(100);
  await expect(rows.first()).toHaveAttribute('data-variant', 'v000');
  await expect(rows.last()).toHaveAttribute('data-variant', 'v099');
  await expect(page.getByTestId('creative-range').first()).toHaveText('Creatives 1–100 of 120');
  // Copy all still means all 120, not the page's 100.
  const copyAll = page.getByRole('button', { name: 'Copy all URLs' });
  await copyAll.click();
  await expect(copyAll).toHaveText('Copied ✓');
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).split('\n');
  expect(copied).toHaveLength(120);
  expect(copied[119]).toContain('utm_content=v119');
  await page.getByRole('link', { name: 'Next →' }).first().click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toHaveAttribute('data-variant', 'v100');
  await expect(page.getByTestId('creative-range').first()).toHaveText('Creatives 101–120 of 120');
  await hydrated(page);
  // A page past the last shows the last.
  await openHydrated(page, `${path}?page=99`);
  await expect(rows.first()).toHaveAttribute('data-variant', 'v100');
  // A search covers every page: ten of the 120, on one page (no pager).
  await page.getByRole('searchbox', { name: 'Search creatives' }).fill('v11');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(rows).toHaveCount(10);
  await expect(page.getByTestId('creative-range')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /Creatives/ })).toContainText('(10)');
});

test('the trash shows 50 at a time, most recently deleted first', async ({ page }) => {
  const path = await newCampaign(page, `Trash pages ${Date.now()}`, 'https://shop.example.com/t');
  const id = path.split('/').pop();
  for (let i = 0; i < 52; i++) {
    const k = await addCreative(page, id, `Gone ${String(i).padStart(2, '0')}`);
    const d = await page.request.delete(`${BASE}/api/v1/creatives/${k.id}?version=${k.version}`, { headers: { Origin: BASE } });
    expect(d.status(), await d.text()).toBe(204);
  }
  await openHydrated(page, '/trash');
  const items = page.getByTestId('trash-item');
  await expect(items).toHaveCount(50);
  await expect(items.first()).toContainText('Gone 51');
  await expect(items.nth(49)).toContainText('Gone 02');
  await page.getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(items.first()).toContainText('Gone 01');
  await expect(items.nth(1)).toContainText('Gone 00');
  await page.getByRole('link', { name: '← Most recent' }).click();
  await expect(items.first()).toContainText('Gone 51');
  // A cursor that is not one says so.
  await openHydrated(page, '/trash?cursor=zz');
  await expect(page.getByRole('alert')).toContainText('is not a cursor of the trash');
});
