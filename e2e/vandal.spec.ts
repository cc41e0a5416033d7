// Someone who once saw the invite link (a former friend, a forwarded screenshot) holds the
// group key. Using only public protocol (the key in the link and the mailbox API) they
// write every attack they can into the group's mailbox: raw deletes of all records, an
// overwrite of a member's reply, a rename by a non-member, meta tampering, and a snapshot
// that supersedes the whole log. Honest members must lose nothing and can go on writing,
// and a member who joins afterwards must still get everything honest members wrote.
import { type APIRequestContext, expect, test } from '@playwright/test';
import nacl from 'tweetnacl';
import * as Y from 'yjs';
import { deriveEpochKeys, type EpochKeys } from '../app/core/crypto/keys.ts';
import { open, seal } from '../app/core/crypto/sealed.ts';
import { signRecord } from '../app/core/group/canonical.ts';
import { RECORDS_MAP } from '../app/core/group/records.ts';
import { createIdentity } from '../app/core/identity/Identity.ts';
import { decodeMailboxRead, encodeMailboxWrite } from '../app/core/sync/mailboxEnvelope.ts';
import {
  createGroup,
  expectUploaded,
  inviteLink,
  inviteOf,
  join,
  newMember,
  openGroup,
  openThread,
  reply,
  startThread,
} from './helpers.ts';

/** The whole mailbox as a key holder reads it, and the sequence number to supersede. */
async function pull(
  request: APIRequestContext,
  keys: EpochKeys,
): Promise<{ doc: Y.Doc; last: number }> {
  const doc = new Y.Doc();
  let after = 0;
  let last = 0;
  for (let page = 0; page < 100; page++) {
    const res = await request.get(`/mailbox/${keys.roomId}?after=${after}&limit=500`);
    expect(res.ok()).toBe(true);
    for (const e of decodeMailboxRead(new Uint8Array(await res.body()))) {
      Y.applyUpdate(doc, open(keys.storeKey, e.blob));
      last = Math.max(last, e.seq);
    }
    after = Number(res.headers()['x-hearth-next'] ?? after);
    if (res.headers()['x-hearth-more'] !== '1') break;
  }
  return { doc, last };
}

async function post(
  request: APIRequestContext,
  keys: EpochKeys,
  kind: 'update' | 'snapshot',
  update: Uint8Array,
  supersedes = 0,
): Promise<void> {
  const res = await request.post(`/mailbox/${keys.roomId}`, {
    headers: { 'content-type': 'application/octet-stream' },
    data: Buffer.from(
      encodeMailboxWrite(keys.roomId, keys.mailbox, {
        kind,
        supersedes,
        timestamp: Date.now(),
        writeId: nacl.randomBytes(16),
        payload: seal(keys.storeKey, update),
      }),
    ),
  });
  expect(res.ok()).toBe(true);
}

test('a key holder who is not a member cannot vandalise the group', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const groupName = `Allotment ${stamp}`;
  const title = `Water rota ${stamp}`;
  const a = await newMember(browser, 'Alice');
  const b = await newMember(browser, 'Bob');
  await createGroup(a, groupName);
  const link = await inviteLink(a);
  await join(b, link, groupName, 'Alice');
  await startThread(a, title, 'Who waters on Monday?');
  await expectUploaded(a);
  await openGroup(b, groupName, title);
  await reply(b, `Me, every week ${stamp}`);
  await expectUploaded(b);

  const invite = await inviteOf(link);
  const keys = deriveEpochKeys(invite.groupKey);
  const { doc, last } = await pull(request, keys);
  const records = doc.getMap(RECORDS_MAP);
  expect(records.size).toBeGreaterThanOrEqual(5); // 2 members, the name, a thread, a reply

  // 1. One update: delete every record, overwrite Bob's reply under its key, rename the
  //    group as a non-member, tamper with meta.
  const mallory = createIdentity('Mallory');
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    const bobReply = [...records.values()].find(
      (r) => (r as { kind?: string }).kind === 'reply',
    ) as Record<string, unknown>;
    for (const key of [...records.keys()]) records.delete(key);
    records.set(bobReply.sig as string, { ...bobReply, body: 'AAAA' });
    const rename = signRecord(mallory, invite.groupId, {
      kind: 'group',
      author: mallory.id,
      v: 999,
      at: Date.now(),
      name: 'A'.repeat(80),
      about: '',
    });
    records.set(rename.sig, rename);
    const meta = doc.getMap('meta');
    meta.set('schemaVersion', 2);
    meta.set('groupId', 'A'.repeat(22));
    meta.set('name', 'A'.repeat(80));
  });
  await post(request, keys, 'update', Y.encodeStateAsUpdate(doc, before));

  // 2. A snapshot of a document with nothing honest in it, superseding the whole log.
  const empty = new Y.Doc();
  empty.getMap('meta').set('name', 'A'.repeat(80));
  empty.getMap(RECORDS_MAP).set('junk', { kind: 'thread', title: 'AAAA' });
  await post(request, keys, 'snapshot', Y.encodeStateAsUpdate(empty), last + 1);

  // Honest members reload: the group, its thread and Bob's reply are all still there.
  for (const m of [a, b]) {
    await m.page.goto('/');
    await m.page.reload();
    await expect(m.page.getByRole('link', { name: new RegExp(groupName) })).toBeVisible();
    await expect(m.page.getByText('A'.repeat(80))).toHaveCount(0);
    await openGroup(m, groupName, title);
    await expect(m.page.getByText(`Me, every week ${stamp}`)).toBeVisible();
    await expect(m.page.getByText('AAAA')).toHaveCount(0);
  }
  await reply(a, `Thanks Bob ${stamp}`);
  await expectUploaded(a);
  await expectUploaded(b);

  // A member who joins after the attack gets everything honest members wrote.
  const c = await newMember(browser, 'Carol');
  await join(c, link, groupName, 'Alice');
  await openThread(c, title);
  await expect(c.page.getByText(`Me, every week ${stamp}`)).toBeVisible({ timeout: 30_000 });
  await expect(c.page.getByText(`Thanks Bob ${stamp}`)).toBeVisible();
  await expect(c.page.getByText('AAAA')).toHaveCount(0);

  // And after a reload everyone still has it all.
  await b.page.reload();
  await expect(b.page.getByText(`Thanks Bob ${stamp}`)).toBeVisible({ timeout: 30_000 });

  for (const m of [a, b, c]) await m.context.close();
});
