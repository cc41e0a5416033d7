// Removing a member starts a new key epoch: Alice (the admin) removes Cat while Bob's device
// is off. Alice and Bob keep everything from before and go on talking in the new epoch; Cat's
// page says she was removed, and no mailbox write of the new epoch opens with any key her
// browser stored. Bob comes back, catches up by himself, and finally leaves the group.
import { expect, type Page, test } from '@playwright/test';
import { fromBase64Url } from '../app/core/crypto/bytes.ts';
import { deriveEpochKeys, type GroupKey } from '../app/core/crypto/keys.ts';
import { open as openSealed } from '../app/core/crypto/sealed.ts';
import { parseWriteEnvelope } from '../relay/envelope.ts';
import {
  createGroup,
  expectUploaded,
  inviteLink,
  join,
  newDevice,
  newMember,
  openDevice,
  openGroup,
  openTab,
  reply,
  startThread,
} from './helpers.ts';

/** The group keys this browser stored for `groupName` (its registry row), as the app wrote it. */
async function storedKeys(page: Page, groupName: string): Promise<GroupKey[]> {
  const rows = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('hearth');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const range = IDBKeyRange.bound(['groups'], ['groups', []]);
    const values = await new Promise<unknown[]>((res, rej) => {
      const r = db.transaction('kv').objectStore('kv').getAll(range);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
    return values.map((v) => new TextDecoder().decode(v as Uint8Array));
  });
  const keys: GroupKey[] = [];
  for (const row of rows) {
    const e = JSON.parse(row) as { name: string; groupKey: string; epochKey?: string };
    if (e.name !== groupName) continue;
    keys.push(fromBase64Url(e.groupKey) as GroupKey);
    if (e.epochKey) keys.push(fromBase64Url(e.epochKey) as GroupKey);
  }
  return keys;
}

/** Every mailbox write the relay received, from its test tap. */
async function writes(page: Page): Promise<ReturnType<typeof parseWriteEnvelope>[]> {
  const res = await page.request.get('/__test/received');
  expect(res.ok()).toBe(true);
  return ((await res.json()) as string[])
    .filter((item) => !item.startsWith('{'))
    .map((item) => parseWriteEnvelope(new Uint8Array(Buffer.from(item, 'base64'))));
}

const opens = (key: GroupKey, payload: Uint8Array): boolean => {
  try {
    openSealed(deriveEpochKeys(key).storeKey, payload);
    return true;
  } catch {
    return false;
  }
};

test('an admin removes a member; the others move to a new key, and one later leaves', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const groupName = `Garden ${stamp}`;
  const before = `Seed swap ${stamp}`;

  const a = await newMember(browser, 'Alice');
  const c = await newMember(browser, 'Cat');
  let b = await newDevice('Bob', baseURL ?? '');
  try {
    await createGroup(a, groupName);
    await startThread(a, before, 'Bring spare seeds');
    await a.page.goBack();
    const link = await inviteLink(a);
    await join(b, link, groupName, 'Alice');
    await join(c, link, groupName, 'Alice');
    for (const m of [b, c]) {
      await expect(m.page.getByRole('link', { name: new RegExp(before) })).toBeVisible();
    }
    await openTab(a, 'Members');
    const members = a.page.getByRole('list', { name: 'Members' });
    await expect(members.getByRole('listitem')).toHaveCount(3);
    await expect(members.getByRole('button', { name: 'Remove from group (Cat)' })).toBeVisible();
    await expect(members.getByText('Admin', { exact: true })).toHaveCount(1);

    // Bob's device goes off before the removal.
    await expectUploaded(b);
    await b.context.close();

    await a.page.getByRole('button', { name: 'Remove from group (Cat)' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Remove Cat from the group?' });
    await dialog.getByLabel('Reason (optional, everyone sees it)').fill('Kept posting ads');
    await dialog.getByRole('button', { name: 'Remove Cat' }).click();
    await expect(dialog).toBeHidden();
    await expect(
      a.page
        .getByRole('list', { name: 'No longer in the group' })
        .getByText('Cat was removed by Alice: “Kept posting ads”'),
    ).toBeVisible();

    // Cat is told in plain words.
    await expect(c.page.getByRole('alert')).toContainText(
      'You were removed from this group by Alice. Reason given: “Kept posting ads”.',
    );

    // Alice goes on writing in the new epoch.
    const after = `After the change ${stamp}`;
    await openTab(a, 'Discuss');
    await startThread(a, after, 'Only for those who stayed');
    await expectUploaded(a);

    // Every write sealed for the new epoch's mailbox: Alice's new key opens each, no key
    // Cat's browser stored opens any.
    const aliceKeys = await storedKeys(a.page, groupName);
    const catKeys = await storedKeys(c.page, groupName);
    const newKey = aliceKeys[aliceKeys.length - 1]!;
    expect(aliceKeys).toHaveLength(2);
    expect(catKeys.length).toBeGreaterThan(0);
    const newMailbox = deriveEpochKeys(newKey).mailbox.publicKey;
    const inNewEpoch = (await writes(a.page)).filter((w) =>
      Buffer.from(w.publicKey).equals(Buffer.from(newMailbox)),
    );
    expect(inNewEpoch.length).toBeGreaterThan(0);
    for (const w of inNewEpoch) {
      expect(opens(newKey, w.payload)).toBe(true);
      for (const k of catKeys) expect(opens(k, w.payload)).toBe(false);
    }

    // Bob's device comes back, finds the new key sealed to him and catches up by itself.
    b = await openDevice('Bob', b.dir, b.baseURL);
    await openGroup(b, groupName);
    await expect(b.page.getByRole('link', { name: new RegExp(after) })).toBeVisible();
    await expect(b.page.getByRole('link', { name: new RegExp(before) })).toBeVisible();
    await b.page.getByRole('link', { name: new RegExp(after) }).click();
    const fromBob = `Glad to be here ${stamp}`;
    await reply(b, fromBob);
    // Alice is still on that thread's page.
    await expect(a.page.getByText(fromBob)).toBeVisible();
    const fromAlice = `Me too ${stamp}`;
    await reply(a, fromAlice);
    await expect(b.page.getByText(fromAlice)).toBeVisible();
    // Cat's page never shows it.
    await expect(c.page.getByText(after)).toHaveCount(0);

    // Moderation: Alice hides Bob's reply for everyone; Bob, its author, can still open it.
    await a.page
      .getByRole('article', { name: 'Reply by Bob' })
      .getByRole('button', { name: 'Hide for everyone' })
      .click();
    await expect(a.page.getByText('Hidden by Alice.')).toBeVisible();
    await expect(b.page.getByText('Hidden by Alice.')).toBeVisible();
    await expect(b.page.getByText(fromBob)).toHaveCount(0);
    await b.page.getByRole('button', { name: 'Show it anyway' }).click();
    await expect(b.page.getByText(fromBob)).toBeVisible();

    // Bob leaves: offered an export first, then the group is gone from his device.
    await b.page.goBack();
    await openTab(b, 'Members');
    await b.page.getByRole('button', { name: 'Leave group' }).click();
    const leave = b.page.getByRole('dialog', { name: `Leave ${groupName}?` });
    const download = b.page.waitForEvent('download');
    await leave.getByRole('button', { name: 'Export a copy first' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.hearth\.json$/);
    await leave.getByRole('button', { name: 'Leave and delete' }).click();
    await expect(b.page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
    await expect(b.page.getByRole('link', { name: new RegExp(groupName) })).toHaveCount(0);
    await expect(await storedKeys(b.page, groupName)).toEqual([]);

    await openGroup(a, groupName);
    await openTab(a, 'Members');
    await expect(
      a.page.getByRole('list', { name: 'No longer in the group' }).getByText('Bob left'),
    ).toBeVisible();
  } finally {
    await a.context.close();
    await c.context.close();
    await b.context.close().catch(() => undefined);
  }
});
