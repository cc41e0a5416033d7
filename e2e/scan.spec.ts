// Joining by QR code inside the app: with the camera (Chromium's fake camera plays a video of
// the invite's QR code) and from a photo. A QR code that is not an invite changes nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs } from '../scripts/chromium.mjs';
import { createGroup, inviteLink, newMember } from './helpers.ts';
import { writeQrPng, writeQrVideo } from './qrFixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'hearth-qr-'));

test('a member joins by scanning the invite QR code with the camera', async ({
  browser,
  baseURL,
}) => {
  const a = await newMember(browser, 'Alice');
  await createGroup(a, 'Choir');
  const link = await inviteLink(a);

  const video = join(dir, 'invite.y4m');
  writeQrVideo(video, link);
  const cameraBrowser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      ...chromiumArgs,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const context = await cameraBrowser.newContext({ baseURL: baseURL ?? '' });
    await context.grantPermissions(['camera']);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Your name').fill('Bob');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('link', { name: 'Scan a QR code' }).click();
    await expect(page.getByRole('heading', { name: 'Join Choir?' })).toBeVisible();
    await expect(page.getByText('Alice invited you')).toBeVisible();
    await page.getByRole('button', { name: 'Join group' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Choir' })).toBeVisible();
  } finally {
    await cameraBrowser.close();
    await a.context.close();
  }
});

test('a photo of the QR code works, and a foreign QR code is refused in plain words', async ({
  browser,
}) => {
  const a = await newMember(browser, 'Alice');
  await createGroup(a, 'Allotment');
  const link = await inviteLink(a);
  const b = await newMember(browser, 'Bob');

  const foreign = join(dir, 'foreign.png');
  await writeQrPng(foreign, 'https://example.org/not-an-invite');
  await b.page.goto('/#/scan');
  await b.page.getByLabel('Or choose a photo of the QR code').setInputFiles(foreign);
  await expect(b.page.getByRole('alert')).toContainText('not a working Hearth invite');
  await expect(b.page.getByRole('heading', { name: 'Scan an invite' })).toBeVisible();

  const photo = join(dir, 'invite.png');
  await writeQrPng(photo, link);
  await b.page.getByLabel('Or choose a photo of the QR code').setInputFiles(photo);
  await expect(b.page.getByRole('heading', { name: 'Join Allotment?' })).toBeVisible();
  await b.page.getByRole('button', { name: 'Join group' }).click();
  await expect(b.page.getByRole('heading', { level: 1, name: 'Allotment' })).toBeVisible();
  await a.context.close();
  await b.context.close();
});
