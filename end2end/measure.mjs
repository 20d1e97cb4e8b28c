// Figures for the campaign page (not a test): the compressed weight of its first load, and how
// long the live URL preview takes to follow a keystroke (a server-function round trip).
//   node end2end/measure.mjs http://127.0.0.1:3000
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage();

// A campaign to look at.
await page.goto(base + '/campaigns/new');
await page.locator('.app[data-hydrated="true"]').waitFor();
await page.getByLabel('Campaign name').fill('Measure ' + Date.now());
await page.getByLabel('Default landing URL').fill('https://example.com/landing');
await page.getByRole('button', { name: 'Create campaign' }).click();
await page.getByRole('heading', { name: 'Add a creative' }).waitFor();
const url = page.url();

// First load, cold cache: bytes on the wire per resource.
const cdp = await page.context().newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.clearBrowserCache');
const sizes = new Map();
cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
const urls = new Map();
cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, [e.response.url, e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? 'none']));
await page.goto(url);
await page.locator('.app[data-hydrated="true"]').waitFor();
await page.waitForTimeout(500);
let total = 0;
for (const [id, bytes] of sizes) {
  const [u, enc] = urls.get(id) ?? ['?', '?'];
  if (u.includes('/api/')) continue;
  total += bytes;
  console.log(`${(bytes / 1024).toFixed(1).padStart(7)} KB  ${enc.padEnd(4)} ${new URL(u).pathname}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(7)} KB  total first load (budget 350 KB)`);

// Keystroke → preview text updated.
const input = page.getByLabel('Variant name');
const preview = page.getByTestId('preview-url');
const times = [];
let typed = '';
for (const ch of 'headlinevariantlongdescription') {
  typed += ch;
  const t0 = await page.evaluate(() => performance.now());
  await input.press(ch);
  try {
    await page.waitForFunction((v) => document.querySelector('[data-testid="preview-url"]')?.textContent?.includes('utm_content=' + v), typed, { timeout: 5000 });
  } catch (e) {
    console.log('preview stuck at', await preview.textContent(), 'input', await input.inputValue());
    throw e;
  }
  const t1 = await page.evaluate(() => performance.now());
  times.push(t1 - t0);
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
console.log(`preview after a keystroke (${times.length} keys): median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${pct(1)} ms`);
await browser.close();
