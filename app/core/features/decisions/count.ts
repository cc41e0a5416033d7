// From the ballots that count to a result: opens sealed ballots with the published key,
// sets aside spoiled ones, and tallies. Shared by the group's views and by the offline
// verifier of exported records, so both always agree on what a set of ballots says.
import {
  type BallotRecord,
  isStance,
  type MatterRecord,
  type PollMethod,
  REASON_MAX_CHARS,
  type Stance,
} from './records.ts';
import { keyMatches, openBallot } from './seal.ts';
import {
  isValidChoice,
  type PollResult,
  type Position,
  type ProposalTally,
  tallyPoll,
  tallyProposal,
} from './tally.ts';

export interface CountedBallot {
  readonly member: string;
  readonly sig: string;
  /** The signed time (a claim). */
  readonly at: number;
  readonly sealed: boolean;
  /** Sealed and not opened (yet): nothing of its content is known. */
  readonly hidden: boolean;
  /** Unreadable, not for this item, or malformed: shown, not counted. */
  readonly spoiled: boolean;
  readonly stance?: Stance;
  readonly reason?: string;
  readonly choice?: readonly number[];
}

export interface Count {
  readonly ballots: readonly CountedBallot[];
  /** Proposals: the tally, once what the ballots say is known. */
  readonly tally?: ProposalTally;
  /** Polls: the result, once what the ballots say is known. */
  readonly result?: PollResult;
  /** Hidden, with a key that does not open its ballots. */
  readonly badKey: boolean;
}

const readReason = (raw: unknown): string =>
  typeof raw === 'string' ? [...raw.trim()].slice(0, REASON_MAX_CHARS).join('') : '';

/** Whether a plain answer fits the item: a stance on a proposal, a valid choice on a poll. */
function answerOf(
  item: MatterRecord,
  a: { stance?: unknown; reason?: unknown; choice?: unknown },
): Pick<CountedBallot, 'stance' | 'reason' | 'choice'> | null {
  if (item.kind === 'proposal') {
    return isStance(a.stance) && a.choice === undefined
      ? { stance: a.stance, reason: readReason(a.reason) }
      : null;
  }
  const n = item.options?.length ?? 0;
  return Array.isArray(a.choice) &&
    a.stance === undefined &&
    isValidChoice(item.method as PollMethod, n, a.choice as number[])
    ? { choice: a.choice as number[] }
    : null;
}

/** Counts `ballots` (one per member, already chosen by the rules) for `item`. */
export function countMatter(
  item: MatterRecord,
  ballots: readonly BallotRecord[],
  sealKey?: string,
): Count {
  const hiddenItem = item.sealTo !== undefined;
  const badKey = hiddenItem && sealKey !== undefined && !keyMatches(sealKey, item.sealTo!);
  const canOpen = hiddenItem && sealKey !== undefined && !badKey;
  const out: CountedBallot[] = ballots.map((b) => {
    const base = { member: b.author, sig: b.sig, at: b.at, sealed: b.sealed !== undefined };
    if (b.targetId !== item.id) return { ...base, hidden: false, spoiled: true };
    if (!hiddenItem) {
      const a = b.sealed === undefined ? answerOf(item, b) : null;
      return a
        ? { ...base, hidden: false, spoiled: false, ...a }
        : { ...base, hidden: false, spoiled: true };
    }
    if (b.sealed === undefined) return { ...base, hidden: false, spoiled: true };
    if (!canOpen) return { ...base, hidden: !badKey, spoiled: badKey };
    const plain = openBallot(sealKey!, b.sealed);
    const a =
      plain && plain.voter === b.author && plain.targetId === item.id
        ? answerOf(item, plain)
        : null;
    return a
      ? { ...base, hidden: false, spoiled: false, ...a }
      : { ...base, hidden: false, spoiled: true };
  });
  if (hiddenItem && !canOpen) return { ballots: out, badKey };
  const good = out.filter((b) => !b.spoiled);
  if (item.kind === 'proposal') {
    const positions: Position[] = good.map((b) => ({
      member: b.member,
      stance: b.stance!,
      reason: b.reason ?? '',
    }));
    return { ballots: out, badKey, tally: tallyProposal(positions, item.quorum) };
  }
  const result = tallyPoll(
    item.method as PollMethod,
    item.options?.length ?? 0,
    good.map((b) => b.choice!),
  );
  return { ballots: out, badKey, result };
}
