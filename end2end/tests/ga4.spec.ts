import { test, expect, openHydrated } from './fixtures';
import { Page } from '@playwright/test';
import * as fs from 'fs';

/** Clicks a download link and returns the suggested name and the parsed JSON. */
async function download(page: Page, name: RegExp) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name }).click(),
  ]);
  const path = await file.path();
  return { filename: file.suggestedFilename(), json: JSON.parse(fs.readFileSync(path, 'utf8')) };
}

test('the GA4 setup page downloads the channel group and the checklist ticks', async ({ page, context, baseURL }) => {
  await openHydrated(page, '/ga4');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GA4 setup');

  const { filename, json } = await download(page, /Download utmforge-channel-group\.json/);
  expect(filename).toBe('utmforge-channel-group.json');
  expect(json.groupingRule[0].displayName).toBe('ChatGPT Ads');
  expect(json.groupingRule).toHaveLength(20);
  expect(json.groupingRule.at(-1).displayName).toBe('AI Assistant');

  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await page.getByRole('button', { name: 'Copy JSON of the channel group' }).click();
  await expect(page.getByRole('button', { name: 'Copy JSON of the channel group' })).toHaveText('Copied ✓');
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied).toEqual(json);

  await page.getByText('Show the JSON').click();
  await expect(page.locator('[data-artifact="channel-group"] pre')).toContainText('"eachScopeDefaultChannelGroup"');

  const first = page.getByRole('checkbox', { name: /open Admin/ });
  await first.check();
  await expect(first).toBeChecked();
  await expect(page.getByRole('checkbox')).toHaveCount(11);
});

test('the GA4 setup page explains cost data import, and says why there is no file without utm_id', async ({ page }) => {
  await openHydrated(page, '/ga4');
  const cost = page.locator('#cost-data');
  await expect(cost.getByRole('heading', { level: 2 })).toHaveText('Cost data: what ChatGPT ads cost, inside GA4');
  // The team's links do not carry utm_id (the default): no download, the way to switch it on.
  await expect(cost.getByRole('status')).toContainText('Links do not carry utm_id, and GA4 matches cost data on it');
  await expect(cost.getByRole('button', { name: 'Download cost data (CSV)' })).toHaveCount(0);
  await expect(cost.getByRole('link', { name: 'Open Settings' })).toHaveAttribute('href', '/settings');
  // Both import routes, and which column is which GA4 field.
  await expect(cost.getByRole('heading', { level: 3 })).toHaveText(['Import it by hand', 'Or let GA4 fetch it every day (SFTP)']);
  await expect(cost.getByRole('row', { name: /Campaign ID/ })).toContainText('campaign_id');
  await expect(cost.getByRole('row', { name: /^Cost/ })).toContainText('cost');
});

test("a campaign's GA4 tab downloads its funnel and report", async ({ page }) => {
  await openHydrated(page, '/campaigns/new');
  await page.getByLabel('Campaign name').fill('Autumn Trial');
  await page.getByLabel('Default landing URL').fill('https://app.example.com/trial');
  await page.getByLabel('Primary conversion').selectOption('trial_started');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Autumn Trial');

  await page.getByRole('link', { name: 'GA4', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Funnel exploration' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'GA4', exact: true })).toHaveAttribute('aria-current', 'page');

  const funnel = await download(page, /Download autumn-trial-ga4-funnel\.json/);
  expect(funnel.filename).toBe('autumn-trial-ga4-funnel.json');
  const steps = funnel.json.funnel.steps;
  expect(steps.map((s: { name: string }) => s.name)).toEqual(['Ad click', 'Engagement', 'Micro-conversion', 'Conversion']);
  expect(steps[3].filterExpression.funnelEventFilter.eventName).toBe('trial_started');
  const conditions = funnel.json.segments[0].sessionSegment.sessionInclusionCriteria.andConditionGroups;
  expect(conditions.at(-1).segmentFilterExpression.segmentFilter.stringFilter.value).toBe('autumn-trial');

  const report = await download(page, /Download autumn-trial-ga4-report\.json/);
  expect(report.filename).toBe('autumn-trial-ga4-report.json');
  expect(report.json.metrics.map((m: { name: string }) => m.name)).toContain('keyEvents');
  expect(JSON.stringify(report.json.dimensionFilter)).toContain('"autumn-trial"');

  await expect(page.getByRole('checkbox', { name: /Mark “trial_started” as a key event/ })).toBeVisible();

  // And back to the creatives.
  await expect(page.getByRole('link', { name: 'Creatives', exact: true })).not.toHaveAttribute('aria-current', 'page');
  await page.getByRole('link', { name: 'Creatives', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Creatives', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: /Creatives/ })).toBeVisible();
});
