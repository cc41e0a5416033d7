// Discussion among three members, each in their own browser context: replies that answer a
// particular reply, reactions, edits, deletions, pins and @mentions, each checked on the
// other members' screens, where it matters.
import { expect, test } from '@playwright/test';
import { itemCard, openThread, reply, startThread, threeMembers } from './helpers.ts';

test('quote, react, edit and delete show up for everyone', async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const [a, b, c] = await threeMembers(browser, `Book club ${stamp}`);
  const title = `Next book ${stamp}`;
  await startThread(a, title, `What shall we read next? ${stamp}`);
  await openThread(b, title);
  await openThread(c, title);

  await test.step('a reply that answers another reply links back to it', async () => {
    await reply(b, `Dune, again ${stamp}`);
    const bobsReply = itemCard(c, 'Reply', 'Bob', `Dune, again ${stamp}`);
    await expect(bobsReply).toBeVisible();
    await bobsReply.getByRole('button', { name: 'Reply to this' }).click();
    await expect(c.page.getByText('Answering Bob')).toBeVisible();
    await expect(c.page.getByLabel('Reply', { exact: true })).toBeFocused();
    await reply(c, `Too long for a month ${stamp}`);

    const answer = itemCard(a, 'Reply', 'Carol', `Too long for a month ${stamp}`);
    const jump = answer.getByRole('button', {
      name: /^Go to the quoted reply by Bob: Dune, again/,
    });
    await expect(jump).toBeVisible();
    await jump.click();
    await expect(itemCard(a, 'Reply', 'Bob', `Dune, again ${stamp}`)).toBeFocused();
  });

  await test.step('reactions show their count and who reacted', async () => {
    const opening = itemCard(b, 'Message', 'Alice', `What shall we read next? ${stamp}`);
    await opening.getByRole('button', { name: 'React', exact: true }).click();
    await opening.getByRole('button', { name: 'React with 👍' }).click();
    await expect(opening.getByRole('button', { name: '👍 1: Bob' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    const onCarol = itemCard(c, 'Message', 'Alice', `What shall we read next? ${stamp}`);
    await expect(onCarol.getByRole('button', { name: '👍 1: Bob' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    await onCarol.getByRole('button', { name: '👍 1: Bob' }).click();

    const onAlice = itemCard(a, 'Message', 'Alice', `What shall we read next? ${stamp}`);
    await expect(onAlice.getByRole('button', { name: '👍 2: Bob, Carol' })).toBeVisible();
    await expect(opening.getByRole('button', { name: '👍 2: Bob, Carol' })).toBeVisible();
  });

  await test.step('an edit shows as edited on the other screens', async () => {
    const mine = itemCard(b, 'Reply', 'Bob', `Dune, again ${stamp}`);
    await mine.getByRole('button', { name: 'Edit' }).click();
    const form = b.page.getByRole('form', { name: 'Edit reply' });
    await form.getByLabel('Message').fill(`Dune, or Piranesi ${stamp}`);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(itemCard(b, 'Reply', 'Bob', `Dune, or Piranesi ${stamp}`)).toBeVisible();

    for (const m of [a, c]) {
      const card = itemCard(m, 'Reply', 'Bob', `Dune, or Piranesi ${stamp}`);
      await expect(card).toBeVisible();
      await expect(card.getByText('edited', { exact: true })).toBeVisible();
      await expect(card.getByRole('button', { name: 'Edit' })).toHaveCount(0);
      await expect(card.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    }
    // The quote reference follows the edit.
    await expect(
      itemCard(a, 'Reply', 'Carol', `Too long for a month ${stamp}`).getByRole('button', {
        name: /^Go to the quoted reply by Bob: Dune, or Piranesi/,
      }),
    ).toBeVisible();
  });

  await test.step('a deletion leaves a tombstone on the other screens', async () => {
    const mine = itemCard(c, 'Reply', 'Carol', `Too long for a month ${stamp}`);
    await mine.getByRole('button', { name: 'Delete' }).click();
    const dialog = c.page.getByRole('dialog', { name: 'Delete this reply?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(dialog).toBeHidden();

    for (const m of [a, b, c]) {
      await expect(m.page.getByText(`Too long for a month ${stamp}`)).toHaveCount(0);
      await expect(
        m.page.getByRole('article', { name: 'Reply by Carol' }).getByText('Deleted by its author'),
      ).toBeVisible();
    }
  });

  await test.step('the opening message can be retitled by its author', async () => {
    const opening = itemCard(a, 'Message', 'Alice', `What shall we read next? ${stamp}`);
    await opening.getByRole('button', { name: 'Edit' }).click();
    const form = a.page.getByRole('form', { name: 'Edit message' });
    await form.getByLabel('Title').fill(`Next two books ${stamp}`);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(
      b.page.getByRole('heading', { level: 2, name: `Next two books ${stamp}` }),
    ).toBeVisible();
    await expect(
      itemCard(b, 'Message', 'Alice', `What shall we read next? ${stamp}`).getByText('edited', {
        exact: true,
      }),
    ).toBeVisible();
  });

  await test.step('coming back, the thread opens at what is new', async () => {
    await c.page.getByRole('link', { name: 'Threads' }).click();
    await reply(b, `One more idea ${stamp}`);
    await openThread(c, `Next two books ${stamp}`);
    const mark = c.page.getByText('New since your last visit');
    await expect(mark).toBeVisible();
    await expect(
      c.page.getByRole('listitem').filter({ has: mark }).getByRole('article'),
    ).toContainText(`One more idea ${stamp}`);
  });

  for (const m of [a, b, c]) await m.context.close();
});

test('pinning reorders the list for others; a mention reaches the member named', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const groupName = `Allotment ${stamp}`;
  const [a, b, c] = await threeMembers(browser, groupName);
  const older = `Water rota ${stamp}`;
  const newer = `Shed key ${stamp}`;
  await startThread(a, older, 'Who waters in August?');
  await a.page.getByRole('link', { name: 'Threads' }).click();
  await startThread(a, newer, 'The key is under the pot.');

  const threadLinks = (m: typeof a) =>
    m.page.getByRole('list', { name: 'Threads' }).getByRole('link');

  await test.step('a pin moves the thread first for everyone', async () => {
    await expect(threadLinks(c).first()).toContainText(newer);
    await openThread(b, older);
    const pin = b.page.getByRole('button', { name: /Pin thread/ });
    await expect(pin).toHaveAttribute('aria-pressed', 'false');
    await pin.click();
    await expect(b.page.getByRole('button', { name: /Unpin thread/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(b.page.getByText('Pinned: shown first')).toBeVisible();
    await expect(threadLinks(c).first()).toContainText(older);
    await expect(threadLinks(c).first()).toContainText('📌');
    await openThread(c, older);
    await expect(c.page.getByText('Pinned: shown first')).toBeVisible();
  });

  await test.step('@ offers members as you type and the named member sees it highlighted', async () => {
    await a.page.getByRole('link', { name: 'Threads' }).click();
    await openThread(a, older);
    const field = a.page.getByLabel('Reply', { exact: true });
    await field.pressSequentially('Could you take week one, @Ca');
    const options = a.page.getByRole('listbox', { name: 'Mention a member' });
    await expect(options.getByRole('option', { name: 'Carol' })).toBeVisible();
    await expect(options.getByRole('option', { name: 'Carol' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await field.press('Enter');
    await expect(options).toBeHidden();
    await expect(field).toHaveValue('Could you take week one, @Carol ');
    await field.pressSequentially('please?');
    await field.press('Control+Enter');
    await expect(field).toHaveValue('');

    const onCarol = c.page.getByRole('article', { name: 'Reply by Alice, mentions you' });
    await expect(onCarol).toBeVisible();
    await expect(onCarol.locator('.mention-me')).toHaveText('@Carol');
    const onBob = itemCard(b, 'Reply', 'Alice', 'Could you take week one');
    await expect(onBob).toBeVisible();
    await expect(b.page.getByRole('article', { name: /mentions you/ })).toHaveCount(0);
  });

  await test.step('Escape closes the list and arrows move through it', async () => {
    const field = a.page.getByLabel('Reply', { exact: true });
    await field.pressSequentially('@');
    const options = a.page.getByRole('listbox', { name: 'Mention a member' });
    await expect(options.getByRole('option')).toHaveCount(3);
    await field.press('ArrowDown');
    await expect(options.getByRole('option', { name: 'Bob' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(field).toHaveAttribute(
      'aria-activedescendant',
      (await options.getByRole('option', { name: 'Bob' }).getAttribute('id')) ?? '',
    );
    await field.press('Escape');
    await expect(options).toBeHidden();
    await expect(field).toHaveValue('@');
  });

  for (const m of [a, b, c]) await m.context.close();
});
