import { test, expect, openHydrated, signIn, openImport, hydrated } from './fixtures';
import { Page } from '@playwright/test';
import * as fs from 'fs';

async function saveRules(page: Page, domains: string, topics: string) {
  await openHydrated(page, '/settings');
  await page.getByLabel('Domains, one per line').fill(domains);
  await page.getByLabel('Topics, one per line, with their aliases after a colon').fill(topics);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
}

test('an admin sets the team rules; an editor is held to them and offered the topics', async ({ page }) => {
  // An admin sets approved domains and a vocabulary.
  await signIn(page, 'admin@example.com');
  await saveRules(page, 'rules.example.com\n*.rules.example.com', 'CRM tools: CRM software, sales crm\nProject management');
  await expect(page.getByLabel('Topics, one per line, with their aliases after a colon')).toHaveValue('crm-tools: crm-software, sales-crm\nproject-management');
  try {
    // A bad rule is named beside its field; nothing is saved.
    await page.getByLabel('Domains, one per line').fill('https://rules.example.com/x');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.locator('#domains-msg')).toContainText('is not a domain: give example.com or *.example.com');
    await openHydrated(page, '/settings');
    await expect(page.getByLabel('Domains, one per line')).toHaveValue('rules.example.com\n*.rules.example.com');

    // An editor: a foreign domain is refused with the list named.
    await signIn(page, 'editor@example.com');
    await openHydrated(page, '/settings');
    await expect(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
    await expect(page.getByLabel('Domains, one per line')).toBeDisabled();
    await openHydrated(page, '/campaigns/new');
    // The campaign form suggests the topics too.
    await expect(page.locator('#topic')).toHaveAttribute('list', 'team-topics');
    await expect(page.locator('#team-topics option')).toHaveCount(4);
    await page.getByLabel('Campaign name').fill('Ruled Campaign');
    await page.getByLabel('Default landing URL').fill('https://elsewhere.example.org/offer');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expect(page.locator('#landing-msg')).toContainText(
      "elsewhere.example.org is not one of the team's approved landing domains (rules.example.com, *.rules.example.com)",
    );
    await page.getByLabel('Default landing URL').fill('https://eu.rules.example.com/offer');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ruled Campaign');
    await hydrated(page);

    // The creative form suggests the team's topics; an alias becomes its topic.
    const suggestions = await page.locator('#team-topics option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(suggestions).toEqual(['crm-tools', 'project-management', 'crm-software', 'sales-crm']);
    await expect(page.locator('#creative-topic')).toHaveAttribute('list', 'team-topics');
    await page.getByLabel('Variant name').fill('Hero');
    await page.locator('#creative-topic').fill('Sales CRM');
    await page.getByRole('button', { name: 'Add creative' }).click();
    await expect(page.getByText(/utm_term=crm-tools/).first()).toBeVisible();
    // An unknown topic is refused beside the field.
    await page.getByLabel('Variant name').fill('Second');
    await page.locator('#creative-topic').fill('email marketing');
    // The live preview applies the team's rules as the save will.
    await expect(page.locator('.preview-errors')).toContainText("is not one of the team's topics");
    await page.getByRole('button', { name: 'Add creative' }).click();
    await expect(page.locator('#ctopic-msg')).toContainText("is not one of the team's topics (crm-tools, project-management)");

    // The change is in the activity log.
    await signIn(page, 'admin@example.com');
    await openHydrated(page, '/activity');
    await expect(page.getByText(/changed the settings/).first()).toBeVisible();
  } finally {
    // The other tests' campaigns land anywhere: no rules for them.
    await signIn(page, 'admin@example.com');
    await saveRules(page, '', '');
  }
});

test('changing a live creative asks for the confirmation, then logs old and new URL', async ({ page }) => {
  await openHydrated(page, '/campaigns/new');
  await page.getByLabel('Campaign name').fill('Live Links');
  await page.getByLabel('Default landing URL').fill('https://shop.example.com/live');
  await page.getByLabel('Status').selectOption('active');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Live Links');
  await hydrated(page);
  await page.getByLabel('Variant name').fill('Hero');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText(/utm_content=hero/).first()).toBeVisible();

  await page.getByRole('link', { name: 'Edit', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Edit creative/);
  await hydrated(page);
  await page.getByLabel('Variant name').fill('Hero B');
  await page.getByRole('button', { name: 'Save creative' }).click();
  await expect(page.getByRole('alert')).toContainText('Live Links is active: this change alters 1 live link that ads carry');
  await expect(page.locator('#confirm-live-msg')).toContainText('utm_content=hero-b');
  await page.getByLabel('Ads carry the old link; I will update them').check();
  await page.getByRole('button', { name: 'Save creative' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Live Links');
  await expect(page.getByText(/utm_content=hero-b/).first()).toBeVisible();

  const tabs = page.getByRole('navigation', { name: 'Campaign' });
  await tabs.getByRole('link', { name: 'Activity' }).click();
  const url = 'https://shop.example.com/live?utm_source=chatgpt&utm_medium=cpc&utm_campaign=live-links&utm_content=';
  await expect(page.getByTestId('activity')).toContainText(`was ${url}hero`);
  await expect(page.getByTestId('activity')).toContainText(`now ${url}hero-b`);

  // The creative's link history: the old URL closed, the new one live now.
  await tabs.getByRole('link', { name: 'Creatives' }).click();
  await hydrated(page);
  await page.getByRole('link', { name: 'Edit', exact: true }).first().click();
  const history = page.getByTestId('link-history');
  await expect(history.locator('tbody tr')).toHaveCount(2);
  await expect(history.locator('tbody tr').nth(0)).toContainText(`${url}hero-b`);
  await expect(history.locator('tbody tr').nth(0)).toContainText('live now');
  await expect(history.locator('tbody tr').nth(1)).toContainText(`${url}hero`);
  await expect(history.locator('tbody tr').nth(1)).not.toContainText('live now');

  // Which links were live today: the export has both URLs of the day.
  await openHydrated(page, '/campaigns');
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('Day (UTC)', { exact: true }).fill(today);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`utmforge-links-live-${today}.csv`);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toBe('campaign,variant,url,live_from,live_to,creative_id,campaign_id');
  expect(csv).toContain(`Live Links,Hero,${url}hero,`);
  expect(csv).toContain(`Live Links,Hero B,${url}hero-b,`);
  await openHydrated(page, '/campaigns');
  await page.getByRole('link', { name: 'Live Links' }).click();
  await hydrated(page);

  // An import that moves the live link asks for the same confirmation.
  await openImport(page);
  await page.getByLabel('Sheet', { exact: true }).fill('content,url\nHero B,https://shop.example.com/moved');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.locator('#import-live-msg')).toContainText('the import changes 1 live link');
  await page.getByRole('button', { name: 'Import 1 row' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'is active' })).toBeVisible();
  await page.getByLabel('Ads carry the old link; I will update them').check();
  await page.getByRole('button', { name: 'Import 1 row' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Live Links');
  await expect(page.getByText(/shop\.example\.com\/moved\?utm_source=chatgpt/).first()).toBeVisible();
});

test('links carry utm_id once an admin switches it on, after confirming for the live ads', async ({ page }) => {
  await signIn(page, 'admin@example.com');
  await openHydrated(page, '/campaigns/new');
  await page.getByLabel('Campaign name').fill('Stable Id');
  await page.getByLabel('Default landing URL').fill('https://shop.example.com/id');
  await page.getByLabel('Status').selectOption('active');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stable Id');
  await hydrated(page);
  const path = new URL(page.url()).pathname;
  await page.getByLabel('Variant name').fill('Hero');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText(/utm_content=hero/).first()).toBeVisible();
  const utmId = (await page.getByTestId('utm-id').textContent())!.trim();
  expect(utmId).toMatch(/^[0-9a-z]{12}$/);
  await expect(page.getByText('not in links (Settings)')).toBeVisible();

  await openHydrated(page, '/settings');
  await page.getByLabel("Links carry utm_id, the campaign's stable ID").check();
  try {
    // Unconfirmed: refused, the active links named.
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('alert')).toContainText('Campaigns are active: this change alters');
    await expect(page.locator('#confirm-live-msg')).toContainText(`utm_id=${utmId}`);
    await page.getByLabel('Ads carry the old links; I will update them').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();

    // Every link carries it, and the page's preview computes the same.
    await openHydrated(page, path);
    await expect(page.getByText(new RegExp(`utm_content=hero&utm_id=${utmId}$`)).first()).toBeVisible();
    await expect(page.getByText('not in links (Settings)')).toHaveCount(0);
    await page.getByLabel('Variant name').fill('Side');
    await expect(page.getByTestId('preview-url')).toHaveText(new RegExp(`utm_content=side&utm_id=${utmId}$`));

    // Now GA4 can match cost data: the GA4 page offers the file for a range of days.
    await openHydrated(page, '/ga4');
    const cost = page.locator('#cost-data');
    await expect(cost.getByText('Links do not carry utm_id')).toHaveCount(0);
    await cost.getByLabel('From').fill('2026-11-01');
    await cost.getByLabel('To').fill('2026-11-30');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      cost.getByRole('button', { name: 'Download cost data (CSV)' }).click(),
    ]);
    expect(file.suggestedFilename()).toBe('chatgpt-ads-cost-data-2026-11-01-2026-11-30.csv');
    const csv = fs.readFileSync(await file.path(), 'utf8');
    expect(csv.split('\n')[0]).toBe('campaign_id,campaign_name,source,medium,date,impressions,clicks,cost');
  } finally {
    // Off again for the other tests (confirmed: it changes the live links back).
    await openHydrated(page, '/settings');
    await page.getByLabel("Links carry utm_id, the campaign's stable ID").uncheck();
    await page.getByLabel('Ads carry the old links; I will update them').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  }
});
