// Takes screenshots of pages at desktop and phone width, for a person to look at:
//   node end2end/screenshots.mjs http://127.0.0.1:3000 / /campaigns
// Signed in when UTMFORGE_SHOT_EMAIL and UTMFORGE_SHOT_PASSWORD are set (else signed out).
// Writes PNGs to end2end/screenshots/ (not committed).
import { chromium } from '@playwright/test';
import { mkdirSync } from 'fs';

const [base = 'http://127.0.0.1:3000', ...paths] = process.argv.slice(2);
const outDir = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 375, height: 740 }]]) {
  const page = await browser.newPage({ viewport });
  if (process.env.UTMFORGE_SHOT_EMAIL) {
    await page.request.post(`${base}/api/account/sign-in`, {
      form: { email: process.env.UTMFORGE_SHOT_EMAIL, password: process.env.UTMFORGE_SHOT_PASSWORD ?? '', next: '/' },
      headers: { Origin: base },
      maxRedirects: 0,
    });
  }
  for (const path of paths.length ? paths : ['/']) {
    await page.goto(base + path);
    await page.locator('.app[data-hydrated="true"]').waitFor({ timeout: 10000 }).catch(() => {});
    const file = `${outDir}${(path.replace(/\W+/g, '_') || 'home')}-${name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
  await page.close();
}
await browser.close();
