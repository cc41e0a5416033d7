// The walking skeleton: two members, each in their own browser context, sync an end-to-end
// encrypted group through our relay, and neither IndexedDB nor the relay ever holds plaintext.
import { expect, test } from '@playwright/test';
import {
  createGroup,
  inviteLink,
  join,
  newMember,
  rawIndexedDb,
  relayReceived,
  reply,
  startThread,
} from './helpers.ts';

test('two members create, join, discuss, reload, and no plaintext leaks', async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const groupName = `Garden club ${stamp}`;
  const title = `Seed swap ${stamp}`;
  const body = `Bring your tomato seeds ${stamp}`;
  const answer = `I have basil too ${stamp}`;

  const a = await newMember(browser, 'Alice');
  const b = await newMember(browser, 'Bob');

  await createGroup(a, groupName);
  const link = await inviteLink(a);
  await join(b, link, groupName, 'Alice');

  await startThread(a, title, body);

  await b.page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(b.page.getByText(body)).toBeVisible();
  await reply(b, answer);

  await expect(a.page.getByText(answer)).toBeVisible();

  for (const m of [a, b]) {
    await m.page.reload();
    await expect(m.page.getByRole('heading', { name: title })).toBeVisible();
    await expect(m.page.getByText(body)).toBeVisible();
    await expect(m.page.getByText(answer)).toBeVisible();
  }

  const key = decodeURIComponent(link.slice(link.indexOf('#/join/') + '#/join/'.length));
  for (const m of [a, b]) {
    const raw = await rawIndexedDb(m.page);
    expect(raw.length).toBeGreaterThan(0);
    for (const secret of [title, body, answer]) expect(raw).not.toContain(secret);
  }

  const seen = await relayReceived(a.page);
  expect(seen.length).toBeGreaterThan(0);
  for (const secret of [title, body, answer, groupName, key]) expect(seen).not.toContain(secret);

  await a.context.close();
  await b.context.close();
});
