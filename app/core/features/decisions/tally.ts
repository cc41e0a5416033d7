// Counting, as pure functions of the ballots that count: the same ballots give the same
// result on every device, whatever order they arrived in. Which ballots count is decided
// elsewhere (Decisions.ts, by the rules in ARCHITECTURE "Decisions"); nothing here reads a
// clock or a group.
import { type PollMethod, SCORE_MAX, STANCES, type Stance } from './records.ts';

export interface Position {
  readonly member: string;
  readonly stance: Stance;
  readonly reason: string;
}

export interface ProposalTally {
  readonly counts: Readonly<Record<Stance, number>>;
  /** How many members took a position (abstaining counts). */
  readonly responded: number;
  readonly quorum: number | undefined;
  readonly quorumMet: boolean;
  readonly blocked: boolean;
  /** What the numbers suggest: passed when the quorum is met, nobody blocks and more agree than disagree. */
  readonly suggested: 'passed' | 'rejected';
}

export function tallyProposal(positions: readonly Position[], quorum?: number): ProposalTally {
  const counts = Object.fromEntries(STANCES.map((s) => [s, 0])) as Record<Stance, number>;
  for (const p of positions) counts[p.stance]++;
  const responded = positions.length;
  const quorumMet = quorum === undefined || responded >= quorum;
  const blocked = counts.block > 0;
  return {
    counts,
    responded,
    quorum,
    quorumMet,
    blocked,
    suggested: quorumMet && !blocked && counts.agree > counts.disagree ? 'passed' : 'rejected',
  };
}

/** Whether `choice` is a well-formed answer to a poll of `method` with `n` options. */
export function isValidChoice(method: PollMethod, n: number, choice: readonly number[]): boolean {
  if (!choice.every((c) => Number.isSafeInteger(c) && c >= 0)) return false;
  if (method === 'score') return choice.length === n && choice.every((c) => c <= SCORE_MAX);
  if (choice.length === 0 || choice.some((c) => c >= n)) return false;
  if (new Set(choice).size !== choice.length) return false;
  return method === 'single' ? choice.length === 1 : true;
}

export interface PluralityResult {
  readonly method: 'single' | 'multiple';
  /** Ballots naming each option. */
  readonly counts: readonly number[];
  readonly ballots: number;
  /** Options with the most votes (several on a tie; none without ballots). */
  readonly winners: readonly number[];
}

export interface IrvRound {
  /** Votes of each option still in the count this round; null once eliminated. */
  readonly counts: readonly (number | null)[];
  /** Ballots whose every ranked option has been eliminated. */
  readonly exhausted: number;
  /** The option eliminated at the end of this round, if any. */
  readonly eliminated?: number;
}

export interface IrvResult {
  readonly method: 'ranked';
  readonly ballots: number;
  readonly rounds: readonly IrvRound[];
  /** The option with a majority of continuing ballots; several when the last ones tie; none without ballots. */
  readonly winners: readonly number[];
}

export interface ScoreResult {
  readonly method: 'score';
  readonly ballots: number;
  readonly totals: readonly number[];
  readonly winners: readonly number[];
}

export type PollResult = PluralityResult | IrvResult | ScoreResult;

const maxima = (values: readonly (number | null)[]): number[] => {
  let best = -1;
  for (const v of values) if (v !== null && v > best) best = v;
  if (best <= 0) return [];
  return values.flatMap((v, i) => (v === best ? [i] : []));
};

export function tallyPoll(
  method: PollMethod,
  n: number,
  choices: readonly (readonly number[])[],
): PollResult {
  const valid = choices.filter((c) => isValidChoice(method, n, c));
  if (method === 'ranked') return instantRunoff(n, valid);
  if (method === 'score') {
    const totals = new Array<number>(n).fill(0);
    for (const c of valid) {
      for (const [i, s] of c.entries()) totals[i]! += s;
    }
    return { method, ballots: valid.length, totals, winners: maxima(totals) };
  }
  const counts = new Array<number>(n).fill(0);
  for (const c of valid) for (const i of c) counts[i]!++;
  return { method, counts, ballots: valid.length, winners: maxima(counts) };
}

/**
 * Instant-runoff. Each round every ballot counts for its highest-ranked option still in the
 * count; a ballot with none left is exhausted. An option with more than half of the
 * continuing (not exhausted) ballots wins. Otherwise the option with the fewest votes is
 * eliminated. A tie for fewest is broken, in turn, by the most recent earlier round in which
 * the tied options had different counts (fewest there goes), by how many ballots rank each
 * tied option at all (fewest goes), and finally by the order of the options (the one listed
 * last goes). When the last two options have the same number of votes, they tie.
 */
export function instantRunoff(n: number, ballots: readonly (readonly number[])[]): IrvResult {
  const rounds: IrvRound[] = [];
  const out = new Set<number>();
  const mentions = new Array<number>(n).fill(0);
  for (const b of ballots) for (const i of b) mentions[i]!++;
  for (;;) {
    const counts: (number | null)[] = Array.from({ length: n }, (_, i) => (out.has(i) ? null : 0));
    let exhausted = 0;
    for (const b of ballots) {
      const top = b.find((i) => !out.has(i));
      if (top === undefined) exhausted++;
      else counts[top]!++;
    }
    const continuing = ballots.length - exhausted;
    const alive = counts.flatMap((c, i) => (c === null ? [] : [i]));
    const result = (winners: number[]): IrvResult => {
      rounds.push({ counts, exhausted });
      return { method: 'ranked', ballots: ballots.length, rounds, winners };
    };
    if (continuing === 0) return result([]);
    const majority = alive.find((i) => counts[i]! * 2 > continuing);
    if (majority !== undefined) return result([majority]);
    const fewest = Math.min(...alive.map((i) => counts[i]!));
    let tied = alive.filter((i) => counts[i] === fewest);
    if (alive.length === 2 && tied.length === 2) return result(alive);
    const keepFewest = (value: (i: number) => number): void => {
      const low = Math.min(...tied.map(value));
      tied = tied.filter((i) => value(i) === low);
    };
    for (let r = rounds.length - 1; r >= 0 && tied.length > 1; r--) {
      const earlier = rounds[r]!.counts;
      keepFewest((i) => earlier[i]!);
    }
    if (tied.length > 1) keepFewest((i) => mentions[i]!);
    const eliminated = tied[tied.length - 1]!;
    rounds.push({ counts, exhausted, eliminated });
    out.add(eliminated);
  }
}
