import { test, expect, openHydrated, newCampaign, BASE, hydrated } from './fixtures';
import { Page, BrowserContext } from '@playwright/test';
import * as ts from 'typescript';

// The customer's site, served to the browser by the test itself (page.route): pages with the
// snippets pasted in, as each platform would render them. OpenAI's SDK URL is answered by a
// recording script that replays the loader's queue and records every oaiq(...) call exactly
// (a deep copy of its arguments); its events endpoint and Google's tag are local stand-ins.
// No request leaves the machine. A snippet that stops matching OpenAI's documentation — the
// loader, init's object, measure's data type, integer amounts, event_id in the options —
// fails here.
const SHOP = 'http://shop.test';
const SDK = 'https://bzrcdn.openai.com/sdk/oaiq.min.js';
const PIXEL = 'E2ePx4Ab2xYz9Qw';

const RECORDING_SDK = `(function () {
  var queued = (window.oaiq && window.oaiq.q) || [];
  window.calls = window.calls || [];
  window.oaiq = function () {
    var args = JSON.parse(JSON.stringify([].slice.call(arguments)));
    window.calls.push(args);
    // As the SDK does: events go to bzr.openai.com (connect-src).
    fetch("https://bzr.openai.com/v1/sdk/events?pid=" + encodeURIComponent(window.pixelId || ""), { method: "POST", mode: "no-cors", body: JSON.stringify(args) });
    if (args[0] === "init" && args[1] && args[1].pixelId) window.pixelId = args[1].pixelId;
  };
  queued.forEach(function (args) { window.oaiq.apply(null, args); });
  window.sdkLoaded = true;
})();`;

/** A stub `gtag` that records calls, for pages without Google's tag. */
const GTAG_STUB = `<script>window.gtagCalls = []; window.gtag = function () { window.gtagCalls.push([].slice.call(arguments)); };</script>`;

type ShopPage = { head: string; body?: string; csp?: string };

async function serveShop(target: Page | BrowserContext, pages: Record<string, ShopPage>) {
  const beacons: string[] = [];
  await target.route(SDK, (route) => route.fulfill({ contentType: 'text/javascript', body: RECORDING_SDK }));
  await target.route('https://bzr.openai.com/**', (route) => {
    beacons.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'image/gif', body: Buffer.from('R0lGODlhAQABAAAAACw=', 'base64') });
  });
  await target.route('https://www.googletagmanager.com/**', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
  await target.route(`${SHOP}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const p = pages[path];
    if (p === undefined) return route.fulfill({ status: 404, body: 'not found' });
    const headers: Record<string, string> = { 'content-type': 'text/html' };
    if (p.csp) headers['content-security-policy'] = p.csp;
    return route.fulfill({ headers, body: `<!DOCTYPE html><html><head>${p.head}<title>Shop</title></head><body><h1>Shop</h1>${p.body ?? ''}</body></html>` });
  });
  return beacons;
}

async function calls(page: Page) {
  await page.waitForFunction(() => (window as any).sdkLoaded === true);
  return page.evaluate(() => (window as any).calls);
}

/** Clicks a copy button and answers what it put on the clipboard. */
async function copy(page: Page, name: string): Promise<string> {
  const button = page.getByRole('button', { name, exact: true });
  await button.click();
  await expect(button).toHaveText('Copied ✓');
  return page.evaluate(() => navigator.clipboard.readText());
}

async function showSnippets(page: Page, pixel: string, ga4: string, currency: string, options: { consent?: boolean; debug?: boolean } = {}) {
  await openHydrated(page, '/tracking');
  await page.getByLabel('Pixel id').fill(pixel);
  await page.getByLabel(/GA4 measurement id/).fill(ga4);
  await page.getByLabel('Currency').fill(currency);
  if (options.consent) await page.getByLabel('Ask for consent first').check();
  if (options.debug) await page.getByLabel('Debug mode').check();
  await page.getByRole('button', { name: 'Show the snippets' }).click();
  await hydrated(page);
}

/** The kit as the REST API answers it (the page's session reads it). */
async function kit(page: Page, query: string) {
  const r = await page.request.get(`${BASE}/api/v1/tracking?${query}`);
  expect(r.status(), await r.text()).toBe(200);
  return r.json();
}

function snippet(k: any, key: string, nonce = false): string {
  for (const p of k.platforms) for (const s of p.snippets) if (s.key === key) return nonce ? s.code_with_nonce : s.code;
  throw new Error(`no snippet ${key}`);
}

const EVENT_ID = 'order_created_u1_1795694400000';
const fill = (code: string) =>
  code.replaceAll('{{VALUE}}', '49.90').replaceAll('{{ORDER_ID}}', 'A-1').replaceAll('{{EVENT_ID}}', EVENT_ID);

test('plain HTML and WordPress: the documented loader, init object, page view and order, with GA4 beside', async ({ page, context, baseURL }) => {
  await newCampaign(page, 'Winter Shoes');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await showSnippets(page, PIXEL, 'G-E2E123', 'eur');
  await expect(page).toHaveURL(new RegExp(`/tracking\\?pixel_id=${PIXEL}&measurement_id=G-E2E123&currency=eur$`));
  await expect(page.getByRole('row', { name: /order_created contents purchase .*Winter Shoes/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /script-src https:\/\/bzrcdn\.openai\.com/ })).toBeVisible();

  const html = { base: await copy(page, 'Copy Base snippet (Plain HTML)'), order: await copy(page, 'Copy order_created event (Plain HTML)') };
  const k = await kit(page, `pixel_id=${PIXEL}&measurement_id=G-E2E123&currency=eur`);
  expect(snippet(k, 'html-base')).toBe(html.base);
  const wordpress = { base: snippet(k, 'wordpress-base'), order: snippet(k, 'wordpress-order_created') };

  for (const [name, s] of [['html', html], ['wordpress', wordpress]] as const) {
    await serveShop(page, { [`/${name}`]: { head: s.base, body: fill(s.order) } });
    await page.goto(`${SHOP}/${name}`);
    expect(await calls(page), name).toEqual([
      ['init', { pixelId: PIXEL }],
      ['measure', 'page_viewed', { type: 'contents' }],
      ['measure', 'order_created', { type: 'contents', amount: 4990, currency: 'EUR' }, { event_id: EVENT_ID }],
    ]);
    // The SDK was inserted asynchronously before the first script of <head>.
    const sdk = await page.evaluate((url) => {
      const s = document.querySelector(`script[src="${url}"]`) as HTMLScriptElement;
      return { async: s.async, inHead: s.parentElement === document.head, first: document.head.querySelector('script') === s };
    }, SDK);
    expect(sdk).toEqual({ async: true, inHead: true, first: true });
    // Google's tag: the purchase in major units, as GA4 takes it.
    const layer = await page.evaluate(() => (window as any).dataLayer.map((a: IArguments) => Array.from(a)));
    expect(layer[1]).toEqual(['config', 'G-E2E123']);
    expect(layer.at(-1)).toEqual(['event', 'purchase', { value: 49.9, currency: 'EUR', transaction_id: 'A-1' }]);
  }
});

test('the nonce variants run under a strict Content-Security-Policy with only the documented sources', async ({ page }) => {
  await newCampaign(page, 'Strict Shop');
  await openHydrated(page, '/tracking');
  const k = await kit(page, `pixel_id=${PIXEL}&currency=usd`);
  const csp = Object.fromEntries(k.csp.map((c: any) => [c.directive, c.source]));
  const policy = `script-src 'nonce-r4nd0m' ${csp['script-src']}; connect-src ${csp['connect-src']}; img-src ${csp['img-src']}`;
  const nonced = (key: string) => snippet(k, key, true).replaceAll('{{CSP_NONCE}}', 'r4nd0m');
  const beacons = await serveShop(page, { '/strict': { head: nonced('html-base'), body: fill(nonced('html-order_created')), csp: policy } });
  await page.goto(`${SHOP}/strict`);
  // Every call arrived (the inline snippets ran with their nonce), and the SDK's requests to
  // bzr.openai.com were allowed; the fixture fails the test on any CSP violation.
  expect(await calls(page)).toEqual([
    ['init', { pixelId: PIXEL }],
    ['measure', 'page_viewed', { type: 'contents' }],
    ['measure', 'order_created', { type: 'contents', amount: 4990, currency: 'USD' }, { event_id: EVENT_ID }],
  ]);
  await expect.poll(() => beacons.filter((b) => b.startsWith('https://bzr.openai.com/v1/sdk/events')).length).toBe(3);
});

test('without JavaScript the image tag counts the page view', async ({ browser, page }) => {
  await openHydrated(page, '/tracking');
  const k = await kit(page, `pixel_id=${PIXEL}`);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await context.newPage();
  const beacons = await serveShop(context, { '/nojs': { head: snippet(k, 'html-base') } });
  await noJs.goto(`${SHOP}/nojs`);
  await expect.poll(() => beacons.length).toBe(1);
  const url = new URL(beacons[0]);
  expect(url.origin + url.pathname).toBe('https://bzr.openai.com/v1/sdk/events');
  expect([...url.searchParams.entries()]).toEqual([['pid', PIXEL], ['event', 'page_viewed'], ['data[type]', 'contents']]);
  await context.close();
});

/** Liquid as Shopify renders the order status page for one order (two line items). */
function renderLiquid(code: string): string {
  const items = [
    { variant_id: 111, title: 'Boots "Alpine"', quantity: 1, final_price: 9999 },
    { variant_id: 222, title: 'Socks & more', quantity: 3, final_price: 1000 },
  ];
  return code
    .replace('{% if first_time_accessed %}', '')
    .replace('{% endif %}', '')
    .replace(/\{% for item in checkout\.line_items %\}([\s\S]*?)\{% endfor %\}/, (_m, body: string) =>
      items
        .map((item, i) =>
          body
            .replaceAll('{{ item.variant_id }}', String(item.variant_id))
            .replaceAll('{{ item.title | json }}', JSON.stringify(item.title))
            .replaceAll('{{ item.quantity }}', String(item.quantity))
            .replaceAll('{{ item.final_price }}', String(item.final_price))
            .replace(/\{% unless forloop\.last %\}([\s\S]*?)\{% endunless %\}/, i < items.length - 1 ? '$1' : ''),
        )
        .join(''),
    )
    .replaceAll('{{ checkout.total_price }}', '12999')
    .replaceAll('{{ checkout.order_id }}', '1001')
    .replaceAll("{{ checkout.created_at | date: '%s' }}", '1795694400');
}

test('Shopify: the order status page sends Liquid\'s cents as the amount, with the line items as contents', async ({ page }) => {
  await newCampaign(page, 'Shopify Shop');
  await openHydrated(page, '/tracking');
  const k = await kit(page, `pixel_id=${PIXEL}&currency=eur`);
  const order = renderLiquid(snippet(k, 'shopify-order_created'));
  expect(order).not.toContain('{{');
  expect(order).not.toContain('{%');
  await serveShop(page, { '/thanks': { head: GTAG_STUB, body: order } });
  await page.goto(`${SHOP}/thanks`);
  expect(await calls(page)).toEqual([
    ['init', { pixelId: PIXEL }],
    ['measure', 'page_viewed', { type: 'contents' }],
    ['measure', 'order_created', {
      type: 'contents', amount: 12999, currency: 'EUR',
      contents: [
        { id: '111', name: 'Boots "Alpine"', content_type: 'product', quantity: 1, amount: 9999 },
        { id: '222', name: 'Socks & more', content_type: 'product', quantity: 3, amount: 1000 },
      ],
    }, { event_id: 'order_created_1001_1795694400000' }],
  ]);
  expect(await page.evaluate(() => (window as any).gtagCalls)).toEqual([
    ['event', 'purchase', { value: 129.99, currency: 'EUR', transaction_id: '1001' }],
  ]);
});

type Node = { type: any; props: any; children: any[] } | string | null | undefined;

/** A few lines of React for the server: the root layout rendered to HTML. */
function renderLayout(tsx: string, children: string): string {
  const js = ts.transpileModule(tsx, { compilerOptions: { jsx: ts.JsxEmit.React, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const React = { createElement: (type: any, props: any, ...kids: any[]) => ({ type, props: props ?? {}, children: kids }) };
  const exports: any = {};
  new Function('exports', 'require', 'React', js)(exports, () => ({}), React);
  const render = (n: Node): string => {
    if (n === null || n === undefined) return '';
    if (typeof n === 'string') return n;
    if (typeof n.type === 'function') return render(n.type({ ...n.props, children: n.children }));
    const attrs = Object.entries(n.props)
      .filter(([k]) => k !== 'dangerouslySetInnerHTML' && k !== 'children')
      .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${String(v).replaceAll('"', '&quot;')}"`))
      .join('');
    const inner = n.props.dangerouslySetInnerHTML ? n.props.dangerouslySetInnerHTML.__html : n.children.map(render).join('');
    return `<${n.type}${attrs}>${inner}</${n.type}>`;
  };
  return '<!DOCTYPE html>' + render(exports.default({ children }));
}

test('Next.js: the root layout puts the pixel in <head>, and the client component measures the order', async ({ page }) => {
  await newCampaign(page, 'Next Shop');
  await openHydrated(page, '/tracking');
  const k = await kit(page, `pixel_id=${PIXEL}&measurement_id=G-NEXT1&currency=usd`);
  // The client component, compiled as Next.js would (types stripped), run with React's
  // useEffect calling its effect at once.
  const component = ts.transpileModule(snippet(k, 'nextjs-order_created'), {
    compilerOptions: { jsx: ts.JsxEmit.React, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  }).outputText;
  const body = `<script>(function () {
    var exports = {};
    var require = function () { return { useEffect: function (f) { f(); } }; };
    ${component}
    exports.OrderCreated({ value: 19.99, orderId: "N-7", eventId: "order_created_u9_1795694400000" });
  })();</script>`;
  const html = renderLayout(snippet(k, 'nextjs-base'), `<h1>Shop</h1>${body}`);
  await serveShop(page, {});
  // Registered last, so it answers before the shop's catch-all.
  await page.route(`${SHOP}/next`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${SHOP}/next`);
  expect(await calls(page)).toEqual([
    ['init', { pixelId: PIXEL }],
    ['measure', 'page_viewed', { type: 'contents' }],
    ['measure', 'order_created', { type: 'contents', amount: 1999, currency: 'USD' }, { event_id: 'order_created_u9_1795694400000' }],
  ]);
  // First in <head> (the loader put the SDK just before it), not after hydration.
  expect(await page.evaluate(() => [...document.head.querySelectorAll('script')].slice(0, 2).map((s) => s.id || s.src))).toEqual([SDK, 'openai-ads-pixel']);
  const layer = await page.evaluate(() => (window as any).dataLayer.map((a: IArguments) => Array.from(a)));
  expect(layer.at(-1)).toEqual(['event', 'purchase', { value: 19.99, currency: 'USD', transaction_id: 'N-7' }]);
});

test('consent first: nothing is measured until the banner grants it; debug is an init option', async ({ page, context, baseURL }) => {
  await newCampaign(page, 'Consent Shop');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await showSnippets(page, PIXEL, '', 'usd', { consent: true, debug: true });
  await expect(page).toHaveURL(/consent=true/);
  await expect(page.getByLabel('Ask for consent first')).toBeChecked();
  await expect(page.getByRole('heading', { name: 'Consent', exact: true })).toBeVisible();
  const base = await copy(page, 'Copy Base snippet (Plain HTML)');
  const grant = await copy(page, 'Copy Grant consent');
  await serveShop(page, { '/page': { head: base + GTAG_STUB } });
  await page.goto(`${SHOP}/page`);
  expect(await calls(page)).toEqual([
    ['consent', false],
    ['init', { pixelId: PIXEL, debug: true }],
  ]);
  // The visitor accepts: the banner's callback runs the grant snippet.
  await page.addScriptTag({ content: grant });
  expect(await page.evaluate(() => (window as any).calls.slice(2))).toEqual([
    ['consent', true],
    ['measure', 'page_viewed', { type: 'contents' }],
  ]);
});

test('first-touch memory keeps the ChatGPT click and its oppref; the survey answers GA4 and the pixel', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await showSnippets(page, PIXEL, '', '');
  const firstTouch = await copy(page, 'Copy First-touch memory');
  const survey = (await copy(page, 'Copy Survey')).replace('var SEND_TO_PIXEL = false;', 'var SEND_TO_PIXEL = true;');
  const base = await copy(page, 'Copy Base snippet (Plain HTML)');

  await serveShop(page, {
    '/landing': { head: base + GTAG_STUB + firstTouch },
    '/thanks': { head: base + GTAG_STUB + firstTouch, body: survey },
  });
  // The ad click: ChatGPT's UTMs and OpenAI's oppref.
  await page.goto(`${SHOP}/landing?utm_source=chatgpt&utm_medium=cpc&utm_campaign=winter-shoes&utm_content=hero&oppref=op%2Babc%3D%3D`);
  // Days later, through branded search: no UTMs, no oppref.
  await page.goto(`${SHOP}/thanks?utm_source=google&utm_medium=organic`);
  const firstTouchProps = { first_touch_source: 'chatgpt', first_touch_campaign: 'winter-shoes' };
  expect(await page.evaluate(() => (window as any).gtagCalls)).toEqual([['set', 'user_properties', firstTouchProps]]);
  // The oppref, unmodified, for the site's server to put in its Conversions API events.
  expect(await page.evaluate(() => (window as any).utmforgeOppref)).toBe('op+abc==');
  const cookies = await context.cookies(SHOP);
  const ft = cookies.find((c) => c.name === 'utmforge_ft');
  expect(decodeURIComponent(ft!.value)).toMatch(/^chatgpt\|winter-shoes\|hero\|\d+$/);
  expect(ft!.expires - Date.now() / 1000).toBeGreaterThan(29 * 86400);
  expect(decodeURIComponent(cookies.find((c) => c.name === 'utmforge_oppref')!.value)).toBe('op+abc==');
  // The pixel's own calls carry no first-touch data: only documented keys.
  expect(await calls(page)).toEqual([['init', { pixelId: PIXEL }], ['measure', 'page_viewed', { type: 'contents' }]]);

  // The survey: one question, keyboard-reachable radios, GA4's event, the pixel's custom event.
  await expect(page.getByRole('group', { name: 'How did you first hear about us?' })).toBeVisible();
  await page.getByRole('radio', { name: 'ChatGPT / AI assistant' }).check();
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('status')).toHaveText('Thank you!');
  expect(await page.evaluate(() => (window as any).gtagCalls.at(-1))).toEqual(['event', 'survey_response', { heard_about: 'chatgpt' }]);
  expect(await page.evaluate(() => (window as any).calls.at(-1))).toEqual(['measure', 'custom', { type: 'custom' }, { custom_event_name: 'survey_response' }]);
});

test('a pixel id that is not one is refused beside its field', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await showSnippets(page, 'px"</script><script>alert(1)</script>', 'UA-1', 'dollars');
  await expect(page.getByText(/is not an OpenAI ads pixel id/)).toBeVisible();
  await expect(page.getByText(/is not a GA4 measurement id/)).toBeVisible();
  await expect(page.getByText(/is not an ISO 4217 currency code/)).toBeVisible();
  await expect(page.getByLabel('Pixel id')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('[data-snippet]')).toHaveCount(0);
  expect(dialogs).toBe(0);
});
