// Consensus seeking end to end, three members each in their own browser: a proposal made
// from a thread, three positions (one a block with its reason) and a changed one, the
// proposer's close seen by all, the decision log, a hidden ranked-choice poll that shows
// nothing before its close and every round after, and the exported record verified in the
// app, then rejected once tampered with.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { type Member, startThread, threeMembers } from './helpers.ts';

/** Opens the group's Decide tab from wherever the member is in the group. */
async function openDecide(m: Member): Promise<void> {
  const groupId = /#\/g\/([^/]+)/.exec(m.page.url())?.[1];
  expect(groupId).toBeTruthy();
  await m.page.goto(`/#/g/${groupId}/decide`);
  await expect(m.page.getByRole('heading', { name: 'Decision log' })).toBeVisible();
}

async function takePosition(page: Page, stance: string, reason: string): Promise<void> {
  await page.getByLabel(stance, { exact: true }).check();
  await page.getByLabel(/^Reason/).fill(reason);
  await page.getByRole('button', { name: 'Save position' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Your position is saved.' }),
  ).toBeVisible();
}

async function rank(page: Page, ranks: Record<string, string>): Promise<void> {
  for (const [option, r] of Object.entries(ranks))
    await page.getByLabel(`Rank for ${option}`).selectOption(r);
  await page.getByRole('button', { name: 'Vote', exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Your vote is sealed and saved.' }),
  ).toBeVisible();
}

test('propose from a thread, take positions, close, log, hidden ranked poll, verify the record', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const [a, b, c] = await threeMembers(browser, `Allotment ${stamp}`);
  const thread = `Where to put the shed ${stamp}`;
  const proposal = `Build the shed by the gate ${stamp}`;

  // Alice proposes from the discussion; the proposal links back to it.
  await startThread(a, thread, 'The old one is falling apart.');
  await a.page.getByRole('link', { name: 'Propose', exact: true }).click();
  await expect(a.page.getByText(`From ${thread}`)).toBeVisible();
  await a.page.getByLabel('Title').fill(proposal);
  await a.page.getByLabel(/^Details/).fill('A **small** shed, by the gate.');
  await a.page.getByLabel(/^Quorum/).fill('3');
  await a.page.getByRole('button', { name: 'Put to the group' }).click();
  await expect(a.page.getByRole('heading', { level: 2, name: proposal })).toBeVisible();
  await expect(a.page.getByRole('link', { name: thread })).toBeVisible();
  await takePosition(a.page, 'Agree', 'Close to the water tap');

  // Bob finds it on Home, waiting for his response; he disagrees, then changes his mind.
  await b.page.goto('/');
  const waiting = b.page.getByRole('region', { name: 'Waiting for your response' });
  await waiting.getByRole('link', { name: new RegExp(proposal) }).click();
  await expect(b.page.getByRole('heading', { level: 2, name: proposal })).toBeVisible();
  await takePosition(b.page, 'Disagree', 'Too far from the beds');
  await takePosition(b.page, 'Agree', 'Fine, the gate it is');

  // Carol blocks, with her reason.
  await openDecide(c);
  await c.page.getByRole('link', { name: new RegExp(proposal) }).click();
  await takePosition(c.page, 'Block', 'The gate must stay clear for deliveries');

  // The live tally, with names and reasons; the block stands out; Bob's newest position counts.
  await expect(a.page.getByTestId('tally')).toContainText(
    'Agree 2 · Abstain 0 · Disagree 0 · Block 1 · quorum met',
  );
  await expect(a.page.getByRole('note')).toContainText(
    'Blocked by Carol: The gate must stay clear for deliveries',
  );
  const positions = a.page.getByRole('list', { name: 'Positions' });
  await expect(positions.getByRole('listitem').filter({ hasText: 'Bob' })).toContainText(
    'Agree — Fine, the gate it is',
  );
  await expect(a.page.getByTestId('not-yet')).toHaveCount(0);
  // The thread shows the proposal's live state, and leads to it.
  const threadHref = await a.page.getByRole('link', { name: thread }).getAttribute('href');
  await b.page.goto(`/${threadHref}`);
  await expect(b.page.getByTestId('related-state')).toContainText(
    'Open · 3 answered · 2 agree, 1 block',
  );
  await b.page.getByRole('link', { name: new RegExp(proposal) }).click();
  await expect(b.page.getByRole('heading', { level: 2, name: proposal })).toBeVisible();

  // Alice closes with an outcome statement; everyone sees it, and it enters the decision log.
  await a.page.getByLabel('Outcome', { exact: true }).selectOption('rejected');
  await a.page
    .getByLabel('Outcome statement')
    .fill('Blocked: we look for a spot away from the gate.');
  await a.page.getByRole('button', { name: 'Close and record the outcome' }).click();
  for (const m of [a, b, c]) {
    await expect(m.page.getByRole('heading', { name: 'Outcome: Rejected' })).toBeVisible();
    await expect(m.page.getByTestId('outcome-statement')).toHaveText(
      'Blocked: we look for a spot away from the gate.',
    );
  }
  await openDecide(c);
  await expect(
    c.page
      .getByRole('list', { name: 'Decision log' })
      .getByRole('link', { name: new RegExp(proposal) }),
  ).toContainText('Rejected');

  // The signed record: exported by Alice, verified in the app, rejected once tampered with.
  const [download] = await Promise.all([
    a.page.waitForEvent('download'),
    a.page.getByRole('button', { name: 'Export decision record (JSON)' }).click(),
  ]);
  const json = readFileSync((await download.path())!, 'utf8');
  expect(json).toContain('"format": "hearth-decision-record/v1"');

  // A hidden ranked-choice poll: nothing shows before the close, every round after.
  const poll = `Picnic day ${stamp}`;
  await openDecide(a);
  await a.page.getByRole('link', { name: 'New poll' }).click();
  await a.page.getByLabel('Question').fill(poll);
  await a.page.getByLabel('How people answer').selectOption('ranked');
  await a.page.getByLabel('Options, one per line').fill('Saturday\nSunday\nMonday');
  await a.page.getByLabel('Hidden until close').check();
  await a.page.getByRole('button', { name: 'Start the poll' }).click();
  await expect(a.page.getByRole('heading', { level: 2, name: poll })).toBeVisible();
  await rank(a.page, { Saturday: '1', Sunday: '2' });
  for (const m of [b, c]) {
    await openDecide(m);
    await m.page.getByRole('link', { name: new RegExp(poll) }).click();
  }
  await rank(b.page, { Sunday: '1', Saturday: '2' });
  await rank(c.page, { Monday: '1', Sunday: '2' });
  for (const m of [a, b, c]) {
    await expect(m.page.getByTestId('sealed-note')).toHaveText(
      '3 answered. What they chose stays sealed until the close.',
    );
    await expect(m.page.getByRole('list', { name: 'Rounds' })).toHaveCount(0);
    await expect(m.page.getByRole('list', { name: 'Votes' })).not.toContainText(
      /Saturday|Sunday|Monday/,
    );
  }
  await a.page.getByLabel('Outcome statement').fill('Sunday it is.');
  await a.page.getByRole('button', { name: 'Close and record the outcome' }).click();
  for (const m of [a, c]) {
    const rounds = m.page.getByRole('list', { name: 'Rounds' });
    await expect(rounds.getByRole('listitem').filter({ hasText: 'Round 1' })).toContainText(
      'Eliminated: Monday',
    );
    await expect(rounds.getByRole('listitem').filter({ hasText: 'Round 2' })).toContainText(
      'Sunday: 2',
    );
    await expect(m.page.getByTestId('irv-winner')).toHaveText('Sunday');
  }

  // Carol checks Alice's export offline in her app; then a copy with her block turned into an agree.
  await c.page.goto('/#/verify');
  await c.page.getByLabel('Record file (.json or .md)').setInputFiles({
    name: 'decision.json',
    mimeType: 'application/json',
    buffer: Buffer.from(json),
  });
  const result = c.page.getByTestId('record-result');
  await expect(result).toContainText(`Verified: “${proposal}”`);
  await expect(result.getByRole('listitem').filter({ hasText: 'position of Carol' })).toContainText(
    '✓',
  );
  const tampered = json.replace('"stance": "block"', '"stance": "agree"');
  expect(tampered).not.toBe(json);
  await c.page.getByLabel('Or paste it').fill(tampered);
  await c.page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(result).toContainText('Not verified');
  await expect(result.getByRole('listitem').filter({ hasText: 'position of Carol' })).toContainText(
    'altered or forged',
  );
});
