// The decision record: a proposal or poll with the signed records that decide it, exported
// so that anyone can check it offline, without the group. The file carries the group id (it
// is inside every signed text), the member records of everyone involved (self-signed, their
// ids are their public keys) and each record exactly as signed; the kernel's own canonical
// encoding and Verifier check them. The Markdown export is the same record made readable,
// with the JSON in a fenced block at its end, so either file verifies.
import { signedText } from '../../group/canonical.ts';
import type { Group } from '../../group/Group.ts';
import { type MemberRecord, memberSlot, readName } from '../../group/members.ts';
import { asObject, isGroupIdText, parseEnvelope, type SignedRecord } from '../../group/records.ts';
import { defaultVerifier, type Verifier } from '../../group/Verifier.ts';
import { countMatter } from './count.ts';
import type { Decisions } from './Decisions.ts';
import {
  type BallotRecord,
  ballotKind,
  type CloseRecord,
  closeKind,
  type MatterRecord,
  pollKind,
  proposalKind,
} from './records.ts';
import type { PollResult } from './tally.ts';

export const RECORD_FORMAT = 'hearth-decision-record/v1';
const FENCE = '```json hearth-decision-record';

/** What the summary of a record says; recomputed from the signed records when verifying. */
export interface RecordSummary {
  readonly outcome: string | null;
  readonly statement: string | null;
  readonly counts: Readonly<Record<string, number>> | null;
  readonly winners: readonly number[] | null;
}

export interface DecisionRecordFile {
  readonly format: typeof RECORD_FORMAT;
  readonly groupId: string;
  readonly groupName: string;
  readonly exportedAt: number;
  readonly members: readonly MemberRecord[];
  readonly item: MatterRecord;
  readonly ballots: readonly BallotRecord[];
  readonly close: CloseRecord | null;
  readonly summary: RecordSummary;
}

function summaryOf(
  item: MatterRecord,
  ballots: readonly BallotRecord[],
  close: CloseRecord | null,
): RecordSummary {
  const count = countMatter(item, ballots, close?.sealKey);
  const base = { outcome: close?.outcome ?? null, statement: close?.statement ?? null };
  if (count.tally) return { ...base, counts: { ...count.tally.counts }, winners: null };
  if (count.result)
    return { ...base, counts: countsOf(count.result), winners: [...count.result.winners] };
  return { ...base, counts: null, winners: null };
}

function countsOf(r: PollResult): Record<string, number> {
  const list =
    r.method === 'ranked'
      ? (r.rounds[0]?.counts ?? []).map((c) => c ?? 0)
      : r.method === 'score'
        ? r.totals
        : r.counts;
  return Object.fromEntries(list.map((n, i) => [String(i), n]));
}

/** The record of one proposal or poll as this device holds it (its counted ballots once closed). */
export function exportRecord(group: Group, decisions: Decisions, id: string): DecisionRecordFile {
  const view = decisions.matter(id);
  const item = group.head<MatterRecord>(id);
  if (!view || !item) throw new Error('not a proposal or poll');
  const bySig = new Map<string, BallotRecord>();
  for (const slot of group.childrenOf(id)) {
    for (const r of group.versions(slot))
      if (r.kind === 'ballot') bySig.set(r.sig, r as BallotRecord);
  }
  const ballots = view.ballots.flatMap((b) => bySig.get(b.sig) ?? []);
  const closeHead = group.head<CloseRecord>(`close:${id}|${item.author}`);
  const close = closeHead?.kind === 'close' ? closeHead : null;
  const authors = new Set<string>([item.author, ...ballots.map((b) => b.author), ...view.waiting]);
  const members = [...authors].flatMap((a) => {
    const m = group.head<MemberRecord>(memberSlot(a));
    return m?.kind === 'member' ? [m] : [];
  });
  return {
    format: RECORD_FORMAT,
    groupId: group.id,
    groupName: group.info().name,
    exportedAt: group.now(),
    members,
    item,
    ballots,
    close,
    summary: summaryOf(item, ballots, close),
  };
}

export function recordJson(file: DecisionRecordFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** The same record, readable: what was decided, who said what, and every signature. */
export function recordMarkdown(file: DecisionRecordFile): string {
  const name = (id: string): string => {
    const m = file.members.find((x) => x.author === id);
    return m ? readName(m.name, 'Unnamed member') : `${id.slice(0, 8)}…`;
  };
  const item = file.item;
  const count = countMatter(item, file.ballots, file.close?.sealKey);
  const options = item.kind === 'poll' ? (item.options ?? []) : [];
  const answer = (b: (typeof count.ballots)[number]): string => {
    if (b.hidden) return 'sealed';
    if (b.spoiled) return 'spoiled';
    if (b.stance) return b.reason ? `${b.stance}: ${b.reason}` : b.stance;
    if (item.kind === 'poll' && item.method === 'score')
      return (b.choice ?? []).map((s, i) => `${options[i]} ${s}`).join(', ');
    return (b.choice ?? []).map((i) => options[i]).join(' > ');
  };
  const lines = [
    `# ${cell(item.title ?? '')}`,
    '',
    `A ${item.kind} in the Hearth group “${cell(file.groupName)}” (group id \`${file.groupId}\`), proposed by ${cell(name(item.author))}.`,
    '',
    item.body ?? '',
    '',
    '## Outcome',
    '',
    file.close
      ? `**${file.close.outcome}** on ${new Date(file.close.at).toISOString()}: ${file.close.statement || '(no statement)'}`
      : 'Not closed when this record was exported.',
    '',
    `## ${item.kind === 'proposal' ? 'Positions' : 'Votes'}`,
    '',
    '| Member | Answer | Signed at | Signature |',
    '| --- | --- | --- | --- |',
    ...count.ballots.map(
      (b) =>
        `| ${cell(name(b.member))} | ${cell(answer(b))} | ${new Date(b.at).toISOString()} | \`${b.sig}\` |`,
    ),
    '',
    '## Signatures',
    '',
    `- ${item.kind} by ${cell(name(item.author))}: \`${item.sig}\``,
    ...(file.close ? [`- close by ${cell(name(file.close.author))}: \`${file.close.sig}\``] : []),
    ...file.members.map(
      (m) => `- member ${cell(name(m.author))}, key \`${m.author}\`: \`${m.sig}\``,
    ),
    '',
    'Check this file offline with `npm run verify-record -- FILE` or in the app (Decide → Verify a record).',
    '',
    FENCE,
    JSON.stringify(file, null, 2),
    '```',
    '',
  ];
  return lines.join('\n');
}

export interface RecordEntry {
  /** What the entry is: "proposal", "position of Ann", "close", "member Ann". */
  readonly label: string;
  readonly sig: string;
  readonly ok: boolean;
  /** Why it is not accepted, in plain words. */
  readonly problem?: string;
}

export interface RecordReport {
  readonly ok: boolean;
  readonly title: string;
  readonly groupId: string;
  readonly entries: readonly RecordEntry[];
  /** Problems of the record as a whole (missing ballots, a summary that does not match). */
  readonly problems: readonly string[];
}

/** The JSON of a record from a .json file or a .md export (its fenced block). */
export function parseRecordText(text: string): unknown {
  const start = text.indexOf(FENCE);
  const json =
    start >= 0
      ? text.slice(start + FENCE.length, text.indexOf('\n```', start + FENCE.length))
      : text;
  return JSON.parse(json);
}

/** Checks a record offline: every signature, who signed what, and that the summary follows from the signed records. */
export async function verifyRecord(
  data: unknown,
  verifier: Verifier = defaultVerifier,
): Promise<RecordReport> {
  const o = asObject(data, 40);
  const bad = (problem: string): RecordReport => ({
    ok: false,
    title: '',
    groupId: '',
    entries: [],
    problems: [problem],
  });
  if (!o || o.format !== RECORD_FORMAT) return bad('This is not a Hearth decision record.');
  if (!isGroupIdText(o.groupId)) return bad('The record has no valid group id.');
  const groupId = o.groupId;
  const asRecord = (v: unknown): SignedRecord | null => {
    const r = asObject(v, 40);
    return r && typeof r.sig === 'string' ? (parseEnvelope(r.sig, r) as SignedRecord | null) : null;
  };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const members = list(o.members).map(asRecord);
  const item = asRecord(o.item);
  const ballots = list(o.ballots).map(asRecord);
  const close = o.close === null ? null : asRecord(o.close);
  const problems: string[] = [];
  if (!item) return bad('The record has no readable proposal or poll.');

  const memberIds = new Set<string>();
  const names = new Map<string, string>();
  for (const m of members) {
    if (m?.kind === 'member') {
      memberIds.add(m.author);
      names.set(m.author, readName(String((m as MemberRecord).name ?? ''), 'Unnamed member'));
    }
  }
  const who = (id: string): string => names.get(id) ?? `${id.slice(0, 8)}…`;

  type Check = { label: string; record: SignedRecord | null; shape: boolean; extra?: string };
  const checks: Check[] = [];
  const itemKind = item.kind === 'poll' ? pollKind : proposalKind;
  const itemShape = itemKind.parse(item as never) !== null && itemKind.bound!(item as never);
  const matter = item as MatterRecord;
  checks.push({ label: item.kind, record: item, shape: itemShape });
  for (const m of members)
    checks.push({
      label: `member ${m ? who(m.author) : '?'}`,
      record: m,
      shape: m?.kind === 'member',
    });
  const seenVoters = new Set<string>();
  for (const b of ballots) {
    const ballot = b as BallotRecord | null;
    let extra: string | undefined;
    if (ballot && ballot.targetId !== matter.id) extra = 'it answers another proposal or poll';
    else if (ballot && seenVoters.has(ballot.author))
      extra = 'a second answer from the same member';
    if (ballot) seenVoters.add(ballot.author);
    checks.push({
      label: `${item.kind === 'proposal' ? 'position' : 'vote'} of ${ballot ? who(ballot.author) : '?'}`,
      record: b,
      shape: b?.kind === 'ballot' && ballotKind.parse(b as never) !== null,
      ...(extra ? { extra } : {}),
    });
  }
  if (close) {
    const c = close as CloseRecord;
    const extra =
      c.author !== item.author
        ? 'it is not signed by whoever started the proposal'
        : c.targetId !== matter.id
          ? 'it closes another proposal or poll'
          : undefined;
    checks.push({
      label: 'close',
      record: close,
      shape: closeKind.parse(close as never) !== null,
      ...(extra ? { extra } : {}),
    });
  } else if (o.close !== null && o.close !== undefined) {
    checks.push({ label: 'close', record: null, shape: false });
  }

  const texts = checks.map((c) => {
    try {
      return c.record
        ? { signer: c.record.author, text: signedText(groupId, c.record), sig: c.record.sig }
        : null;
    } catch {
      return null;
    }
  });
  const results = await verifier.verify(texts.map((t) => t ?? { signer: '', text: '', sig: '' }));
  const entries: RecordEntry[] = checks.map((c, i) => {
    const sig = c.record?.sig ?? '';
    const fail = (problem: string): RecordEntry => ({ label: c.label, sig, ok: false, problem });
    if (!c.record || !texts[i]) return fail('unreadable: not a signed record');
    if (!results[i])
      return fail('altered or forged: the signature does not match its content and author');
    if (!c.shape) return fail('malformed for its kind');
    if (c.record.kind !== 'member' && !memberIds.has(c.record.author))
      return fail('signed by a key that is not among the members in this record');
    if (c.extra) return fail(c.extra);
    return { label: c.label, sig, ok: true };
  });

  const goodBallots = ballots.filter(
    (b, i) => b && entries[1 + members.length + i]?.ok,
  ) as BallotRecord[];
  if (close) {
    const listed = new Set((close as CloseRecord).counted ?? []);
    const present = new Set(ballots.map((b) => b?.sig));
    const absent = [...listed].filter((s) => !present.has(s)).length;
    const extra = ballots.filter((b) => b && !listed.has(b.sig)).length;
    if (absent > 0)
      problems.push(
        `${absent} counted answer${absent === 1 ? ' is' : 's are'} missing from the record.`,
      );
    if (extra > 0)
      problems.push(
        `${extra} answer${extra === 1 ? ' is' : 's are'} not in the close record's signed list.`,
      );
  }
  const expected = summaryOf(matter, goodBallots, close as CloseRecord | null);
  const same = normalize(expected) === normalize(asObject(o.summary) ?? {});
  if (!same) problems.push('The summary does not follow from the signed records: it was altered.');
  return {
    ok: problems.length === 0 && entries.every((e) => e.ok),
    title: readName(String(matter.title ?? ''), 'Untitled', 200),
    groupId,
    entries,
    problems,
  };
}

const normalize = (s: Partial<RecordSummary> | Record<string, unknown>): string =>
  JSON.stringify({
    outcome: s.outcome ?? null,
    statement: s.statement ?? null,
    counts: s.counts ?? null,
    winners: s.winners ?? null,
  });
