import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { signRecord } from '../../group/canonical.ts';
import { Group } from '../../group/Group.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import {
  type DecisionRecordFile,
  exportRecord,
  parseRecordText,
  recordJson,
  recordMarkdown,
  verifyRecord,
} from './record.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const cat = createIdentity('Cat');
const eve = createIdentity('Eve');

async function closedProposal(hidden = false) {
  let t = 1_000_000;
  const group = Group.create({
    name: 'Garden',
    me: ann,
    clock: () => (t += 10),
    kinds: FEATURE_KINDS,
  });
  group.join(bob);
  group.join(cat);
  const { decisions } = featuresOf(group);
  const id = decisions.propose(ann, { title: 'Buy a shed', body: 'For tools.', hidden });
  decisions.respond(ann, id, 'agree', 'We need it');
  decisions.respond(bob, id, 'agree');
  decisions.respond(cat, id, 'block', 'Not on the lawn');
  await decisions.close(ann, id, 'rejected', 'Blocked; we look again.');
  return { group, decisions, id, file: exportRecord(group, decisions, id) };
}

const clone = (f: DecisionRecordFile): DecisionRecordFile => JSON.parse(JSON.stringify(f));

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
    (altered.ballots[catIndex] as { stance: string }).stance = 'agree';
    const r1 = await verifyRecord(altered);
    expect(r1.ok).toBe(false);
    expect(r1.entries.find((e) => e.label === 'position of Cat')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('altered or forged'),
    });

    // Eve signs a ballot in Cat's name with her own key, and slips in her member record.
    const forged = clone(file);
    const { sig: _s, ...fields } = forged.ballots[catIndex]!;
    forged.ballots[catIndex] = signRecord(eve, group.id, { ...fields, stance: 'agree' }) as never;
    const r2 = await verifyRecord(forged);
    expect(r2.entries.find((e) => e.label === 'position of Cat')?.ok).toBe(false);
    expect(r2.ok).toBe(false);

    const dropped = clone(file);
    dropped.ballots.splice(catIndex, 1);
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

  it('npm run verify-record accepts the export and rejects a tampered one', async () => {
    const { file } = await closedProposal();
    const dir = mkdtempSync(join(tmpdir(), 'hearth-record-'));
    const good = join(dir, 'good.md');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, recordMarkdown(file));
    const tampered = clone(file);
    (tampered.close as { statement: string }).statement = 'Passed unanimously.';
    writeFileSync(bad, recordJson(tampered));
    const run = promisify(execFile);
    const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const ok = await run(process.execPath, [tsx, 'scripts/verify-record.ts', good]);
    expect(ok.stdout).toContain('VERIFIED');
    const fail = await run(process.execPath, [tsx, 'scripts/verify-record.ts', bad]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(fail?.code).toBe(1);
    expect(fail?.stdout).toMatch(/REJECTED {2}close: altered or forged/);
    expect(fail?.stdout).toContain('NOT VERIFIED');
  }, 60_000);
});
