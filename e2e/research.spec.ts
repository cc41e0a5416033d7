// Research between two members, each in their own browser context: a source imported from a
// pasted BibTeX entry (a second copy of its link is flagged before adding), cited from a
// thread, lists that citation; then, offline, search finds a reply the other member wrote,
// with its match marked and the kind and author filters working. Neither the device's raw
// IndexedDB nor what the relay received holds the searched words.
import { expect, test } from '@playwright/test';
import {
  createGroup,
  inviteLink,
  join,
  newMember,
  openThread,
  rawIndexedDb,
  relayReceived,
  reply,
  startThread,
} from './helpers.ts';

test('a cited source lists its citation; search finds the other member’s reply offline', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const groupName = `Allotment ${stamp}`;
  const title = `Bean trial ${stamp}`;
  const sourceTitle = `Climbing beans in cold soils ${stamp}`;
  const word = `zanzibarian${stamp}`;
  const a = await newMember(browser, 'Alice');
  const b = await newMember(browser, 'Bob');
  try {
    await createGroup(a, groupName);
    const link = await inviteLink(a);
    await join(b, link, groupName, 'Alice');
    await startThread(a, title, 'Which variety for the north bed?');

    await test.step('a source is imported from BibTeX; the same link again is flagged', async () => {
      await a.page.goto(a.page.url().replace(/\/t\/.*$/, '/sources'));
      await a.page.getByRole('link', { name: 'Add a source' }).click();
      await a.page.getByText('Import from BibTeX or a citation').click();
      await a.page
        .getByLabel('Paste a BibTeX entry, a reference or a DOI')
        .fill(
          `@article{doe, title={${sourceTitle}}, author={Doe, Jane and Roe, Richard}, year={2021}, url={https://www.example.org/beans/?utm_source=feed}}`,
        );
      await a.page.getByRole('button', { name: 'Fill in the form' }).click();
      await expect(a.page.getByLabel('Title')).toHaveValue(sourceTitle);
      await expect(a.page.getByLabel('Authors')).toHaveValue('Jane Doe\nRichard Roe');
      await a.page.getByRole('button', { name: 'Add source' }).click();
      await expect(a.page.getByRole('heading', { level: 2, name: sourceTitle })).toBeVisible();

      await a.page.goBack();
      await a.page.getByRole('link', { name: 'Add a source' }).click();
      await a.page.getByLabel('Link').fill('http://example.org/beans#top');
      await expect(a.page.getByText('Already in the library:')).toBeVisible();
      await expect(a.page.getByRole('link', { name: sourceTitle })).toBeVisible();
      await expect(a.page.getByRole('button', { name: 'Add anyway' })).toBeVisible();
    });

    await test.step('cited from a thread: a card there, and the source lists the citation', async () => {
      await a.page.goto(a.page.url().replace(/\/s\/new$/, ''));
      await a.page
        .getByRole('navigation', { name: 'Group sections' })
        .getByRole('link', { name: /^Discuss/ })
        .click();
      await openThread(a, title);
      await a.page.getByRole('button', { name: 'Cite a source' }).click();
      await a.page.getByLabel('Source to cite').selectOption({ label: sourceTitle });
      await a.page.getByRole('button', { name: 'Cite', exact: true }).click();
      const cited = a.page.getByRole('list', { name: 'Sources cited here' });
      await expect(cited.getByRole('link', { name: sourceTitle })).toBeVisible();
      await expect(cited).toContainText('Jane Doe and Richard Roe · 2021 · example.org');

      // Bob sees the card too, and the source's page lists where it is cited.
      await openThread(b, title);
      const onBob = b.page.getByRole('list', { name: 'Sources cited here' });
      await expect(onBob.getByText('Cited by Alice')).toBeVisible();
      await onBob.getByRole('link', { name: sourceTitle }).click();
      await expect(
        b.page.getByRole('list', { name: 'Cited in' }).getByRole('link', { name: title }),
      ).toBeVisible();
    });

    await test.step('offline, search finds the reply Bob wrote', async () => {
      await b.page.goBack();
      await reply(b, `The purple ${word} ones did best`);
      await expect(a.page.getByText(`The purple ${word} ones did best`)).toBeVisible();
      await a.page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await a.context.setOffline(true);
      await a.page.goto('/');
      await a.page.getByRole('link', { name: 'Search' }).click();
      const box = a.page.getByRole('searchbox', { name: 'Search' });
      await box.fill(word.slice(0, -2)); // a prefix, as while typing
      const results = a.page.getByRole('list', { name: 'Results' });
      const hit = results.getByRole('listitem').filter({ hasText: 'Reply · Bob' });
      await expect(hit).toHaveCount(1);
      await expect(hit.locator('mark')).toHaveText(word);
      await expect(hit).toContainText(groupName);

      await a.page.getByRole('checkbox', { name: 'Threads' }).check();
      await expect(a.page.getByText(/^Nothing found for/)).toBeVisible();
      await a.page.getByRole('checkbox', { name: 'Replies' }).check();
      await expect(hit).toHaveCount(1);
      await a.page.getByLabel('Written by').selectOption({ label: 'Alice' });
      await expect(a.page.getByText(/^Nothing found for/)).toBeVisible();
      await a.page.getByLabel('Written by').selectOption({ label: 'Bob' });
      await hit.getByRole('link').click();
      await expect(a.page.getByRole('heading', { level: 2, name: title })).toBeVisible();
    });

    await test.step('no searched words in the raw IndexedDB or at the relay', async () => {
      for (const m of [a, b]) {
        const raw = await rawIndexedDb(m.page);
        expect(raw).not.toContain(word);
        expect(raw).not.toContain(sourceTitle);
      }
      await a.context.setOffline(false);
      const relay = await relayReceived(a.page);
      expect(relay).not.toContain(word);
      expect(relay).not.toContain(sourceTitle);
      expect(relay).not.toContain('example.org/beans');
    });
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
