import { defineConfig, devices } from '@playwright/test';
import * as path from 'path';
import * as os from 'os';
import * as fs from 'fs';
import { execFileSync } from 'child_process';

// The tests run against the release binary built by `cargo leptos build --release --split`, started
// here by Playwright (not `cargo leptos serve`, which leaves an orphan holding the port).
const port = Number(process.env.UTMFORGE_E2E_PORT ?? 3100);
// The landing site of the link-check tests (landing-site.mjs).
const landingPort = Number(process.env.UTMFORGE_E2E_LANDING_PORT ?? 3109);
// The Advertiser API double of the ChatGPT Ads tests (ads-api.mjs) and the key it takes.
const adsPort = Number(process.env.UTMFORGE_E2E_ADS_PORT ?? 3108);
const adsKey = 'sk-ads-e2e-key';
const repoRoot = path.resolve(__dirname, '..');
// A fresh database for every run, never the developer's ./data. The config is loaded by every
// worker too: the first load makes the folder and the accounts, the workers reuse them.
if (!process.env.UTMFORGE_E2E_DATA) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmforge-e2e-web-'));
  process.env.UTMFORGE_E2E_DATA = dir;
  // One account per role (the tests sign in as them; see tests/fixtures.ts).
  for (const role of ['owner', 'admin', 'editor', 'viewer']) {
    execFileSync(
      path.join(repoRoot, 'target/release/utmforge'),
      ['user', 'add', '--email', `${role}@example.com`, '--role', role, '--name', `${role[0].toUpperCase()}${role.slice(1)} Tester`],
      {
        input: 'correct horse battery staple\n',
        env: { ...process.env, UTMFORGE_DATABASE_URL: `sqlite://${dir}/utmforge.db` },
        stdio: ['pipe', 'ignore', 'inherit'],
      },
    );
  }
}
const dataDir = process.env.UTMFORGE_E2E_DATA;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: process.env.UTMFORGE_CHROMIUM ?? '/usr/bin/chromium' },
      },
    },
  ],
  webServer: [
    {
      command: `${path.join(repoRoot, 'target/release/utmforge')} serve`,
      cwd: repoRoot,
      env: {
        UTMFORGE_ADDR: `127.0.0.1:${port}`,
        UTMFORGE_SITE_ROOT: path.join(repoRoot, 'target/site'),
        UTMFORGE_DATABASE_URL: `sqlite://${dataDir}/utmforge.db`,
        // The link check's landing site (below) is on loopback.
        UTMFORGE_LINK_CHECK_ALLOW_PRIVATE: 'true',
        // Connected to the Advertiser API double (below), on loopback.
        OPENAI_ADS_API_KEY: adsKey,
        UTMFORGE_ADS_API_BASE: `http://127.0.0.1:${adsPort}/v1`,
        UTMFORGE_ADS_API_ALLOW_PRIVATE: 'true',
        RUST_LOG: process.env.RUST_LOG ?? 'warn',
      },
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `node ${path.join(__dirname, 'ads-api.mjs')}`,
      env: { UTMFORGE_E2E_ADS_PORT: String(adsPort), UTMFORGE_E2E_ADS_KEY: adsKey },
      url: `http://127.0.0.1:${adsPort}/healthz`,
      reuseExistingServer: false,
      timeout: 10_000,
    },
    {
      command: `node ${path.join(__dirname, 'landing-site.mjs')}`,
      env: { UTMFORGE_E2E_LANDING_PORT: String(landingPort) },
      url: `http://127.0.0.1:${landingPort}/healthz`,
      reuseExistingServer: false,
      timeout: 10_000,
    },
  ],
});
