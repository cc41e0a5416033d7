// Every main screen, as a member reaches it: axe-core finds no serious or critical
// violation, nothing is wider than a 360 px phone, and the keyboard alone gets a member
// through starting a group. Along the way, two members see each other online (presence),
// and the relay never sees presence in the clear.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { inviteLink, join, newMember, relayReceived, startThread } from './helpers.ts';

/** Runs axe on what is on screen and checks it fits 360 px; `screen` names it in failures. */
async function audit(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe on ${screen}`).toEqual([]);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `horizontal overflow on ${screen}`).toBeLessThanOrEqual(0);
}

test('main screens pass axe at 360 px, work by keyboard, and show who is online', async ({
  browser,
}) => {
  // Many screens, each read by axe (a few seconds apiece on a loaded 2-core machine).
  test.setTimeout(240_000);
  // Welcome, before a name is chosen.
  const fresh = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const welcome = await fresh.newPage();
  await welcome.goto('/');
  await expect(welcome.getByLabel('Your name')).toBeVisible();
  await audit(welcome, 'Welcome');
  await fresh.close();

  const alice = await newMember(browser, 'Alice');
  const { page } = alice;
  await page.setViewportSize({ width: 360, height: 740 });

  // Keyboard only: from the page's start to a new group.
  await page.getByRole('link', { name: 'New group' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Group name')).toBeVisible();
  await audit(page, 'New group');
  await page.getByLabel('Group name').focus();
  await page.keyboard.type('Allotment');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Allotment' })).toBeVisible();
  await startThread(alice, 'Seeds', 'What should we sow first?');
  await audit(page, 'Thread');
  await page.getByRole('link', { name: 'Threads' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Allotment' })).toBeVisible();
  await page.getByRole('link', { name: 'New thread' }).click();
  await expect(page.getByLabel('Title')).toBeVisible();
  await audit(page, 'New thread');
  await page.goBack();

  const link = await inviteLink(alice);
  await page.getByRole('link', { name: 'Invite' }).click();
  await page.getByRole('button', { name: 'Create invite link' }).click();
  await expect(page.getByLabel('Invite link')).toHaveValue(/#\/join\//);
  await audit(page, 'Invite');
  await page.goBack();

  const bob = await newMember(browser, 'Bob');
  await join(bob, link, 'Allotment', 'Alice');

  // Presence: each sees the other online, in the header and on the members screen.
  await expect(page.getByTestId('presence')).toHaveText(/Online now: Bob/);
  await expect(bob.page.getByTestId('presence')).toHaveText(/Online now: Alice/);
  await audit(page, 'Group: Discuss, someone online');
  await page.getByRole('link', { name: 'Members' }).click();
  const bobRow = page.getByRole('listitem').filter({ hasText: 'Bob' });
  await expect(bobRow.getByTestId('last-seen')).toHaveText('Online now');
  await audit(page, 'Members');
  await page.getByRole('link', { name: 'Posts' }).click();
  await audit(page, 'Group: Posts');
  await page.getByRole('link', { name: 'New post' }).click();
  await expect(page.getByLabel('Title')).toBeVisible();
  await audit(page, 'New post');
  await page.goBack();

  // Bob leaves: Alice sees when he was last seen.
  await page.getByRole('link', { name: 'Members' }).click();
  await bob.page.goto('about:blank');
  await expect(bobRow.getByTestId('last-seen')).toHaveText(/Last seen just now/, {
    timeout: 60_000,
  });
  // Presence went peer to peer only: nothing of it reached the relay.
  const received = await relayReceived(page);
  expect(received).not.toContain('hearthPresence');

  await page.goto('/#/settings');
  await expect(page.getByRole('heading', { name: 'App lock' })).toBeVisible();
  await audit(page, 'Settings');
  await page.goto('/#/scan');
  await audit(page, 'Scan an invite');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
  await audit(page, 'Home');
  await alice.context.close();
  await bob.context.close();
});
