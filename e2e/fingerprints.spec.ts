// Two members with the same name: each device tells them apart by key fingerprint, both show
// the same safety number for the pair, and scanning the other's code says the keys match.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { expect, test } from '@playwright/test';
import { createGroup, inviteLink, join, type Member, newMember, openTab } from './helpers.ts';

const FINGERPRINT = /^\d{4} \d{4} \d{4}$/;

/** The fingerprints of the Members tab's rows, once both members are listed. */
async function rowFingerprints(m: Member): Promise<string[]> {
  await openTab(m, 'Members');
  const rows = m.page.getByRole('list', { name: 'Members' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Sam' })).toHaveCount(2);
  await expect(rows.getByText('Another member has this name too')).toHaveCount(2);
  return Promise.all(
    [0, 1].map(async (i) => (await rows.nth(i).getByText(FINGERPRINT).textContent()) ?? ''),
  );
}

async function openCompare(m: Member) {
  await m.page.getByRole('button', { name: 'Compare keys with Sam' }).click();
  const dialog = m.page.getByRole('dialog', { name: 'Compare keys with Sam' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('img', { name: /QR code of your keys/ })).toBeVisible();
  return dialog;
}

test('members who share a name are told apart by key, and their safety numbers agree', async ({
  browser,
}) => {
  const a = await newMember(browser, 'Sam');
  const b = await newMember(browser, 'Sam');
  try {
    await createGroup(a, 'Twins');
    await join(b, await inviteLink(a), 'Twins', 'Sam');

    const seenByA = await rowFingerprints(a);
    const seenByB = await rowFingerprints(b);
    expect(seenByA[0]).not.toBe(seenByA[1]);
    expect(seenByB).toEqual(seenByA); // members are sorted by name, then id: same order
    // Only the other member has a Compare keys button.
    for (const m of [a, b]) {
      await expect(m.page.getByRole('button', { name: /^Compare keys/ })).toHaveCount(1);
    }

    const dialogA = await openCompare(a);
    const dialogB = await openCompare(b);
    const groupsA = await dialogA
      .getByRole('list', { name: 'Safety number' })
      .getByRole('listitem')
      .allTextContents();
    const groupsB = await dialogB
      .getByRole('list', { name: 'Safety number' })
      .getByRole('listitem')
      .allTextContents();
    expect(groupsA).toHaveLength(12);
    for (const g of groupsA) expect(g).toMatch(/^\d{5}$/);
    expect(groupsB).toEqual(groupsA);

    // B photographs A's code: the keys match. B's own code is not A's: they differ.
    const dir = mkdtempSync(joinPath(tmpdir(), 'hearth-fp-'));
    const codeOfA = joinPath(dir, 'a.png');
    const codeOfB = joinPath(dir, 'b.png');
    await dialogA.getByRole('img', { name: /QR code of your keys/ }).screenshot({ path: codeOfA });
    await dialogB.getByRole('img', { name: /QR code of your keys/ }).screenshot({ path: codeOfB });
    await dialogB.getByRole('button', { name: 'Scan their code' }).click();
    await dialogB.getByLabel('Or choose a photo of their code').setInputFiles(codeOfA);
    await expect(dialogB.getByRole('status').getByText('Keys match.')).toBeVisible();
    await dialogB.getByRole('button', { name: 'Scan their code' }).click();
    await dialogB.getByLabel('Or choose a photo of their code').setInputFiles(codeOfB);
    await expect(dialogB.getByRole('alert')).toContainText(
      'These numbers differ: this may not be who you think.',
    );
    await dialogB.getByRole('button', { name: 'Close' }).click();
    await expect(dialogB).toBeHidden();
    await expect(b.page.getByRole('button', { name: 'Compare keys with Sam' })).toBeFocused();
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
