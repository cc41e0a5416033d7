// Notes end to end: two members edit one note at the same time and see each other's named
// cursors; a [[link]] starts a page that lists its backlink; a thread cites the note and the
// note lists it; an edit made offline reaches the other member through the mailbox alone;
// and neither IndexedDB nor the relay ever holds the note's words.
import { expect, type Page, test } from '@playwright/test';
import {
  createGroup,
  escapeRegExp,
  expectUploaded,
  inviteLink,
  join,
  type Member,
  newMember,
  rawIndexedDb,
  relayReceived,
  startThread,
} from './helpers.ts';

const editor = (p: Page) => p.getByRole('textbox', { name: /^Text of / });

async function openNotes(m: Member): Promise<void> {
  await m.page
    .getByRole('navigation', { name: 'Group sections' })
    .getByRole('link', { name: /^Notes/ })
    .click();
  await expect(m.page.getByRole('heading', { level: 2, name: 'Notes' })).toBeVisible();
}

async function openNote(m: Member, title: string): Promise<void> {
  await m.page.getByRole('link', { name: new RegExp(escapeRegExp(title)) }).click();
  await expect(m.page.getByRole('heading', { level: 2, name: title })).toBeVisible();
}

/** The editor's text as this page has it, without the other editors' cursor labels. */
const textOf = (p: Page): Promise<string> =>
  p.evaluate(() =>
    Array.from(document.querySelectorAll('.cm-content .cm-line'), (line) => {
      const copy = line.cloneNode(true) as Element;
      for (const caret of copy.querySelectorAll('.note-caret')) caret.remove();
      return copy.textContent;
    }).join('\n'),
  );

/** Writes at the end of the note's text, as a phone keyboard's input does, line by line. */
async function typeAtEnd(p: Page, text: string): Promise<void> {
  await editor(p).click();
  await p.keyboard.press('Control+End');
  for (const [i, line] of text.split('\n').entries()) {
    if (i > 0) await p.keyboard.press('Enter');
    if (line) await p.keyboard.insertText(line);
  }
}

test('two members write a note together, link, cite, and sync it offline', async ({ browser }) => {
  // One flow covers every acceptance point of notes, so it runs longer than one check would.
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const groupName = `Lab ${stamp}`;
  const title = `Field notes ${stamp}`;
  const linked = `Garden plan ${stamp}`;
  const words = {
    first: `Alpha line ${stamp}`,
    alice: `Alice was here ${stamp}`,
    bob: `Bob wrote this ${stamp}`,
    offline: `Written offline ${stamp}`,
  };

  const a = await newMember(browser, 'Alice');
  const b = await newMember(browser, 'Bob');
  await createGroup(a, groupName);
  await join(b, await inviteLink(a), groupName, 'Alice');

  // Alice starts the note and writes its first line.
  await openNotes(a);
  await a.page.getByLabel('New note').fill(title);
  await a.page.getByRole('button', { name: 'Start note' }).click();
  await expect(a.page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await a.page.getByRole('button', { name: 'Edit' }).click();
  await typeAtEnd(a.page, `${words.first}\n`);

  // Bob opens it while Alice is still in it: each sees the other's named cursor.
  await openNotes(b);
  await openNote(b, title);
  await b.page.getByRole('button', { name: 'Edit' }).click();
  await expect(editor(b.page)).toContainText(words.first);
  await editor(b.page).click();
  await editor(a.page).click();
  await expect(a.page.locator('.note-caret-name', { hasText: 'Bob' })).toBeVisible();
  await expect(b.page.locator('.note-caret-name', { hasText: 'Alice' })).toBeVisible();

  // Both type at once; both end with the same text holding both.
  await Promise.all([typeAtEnd(a.page, ` ${words.alice}`), typeAtEnd(b.page, ` ${words.bob}`)]);
  for (const p of [a.page, b.page]) {
    await expect(editor(p)).toContainText(words.alice);
    await expect(editor(p)).toContainText(words.bob);
  }
  await expect.poll(async () => (await textOf(a.page)) === (await textOf(b.page))).toBe(true);

  // Bob links a page that does not exist yet, and it is started from the link.
  await typeAtEnd(b.page, `\nSee [[${linked}]]`);
  await b.page.getByRole('button', { name: 'Done' }).click();
  await expect(b.page.getByTestId('note-attribution')).toContainText('Last signed edit by Bob');
  await expect(b.page.getByTestId('note-attribution')).toContainText('exactly what they signed');
  await b.page.getByRole('link', { name: linked }).click();
  await expect(b.page.getByRole('heading', { level: 2, name: linked })).toBeVisible();
  await expect(
    b.page.getByRole('list', { name: 'Notes that link here' }).getByRole('link', { name: title }),
  ).toBeVisible();
  // Autocomplete offers existing titles after `[[`.
  await b.page.getByRole('button', { name: 'Edit' }).click();
  await typeAtEnd(b.page, 'Back to ');
  await b.page.keyboard.type('[[fie');
  await b.page.getByRole('option', { name: title }).click();
  await b.page.getByRole('button', { name: 'Done' }).click();
  await expect(b.page.locator('a.note-link', { hasText: title })).toBeVisible();

  // Alice cites the note in a thread: the thread shows a card, the note lists the thread.
  await a.page.getByRole('button', { name: 'Done' }).click();
  await a.page.getByRole('link', { name: 'Notes', exact: true }).click();
  await a.page
    .getByRole('navigation', { name: 'Group sections' })
    .getByRole('link', { name: /^Discuss/ })
    .click();
  await startThread(a, `Reading ${stamp}`, `Start with [[${title}]]`);
  await a.page.locator('a.note-link', { hasText: title }).click();
  await expect(a.page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await expect(
    a.page
      .getByRole('list', { name: 'Threads and posts that cite this note' })
      .getByText(`Thread “Reading ${stamp}”`),
  ).toBeVisible();

  // Bob leaves; Alice edits offline, comes back online, and her edit goes to the mailbox.
  await b.page.close();
  await a.context.setOffline(true);
  await a.page.getByRole('button', { name: 'Edit' }).click();
  await typeAtEnd(a.page, `\n${words.offline}`);
  await a.page.getByRole('button', { name: 'Done' }).click();
  await expect(a.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
  await a.context.setOffline(false);
  await expectUploaded(a);
  const secrets = [...Object.values(words), title, linked];
  const rawA = await rawIndexedDb(a.page);
  await a.context.close();

  // With nobody live, Bob opens the note again and reads the offline edit from the relay.
  const bob: Member = { ...b, page: await b.context.newPage() };
  await bob.page.goto('/');
  await bob.page.getByRole('link', { name: new RegExp(escapeRegExp(groupName)) }).click();
  await openNotes(bob);
  await openNote(bob, title);
  await expect(bob.page.getByRole('article', { name: 'Note text' })).toContainText(words.offline);
  await expect(bob.page.getByTestId('sync-status')).toHaveAttribute('data-live', '0');

  // No note text, in IndexedDB or at the relay.
  for (const raw of [rawA, await rawIndexedDb(bob.page)]) {
    expect(raw.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(raw).not.toContain(secret);
  }
  const seen = await relayReceived(bob.page);
  for (const secret of secrets) expect(seen).not.toContain(secret);

  await b.context.close();
});
