import { describe, expect, it } from 'vitest';
import { signRecord } from '../../group/canonical.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { parseRecordText, recordJson, recordMarkdown, verifyRecord } from './record.ts';
import { ann, bob, cat, clone, closedProposal } from './recordFixture.ts';
import type { BallotRecord } from './records.ts';

const eve = createIdentity('Eve');

describe('Decision record', () => {
  it('exports what a verifier needs and verifies offline, as JSON and as Markdown', async () => {
    const { group, id, file } = await closedProposal();
    expect(file).toMatchObject({ format: 'hearth-decision-record/v1', groupId: group.id });
    expect(file.item.id).toBe(id);
    expect(file.ballots).toHaveLength(3);
    expect(file.members.map((m) => m.author).sort()).toEqual([ann.id, bob.id, cat.id].sort());
    expect(file.summary).toEqual({
      outcome: 'rejected',
      statement: 'Blocked; we look again.',
      counts: { agree: 2, abstain: 0, disagree: 0, block: 1 },
      winners: null,
    });
    const report = await verifyRecord(parseRecordText(recordJson(file)));
    expect(report.problems).toEqual([]);
    expect(report.entries.every((e) => e.ok)).toBe(true);
    expect(report).toMatchObject({ ok: true, title: 'Buy a shed' });
    const md = recordMarkdown(file);
    expect(md).toContain('| Cat | block: Not on the lawn |');
    expect(md).toContain(file.close!.sig);
    expect((await verifyRecord(parseRecordText(md))).ok).toBe(true);
  });

  it('a hidden proposal verifies once the close publishes its key', async () => {
    const { file } = await closedProposal(true);
    expect(file.ballots.every((b) => b.sealed !== undefined && b.stance === undefined)).toBe(true);
    expect(file.summary.counts).toEqual({ agree: 2, abstain: 0, disagree: 0, block: 1 });
    expect((await verifyRecord(file)).ok).toBe(true);
  });

  it('reports an altered or forged entry, a dropped ballot and a doctored summary', async () => {
    const { group, file } = await closedProposal();
    const catIndex = file.ballots.findIndex((b) => b.author === cat.id);

    const altered = clone(file);
    (altered.ballots[catIndex] as unknown as { stance: string }).stance = 'agree';
    const r1 = await verifyRecord(altered);
    expect(r1.ok).toBe(false);
    expect(r1.entries.find((e) => e.label === 'position of Cat')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('altered or forged'),
    });

    // Eve signs a ballot in Cat's name with her own key, and slips in her member record.
    const forged = clone(file);
    const { sig: _s, ...fields } = forged.ballots[catIndex]!;
    (forged.ballots as BallotRecord[])[catIndex] = signRecord(eve, group.id, {
      ...fields,
      stance: 'agree',
    }) as never;
    const r2 = await verifyRecord(forged);
    expect(r2.entries.find((e) => e.label === 'position of Cat')?.ok).toBe(false);
    expect(r2.ok).toBe(false);

    const dropped = clone(file);
    (dropped.ballots as BallotRecord[]).splice(catIndex, 1);
    (dropped.summary as { counts: Record<string, number> }).counts.block = 0;
    const r3 = await verifyRecord(dropped);
    expect(r3.ok).toBe(false);
    expect(r3.problems).toContain('1 counted answer is missing from the record.');

    const doctored = clone(file);
    (doctored.summary as { outcome: string }).outcome = 'passed';
    const r4 = await verifyRecord(doctored);
    expect(r4.ok).toBe(false);
    expect(r4.problems[0]).toMatch(/summary does not follow/);

    expect((await verifyRecord({ format: 'something else' })).ok).toBe(false);
  });
});
