// What a page costs before a person can use it (issue 34), measured in Chromium: shared by
// tests/budget.spec.ts (the budget, checked by the test command) and measure.mjs (the figures,
// on loopback and on the phone profile).

/** Before a page is interactive (`data-hydrated`), signed in, cold cache: at most this many
 * requests (the document, code, styles, data), sequential waves of code fetches, and KB on the
 * wire. */
exports.BUDGET = { requests: 15, waves: 2, kilobytes: 200 };

/** The profile Lighthouse uses for phones: 150 ms round trip, 1.6 Mbps down, 750 kbps up, CPU 4×. */
exports.PHONE = {
  network: { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
  cpu: 4,
};

/** A new page of `context` with the cache off, which notes in `window.__hydratedAt` when it
 * became interactive; on the phone profile when `phone`. Answers the page and its CDP session. */
exports.coldPage = async function coldPage(context, phone = false) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (phone) {
    await cdp.send('Network.emulateNetworkConditions', exports.PHONE.network);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: exports.PHONE.cpu });
  }
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('.app[data-hydrated="true"]')) {
        window.__hydratedAt = performance.now();
        obs.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
  });
  return { page, cdp };
};

/** Opens `url` in `page` (from `coldPage`), waits until it is interactive and the network is
 * idle, and answers what it cost: before it was interactive, `requests` (the document
 * included), `bytes` on the wire, `waves` of code fetches (a wave starts when a fetch begins
 * after every earlier one has ended: code that asks for more code), `code` (the code files'
 * paths) and `unannounced` (those the split loader asked for itself, not preloaded by the
 * page); `hydrated` (ms from the start of the navigation); and once idle, `idleRequests` and
 * `idleBytes`. */
exports.measure = async function measure(page, url, timeout = 60000) {
  await page.goto(url, { timeout });
  await page.locator('.app[data-hydrated="true"]').waitFor({ timeout });
  await page.waitForLoadState('networkidle', { timeout }).catch(() => {});
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const at = window.__hydratedAt;
    const before = res.filter((e) => e.startTime <= at);
    const sum = (l) => l.reduce((n, e) => n + e.transferSize, 0);
    const code = before
      .filter((e) => /\/pkg\/.*\.(js|wasm|bin)$/.test(new URL(e.name).pathname))
      .sort((a, b) => a.startTime - b.startTime);
    let waves = 0, end = -1;
    for (const e of code) {
      if (e.startTime >= end) waves += 1;
      end = Math.max(end, e.responseEnd);
    }
    return {
      requests: 1 + before.length,
      bytes: nav.transferSize + sum(before),
      waves,
      code: code.map((e) => new URL(e.name).pathname),
      // Code the split loader had to ask for itself: not announced by the page.
      unannounced: code.filter((e) => e.initiatorType === 'fetch').map((e) => new URL(e.name).pathname),
      hydrated: at,
      idleRequests: 1 + res.length,
      idleBytes: nav.transferSize + sum(res),
    };
  });
};
