import { test, expect, openHydrated, newCampaign, openImport, hydrated } from './fixtures';
import { Page } from '@playwright/test';
import * as fs from 'fs';

/** Parses the CSV the export writes (RFC 4180: quoted fields, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}


test('pasting a sheet previews every row, imports the valid ones, and a re-import duplicates nothing', async ({ page }) => {
  const campaign = await newCampaign(page, 'Bulk Import', 'https://shop.example.com/bulk');
  await openImport(page);
  const sheet = [
    'content\tterm\turl\towner',
    'Headline A\tCRM software\t\tana',
    'Headline B\t\thttps://shop.example.com/b?ref=x\tbo',
    'Broken\t\tjavascript:alert(1)\tcy',
  ].join('\n');
  await page.getByLabel('Sheet', { exact: true }).fill(sheet);
  await page.getByRole('button', { name: 'Preview' }).click();

  await expect(page.getByTestId('import-totals')).toHaveText('3 rows: 2 to create, 0 to update, 0 unchanged, 1 not imported.');
  await expect(page.getByTestId('ignored-columns')).toHaveText('Ignored columns: owner');
  const bad = page.locator('tr[data-action="not imported"]');
  await expect(bad).toHaveCount(1);
  await expect(bad).toContainText('Broken');
  await expect(bad).toContainText('url: only http and https landing pages can be tagged');
  await expect(page.locator('tr[data-action="create"]').first()).toContainText('utm_content=headline-a&utm_term=crm-software');
  // Nothing saved by the preview.
  const other = await page.context().newPage();
  await openHydrated(other, campaign);
  await expect(other.getByRole('heading', { name: 'Creatives (0)' })).toBeVisible();
  await other.close();

  // The import goes back to the campaign, which lists the creatives and says what it did.
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page).toHaveURL(new RegExp(`${campaign}$`));
  await expect(page.getByTestId('import-done')).toHaveText('Imported: 2 created, 0 updated, 0 unchanged. Not imported (1): line 4.');
  await expect(page.getByTestId('creative')).toHaveCount(2);
  await expect(page.locator('[data-variant="broken"]')).toHaveCount(0);
  // Said once: a reload does not say it again.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('import-done')).toHaveCount(0);

  // The same sheet with one change: one update, one unchanged, still two creatives.
  await openImport(page);
  await page.getByLabel('Sheet', { exact: true }).fill(sheet.replace('CRM software', 'Budget apps'));
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('import-totals')).toHaveText('3 rows: 0 to create, 1 to update, 1 unchanged, 1 not imported.');
  await page.getByRole('button', { name: 'Import 1 row' }).click();
  await expect(page.getByTestId('import-done')).toContainText('0 created, 1 updated, 1 unchanged');
  await expect(page.getByTestId('creative')).toHaveCount(2);
  await expect(page.locator('[data-variant="headline-a"] [data-testid="creative-url"]')).toContainText('utm_term=budget-apps');
});

test('a CSV file can be chosen instead of pasting', async ({ page }) => {
  await newCampaign(page, 'File Import', 'https://shop.example.com/bulk');
  await openImport(page);
  await page.locator('input[type="file"]').setInputFiles({
    name: 'creatives.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('content,headline\n"Offer, with comma","Say ""hi"""\n'),
  });
  await expect(page.getByLabel('Sheet', { exact: true })).toHaveValue(/Offer, with comma/);
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('import-totals')).toHaveText('1 row: 1 to create, 0 to update, 0 unchanged, 0 not imported.');
  await page.getByRole('button', { name: 'Import 1 row' }).click();
  await expect(page.locator('[data-variant="offer-with-comma"]')).toContainText('“Say "hi"”');
});

test('exporting a campaign downloads a CSV with neutralized formula cells', async ({ page }) => {
  await newCampaign(page, 'Export Me', 'https://shop.example.com/bulk');
  await openImport(page);
  await page.getByLabel('Sheet', { exact: true }).fill('content,notes\n=HYPERLINK("http://evil"),\n-50% off,@SUM(A1)\n');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page.getByTestId('creative')).toHaveCount(2);

  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^export-me-creatives-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parseCsv(fs.readFileSync(await file.path(), 'utf8'));
  expect(rows[0].slice(0, 6)).toEqual(['campaign', 'utm_campaign', 'utm_medium', 'status', 'conversion', 'variant']);
  const byVariant = new Map(rows.slice(1).map((r) => [r[5], r]));
  expect([...byVariant.keys()].sort()).toEqual(["'-50% off", "'=HYPERLINK(\"http://evil\")"]);
  // Read cells by their column's name (columns may be added, as `description` was).
  const column = (name: string) => rows[0].indexOf(name);
  expect(byVariant.get("'-50% off")![column('notes')]).toBe("'@SUM(A1)");
  expect(byVariant.get("'-50% off")![column('tagged_url')]).toMatch(/^https:\/\/shop\.example\.com\/bulk\?utm_source=chatgpt&utm_medium=cpc&utm_campaign=export-me&utm_content=50-off$/);

  await openHydrated(page, '/campaigns');
  const [all] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export all (CSV)' }).click(),
  ]);
  expect(all.suggestedFilename()).toMatch(/^utmforge-campaigns-\d{4}-\d{2}-\d{2}\.csv$/);
  const allRows = parseCsv(fs.readFileSync(await all.path(), 'utf8'));
  expect(allRows.some((r) => r[1] === 'export-me')).toBe(true);
});

test('the audit lists findings per URL with the corrected URL and totals', async ({ page, context, baseURL }) => {
  await openHydrated(page, '/audit');
  await page.getByLabel('URLs').fill([
    'http://example.com/?utm_source=ChatGPT&utm_medium=cpc',
    '',
    'https://example.com/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring&utm_content=a&utm_term=b',
  ].join('\n'));
  await page.getByRole('button', { name: 'Check URLs' }).click();
  await expect(page.getByTestId('audit-totals')).toContainText('2 URLs: 1 clean, 1 with findings');
  await expect(page.getByRole('columnheader', { name: 'Corrected URL' })).toBeVisible();
  const items = page.locator('.audit-item');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('source-not-canonical');
  await expect(items.nth(1)).toContainText('Clean');
  const fixed = await items.nth(0).getByTestId('fixed-url').textContent();
  expect(fixed).toMatch(/^https:\/\/example\.com\/\?utm_source=chatgpt&utm_medium=cpc/);

  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await items.nth(0).getByRole('button', { name: 'Copy corrected URL' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fixed);
});

test('the API page links the OpenAPI document', async ({ page, request }) => {
  await openHydrated(page, '/api');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('API');
  const href = await page.getByRole('link', { name: '/api/v1/openapi.json' }).getAttribute('href');
  const doc = await (await request.get(href!)).json();
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toContain('/campaigns/{id}/import');
});
