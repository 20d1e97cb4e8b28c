import { test, expect, signIn, BASE, PASSWORD, openHydrated, hydrated } from './fixtures';
import { Page, request as playwrightRequest } from '@playwright/test';
import { Server } from './server';
import AxeBuilder from '@axe-core/playwright';

// Teams: first-run setup, signing in and out, what each role sees and may do, invitations,
// API tokens used like curl, and the activity log after an edit.

test.describe('first run', () => {
  test.use({ account: null });
  // A server of our own with an empty database: the setup link is in its log.
  const fresh = new Server(Number(process.env.UTMFORGE_E2E_PORT3 ?? 3102));
  test.beforeAll(async () => fresh.start());
  test.afterAll(async () => {
    await fresh.stop();
    fresh.cleanup();
  });

  test('the setup link from the log creates the owner, who is then signed in', async ({ page }) => {
    // Signed out, any page leads to the sign-in page, which points at the setup link.
    await page.goto(`${fresh.url}/campaigns`);
    await expect(page).toHaveURL(`${fresh.url}/login?next=%2Fcampaigns`);
    await expect(page.getByTestId('setup-hint')).toBeVisible();

    const link = fresh.log.match(/http:\/\/\S+\/setup\?token=[0-9a-f]{64}/)?.[0];
    expect(link, fresh.log).toBeTruthy();
    await openHydrated(page, link!);
    await page.getByLabel('Your name').fill('Dana Owner');
    await page.getByLabel('Email').fill('dana@example.com');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await expect(page.locator('#account-password-msg')).toContainText('at least 12 characters');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await expect(page).toHaveURL(`${fresh.url}/campaigns`);
    await expect(page.getByTestId('signed-in-as')).toHaveText('Dana Owner');

    // The link worked once: now the page says so.
    await page.goto(link!);
    await expect(page.getByText('utmforge is already set up.')).toBeVisible();
  });
});

test.describe('signed out', () => {
  test.use({ account: null });

  test('sign in goes back to the page asked for; a wrong password gets one generic message', async ({ page }) => {
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/login\?next=%2Faudit$/);
    await hydrated(page);
    await page.getByLabel('Email').fill('editor@example.com');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('The email address or the password is wrong');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByTestId('signed-in-as')).toHaveText('Editor Tester');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    // The session ended on the server: the old cookie opens nothing.
    await page.goto('/campaigns');
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test('the signed-out pages pass axe (WCAG 2.1 AA) and fit a phone', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const p of ['/login', '/setup', '/invite?token=0000']) {
      await openHydrated(page, p);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(results.violations.map((v) => v.id), `axe on ${p}`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${p} scrolls sideways`).toBeLessThanOrEqual(0);
    }
  });

  test('a link to the sign-in page cannot send people elsewhere', async ({ page }) => {
    await openHydrated(page, '/login?next=//evil.example/');
    await page.getByLabel('Email').fill('viewer@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${BASE}/`);
  });
});

/** Creates a campaign through the REST API with the page's session (same-origin). */
async function campaignVia(page: Page, name: string) {
  const r = await page.request.post(`${BASE}/api/v1/campaigns`, {
    data: { name, buying_model: 'cpc', landing_url: 'https://example.com/start', conversion: 'lead_created' },
    headers: { Origin: BASE },
  });
  expect(r.status(), await r.text()).toBe(201);
  return (await r.json()) as { id: string };
}

test.describe('a viewer', () => {
  test.use({ account: 'viewer@example.com' });

  test('sees and copies but has no editing controls, and the server refuses edits anyway', async ({ page, browser }) => {
    const ownerPage = await browser.newPage();
    await signIn(ownerPage, 'owner@example.com');
    const c = await campaignVia(ownerPage, `Viewer check ${Date.now()}`);
    await ownerPage.close();

    await openHydrated(page, '/campaigns');
    await expect(page.getByRole('link', { name: 'New campaign' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'People' })).toHaveCount(0);
    await openHydrated(page, `/campaigns/${c.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Viewer check');
    await expect(page.getByRole('link', { name: 'Edit campaign' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Add a creative' })).toHaveCount(0);

    const refused = await page.request.post(`${BASE}/api/v1/campaigns`, {
      data: { name: 'Not allowed', buying_model: 'cpc', landing_url: 'https://example.com/', conversion: 'lead_created' },
      headers: { Origin: BASE },
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
  });
});

test.describe('an editor', () => {
  test.use({ account: 'editor@example.com' });

  test('creates, edits a live link, and the Activity tab shows who changed what', async ({ page }) => {
    await openHydrated(page, '/campaigns');
    await page.getByRole('link', { name: 'New campaign' }).click();
    const name = `Editor campaign ${Date.now()}`;
    await page.getByLabel('Campaign name').fill(name);
    await page.getByLabel('Default landing URL').fill('https://shop.example.com/spring');
    await page.getByLabel('Primary conversion').selectOption('lead_created');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await hydrated(page);

    await page.getByLabel('Variant name').fill('Headline V2');
    await page.getByRole('button', { name: 'Add creative' }).click();
    await expect(page.getByText('Creative added.')).toBeVisible();

    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Edit creative');
    await hydrated(page);
    await page.getByLabel('Landing URL (optional)').fill('https://shop.example.com/summer');
    await page.getByRole('button', { name: 'Save creative' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);

    await page.getByRole('link', { name: 'Activity' }).click();
    const entries = page.getByTestId('activity').locator('.activity-item');
    await expect(entries.first()).toContainText(
      'Editor Tester changed creative “Headline V2”: landing URL: (empty) → https://shop.example.com/summer; the live URL changed',
    );
    await expect(entries.first()).toContainText('https://shop.example.com/spring?utm_source=chatgpt');
    await expect(entries.first()).toContainText('https://shop.example.com/summer?utm_source=chatgpt');
    await expect(entries.nth(1)).toContainText('Editor Tester added creative “Headline V2”');
    await expect(entries.nth(2)).toContainText(`Editor Tester created campaign “${name}”`);
  });
});

test.describe('an admin', () => {
  test.use({ account: 'admin@example.com' });

  test('invites someone, who joins with the role given', async ({ page, browser }) => {
    await openHydrated(page, '/people');
    await expect(page.getByTestId('people')).toContainText('viewer@example.com');
    // Admins manage viewers and editors, not owners or other admins.
    await expect(page.locator('#invite-role option')).toHaveText(['Viewer', 'Editor']);
    await page.locator('#invite-role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = (await page.getByTestId('invitation-link').textContent())!;
    expect(link).toMatch(/\/invite\?token=[0-9a-f]{64}$/);

    const context = await browser.newContext();
    const newcomer = await context.newPage();
    await openHydrated(newcomer, link);
    await expect(newcomer.getByTestId('invited-role')).toContainText('You are invited as Viewer');
    const email = `sam${Date.now()}@example.com`;
    await newcomer.getByLabel('Your name').fill('Sam Newcomer');
    await newcomer.getByLabel('Email').fill(email);
    await newcomer.getByLabel('Password').fill('a long enough passphrase');
    await newcomer.getByRole('button', { name: 'Create my account' }).click();
    await expect(newcomer).toHaveURL(/\/campaigns$/);
    await expect(newcomer.getByTestId('signed-in-as')).toHaveText('Sam Newcomer');
    // The link works once.
    await newcomer.goto(link);
    await expect(newcomer.getByRole('alert')).toContainText('not valid');
    await context.close();

    await openHydrated(page, '/people');
    await expect(page.locator(`tr[data-email="${email}"]`)).toContainText('Viewer');

    // A link sent to the wrong person: withdraw it, and it stops working.
    await page.locator('#invite-role').selectOption('editor');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const second = (await page.getByTestId('invitation-link').textContent())!;
    const open = page.locator('li.invitation', { hasText: 'Editor' });
    await expect(open).toHaveCount(1);
    await open.getByRole('button', { name: /Withdraw/ }).click();
    await expect(open).toHaveCount(0);
    const stranger = await browser.newContext();
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(second);
    await expect(strangerPage.getByRole('alert')).toContainText('not valid');
    await stranger.close();
  });
});

test('an API token is shown once, works like curl with its role, and stops when revoked', async ({ page }) => {
  await openHydrated(page, '/tokens');
  await page.getByLabel('Name').fill('nightly export');
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('token-secret').textContent())!;
  expect(secret).toMatch(/^utmf_[0-9a-f]{64}$/);
  await expect(page.getByTestId('tokens')).toContainText('nightly export');

  // A script: no cookies, only the token.
  const script = await playwrightRequest.newContext();
  const auth = { Authorization: `Bearer ${secret}` };
  expect((await script.get(`${BASE}/api/v1/campaigns`, { headers: auth })).status()).toBe(200);
  const write = await script.post(`${BASE}/api/v1/campaigns`, {
    headers: auth,
    data: { name: 'From a script', buying_model: 'cpc', landing_url: 'https://example.com/', conversion: 'lead_created' },
  });
  expect(write.status()).toBe(403);
  expect((await write.json()).error.code).toBe('forbidden');
  const nobody = await script.get(`${BASE}/api/v1/campaigns`);
  expect(nobody.status()).toBe(401);
  expect((await nobody.json()).error.code).toBe('unauthenticated');

  await page.reload();
  await hydrated(page);
  await expect(page.locator('tr[data-token="nightly export"]')).toContainText('Viewer');
  await page.getByRole('button', { name: 'Revoke nightly export' }).click();
  await expect(page.locator('tr[data-token="nightly export"]')).toContainText('Revoked');
  expect((await script.get(`${BASE}/api/v1/campaigns`, { headers: auth })).status()).toBe(401);
  await script.dispose();
});

test('a page from another site cannot make a signed-in browser change anything', async ({ page }) => {
  // The browser's own cookie, but the request says it came from elsewhere.
  const r = await page.request.post(`${BASE}/api/v1/campaigns`, {
    data: { name: 'Cross-site', buying_model: 'cpc', landing_url: 'https://example.com/', conversion: 'lead_created' },
    headers: { Origin: 'https://evil.example' },
  });
  expect(r.status()).toBe(403);
  expect((await r.json()).error.code).toBe('cross-site');
});
