// Invitations that expire. Alice makes three short links, withdraws one and closes her
// browser; a withdrawn link and, once the relay's clock has passed its expiry, an expired one
// each refuse in plain words without showing anything of the group, and a valid one joins with
// Alice offline. The relay is the test's own, so moving its clock touches no other spec.
// Then the group sees its invitations: Bob, a member, makes one; Alice, the creator, finds it
// on her Invite screen without ever seeing the link, withdraws it, and the link refuses.
import { expect, type Page, test } from '@playwright/test';
import { deriveCapsuleKeys } from '../app/core/invite/capsule.ts';
import { parseAnyInvite } from '../app/core/invite/shortLink.ts';
import {
  createGroup,
  inviteLink,
  join,
  type Member,
  newMemberAt,
  openThread,
  startThread,
} from './helpers.ts';
import { type RelayProcess, startRelayProcess } from './relayProcess.ts';

let relay: RelayProcess;
const members: Member[] = [];

// A relay of its own for each test: one moves the relay's clock, which would make the next
// test's signed withdrawals look stale.
test.beforeEach(async () => {
  relay = await startRelayProcess();
});
test.afterEach(async () => {
  for (const m of members.splice(0)) await m.context.close().catch(() => {});
  await relay.dispose();
});

async function expectRefused(page: Page, link: string, groupName: string): Promise<void> {
  await page.goto(`/${link.slice(link.indexOf('#'))}`);
  await expect(
    page.getByRole('heading', { name: 'This invitation no longer works' }),
  ).toBeVisible();
  await expect(page.getByRole('alert')).toContainText(
    'This invitation has expired, was withdrawn, or has been used up.',
  );
  await expect(page.getByText('Nothing was changed.')).toBeVisible();
  expect(await page.content()).not.toContain(groupName);
  expect(page.url()).not.toContain('#/join/');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(groupName) })).toHaveCount(0);
}

test('expired and withdrawn invitations open nothing; a valid one joins with the inviter offline', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  const groupName = `Orchard ${stamp}`;
  const title = `Pruning day ${stamp}`;
  const body = `Bring ladders ${stamp}`;

  const alice = await newMemberAt(browser, 'Alice', relay.url);
  members.push(alice);
  await createGroup(alice, groupName);
  await startThread(alice, title, body);
  await alice.page.goBack();

  const valid = await inviteLink(alice);
  const shortLived = await inviteLink(alice, { lasts: '1 hour', uses: 'Once' });
  const withdrawn = await inviteLink(alice);
  for (const link of [valid, shortLived, withdrawn]) {
    // A short link: the origin, the route and 27 characters, whatever the group is called.
    expect(link.slice(link.indexOf('#/join/') + 7)).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(link).not.toContain(stamp);
  }

  // Alice withdraws the newest from her list of open invitations.
  await alice.page.getByRole('link', { name: 'Invite' }).click();
  const open = alice.page.getByRole('list', { name: 'Open invitations' }).getByRole('listitem');
  await expect(open).toHaveCount(3);
  await expect(open.nth(1)).toContainText('opened 0 of 1 times');
  await open.nth(0).getByRole('button', { name: 'Withdraw' }).click();
  await expect(open).toHaveCount(2);
  await alice.page.goBack();
  await alice.context.close();
  members.splice(members.indexOf(alice), 1);

  const bob = await newMemberAt(browser, 'Bob', relay.url);
  members.push(bob);
  await expectRefused(bob.page, withdrawn, groupName);

  // The valid link joins, and the group's content arrives from the mailbox alone.
  await join(bob, valid, groupName, 'Alice');
  await openThread(bob, title);
  await expect(bob.page.getByText(body)).toBeVisible();

  // Two hours later by the relay's clock, the one-hour link has expired.
  const moved = await request.post(`${relay.url}/__test/clock?advance=${2 * 3_600_000}`);
  expect(moved.ok()).toBe(true);
  const carol = await newMemberAt(browser, 'Carol', relay.url);
  members.push(carol);
  await expectRefused(carol.page, shortLived, groupName);

  // The relay holds no capsule for either any more; the valid one is still there.
  const stateOf = async (link: string) => {
    const parsed = parseAnyInvite(link);
    if (parsed.kind !== 'short') throw new Error('not a short link');
    const { room } = deriveCapsuleKeys(parsed.short.secret);
    return (await request.get(`${relay.url}/invite/${room}`)).status();
  };
  expect(await stateOf(withdrawn)).toBe(404);
  expect(await stateOf(shortLived)).toBe(404);
  expect(await stateOf(valid)).toBe(200);
});

test("an admin sees another member's invitation on the Invite screen and withdraws it", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  const groupName = `Choir ${stamp}`;

  const alice = await newMemberAt(browser, 'Alice', relay.url);
  const bob = await newMemberAt(browser, 'Bob', relay.url);
  members.push(alice, bob);
  await createGroup(alice, groupName);
  await join(bob, await inviteLink(alice), groupName, 'Alice');

  // Bob, a member but no admin, makes an invitation of his own.
  const bobs = await inviteLink(bob, { uses: '5 times' });

  // Alice, the group's creator, was never sent Bob's link; her Invite screen lists it from
  // the group's records, with a Withdraw button, beside her own.
  await alice.page.getByRole('link', { name: 'Invite' }).click();
  const open = alice.page.getByRole('list', { name: 'Open invitations' }).getByRole('listitem');
  const bobsItem = open.filter({ hasText: "Bob's invitation" });
  await expect(bobsItem).toHaveCount(1);
  await expect(bobsItem).toContainText('opened 0 of 5 times');
  await expect(open.filter({ hasText: 'Your invitation' })).toHaveCount(1);

  // Bob sees Alice's invitation too, and may not withdraw it: only its inviter, the creator or
  // an admin may.
  await bob.page.getByRole('link', { name: 'Invite' }).click();
  const bobsList = bob.page.getByRole('list', { name: 'Open invitations' }).getByRole('listitem');
  const alicesForBob = bobsList.filter({ hasText: "Alice's invitation" });
  await expect(alicesForBob).toHaveCount(1);
  await expect(alicesForBob.getByRole('button', { name: 'Withdraw' })).toHaveCount(0);
  await expect(alicesForBob).toContainText("the group's creator or an admin can withdraw it");
  await expect(bobsList.filter({ hasText: 'Your invitation' })).toHaveCount(1);

  // Alice withdraws Bob's invitation. It drops off her list and, through the signed record,
  // off Bob's open screen.
  await bobsItem.getByRole('button', { name: 'Withdraw' }).click();
  await expect(bobsItem).toHaveCount(0);
  await expect(open).toHaveCount(1);
  await expect(bobsList.filter({ hasText: 'Your invitation' })).toHaveCount(0);
  await expect(bobsList).toHaveCount(1);

  // Whoever opens Bob's link now is told in plain words that it no longer works.
  const carol = await newMemberAt(browser, 'Carol', relay.url);
  members.push(carol);
  await expectRefused(carol.page, bobs, groupName);
});
