import { test, expect, openHydrated, newCampaign } from './fixtures';
import { Page } from '@playwright/test';

// The customer's site, served to the browser by the test itself (page.route): a blank page with
// the copied snippets pasted in. The pixel library and Google's tag are stubbed: no request
// leaves the machine.
const SHOP = 'http://shop.test';

/** A stub `oaiq` (and `gtag` unless the page has Google's own tag) that records every call. */
const STUBS = `<script>
window.calls = [];
window.oaiq = function () { window.calls.push(['oaiq'].concat([].slice.call(arguments))); };
window.gtag = function () { window.calls.push(['gtag'].concat([].slice.call(arguments))); };
</script>`;

/** A stand-in for the pixel library: replays the queue the base snippet kept, then records. */
const PIXEL_LIBRARY = `(function () {
  var queued = (window.oaiq && window.oaiq.q) || [];
  window.calls = window.calls || [];
  window.oaiq = function () { window.calls.push(['oaiq'].concat([].slice.call(arguments))); };
  queued.forEach(function (args) { window.oaiq.apply(null, args); });
  window.pixelLoaded = true;
})();`;

async function serveShop(page: Page, pages: Record<string, string>) {
  await page.route('https://ads.openai.com/pixel.js', (route) => route.fulfill({ contentType: 'text/javascript', body: PIXEL_LIBRARY }));
  await page.route('https://www.googletagmanager.com/**', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
  await page.route(`${SHOP}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const body = pages[path];
    return body === undefined
      ? route.fulfill({ status: 404, body: 'not found' })
      : route.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html><html><head>${body}</head><body><h1>Shop</h1></body></html>` });
  });
}

/** Clicks a copy button and answers what it put on the clipboard. */
async function copy(page: Page, name: string): Promise<string> {
  const button = page.getByRole('button', { name, exact: true });
  await button.click();
  await expect(button).toHaveText('Copied ✓');
  return page.evaluate(() => navigator.clipboard.readText());
}

async function showSnippets(page: Page, pixel: string, ga4: string, currency: string) {
  await openHydrated(page, '/tracking');
  await page.getByLabel('Pixel id').fill(pixel);
  await page.getByLabel(/GA4 measurement id/).fill(ga4);
  await page.getByLabel('Currency').fill(currency);
  await page.getByRole('button', { name: 'Show the snippets' }).click();
  await expect(page.locator('.app[data-hydrated="true"]')).toBeVisible();
}

test('copied pixel snippets make the expected calls, in order, on a blank page', async ({ page, context, baseURL }) => {
  await newCampaign(page, 'Winter Shoes');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await showSnippets(page, 'oai-px-e2e1', 'G-E2E123', 'eur');
  await expect(page).toHaveURL(/\/tracking\?pixel_id=oai-px-e2e1&measurement_id=G-E2E123&currency=eur$/);
  await expect(page.getByRole('row', { name: /order_created purchase .*Winter Shoes/ })).toBeVisible();

  const base = await copy(page, 'Copy Base snippet (Plain HTML)');
  const order = await copy(page, 'Copy order_created event (Plain HTML)');
  expect(base).toContain('oaiq("init", "oai-px-e2e1")');
  // The site's server fills the placeholders, as the snippet says.
  const eventId = 'order_created_u1_1795694400000';
  const filled = order.replaceAll('{{VALUE}}', '49.9').replaceAll('{{ORDER_ID}}', 'A-1').replaceAll('{{EVENT_ID}}', eventId);

  // No stub: the base snippet queues the calls and loads the library (stood in for), which
  // replays them.
  await serveShop(page, { '/thanks': `${base}${filled}` });
  await page.goto(`${SHOP}/thanks`);
  await page.waitForFunction(() => (window as any).pixelLoaded === true);
  const calls = await page.evaluate(() => (window as any).calls);
  expect(calls).toEqual([
    ['oaiq', 'init', 'oai-px-e2e1'],
    ['oaiq', 'measure', 'page_viewed'],
    ['oaiq', 'measure', 'order_created', { value: 49.9, currency: 'EUR', order_id: 'A-1', event_id: eventId }],
  ]);
  // Google's tag replaced the stub gtag: its calls are in dataLayer, the purchase last.
  const layer = await page.evaluate(() => (window as any).dataLayer.map((a: IArguments) => Array.from(a)));
  expect(layer[1]).toEqual(['config', 'G-E2E123']);
  expect(layer.at(-1)).toEqual(['event', 'purchase', { value: 49.9, currency: 'EUR', transaction_id: 'A-1' }]);
  // The library was loaded asynchronously, from <head>.
  expect(await page.evaluate(() => (document.querySelector('head script[src="https://ads.openai.com/pixel.js"]') as HTMLScriptElement)?.async)).toBe(true);
});

test('first-touch memory carries a ChatGPT click to a later conversion, and the survey answers GA4', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await showSnippets(page, 'oai-px-e2e2', '', '');
  const firstTouch = await copy(page, 'Copy First-touch memory');
  const survey = await copy(page, 'Copy Survey');
  const order = (await copy(page, 'Copy order_created event (Plain HTML)'))
    .replaceAll('{{VALUE}}', '10').replaceAll('{{ORDER_ID}}', 'B-2').replaceAll('{{EVENT_ID}}', 'order_created_u2_1');

  await serveShop(page, {
    '/landing': `${STUBS}${firstTouch}`,
    '/thanks': `${STUBS}${firstTouch}${order}${survey}`,
  });
  // The ad click: ChatGPT's UTMs.
  await page.goto(`${SHOP}/landing?utm_source=chatgpt&utm_medium=cpc&utm_campaign=winter-shoes&utm_content=hero`);
  // Days later, through branded search: no UTMs.
  await page.goto(`${SHOP}/thanks?utm_source=google&utm_medium=organic`);
  const calls = await page.evaluate(() => (window as any).calls);
  const firstTouchProps = { first_touch_source: 'chatgpt', first_touch_campaign: 'winter-shoes' };
  expect(calls[0]).toEqual(['gtag', 'set', 'user_properties', firstTouchProps]);
  expect(calls[1]).toEqual(['oaiq', 'measure', 'order_created', { value: 10, currency: 'USD', order_id: 'B-2', event_id: 'order_created_u2_1', ...firstTouchProps }]);
  expect(calls[2]).toEqual(['gtag', 'event', 'purchase', { value: 10, currency: 'USD', transaction_id: 'B-2' }]);
  const cookie = (await context.cookies(SHOP)).find((c) => c.name === 'utmforge_ft');
  expect(decodeURIComponent(cookie!.value)).toMatch(/^chatgpt\|winter-shoes\|hero\|\d+$/);
  expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(29 * 86400);

  // The survey: one question, keyboard-reachable radios, GA4's event on send.
  await expect(page.getByRole('group', { name: 'How did you first hear about us?' })).toBeVisible();
  await page.getByRole('radio', { name: 'ChatGPT / AI assistant' }).check();
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('status')).toHaveText('Thank you!');
  const last = await page.evaluate(() => (window as any).calls.at(-1));
  expect(last).toEqual(['gtag', 'event', 'survey_response', { heard_about: 'chatgpt' }]);
});

test('a pixel id that is not one is refused beside its field', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await showSnippets(page, 'oai-px-"</script><script>alert(1)</script>', 'UA-1', 'dollars');
  await expect(page.getByText(/is not an OpenAI ads pixel id/)).toBeVisible();
  await expect(page.getByText(/is not a GA4 measurement id/)).toBeVisible();
  await expect(page.getByText(/is not an ISO 4217 currency code/)).toBeVisible();
  await expect(page.getByLabel('Pixel id')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('[data-snippet]')).toHaveCount(0);
  expect(dialogs).toBe(0);
});
