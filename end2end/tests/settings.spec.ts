import { test, expect, openHydrated, signIn, openImport } from './fixtures';
import { Page } from '@playwright/test';

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
    await expect(page.locator('.app[data-hydrated="true"]')).toBeVisible();

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
  await expect(page.locator('.app[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel('Variant name').fill('Hero');
  await page.getByRole('button', { name: 'Add creative' }).click();
  await expect(page.getByText(/utm_content=hero/).first()).toBeVisible();

  await page.getByRole('link', { name: 'Edit', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Edit creative/);
  await expect(page.locator('.app[data-hydrated="true"]')).toBeVisible();
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

  // An import that moves the live link asks for the same confirmation.
  await tabs.getByRole('link', { name: 'Creatives' }).click();
  await expect(page.locator('.app[data-hydrated="true"]')).toBeVisible();
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
