// Posts end to end: three members, each in their own browser. A writes a long-form post
// (its draft survives a reload and is sealed at rest), B reads it rendered and comments,
// C reacts, and A shares it into a second group where C sees it with its attribution.
import { expect, test } from '@playwright/test';
import {
  comment,
  createGroup,
  inviteLink,
  join,
  newMember,
  openGroup,
  openTab,
  rawIndexedDb,
} from './helpers.ts';

test('write with a draft, read rendered, comment, react, share to another group', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const stamp = Date.now().toString(36);
  const club = `Book club ${stamp}`;
  const circle = `Reading circle ${stamp}`;
  const title = `Spring reading plan ${stamp}`;
  const body = [
    '# Reading plan',
    '',
    `We meet **monthly**, secret word ${stamp}. Details on [the library site](https://library.example/club).`,
    '',
    '## Books',
    '',
    '- Middlemarch',
    '- The Dispossessed',
    '',
    '> Read slowly.',
    '',
    '| Month | Book |',
    '| --- | --- |',
    '| March | Middlemarch |',
    '',
    '```js',
    'const pages = 880;',
    '```',
  ].join('\n');
  const answer = `Count me in ${stamp}`;

  const a = await newMember(browser, 'Alice');
  const b = await newMember(browser, 'Bob');
  const c = await newMember(browser, 'Carol');

  await createGroup(a, club);
  const link = await inviteLink(a);
  await join(b, link, club, 'Alice');
  await join(c, link, club, 'Alice');

  // A drafts the post; the draft is kept (sealed) across a reload.
  await openTab(a, 'Posts');
  await expect(a.page.getByText('No posts yet.')).toBeVisible();
  await a.page.getByRole('link', { name: 'New post' }).click();
  await a.page.getByLabel('Title').fill(title);
  await a.page.getByLabel('Body').fill(body);
  await expect(a.page.getByTestId('draft-status')).toHaveText(/Draft saved on this device\./);
  const atRest = await rawIndexedDb(a.page);
  expect(atRest).not.toContain(title);
  expect(atRest).not.toContain(`secret word ${stamp}`);
  await a.page.reload();
  await expect(a.page.getByLabel('Title')).toHaveValue(title);
  await expect(a.page.getByLabel('Body')).toHaveValue(body);
  await expect(a.page.getByTestId('draft-status')).toContainText('Draft restored');

  await a.page.getByRole('button', { name: 'Preview' }).click();
  const preview = a.page.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('heading', { name: 'Reading plan', exact: true })).toBeVisible();
  await expect(preview.getByRole('table')).toBeVisible();
  await a.page.getByRole('button', { name: 'Write' }).click();
  await a.page.getByRole('button', { name: 'Publish' }).click();
  await expect(a.page.getByRole('heading', { level: 2, name: title })).toBeVisible();

  // B sees it in the list and rendered, then comments.
  await openTab(b, 'Posts');
  await b.page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(b.page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  const post = b.page.getByRole('article', { name: /^Post by Alice/ });
  await expect(post.getByRole('heading', { name: 'Reading plan', exact: true })).toBeVisible();
  await expect(post.getByRole('heading', { name: 'Books', exact: true })).toBeVisible();
  await expect(post.getByRole('listitem').filter({ hasText: 'The Dispossessed' })).toBeVisible();
  await expect(post.locator('blockquote')).toHaveText('Read slowly.');
  await expect(
    post.getByRole('table').getByRole('cell', { name: 'March', exact: true }),
  ).toBeVisible();
  await expect(post.locator('pre code')).toHaveText('const pages = 880;');
  await expect(post.getByRole('link', { name: 'the library site' })).toHaveAttribute(
    'href',
    'https://library.example/club',
  );
  await expect(post).toHaveAttribute('data-verify', 'valid');
  await comment(b, answer);

  // A, still on the post, sees the comment arrive.
  await expect(a.page.getByRole('list', { name: 'Comments' }).getByText(answer)).toBeVisible();
  await expect(a.page.getByRole('heading', { name: '1 comment' })).toBeVisible();

  // C reacts; A sees who reacted.
  await openTab(c, 'Posts');
  await c.page.getByRole('link', { name: new RegExp(title) }).click();
  const cPost = c.page.getByRole('article', { name: /^Post by Alice/ });
  await cPost.getByRole('button', { name: 'React', exact: true }).click();
  await cPost.getByRole('button', { name: 'React with 👍' }).click();
  await expect(
    a.page.getByRole('article', { name: /^Post by Alice/ }).getByRole('button', {
      name: '👍 1: Carol',
    }),
  ).toBeVisible();

  // A starts a second group with C and shares the post there.
  await a.page.goto('/#/');
  await createGroup(a, circle);
  const link2 = await inviteLink(a);
  await join(c, link2, circle, 'Alice');

  await openGroup(a, club);
  await openTab(a, 'Posts');
  await a.page.getByRole('link', { name: new RegExp(title) }).click();
  await a.page.getByRole('button', { name: 'Share to another group' }).click();
  const dialog = a.page.getByRole('dialog', { name: 'Share to another group' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: circle }).click();
  await expect(dialog.getByRole('status')).toContainText(`Shared to ${circle}.`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // C, in the second group, sees the copy, attributed and still verifiable as Alice's.
  await openTab(c, 'Posts');
  await c.page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(c.page.getByText(`Shared from ${club} · originally by Alice`)).toBeVisible();
  const shared = c.page.getByRole('article', { name: /^Post by Alice/ });
  await expect(shared.getByRole('heading', { name: 'Reading plan', exact: true })).toBeVisible();
  await expect(shared).toHaveAttribute('data-verify', 'valid');
  await expect(c.page.getByRole('heading', { name: '0 comments' })).toBeVisible();

  // Members: who is who, C's own entry marked, and C's new name reaching A.
  await c.page.getByRole('link', { name: 'Posts', exact: true }).click();
  await openTab(c, 'Members');
  const members = c.page.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem').filter({ hasText: 'Carol (you)' })).toContainText(
    'invited by Alice',
  );
  await expect(members.getByRole('listitem').filter({ hasText: /^Alice/ })).toContainText(
    'started the group',
  );
  await c.page.getByLabel('Your display name').fill('Caroline');
  await c.page.getByRole('button', { name: 'Save name' }).click();
  await expect(c.page.getByText('Name saved.')).toBeVisible();
  await expect(members.getByText('Caroline (you)')).toBeVisible();
  await a.page.getByRole('link', { name: 'Posts', exact: true }).click();
  await openTab(a, 'Members');
  await expect(
    a.page
      .getByRole('list', { name: 'Members' })
      .getByRole('listitem')
      .filter({ hasText: /^Caroline/ }),
  ).toBeVisible();

  for (const m of [a, b, c]) await m.context.close();
});
