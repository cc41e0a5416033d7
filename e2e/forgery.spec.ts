// Anyone holding the group key can write into the group's document, so authorship rests on
// signatures alone. This spec plays a key holder who writes a reply under Bob's name (signed
// with their own key) and one as a stranger, using only public protocol: the invite's key,
// a sealed Yjs update and a signed mailbox write. Every member's device must flag both.
import { type APIRequestContext, expect, test } from '@playwright/test';
import nacl from 'tweetnacl';
import * as Y from 'yjs';
import { deriveEpochKeys, type EpochKeys } from '../app/core/crypto/keys.ts';
import { open, seal } from '../app/core/crypto/sealed.ts';
import { deriveItemId, newNonce, signRecord } from '../app/core/group/canonical.ts';
import { Group } from '../app/core/group/Group.ts';
import { createIdentity } from '../app/core/identity/Identity.ts';
import { parseInvite } from '../app/core/invite/invite.ts';
import { decodeMailboxRead, encodeMailboxWrite } from '../app/core/sync/mailboxEnvelope.ts';
import { itemCard, openThread, reply, startThread, threeMembers } from './helpers.ts';

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

test('a reply written under another member’s name is flagged on every device', async ({
  browser,
  request,
}) => {
  const stamp = Date.now().toString(36);
  const groupName = `Residents ${stamp}`;
  const title = `Bins day ${stamp}`;
  const [a, b, c] = await threeMembers(browser, groupName);

  await a.page.getByRole('link', { name: 'Invite' }).click();
  const link = await a.page.getByLabel('Invite link').inputValue();
  await a.page.goBack();
  const invite = parseInvite(link);
  const keys = deriveEpochKeys(invite.groupKey);

  await startThread(a, title, 'Bins go out on Tuesday now.');
  await openThread(b, title);
  await reply(b, `Thanks, noted ${stamp}`);

  // What any key holder can read from the relay: wait until Bob's reply has been uploaded.
  let doc = new Y.Doc();
  let group: Group | undefined;
  await expect
    .poll(
      async () => {
        doc = await pullDoc(request, keys);
        group = Group.open(doc, { groupId: invite.groupId });
        const thread = group.threads().find((t) => t.title === title);
        return thread ? group.replies(thread.id).length : 0;
      },
      { timeout: 60_000 },
    )
    .toBe(1);
  if (!group) throw new Error('unreachable');
  const bob = group.members().find((m) => m.name === 'Bob');
  const thread = group.threads().find((t) => t.title === title);
  expect(bob).toBeDefined();
  expect(thread).toBeDefined();
  if (!bob || !thread) return;

  const forger = createIdentity('Mallory');
  const before = Y.encodeStateVector(doc);
  const forge = (author: string, body: string) => {
    const nonce = newNonce();
    const id = deriveItemId(author as typeof bob.id, nonce);
    const record = signRecord(forger, invite.groupId, {
      kind: 'reply',
      threadId: thread.id,
      body,
      mentions: [],
      id,
      nonce,
      author,
      createdAt: Date.now(),
    });
    doc.getMap('items').set(id, record);
  };
  forge(bob.id, `Bins are cancelled forever ${stamp}`);
  forge(forger.id, `I live here too ${stamp}`);
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
    await expect(m.page.getByRole('heading', { level: 2, name: title })).toBeVisible();

    const forged = itemCard(m, 'Reply', 'Bob', `Bins are cancelled forever ${stamp}`);
    await expect(forged).toBeVisible();
    await expect(forged).toHaveAccessibleName(/warning: possibly forged/);
    await expect(forged.getByRole('alert')).toHaveText(
      'Warning: this is not signed by Bob. Someone else may have written it.',
    );
    await expect(forged.getByRole('button', { name: 'Edit' })).toHaveCount(0);

    const stranger = itemCard(m, 'Reply', 'Unknown member', `I live here too ${stamp}`);
    await expect(stranger).toHaveAccessibleName(/warning: not from a member/);
    await expect(stranger.getByRole('alert')).toHaveText(
      'Warning: written by someone who is not a member of this group.',
    );

    const genuine = itemCard(m, 'Reply', 'Bob', `Thanks, noted ${stamp}`);
    await expect(genuine).toHaveAttribute('data-verify', 'valid');
    await expect(genuine.getByRole('alert')).toHaveCount(0);
  }

  // Bob can remove what was written in his name; his signed tombstone is genuine.
  await itemCard(b, 'Reply', 'Bob', `Bins are cancelled forever ${stamp}`)
    .getByRole('button', { name: 'Delete' })
    .click();
  await b.page
    .getByRole('dialog', { name: 'Delete this reply?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  for (const m of [a, c]) {
    await expect(m.page.getByText(`Bins are cancelled forever ${stamp}`)).toHaveCount(0);
    const tombstone = m.page
      .getByRole('article', { name: 'Reply by Bob' })
      .filter({ hasText: 'Deleted by its author' });
    await expect(tombstone).toHaveAttribute('data-verify', 'valid');
  }

  for (const m of [a, b, c]) await m.context.close();
});
