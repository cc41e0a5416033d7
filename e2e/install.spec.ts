// The installed app: Chromium finds it installable (DevTools protocol, on a persistent
// profile as a real install needs), Settings offers Install and shows the build hash of the
// files the relay served, the invite can be shared and its QR code shown full screen, the
// manifest's shortcuts open offline, and a new version waits for the member's click.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, type Page, test } from '@playwright/test';
import { hashBuild, hashServed } from '../scripts/buildHash.ts';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { createGroup } from './helpers.ts';
import { startRelayProcess } from './relayProcess.ts';

/** Resolves once a service worker is active for the page (it registers when the page is idle). */
const workerActive = (page: Page) =>
  page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).active));

async function signUp(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
}

test('installable, shares invites, and its shortcuts open offline', async ({ baseURL }) => {
  const profile = mkdtempSync(join(tmpdir(), 'hearth-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    baseURL,
    viewport: { width: 390, height: 800 },
  });
  try {
    // The phone's share sheet, as the Web Share API hands it the invite.
    await context.addInitScript(() => {
      const w = window as unknown as { shared: ShareData[] };
      w.shared = [];
      navigator.share = async (data?: ShareData) => {
        w.shared.push(data ?? {});
      };
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await signUp(page, 'Ines');
    expect(await workerActive(page)).toBe(true);

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as { data?: string };
    const parsed = JSON.parse(manifest.data ?? '{}') as {
      shortcuts?: { name: string; url: string }[];
    };
    expect(parsed?.shortcuts?.map((s) => [s.name, s.url])).toEqual([
      ['New thread', '/#/t/new'],
      ['Scan invite', '/#/scan'],
    ]);

    // Settings: the build hash of the files this relay serves, which are the ones in dist.
    await page.getByRole('link', { name: 'Settings' }).click();
    const local = await hashBuild('dist');
    expect((await hashServed(baseURL ?? '', local.files)).hash).toBe(local.hash);
    await expect(page.getByTestId('build-hash')).toHaveText(local.hash);
    // Chromium's install offer (headless never makes one by itself) becomes the Install button.
    await page.evaluate(() => {
      const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: async () => {
          (window as unknown as { prompted: boolean }).prompted = true;
        },
        userChoice: Promise.resolve({ outcome: 'accepted' }),
      });
      window.dispatchEvent(offer);
    });
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    await expect(page.getByText('Hearth is being installed.')).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { prompted: boolean }).prompted)).toBe(
      true,
    );
    await expect(page.getByRole('button', { name: 'Install', exact: true })).toHaveCount(0);

    await page.getByRole('link', { name: 'Back to your groups' }).click();
    await createGroup({ name: 'Ines', context, page }, 'Allotment');
    await page.getByRole('link', { name: 'Invite' }).click();
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const link = await page.getByLabel('Invite link').inputValue();
    await page.getByRole('button', { name: 'Share' }).click();
    expect(
      await page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared),
    ).toEqual([{ title: 'Join Allotment on Hearth', url: link }]);
    await page.getByRole('button', { name: 'Show the QR code full screen' }).click();
    const full = page.getByRole('dialog', { name: 'Invite QR code, full screen' });
    const code = full.getByRole('img');
    await expect(code).toBeVisible();
    expect((await code.boundingBox())?.width).toBeGreaterThan(300);
    await page.keyboard.press('Escape');
    await expect(full).toBeHidden();

    // Opened from a shortcut with no network: the worker serves the shell, the hash route
    // picks the screen, and with one group "New thread" goes straight to it.
    await context.setOffline(true);
    const scan = await context.newPage();
    await scan.goto('/#/scan');
    await expect(scan.getByRole('heading', { name: 'Scan an invite' })).toBeVisible();
    await scan.close();
    const thread = await context.newPage();
    await thread.goto('/#/t/new');
    await expect(thread.getByRole('heading', { name: 'New thread' })).toBeVisible();
    await expect(thread).toHaveURL(/#\/g\/[^/]+\/t\/new$/);
    await expect(thread.getByLabel('Title')).toBeVisible();
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a new version waits until the member chooses to reload', async ({ browser }) => {
  // A relay of its own serving a copy of the build, whose sw.js the test then changes.
  const site = mkdtempSync(join(tmpdir(), 'hearth-e2e-site-'));
  cpSync('dist', site, { recursive: true });
  const relay = await startRelayProcess({ env: { HEARTH_STATIC: site } });
  const context = await browser.newContext({ baseURL: relay.url });
  try {
    const page = await context.newPage();
    await page.goto('/');
    expect(await workerActive(page)).toBe(true);
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const toast = page.getByRole('status').filter({ hasText: 'A new version of Hearth is ready.' });
    await expect(toast).toHaveCount(0);

    writeFileSync(
      join(site, 'sw.js'),
      `${readFileSync(join(site, 'sw.js'), 'utf8')}\n// next build\n`,
    );
    // The page's own registration finds the new worker, which waits.
    await page.reload();
    await expect(toast).toBeVisible();
    const state = () =>
      page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return { waiting: Boolean(r?.waiting), active: Boolean(r?.active) };
      });
    expect(await state()).toEqual({ waiting: true, active: true });
    // Nothing activates it by itself: a reload still runs the old version and asks again.
    await page.reload();
    await expect(toast).toBeVisible();
    expect(await state()).toEqual({ waiting: true, active: true });

    // The click activates it, and the page reloads itself into the new version.
    const reloaded = page.waitForEvent('framenavigated');
    await toast.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.getByRole('heading', { name: 'Welcome to Hearth' })).toBeVisible();
    expect(await state()).toEqual({ waiting: false, active: true });
    await expect(toast).toHaveCount(0);
  } finally {
    await context.close();
    await relay.dispose();
    rmSync(site, { recursive: true, force: true });
  }
});
