// Unread counts are facts for one reader: B sees them on the thread list, the tabs, Home and
// the app icon after A writes, they clear as B reads, and B's read markers never reach the
// group document (neither A's device nor the relay's mailbox learns what B has read).
import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { deriveEpochKeys } from '../app/core/crypto/keys.ts';
import { localSealer } from '../app/core/crypto/localSealed.ts';
import { RECORDS_MAP } from '../app/core/group/records.ts';
import {
  createGroup,
  escapeRegExp,
  idbRows,
  inviteLink,
  inviteOf,
  join,
  mailboxWrites,
  newMember,
  openGroup,
  openTab,
  reply,
  startThread,
  writePost,
} from './helpers.ts';

/** A group document's root types: its meta map and the one map of signed records. */
const GROUP_TYPES = new Set(['meta', RECORDS_MAP]);

/** The group document rebuilt from sealed updates, checked to hold nothing but group data. */
function expectNoReadState(updates: Uint8Array[], forbidden: string[]): void {
  expect(updates.length).toBeGreaterThan(0);
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  for (const name of doc.share.keys()) expect(GROUP_TYPES).toContain(name);
  const json = JSON.stringify(doc.toJSON());
  expect(json).not.toContain('lastId');
  for (const text of forbidden) expect(json).not.toContain(text);
}

test('unread counts appear for the reader, clear when read, and stay private', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const groupName = `Allotment ${stamp}`;
  const title = `Water rota ${stamp}`;
  const postTitle = `Harvest notes ${stamp}`;

  const a = await newMember(browser, 'Alice');
  const b = await newMember(browser, 'Bob');
  // Record what the app asks the icon badge to show (headless Chromium has no icon).
  await b.context.addInitScript(() => {
    const w = window as unknown as { __badge?: number };
    Object.defineProperty(Navigator.prototype, 'setAppBadge', {
      configurable: true,
      value: (n?: number) => {
        w.__badge = n ?? 0;
        return Promise.resolve();
      },
    });
    Object.defineProperty(Navigator.prototype, 'clearAppBadge', {
      configurable: true,
      value: () => {
        w.__badge = 0;
        return Promise.resolve();
      },
    });
  });
  await b.page.reload();
  await expect(b.page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
  const badge = () => b.page.evaluate(() => (window as unknown as { __badge?: number }).__badge);

  await createGroup(a, groupName);
  const link = await inviteLink(a);
  await join(b, link, groupName, 'Alice');
  const nav = b.page.getByRole('navigation', { name: 'Group sections' });

  await startThread(a, title, 'Who waters on Monday?');
  await reply(a, `I can do Tuesday ${stamp}`);
  await openGroup(a, groupName);
  await writePost(a, postTitle, 'The beans did well.');

  // B: a new thread with one reply is 2 unread; the new post is 1.
  const threadRow = b.page
    .getByRole('list', { name: 'Threads' })
    .getByRole('link', { name: new RegExp(escapeRegExp(title)) });
  await expect(threadRow).toHaveAccessibleName(/2 unread$/);
  await expect(nav.getByRole('link', { name: 'Discuss 2 unread' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Posts 1 unread' })).toBeVisible();
  await openTab(b, 'Posts');
  await expect(
    b.page.getByRole('list', { name: 'Posts' }).getByRole('link', { name: new RegExp(postTitle) }),
  ).toHaveAccessibleName(/1 unread$/);

  await b.page.getByRole('link', { name: 'Your groups' }).click();
  const groupRow = b.page.getByRole('link', { name: new RegExp(`^${escapeRegExp(groupName)}`) });
  await expect(groupRow).toHaveAccessibleName(/3 unread$/);
  await expect.poll(badge).toBe(3);
  // The feed lists what happened, newest first.
  const feed = b.page.getByRole('list', { name: 'Recent activity' }).getByRole('link');
  await expect(feed).toHaveText([
    `Alice posted “${postTitle}”`,
    `Alice replied to “${title}”`,
    `Alice started “${title}”`,
  ]);

  // B reads the thread (from the feed) and the post: every count clears.
  await feed.filter({ hasText: 'replied' }).click();
  await expect(b.page.getByText(`I can do Tuesday ${stamp}`)).toBeVisible();
  await b.page.getByRole('link', { name: 'Threads' }).click();
  await expect(nav.getByRole('link', { name: 'Discuss', exact: true })).toBeVisible();
  await expect(threadRow).not.toHaveAccessibleName(/unread/);
  await expect(nav.getByRole('link', { name: 'Posts 1 unread' })).toBeVisible();
  await openTab(b, 'Posts');
  await b.page.getByRole('link', { name: new RegExp(postTitle) }).click();
  await expect(b.page.getByText('The beans did well.')).toBeVisible();
  await b.page.getByRole('link', { name: 'Posts' }).click();
  await expect(nav.getByRole('link', { name: 'Posts', exact: true })).toBeVisible();
  await b.page.getByRole('link', { name: 'Your groups' }).click();
  await expect(groupRow).not.toHaveAccessibleName(/unread/);
  await expect.poll(badge).toBe(0);

  // Something new raises the count again, live.
  await openGroup(a, groupName, title);
  await reply(a, `And Friday ${stamp}`);
  await expect(groupRow).toHaveAccessibleName(/1 unread$/);
  await expect.poll(badge).toBe(1);

  // Privacy: neither A's stored group document nor the relay's mailbox holds read markers.
  const { groupId, groupKey } = await inviteOf(link);
  const { storeKey } = deriveEpochKeys(groupKey);
  const forbidden = [`${groupId}|`];
  const aRows = await idbRows(a.page);
  expect(aRows.some((r) => r.key[0] === 'doc' && String(r.key[1]).startsWith('personal-'))).toBe(
    true,
  );
  const bPersonal = (await idbRows(b.page)).find(
    (r) => r.key[0] === 'doc' && String(r.key[1]).startsWith('personal-'),
  );
  expect(bPersonal).toBeDefined();
  // A's device holds its own personal document only, never B's.
  expect(aRows.some((r) => r.key[1] === bPersonal!.key[1])).toBe(false);
  // The device's own rows are sealed blob v2 (AES-GCM, localSealed.ts).
  const local = localSealer(storeKey);
  const aGroupDoc = await Promise.all(
    aRows
      .filter((r) => r.key[0] === 'doc' && r.key[1] === groupId)
      .map((r) => local.open(new Uint8Array(Buffer.from(r.data, 'base64')))),
  );
  expectNoReadState(aGroupDoc, forbidden);

  const origin = new URL(a.page.url()).origin;
  const mailed = (await mailboxWrites(a.page.request, origin, link))
    .map((w) => w.opened)
    .filter((u): u is Uint8Array => u !== null);
  expectNoReadState(mailed, forbidden);

  for (const m of [a, b]) await m.context.close();
});
