// One member on several devices, backups and durability (issue 11): a second browser context
// becomes the same member through a device link; a backup brings everything back on a fresh
// profile while the group's relay is down; a context closed in the middle of a burst of
// writes reopens with every write the screen had shown.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  createGroup,
  expectUploaded,
  itemCard,
  type Member,
  newDevice,
  newMember,
  openDevice,
  openGroup,
  openTab,
  reply,
  startThread,
} from './helpers.ts';
import { type RelayProcess, startRelayProcess } from './relayProcess.ts';

const members: Member[] = [];
test.afterEach(async () => {
  for (const m of members.splice(0)) await m.context.close().catch(() => {});
});

test('a linked device lists the groups and writes as the same, verified member', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const groupName = `Allotment ${stamp}`;
  const title = `Seed swap ${stamp}`;
  const laptop = await newMember(browser, 'Alice');
  members.push(laptop);
  await createGroup(laptop, groupName);
  await startThread(laptop, title, `Bring jars ${stamp}`);
  await expectUploaded(laptop);

  await laptop.page.goto('/#/settings');
  await laptop.page.getByLabel('Name of the new device').fill('Phone');
  await laptop.page.getByRole('button', { name: 'Show link code' }).click();
  await expect(laptop.page.getByRole('img', { name: /QR code that links/ })).toBeVisible();
  const link = await laptop.page.getByLabel('Device link').inputValue();
  expect(link).toMatch(/#\/link\//);

  // The phone is a fresh browser: opening the link makes it Alice, with her groups.
  const context = await browser.newContext();
  const phone: Member = { name: 'Alice (phone)', context, page: await context.newPage() };
  members.push(phone);
  await phone.page.goto(link);
  await expect(phone.page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
  await expect(phone.page.getByRole('link', { name: new RegExp(groupName) })).toBeVisible();
  await openGroup(phone, groupName, title);
  await reply(phone, `From the phone ${stamp}`);
  await expectUploaded(phone);

  // On the laptop the phone's reply is Alice's own, checked.
  await openGroup(laptop, groupName, title);
  const card = itemCard(laptop, 'Reply', 'Alice', `From the phone ${stamp}`);
  await expect(card).toHaveAttribute('data-verify', 'valid');
  // The Members tab lists both devices under Alice.
  await laptop.page.getByRole('link', { name: 'Threads' }).click();
  await openTab(laptop, 'Members');
  const devices = laptop.page.getByRole('list', { name: 'Your devices' });
  await expect(devices).toContainText('Phone');
  await expect(devices).toContainText('(this device)');

  // A group made on the laptop after the link reaches the phone through the member's own
  // channel; the phone reads its thread and writes in it, and the laptop sees the reply.
  const later = `Book club ${stamp}`;
  await laptop.page.goto('/#/');
  await createGroup(laptop, later);
  await startThread(laptop, `June ${stamp}`, `Dune ${stamp}`);
  await expectUploaded(laptop);
  await phone.page.goto('/#/');
  await phone.page.reload();
  await expect(phone.page.getByRole('link', { name: new RegExp(later) })).toBeVisible();
  await openGroup(phone, later, `June ${stamp}`);
  await expect(phone.page.getByText(`Dune ${stamp}`)).toBeVisible();
  await reply(phone, `Phone in the book club ${stamp}`);
  await expectUploaded(phone);
  await openGroup(laptop, later, `June ${stamp}`);
  await expect(
    itemCard(laptop, 'Reply', 'Alice', `Phone in the book club ${stamp}`),
  ).toHaveAttribute('data-verify', 'valid');

  // A link works once.
  const again = await browser.newContext();
  const third = await again.newPage();
  await third.goto(link);
  await expect(
    third.getByRole('alert').filter({ hasText: /expired or was already used/ }),
  ).toBeVisible();
  await again.close();
});

test.describe('backup and durability', () => {
  let relay: RelayProcess;
  test.beforeAll(async () => {
    relay = await startRelayProcess();
  });
  test.afterAll(async () => {
    await relay.dispose();
  });

  test('a context closed mid-burst keeps every shown write; its backup comes back with the relay stopped', async ({
    browser,
  }) => {
    const stamp = Date.now().toString(36);
    const groupName = `Choir ${stamp}`;
    const title = `Concert ${stamp}`;
    const device = await newDevice('Alice', relay.url);
    members.push(device);
    await createGroup(device, groupName);
    await startThread(device, title, `Saturday ${stamp}`);

    const shown: string[] = [];
    const box = device.page.getByLabel('Reply', { exact: true });
    const send = device.page.getByRole('button', { name: 'Send' });
    for (let i = 0; i < 10; i++) {
      const text = `Write ${i} ${stamp}`;
      await box.fill(text);
      await send.click();
      // The last writes are not waited for: the browser closes while they are being saved.
      if (i < 7) {
        await expect(device.page.getByText(text)).toBeVisible();
        shown.push(text);
      }
    }
    await device.context.close();
    const again = await openDevice('Alice', device.dir, device.baseURL);
    members.push(again);
    await openGroup(again, groupName, title);
    for (const text of shown) await expect(again.page.getByText(text)).toBeVisible();

    await again.page.goto(`${relay.url}/#/settings`);
    await expect(again.page.getByText('No backup made on this device yet.')).toBeVisible();
    await again.page.getByLabel('Backup passphrase').fill('plum kettle orbit');
    await again.page.getByLabel('Same passphrase again').fill('plum kettle orbit');
    const download = again.page.waitForEvent('download');
    await again.page.getByRole('button', { name: 'Export backup' }).click();
    const file = await (await download).path();
    await expect(again.page.getByText(/Last backup:/)).toBeVisible();
    const bytes = readFileSync(file);
    expect(bytes.toString()).not.toContain(groupName);

    await relay.stop();
    // A fresh browser, on another origin (its own empty storage); the group's relay is down.
    const context = await browser.newContext();
    const fresh: Member = { name: 'Alice (restored)', context, page: await context.newPage() };
    members.push(fresh);
    await fresh.page.goto('/');
    await fresh.page.getByLabel('Backup file').setInputFiles({
      name: 'backup.hearth',
      mimeType: 'application/octet-stream',
      buffer: bytes,
    });
    await fresh.page.getByLabel('Backup passphrase').fill('wrong passphrase');
    await fresh.page.getByRole('button', { name: 'Import backup' }).click();
    await expect(fresh.page.getByText(/does not open this backup/)).toBeVisible();
    await fresh.page.getByLabel('Backup passphrase').fill('plum kettle orbit');
    await fresh.page.getByRole('button', { name: 'Import backup' }).click();
    await expect(fresh.page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
    await openGroup(fresh, groupName, title);
    for (const text of shown) {
      await expect(itemCard(fresh, 'Reply', 'Alice', text)).toHaveAttribute('data-verify', 'valid');
    }
  });
});
