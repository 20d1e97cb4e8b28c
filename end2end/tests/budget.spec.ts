import { test, expect, newCampaign, BASE } from './fixtures';
import { BrowserContext } from '@playwright/test';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BUDGET, coldPage, measure } = require('../cold-load.cjs');

// The first-load budget (issue 34), measured where a person waits: every page in Chromium,
// signed in, cold cache, until it is interactive (`data-hydrated`). A page may make at most
// BUDGET.requests requests and BUDGET.waves sequential waves of code fetches (a lazy island's
// code is announced with the page and comes in one file, not chunk by chunk once the island
// script asks), and move at most BUDGET.kilobytes. Its time on a phone is not asserted here
// (times vary from run to run): `node end2end/measure.mjs` prints it for every page.

type Cost = { requests: number; bytes: number; waves: number; code: string[]; unannounced: string[] };

async function costs(context: BrowserContext, paths: string[]) {
  const rows: [string, Cost][] = [];
  for (const path of paths) {
    const { page } = await coldPage(context);
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    rows.push([path, await measure(page, BASE + path, 20000)]);
    expect(errors, `${path}: console errors`).toEqual([]);
    await page.close();
  }
  const shown = (p: string) => p.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
  console.log(
    rows.map(([p, c]) => `${shown(p).padEnd(44)} ${String(c.requests).padStart(3)} requests ${(c.bytes / 1024).toFixed(1).padStart(6)} KB ${c.waves} waves`).join('\n'),
  );
  for (const [path, c] of rows) {
    expect.soft(c.requests, `${path}: requests before interactive`).toBeLessThanOrEqual(BUDGET.requests);
    expect.soft(c.waves, `${path}: waves of code fetches before interactive (${c.code.join(', ')})`).toBeLessThanOrEqual(BUDGET.waves);
    expect.soft(c.bytes / 1024, `${path}: KB before interactive`).toBeLessThanOrEqual(BUDGET.kilobytes);
    // Each lazy island's code is announced by the page (`LazyCode` beside the island), so it
    // comes with the main module rather than when the island script gets to it.
    expect.soft(c.unannounced, `${path}: code the page did not announce`).toEqual([]);
    // The main module is always there: a page that hydrated without it measured nothing.
    expect(c.code, `${path}: code fetched`).toContain('/pkg/utmforge.wasm');
  }
}

test('every signed-in page is interactive within the budget, from a cold cache', async ({ page, context }) => {
  test.setTimeout(120_000);
  const campaign = await newCampaign(page, 'Budget Pages', 'https://shop.example.com/budget');
  await page.getByLabel('Variant name').fill('first creative');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText('Creative added')).toBeVisible();
  const creative = await page.locator('a[href*="/creatives/"]').first().getAttribute('href');
  await costs(context, [
    '/', '/campaigns', '/campaigns/new', campaign, `${campaign}/edit`, creative!, `${campaign}/import`,
    `${campaign}/bulk`, `${campaign}/ga4`, `${campaign}/ads`, `${campaign}/results`, `${campaign}/activity`,
    '/ga4', '/audit', '/tracking', '/settings', '/trash', '/api', '/people', '/tokens', '/activity',
  ]);
});

test.describe('signed out', () => {
  test.use({ account: null });
  test('the pages before sign-in are interactive within the budget, from a cold cache', async ({ context }) => {
    await costs(context, ['/login', '/setup?token=unknown', '/invite?token=unknown']);
  });
});
