import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

// One relay per test run, on a free 127.0.0.1 port with a throwaway data folder. The choice
// is made once in the runner process and passed to workers through the environment.
if (!process.env.HEARTH_E2E_PORT) {
  process.env.HEARTH_E2E_PORT = execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ])
    .toString()
    .trim();
  process.env.HEARTH_E2E_DATA = mkdtempSync(join(tmpdir(), 'hearth-e2e-'));
}
const port = process.env.HEARTH_E2E_PORT;

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    viewport: { width: 390, height: 800 },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node node_modules/tsx/dist/cli.mjs relay/main.ts',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: port ?? '',
      HOST: '127.0.0.1',
      HEARTH_DATA: process.env.HEARTH_E2E_DATA ?? '',
      HEARTH_STATIC: 'dist',
      HEARTH_TEST_TAP: '1',
      HEARTH_LOG: 'silent',
      // Every member of every test is 127.0.0.1: lift the per-client budgets of new rooms and
      // bytes a day (relay/budgets.test.ts covers them).
      HEARTH_CLIENT_NEW_ROOMS_PER_DAY: '1000000',
      HEARTH_CLIENT_BYTES_PER_DAY: '1024GiB',
    },
  },
});
