import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantRunoff, isValidChoice, tallyPoll, tallyProposal } from './tally.ts';

const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

describe('proposal tally and quorum', () => {
  it('counts stances; a block or a missed quorum rejects; more agree than disagree passes', () => {
    const p = (stance: 'agree' | 'abstain' | 'disagree' | 'block', member: string = stance) => ({
      member,
      stance,
      reason: '',
    });
    const t = tallyProposal(
      [p('agree', 'a'), p('agree', 'b'), p('disagree', 'c'), p('abstain', 'd')],
      4,
    );
    expect(t.counts).toEqual({ agree: 2, abstain: 1, disagree: 1, block: 0 });
    expect(t).toMatchObject({ responded: 4, quorumMet: true, blocked: false, suggested: 'passed' });
    expect(tallyProposal([p('agree', 'a'), p('agree', 'b')], 3)).toMatchObject({
      quorumMet: false,
      suggested: 'rejected',
    });
    expect(tallyProposal([p('agree', 'a'), p('agree', 'b'), p('block', 'c')])).toMatchObject({
      quorumMet: true,
      blocked: true,
      suggested: 'rejected',
    });
    // Abstentions count towards the quorum, not for or against.
    expect(
      tallyProposal([p('agree', 'a'), p('abstain', 'b'), p('abstain', 'c')], 3).suggested,
    ).toBe('passed');
    expect(tallyProposal([p('agree', 'a'), p('disagree', 'b')]).suggested).toBe('rejected');
    expect(tallyProposal([]).suggested).toBe('rejected');
  });

  it('does not depend on the order of positions (property)', () => {
    const stance = fc.constantFrom('agree', 'abstain', 'disagree', 'block' as const);
    fc.assert(
      fc.property(
        fc.array(stance, { maxLength: 30 }),
        fc.integer({ min: 1, max: 30 }),
        (list, q) => {
          const positions = list.map((s, i) => ({ member: `m${i}`, stance: s, reason: '' }));
          const shuffled = [...positions].reverse();
          expect(tallyProposal(shuffled, q)).toEqual(tallyProposal(positions, q));
        },
      ),
    );
  });
});

describe('instant-runoff', () => {
  it('the Tennessee capital example (Wikipedia, "Instant-runoff voting"): Knoxville wins in round 3', () => {
    const [M, N, C, K] = [0, 1, 2, 3];
    const ballots = [
      ...times(42, [M, N, C, K]),
      ...times(26, [N, C, K, M]),
      ...times(15, [C, K, N, M]),
      ...times(17, [K, C, N, M]),
    ];
    const r = instantRunoff(4, ballots);
    expect(r.rounds).toEqual([
      { counts: [42, 26, 15, 17], exhausted: 0, eliminated: C },
      { counts: [42, 26, null, 32], exhausted: 0, eliminated: N },
      { counts: [42, null, null, 58], exhausted: 0 },
    ]);
    expect(r.winners).toEqual([K]);
  });

  it('exhausted ballots leave the count, and the majority is of continuing ballots', () => {
    const [A, B, C] = [0, 1, 2];
    const ballots = [...times(5, [A]), ...times(4, [B]), ...times(3, [C])];
    const r = instantRunoff(3, ballots);
    expect(r.rounds).toEqual([
      { counts: [5, 4, 3], exhausted: 0, eliminated: C },
      { counts: [5, 4, null], exhausted: 3 },
    ]);
    // 5 of 12 ballots, but more than half of the 9 still in the count.
    expect(r.winners).toEqual([A]);
  });

  it('a tie for fewest is broken by the earlier round, then by the option listed last', () => {
    const [A, B, C, D] = [0, 1, 2, 3];
    const backward = instantRunoff(4, [
      ...times(5, [A]),
      ...times(3, [B]),
      ...times(2, [C, B]),
      [D, C, B],
    ]);
    // Round 2 ties B and C at 3; in round 1 C had fewer (2 against 3), so C goes, and B wins.
    expect(backward.rounds.map((x) => x.eliminated)).toEqual([D, C, undefined]);
    expect(backward.rounds[1]!.counts).toEqual([5, 3, 3, null]);
    expect(backward.rounds[2]!.counts).toEqual([5, 6, null, null]);
    expect(backward.winners).toEqual([B]);

    const listed = instantRunoff(3, [[A], [A], [B], [C]]);
    expect(listed.rounds).toEqual([
      { counts: [2, 1, 1], exhausted: 0, eliminated: C },
      { counts: [2, 1, null], exhausted: 1 },
    ]);
    expect(listed.winners).toEqual([A]);
  });

  it('a three-way tie goes to the option fewest ballots rank at all; a last pair tie; no ballots, no winner', () => {
    const three = instantRunoff(3, [
      [0, 1],
      [1, 0],
      [2, 1],
    ]);
    expect(three.rounds).toEqual([
      { counts: [1, 1, 1], exhausted: 0, eliminated: 2 },
      { counts: [1, 2, null], exhausted: 0 },
    ]);
    expect(three.winners).toEqual([1]);
    expect(instantRunoff(2, [[0], [1, 0]]).winners).toEqual([0, 1]);
    expect(instantRunoff(3, []).winners).toEqual([]);
    expect(instantRunoff(3, []).rounds).toEqual([{ counts: [0, 0, 0], exhausted: 0 }]);
  });

  it('does not depend on the order of ballots (property)', () => {
    const ballot = fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(ballot, { maxLength: 40 }), fc.integer(), (ballots, seed) => {
        const shuffled = [...ballots].sort(
          (a, b) => ((a.join() + seed).length % 3) - ((b.join() + seed).length % 3),
        );
        expect(instantRunoff(5, shuffled)).toEqual(instantRunoff(5, ballots));
      }),
    );
  });
});

describe('other polls', () => {
  it('score: totals of 0–5 per option, highest total wins; ill-formed ballots are not counted', () => {
    const r = tallyPoll('score', 3, [
      [5, 3, 0],
      [4, 5, 1],
      [0, 5, 5],
      [6, 0, 0], // out of range
      [1, 1], // not every option scored
    ]);
    expect(r).toEqual({ method: 'score', ballots: 3, totals: [9, 13, 6], winners: [1] });
  });

  it('single and multiple choice count the options named, ties share the win', () => {
    expect(tallyPoll('single', 3, [[0], [1], [1], [0, 1], [3]])).toEqual({
      method: 'single',
      counts: [1, 2, 0],
      ballots: 3,
      winners: [1],
    });
    expect(tallyPoll('multiple', 3, [[0, 2], [2], [0], [1, 1]]).winners).toEqual([0, 2]);
  });

  it('knows a well-formed choice', () => {
    expect(isValidChoice('single', 3, [2])).toBe(true);
    expect(isValidChoice('single', 3, [0, 1])).toBe(false);
    expect(isValidChoice('ranked', 3, [2, 0])).toBe(true);
    expect(isValidChoice('ranked', 3, [2, 2])).toBe(false);
    expect(isValidChoice('multiple', 3, [])).toBe(false);
    expect(isValidChoice('score', 2, [0, 5])).toBe(true);
  });
});
