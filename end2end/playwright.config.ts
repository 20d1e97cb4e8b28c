import { defineConfig, devices } from '@playwright/test';
import * as path from 'path';
import * as os from 'os';
import * as fs from 'fs';

// The tests run against the release binary built by `cargo leptos build --release`, started
// here by Playwright (not `cargo leptos serve`, which leaves an orphan holding the port).
const port = Number(process.env.UTMFORGE_E2E_PORT ?? 3100);
const repoRoot = path.resolve(__dirname, '..');
// A fresh database for every run, never the developer's ./data.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmforge-e2e-web-'));

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
  webServer: {
    command: `${path.join(repoRoot, 'target/release/utmforge')} serve`,
    cwd: repoRoot,
    env: {
      UTMFORGE_ADDR: `127.0.0.1:${port}`,
      UTMFORGE_SITE_ROOT: path.join(repoRoot, 'target/site'),
      UTMFORGE_DATABASE_URL: `sqlite://${dataDir}/utmforge.db`,
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
