// After one visit the app works with no network at all: the service worker serves the shell,
// the group and its threads render from IndexedDB, and what is written offline waits on the
// device, says so, and uploads by itself once the network is back.
import { expect, test } from '@playwright/test';
import {
  bytesText,
  createGroup,
  expectUploaded,
  inviteLink,
  mailboxWrites,
  newMember,
  reply,
  startThread,
  syncStatus,
} from './helpers.ts';

test('the app opens, reads and writes offline after the first visit', async ({
  browser,
  baseURL,
  request,
}) => {
  const stamp = Date.now().toString(36);
  const groupName = `Choir ${stamp}`;
  const title = `Rehearsal ${stamp}`;
  const body = `Thursday at seven ${stamp}`;
  const offlineReply = `I will bring the scores ${stamp}`;

  const a = await newMember(browser, 'Alice');
  try {
    await createGroup(a, groupName);
    const link = await inviteLink(a);
    await startThread(a, title, body);
    await expectUploaded(a);
    expect(await a.page.evaluate(async () => Boolean(await navigator.serviceWorker.ready))).toBe(
      true,
    );

    await a.context.setOffline(true);
    // Noticed at once, not at the next poll or write.
    await expect(syncStatus(a)).toHaveAttribute('data-state', 'offline');
    await a.page.reload();
    await expect(a.page.getByRole('heading', { name: title })).toBeVisible();
    // Served by the service worker, with the network really gone.
    expect(await a.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(
      await a.page.evaluate(() =>
        fetch('/healthz', { cache: 'no-store' }).then(
          () => 'reached',
          () => 'failed',
        ),
      ),
    ).toBe('failed');
    await expect(a.page.getByText(body)).toBeVisible();
    await a.page.goBack();
    await expect(a.page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
    await expect(a.page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
    await a.page.getByRole('link', { name: new RegExp(title) }).click();

    await reply(a, offlineReply);
    const status = syncStatus(a);
    await expect(status).toHaveAttribute('data-state', 'offline');
    await expect(status).toHaveText('Offline — 1 change waiting');
    await expect(a.page.getByTestId('sync-detail')).toContainText('1 change waiting for upload');
    // The waiting change is kept on the device, not in the page.
    await a.page.reload();
    await expect(a.page.getByText(offlineReply)).toBeVisible();
    await expect(status).toHaveText('Offline — 1 change waiting');

    await a.context.setOffline(false);
    await expectUploaded(a);
    const writes = await mailboxWrites(request, baseURL ?? '', link);
    expect(writes.some((w) => w.opened && bytesText(w.opened).includes(offlineReply))).toBe(true);
  } finally {
    await a.context.close();
  }
});
