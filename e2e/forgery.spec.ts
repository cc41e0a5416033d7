// Anyone holding the group key can write into the group's document, so authorship rests on
// signatures alone. This spec plays a key holder who, using only public protocol (the
// invite's key, a sealed Yjs update and a signed mailbox write), adds records in the group's
// layout (one root map 'records', each record under its own signature): a reply under Bob's
// name signed with their own key, a reply as a stranger, a newer version of Alice's thread
// with another title, and a reaction in Bob's name. On every member's device none of them
// may ever look genuine; once checked they are gone, and the real thread stays as it was.
// The same update carries what a key holder may honestly do (join under their own key and
// reply), which must arrive and show as verified: proof that the forgeries were delivered.
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import nacl from 'tweetnacl';
import * as Y from 'yjs';
import { toBase64Url } from '../app/core/crypto/bytes.ts';
import { deriveEpochKeys, type EpochKeys } from '../app/core/crypto/keys.ts';
import { open, seal } from '../app/core/crypto/sealed.ts';
import type { ThreadRecord } from '../app/core/features/discussion/records.ts';
import { FEATURE_KINDS, featuresOf } from '../app/core/features/registry.ts';
import { deriveItemId, newNonce, signRecord } from '../app/core/group/canonical.ts';
import { Group } from '../app/core/group/Group.ts';
import { RECORDS_MAP } from '../app/core/group/records.ts';
import { createIdentity } from '../app/core/identity/Identity.ts';
import { decodeMailboxRead, encodeMailboxWrite } from '../app/core/sync/mailboxEnvelope.ts';
import {
  inviteLink,
  inviteOf,
  itemCard,
  openThread,
  reply,
  startThread,
  threeMembers,
} from './helpers.ts';

/** Everything in the group's mailbox, opened and applied to a fresh document. */
async function pullDoc(request: APIRequestContext, keys: EpochKeys): Promise<Y.Doc> {
  const doc = new Y.Doc();
  let after = 0;
  for (let page = 0; page < 100; page++) {
    const res = await request.get(`/mailbox/${keys.roomId}?after=${after}&limit=500`);
    expect(res.ok()).toBe(true);
    const entries = decodeMailboxRead(new Uint8Array(await res.body()));
    for (const e of entries) Y.applyUpdate(doc, open(keys.storeKey, e.blob));
    after = Number(res.headers()['x-hearth-next'] ?? after);
    if (res.headers()['x-hearth-more'] !== '1') break;
  }
  return doc;
}

/** The data-verify of every card on the page that shows `text` (empty when none does). */
function cardStates(page: Page, text: string): Promise<string[]> {
  return page
    .locator('article.item-card', { hasText: text })
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.verify ?? ''));
}

test('records forged by a key holder never look genuine and never replace real ones', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const groupName = `Residents ${stamp}`;
  const title = `Bins day ${stamp}`;
  const fakeTitle = `Bins cancelled ${stamp}`;
  const inBobsName = `Bins are cancelled forever ${stamp}`;
  const asStranger = `I live here too ${stamp}`;
  const honest = `Hello from Dan ${stamp}`;
  const [a, b, c] = await threeMembers(browser, groupName);

  const invite = await inviteOf(await inviteLink(a));
  const keys = deriveEpochKeys(invite.groupKey);

  await startThread(a, title, 'Bins go out on Tuesday now.');
  await openThread(b, title);
  await reply(b, `Thanks, noted ${stamp}`);

  // What any key holder can read from the relay: wait until Bob's reply has been uploaded.
  let doc = new Y.Doc();
  let group: Group | undefined;
  const threadOf = (g: Group) =>
    featuresOf(g)
      .discussion.threads()
      .find((t) => t.title === title);
  await expect
    .poll(
      async () => {
        group?.destroy();
        doc = await pullDoc(request, keys);
        group = Group.open(doc, { groupId: invite.groupId, kinds: FEATURE_KINDS });
        const thread = threadOf(group);
        return thread ? featuresOf(group).discussion.replies(thread.id).length : 0;
      },
      { timeout: 60_000 },
    )
    .toBe(1);
  if (!group) throw new Error('unreachable');
  const bob = group.members().find((m) => m.name === 'Bob');
  const thread = threadOf(group);
  const real = thread ? group.head<ThreadRecord>(thread.id) : undefined;
  expect(bob).toBeDefined();
  expect(real).toBeDefined();
  if (!bob || !thread || !real) return;

  const forger = createIdentity('Mallory');
  const dan = createIdentity('Dan');
  const records = doc.getMap(RECORDS_MAP);
  const before = Y.encodeStateVector(doc);
  const put = (fields: Record<string, unknown>, signer = forger) => {
    const record = signRecord(signer, invite.groupId, { v: 1, at: Date.now(), ...fields });
    records.set(record.sig, record);
  };
  const newReply = (author: string, body: string, signer = forger) => {
    const nonce = newNonce();
    put(
      {
        kind: 'reply',
        author,
        id: deriveItemId(author as typeof bob.id, nonce),
        nonce,
        createdAt: Date.now(),
        threadId: thread.id,
        body,
        mentions: [],
      },
      signer,
    );
  };
  doc.transact(() => {
    // What any key holder may do: join under their own key, and reply.
    put(
      {
        kind: 'member',
        author: dan.id,
        name: 'Dan',
        boxKey: toBase64Url(dan.box.publicKey),
        joinedAt: Date.now(),
      },
      dan,
    );
    newReply(dan.id, honest, dan);
    // Under Bob's own fresh id, signed by someone else: forged.
    newReply(bob.id, inBobsName);
    // Correctly signed, by someone with no member record: not from a member.
    newReply(forger.id, asStranger);
    // A newer version of Alice's thread (same id, higher version) with another title.
    put({
      kind: 'thread',
      author: real.author,
      v: real.v + 1,
      id: real.id,
      nonce: real.nonce,
      createdAt: real.createdAt,
      title: fakeTitle,
      body: 'There is no collection any more.',
      mentions: [],
    });
    // A reaction in Bob's name.
    put({ kind: 'reaction', author: bob.id, itemId: thread.id, emoji: '👍', on: true });
  });
  group.destroy();
  const update = Y.encodeStateAsUpdate(doc, before);

  const written = await request.post(`/mailbox/${keys.roomId}`, {
    headers: { 'content-type': 'application/octet-stream' },
    data: Buffer.from(
      encodeMailboxWrite(keys.roomId, keys.mailbox, {
        kind: 'update',
        supersedes: 0,
        timestamp: Date.now(),
        writeId: nacl.randomBytes(16),
        payload: seal(keys.storeKey, update),
      }),
    ),
  });
  expect(written.ok()).toBe(true);

  const threadUrl = a.page.url();
  for (const m of [a, b, c]) {
    // Opening the app pulls the mailbox.
    await m.page.goto(threadUrl);
    await m.page.reload();
    // Whatever is on screen while checks run, a forged record is never shown as verified.
    for (const text of [inBobsName, asStranger, 'There is no collection any more.']) {
      expect(await cardStates(m.page, text)).not.toContain('valid');
    }
    await expect(m.page.getByRole('heading', { level: 2, name: title })).toBeVisible();
    await expect(m.page.getByRole('heading', { level: 2, name: fakeTitle })).toHaveCount(0);

    // The honest part of the same update arrived and is verified.
    await expect(itemCard(m, 'Reply', 'Dan', honest)).toHaveAttribute('data-verify', 'valid');
    const genuine = itemCard(m, 'Reply', 'Bob', `Thanks, noted ${stamp}`);
    await expect(genuine).toHaveAttribute('data-verify', 'valid');
    await expect(genuine.getByRole('alert')).toHaveCount(0);
    const opening = itemCard(m, 'Message', 'Alice', 'Bins go out on Tuesday now.');
    await expect(opening).toHaveAttribute('data-verify', 'valid');
    await expect(opening.getByText('edited', { exact: true })).toHaveCount(0);

    // Once checked, forged records are not shown at all.
    await expect(m.page.getByText(inBobsName)).toHaveCount(0);
    await expect(m.page.getByText(asStranger)).toHaveCount(0);
    await expect(m.page.getByText('There is no collection any more.')).toHaveCount(0);
    await expect(opening.getByRole('button', { name: /^👍/ })).toHaveCount(0);

    // The thread list shows the real title, verified.
    await m.page.getByRole('link', { name: 'Threads' }).click();
    const rows = m.page.getByRole('list', { name: 'Threads' }).getByRole('link');
    await expect(rows.filter({ hasText: title })).toHaveAttribute('data-trust', 'valid');
    await expect(rows.filter({ hasText: fakeTitle })).toHaveCount(0);
    // And so does the home feed: no line for what was forged.
    await m.page.getByRole('link', { name: 'Your groups' }).click();
    const feed = m.page.getByRole('list', { name: 'Recent activity' });
    await expect(feed.getByRole('link', { name: `Alice started “${title}”` })).toBeVisible();
    await expect(feed.getByText(fakeTitle)).toHaveCount(0);
    await expect(feed.getByText(/^Bob replied/)).toHaveCount(1);
  }

  for (const m of [a, b, c]) await m.context.close();
});
