// Members who are never online together still get each other's posts: everything goes
// through the relay's blind mailbox, survives closing the browser (persistent profiles), and
// the relay only ever receives sealed bytes that open with the group's key alone.
import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  bytesText,
  createGroup,
  type Device,
  expectUploaded,
  inviteLink,
  join,
  mailboxWrites,
  newDevice,
  openDevice,
  openGroup,
  reply,
  startThread,
  syncStatus,
} from './helpers.ts';
import { type RelayProcess, startRelayProcess } from './relayProcess.ts';

let relay: RelayProcess;
const open: Device[] = [];

test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay.dispose();
});
test.afterEach(async () => {
  const dirs = new Set<string>();
  for (const d of open.splice(0)) {
    await d.context.close().catch(() => {});
    dirs.add(d.dir);
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function track(d: Promise<Device>): Promise<Device> {
  const device = await d;
  open.push(device);
  return device;
}

test('posts and replies reach members who are never online together', async ({ request }) => {
  test.setTimeout(240_000);
  const stamp = Date.now().toString(36);
  const groupName = `Book club ${stamp}`;
  const title = `Next book ${stamp}`;
  const body = `Shall we read Middlemarch ${stamp}`;
  const answer = `Only if we take two months ${stamp}`;

  const alice = await track(newDevice('Alice', relay.url));
  await createGroup(alice, groupName);
  const link = await inviteLink(alice);
  const bob = await track(newDevice('Bob', relay.url));
  await join(bob, link, groupName, 'Alice');
  await expectUploaded(bob);
  await bob.context.close();

  await test.step('Alice posts alone, waits for the relay, and closes her browser', async () => {
    await startThread(alice, title, body);
    await expect(syncStatus(alice)).toHaveAttribute('data-live', '0');
    await expectUploaded(alice);
    await expect(alice.page.getByTestId('sync-detail')).toContainText(
      'Nothing waiting for upload · relay reached',
    );
    await alice.context.close();
  });

  await test.step('Bob reopens with nobody live and finds the post in the mailbox', async () => {
    const bob2 = await track(openDevice('Bob', bob.dir, relay.url));
    await openGroup(bob2, groupName, title);
    await expect(bob2.page.getByText(body)).toBeVisible();
    await expect(syncStatus(bob2)).toHaveAttribute('data-live', '0');
    await expect(syncStatus(bob2)).toHaveAttribute('data-state', 'relayed');
    // The app shell is cached for offline use once its service worker is active (it
    // registers when the first screen is painted and the page idle).
    await bob2.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await bob2.context.close();
  });

  await test.step('Bob replies with no network at all, then closes', async () => {
    const bob3 = await track(openDevice('Bob', bob.dir, relay.url, { offline: true }));
    await openGroup(bob3, groupName, title);
    await expect(bob3.page.getByText(body)).toBeVisible();
    await reply(bob3, answer);
    const status = syncStatus(bob3);
    await expect(status).toHaveAttribute('data-state', 'offline');
    await expect(status).toHaveAttribute('data-pending', '1');
    await expect(status).toHaveText('Offline — 1 change waiting');
    await expect(bob3.page.getByTestId('sync-detail')).toHaveText(
      '1 change waiting for upload · relay unreachable',
    );
    await bob3.context.close();
  });
  expect(await answerUploaded()).toBe(false);

  await test.step('Bob reopens online and the waiting reply uploads by itself', async () => {
    const bob4 = await track(openDevice('Bob', bob.dir, relay.url));
    await openGroup(bob4, groupName, title);
    await expect(bob4.page.getByText(answer)).toBeVisible();
    await expectUploaded(bob4);
    await expect.poll(answerUploaded).toBe(true);
    await bob4.context.close();
  });

  await test.step('Alice reopens with nobody live and reads the reply', async () => {
    const alice2 = await track(openDevice('Alice', alice.dir, relay.url));
    await openGroup(alice2, groupName, title);
    await expect(alice2.page.getByText(answer)).toBeVisible();
    await expect(syncStatus(alice2)).toHaveAttribute('data-live', '0');
  });

  await test.step('the relay only ever received sealed bytes', async () => {
    const writes = await mailboxWrites(request, relay.url, link);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    const key = decodeURIComponent(link.slice(link.indexOf('#/join/') + '#/join/'.length));
    for (const w of writes) {
      expect(w.sealed[0]).toBe(1); // the sealed-blob version byte
      const raw = bytesText(w.body);
      for (const secret of [groupName, title, body, answer, key]) expect(raw).not.toContain(secret);
      expect(w.opened).not.toBeNull();
    }
    // Not vacuous: opened with the group's key, the same writes hold all of it.
    const opened = writes.map((w) => bytesText(w.opened ?? new Uint8Array())).join('\n');
    for (const secret of [groupName, title, body, answer]) expect(opened).toContain(secret);
  });

  async function answerUploaded(): Promise<boolean> {
    const writes = await mailboxWrites(request, relay.url, link);
    return writes.some((w) => w.opened && bytesText(w.opened).includes(answer));
  }
});

test.describe('a full relay', () => {
  const relays: RelayProcess[] = [];
  test.afterEach(async () => {
    for (const r of relays.splice(0)) await r.dispose();
  });

  test('a relay out of entries is compacted with a snapshot, by itself', async () => {
    const small = await startRelayProcess({ env: { HEARTH_ROOM_MAX_ENTRIES: '3' } });
    relays.push(small);
    const stamp = Date.now().toString(36);
    const groupName = `Orchard ${stamp}`;
    const titles = [1, 2, 3, 4].map((i) => `Tree ${i} ${stamp}`);

    const alice = await track(newDevice('Alice', small.url));
    await createGroup(alice, groupName);
    const link = await inviteLink(alice);
    for (const title of titles) {
      await startThread(alice, title, `Pruning notes for ${title}`);
      await expectUploaded(alice);
      await alice.page.goBack();
    }
    await expect(syncStatus(alice)).not.toContainText('full');
    const writes = await mailboxWrites(alice.page.request, small.url, link);
    expect(writes.some((w) => w.kind === 2)).toBe(true);
    await alice.context.close();

    const carol = await track(newDevice('Carol', small.url));
    await join(carol, link, groupName, 'Alice');
    for (const title of titles) {
      await expect(carol.page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
    }
  });

  test('a group too large for the relay says so plainly and loses nothing', async () => {
    const tiny = await startRelayProcess({ env: { HEARTH_ROOM_MAX_BYTES: '12KiB' } });
    relays.push(tiny);
    const stamp = Date.now().toString(36);
    const groupName = `Archive ${stamp}`;
    const title = `Minutes ${stamp}`;
    const end = `Adjourned ${stamp}`;
    const body = `${'The meeting went on. '.repeat(700)}${end}`;

    const alice = await track(newDevice('Alice', tiny.url));
    const bob = await track(newDevice('Bob', tiny.url));
    await createGroup(alice, groupName);
    const link = await inviteLink(alice);
    await join(bob, link, groupName, 'Alice');
    await expectUploaded(alice);
    await expect(syncStatus(bob)).toHaveAttribute('data-live', '1');

    await startThread(alice, title, body);
    const status = syncStatus(alice);
    await expect(status).toContainText(
      'The relay is full for this group, even for a compact copy of it. Everything stays on this device and still reaches members who are online at the same time',
    );
    await expect(status).toHaveAttribute('data-pending', '1');
    // It tried a snapshot first, as the relay asked.
    const writes = await mailboxWrites(alice.page.request, tiny.url, link);
    expect(
      writes.some((w) => w.kind === 2 && w.opened && bytesText(w.opened).includes(stamp)),
    ).toBe(true);

    // Nothing is lost: the member online now has it, and it survives a restart of the app.
    await bob.page.getByRole('link', { name: new RegExp(title) }).click();
    await expect(bob.page.getByText(end)).toBeVisible();
    await alice.page.reload();
    await expect(alice.page.getByRole('heading', { name: title })).toBeVisible();
    await expect(alice.page.getByText(end)).toBeVisible();
    await expect(status).toContainText('The relay is full for this group');
    await expect(status).toHaveAttribute('data-pending', '1');
  });
});
