// The relay goes down and comes back (an operator restarts it) while two members are live.
// Both must say so honestly, keep what is written meanwhile, and reconnect by themselves,
// without a reload: y-webrtc's signaling retries, and the app pulls and uploads once it is back.
import { expect, test } from '@playwright/test';
import {
  bytesText,
  createGroup,
  expectUploaded,
  inviteLink,
  join,
  type Member,
  mailboxWrites,
  newMemberAt,
  openGroup,
  reply,
  signalingFrames,
  startThread,
  syncStatus,
} from './helpers.ts';
import { type RelayProcess, startRelayProcess } from './relayProcess.ts';

let relay: RelayProcess;
const members: Member[] = [];

test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay.dispose();
});
test.afterEach(async () => {
  for (const m of members.splice(0)) await m.context.close().catch(() => {});
});

test('a relay restart loses nothing and both members reconnect by themselves', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const groupName = `Allotment ${stamp}`;
  const title = `Water rota ${stamp}`;
  const body = `Who waters in August ${stamp}`;
  const duringOutage = `I can do the first week ${stamp}`;
  const afterRestart = `Then I take the second ${stamp}`;

  const alice = await newMemberAt(browser, 'Alice', relay.url);
  members.push(alice);
  const bob = await newMemberAt(browser, 'Bob', relay.url);
  members.push(bob);
  await createGroup(alice, groupName);
  const link = await inviteLink(alice);
  await join(bob, link, groupName, 'Alice');
  await startThread(alice, title, body);
  await bob.page.getByRole('link', { name: title }).click();
  await expect(bob.page.getByText(body)).toBeVisible();
  for (const m of [alice, bob]) {
    await expect(syncStatus(m)).toHaveText('Live with 1 person');
    await expectUploaded(m);
  }

  await test.step('the relay stops: both say so, and stay live with each other', async () => {
    await relay.stop();
    for (const m of [alice, bob]) {
      await expect(syncStatus(m)).toHaveAttribute('data-relay', 'unreachable');
      await expect(syncStatus(m)).toHaveText('Live with 1 person — relay unreachable');
      await expect(m.page.getByTestId('sync-detail')).toContainText('relay unreachable');
    }
    await reply(alice, duringOutage);
    await expect(syncStatus(alice)).toHaveText(
      'Live with 1 person — 1 change waiting for the relay',
    );
    await expect(bob.page.getByText(duringOutage)).toBeVisible();
  });

  await test.step('the relay restarts on the same port and data: both reconnect', async () => {
    await relay.start();
    for (const m of [alice, bob]) {
      await expectUploaded(m);
      await expect(syncStatus(m)).toHaveText('Live with 1 person');
    }
    // The new process saw the waiting change arrive, sealed, and both signaling sockets return.
    const writes = await mailboxWrites(request, relay.url, link);
    expect(writes.some((w) => w.opened && bytesText(w.opened).includes(duringOutage))).toBe(true);
    for (const w of writes) expect(bytesText(w.body)).not.toContain(duringOutage);
    // Each page's signaling socket reconnects on its own backoff, independently of the
    // mailbox (which an upload retry may have reached first).
    await expect
      .poll(
        async () =>
          (await signalingFrames(request, relay.url)).filter((f) => f.type === 'subscribe').length,
      )
      .toBeGreaterThanOrEqual(2);
  });

  await test.step('a write after the restart reaches the other member', async () => {
    await reply(bob, afterRestart);
    await expect(alice.page.getByText(afterRestart)).toBeVisible();
    await expectUploaded(bob);
  });

  await test.step('a member arriving later finds everything in the restarted mailbox', async () => {
    for (const m of members.splice(0)) await m.context.close();
    const carol = await newMemberAt(browser, 'Carol', relay.url);
    members.push(carol);
    await join(carol, link, groupName, 'Alice');
    await openGroup(carol, groupName, title);
    for (const text of [body, duringOutage, afterRestart]) {
      await expect(carol.page.getByText(text)).toBeVisible();
    }
    await expect(syncStatus(carol)).toHaveAttribute('data-live', '0');
  });
});
