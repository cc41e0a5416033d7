import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveRoomId, generateGroupKey } from '../../crypto/keys.ts';
import { signRecord } from '../../group/canonical.ts';
import { Group } from '../../group/Group.ts';
import { GroupError, type GroupErrorCode } from '../../group/GroupError.ts';
import { PersonalState } from '../../group/PersonalState.ts';
import { RECORDS_MAP, type SignedRecord } from '../../group/records.ts';
import { createIdentity, type Identity } from '../../identity/Identity.ts';
import { membershipSlots, writeEpoch } from '../membership/Membership.ts';
import { FEATURE_KINDS, featureList, featuresOf } from '../registry.ts';
import { groupUnread } from '../unread.ts';
import { ballotSlot } from './records.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const cat = createIdentity('Cat');
const eve = createIdentity('Eve'); // never joins

function setup(clock?: { t: number }) {
  const c = clock ?? { t: 1_000_000 };
  const group = Group.create({
    name: 'Garden',
    me: ann,
    clock: () => (c.t += 10),
    kinds: FEATURE_KINDS,
  });
  group.join(bob);
  group.join(cat);
  return { group, clock: c, ...featuresOf(group) };
}

function codeOf(f: () => unknown): GroupErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof GroupError) return e.code;
    throw e;
  }
}

async function codeOfAsync(f: () => Promise<unknown>): Promise<GroupErrorCode | 'ok'> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    if (e instanceof GroupError) return e.code;
    throw e;
  }
}

const put = (group: Group, r: SignedRecord): void => {
  group.doc.getMap(RECORDS_MAP).set(r.sig, r);
};

/** A ballot signed by `signer` claiming `fields.author`, written raw into the document. */
const putBallot = (group: Group, signer: Identity, fields: Record<string, unknown>): void =>
  put(group, signRecord(signer, group.id, { kind: 'ballot', v: 1, at: 1, ...fields }) as never);

describe('Proposals', () => {
  it('positions with reasons, a changed position, a block, not yet responded, the close', async () => {
    const { decisions, discussion } = setup();
    const thread = discussion.startThread(bob, { title: 'Tools', body: 'We need a shed.' });
    const id = decisions.propose(ann, {
      title: 'Buy a shed',
      body: 'For **tools**.',
      quorum: 3,
      from: thread,
    });
    let v = decisions.matter(id)!;
    expect(v).toMatchObject({
      kind: 'proposal',
      title: 'Buy a shed',
      state: 'open',
      quorum: 3,
      from: thread,
    });
    expect(v.waiting).toEqual([ann.id, bob.id, cat.id]);
    expect(decisions.about(thread).map((m) => m.id)).toEqual([id]);

    decisions.respond(ann, id, 'agree', 'We need it');
    decisions.respond(bob, id, 'disagree', 'Too dear');
    decisions.respond(cat, id, 'block', 'Not on the lawn');
    decisions.respond(bob, id, 'agree', 'Fine, cheap one'); // changed
    v = decisions.matter(id)!;
    expect(v.tally).toMatchObject({
      counts: { agree: 2, abstain: 0, disagree: 0, block: 1 },
      blocked: true,
      quorumMet: true,
      suggested: 'rejected',
    });
    expect(v.ballots.find((b) => b.member === bob.id)).toMatchObject({
      stance: 'agree',
      reason: 'Fine, cheap one',
    });
    expect(v.ballots.find((b) => b.member === cat.id)).toMatchObject({
      stance: 'block',
      reason: 'Not on the lawn',
    });
    expect(v.waiting).toEqual([]);

    expect(await codeOfAsync(() => decisions.close(bob, id, 'passed', 'mine'))).toBe(
      'not-proposer',
    );
    await decisions.close(ann, id, 'rejected', 'Blocked: we look for another spot.');
    v = decisions.matter(id)!;
    expect(v.state).toBe('closed');
    expect(v.close).toMatchObject({
      outcome: 'rejected',
      statement: 'Blocked: we look for another spot.',
      missing: 0,
    });
    expect(decisions.decisionLog()).toMatchObject([
      {
        id,
        kind: 'proposal',
        title: 'Buy a shed',
        outcome: 'rejected',
        place: { route: 'decision' },
      },
    ]);
    // After the close nobody answers, and nobody closes twice.
    expect(codeOf(() => decisions.respond(cat, id, 'agree'))).toBe('closed');
    expect(await codeOfAsync(() => decisions.close(ann, id, 'passed', ''))).toBe('closed');

    // The discussion lives with it.
    decisions.reply(cat, id, 'Behind the hedge?');
    expect(decisions.replies(id).map((r) => r.body)).toEqual(['Behind the hedge?']);
    expect(decisions.matter(id)!.replyCount).toBe(1);
  });

  it('refuses bad input with plain errors', () => {
    const { decisions, clock } = setup();
    const id = decisions.propose(ann, { title: 'P', body: '' });
    const cases: [() => unknown, GroupErrorCode][] = [
      [() => decisions.propose(eve, { title: 'x', body: '' }), 'not-a-member'],
      [() => decisions.propose(ann, { title: ' ', body: '' }), 'empty'],
      [() => decisions.propose(ann, { title: 'x', body: '', quorum: 0 }), 'bad-choice'],
      [() => decisions.propose(ann, { title: 'x', body: '', deadline: clock.t - 1 }), 'bad-choice'],
      [() => decisions.respond(ann, id, 'maybe' as never), 'bad-choice'],
      [() => decisions.respond(ann, id, 'agree', 'x'.repeat(281)), 'too-long'],
      [() => decisions.respond(eve, id, 'agree'), 'not-a-member'],
      [() => decisions.vote(ann, id, [0]), 'wrong-kind'],
      [
        () => decisions.createPoll(ann, { title: 'Q', method: 'single', options: ['a'] }),
        'bad-choice',
      ],
      [
        () => decisions.createPoll(ann, { title: 'Q', method: 'single', options: ['a', 'A'] }),
        'bad-choice',
      ],
      [() => decisions.respond(ann, 'Q'.repeat(16), 'agree'), 'not-found'],
    ];
    for (const [f, code] of cases) expect(codeOf(f)).toBe(code);
  });
});

describe('Polls', () => {
  it('ranked choice shows each round; who voted what; votes change until close', async () => {
    const { decisions } = setup();
    const id = decisions.createPoll(ann, {
      title: 'Picnic day',
      method: 'ranked',
      options: ['Saturday', 'Sunday', 'Monday'],
    });
    decisions.vote(ann, id, [0, 1]);
    decisions.vote(bob, id, [1, 0]);
    decisions.vote(cat, id, [2, 1]);
    expect(codeOf(() => decisions.vote(cat, id, [2, 2]))).toBe('bad-choice');
    const v = decisions.matter(id)!;
    expect(v.result).toMatchObject({
      method: 'ranked',
      rounds: [{ counts: [1, 1, 1], eliminated: 2 }, { counts: [1, 2, null] }],
      winners: [1],
    });
    expect(v.ballots.map((b) => [b.member, b.choice])).toEqual(
      [
        [ann.id, [0, 1]],
        [bob.id, [1, 0]],
        [cat.id, [2, 1]],
      ].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    );
    await decisions.close(ann, id, 'closed', 'Sunday it is.');
    expect(decisions.matter(id)!.close?.outcome).toBe('closed');
    expect(
      await codeOfAsync(() =>
        decisions.close(
          ann,
          decisions.createPoll(ann, { title: 'X', method: 'single', options: ['a', 'b'] }),
          'passed',
          '',
        ),
      ),
    ).toBe('bad-choice');
  });

  it('score polls', () => {
    const { decisions } = setup();
    const id = decisions.createPoll(ann, {
      title: 'Rate',
      method: 'score',
      options: ['Jam', 'Pie'],
    });
    decisions.vote(ann, id, [5, 2]);
    decisions.vote(bob, id, [1, 4]);
    expect(codeOf(() => decisions.vote(cat, id, [6, 0]))).toBe('bad-choice');
    expect(decisions.matter(id)!.result).toEqual({
      method: 'score',
      ballots: 2,
      totals: [6, 6],
      winners: [0, 1],
    });
  });
});

describe('Hidden until close', () => {
  it('reveals nothing of a sealed ballot before the close, everything after', async () => {
    const { group, decisions } = setup();
    const id = decisions.createPoll(ann, {
      title: 'Treasurer',
      method: 'single',
      options: ['Bob', 'Cat'],
      hidden: true,
    });
    decisions.vote(bob, id, [1]);
    decisions.vote(cat, id, [1]);
    let v = decisions.matter(id)!;
    expect(v.hiddenUntilClose).toBe(true);
    expect(v.result).toBeUndefined();
    expect(v.ballots.map((b) => [b.hidden, b.choice])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
    // Nothing in the document says what they chose.
    const stored = group.head(ballotSlot(id, bob.id)) as unknown as Record<string, unknown>;
    expect(stored.choice).toBeUndefined();
    expect(typeof stored.sealed).toBe('string');

    // Eve-in-the-group (Ann here) copies Bob's sealed ballot as her own: it opens as spoiled.
    group.write(ann, 'ballot', { targetId: id, sealed: stored.sealed });
    await decisions.close(ann, id, 'closed', 'Counted.');
    v = decisions.matter(id)!;
    expect(v.result).toMatchObject({ counts: [0, 2], winners: [1] });
    expect(v.ballots.find((b) => b.member === ann.id)).toMatchObject({ spoiled: true });
    expect(v.ballots.find((b) => b.member === bob.id)).toMatchObject({
      hidden: false,
      choice: [1],
    });
  });

  it('a hidden proposal closed at its deadline counts with the key the proposer publishes', async () => {
    const clock = { t: 1_000_000 };
    const { decisions } = setup(clock);
    const id = decisions.propose(ann, {
      title: 'Secret',
      body: '',
      hidden: true,
      deadline: clock.t + 1_000,
    });
    decisions.respond(bob, id, 'agree', 'yes');
    decisions.respond(cat, id, 'agree');
    expect(decisions.matter(id)!.tally).toBeUndefined();
    clock.t += 2_000;
    expect(decisions.matter(id)!.state).toBe('due');
    expect(await decisions.closeDue(ann)).toBe(1);
    expect(decisions.matter(id)!.close).toMatchObject({
      outcome: 'passed',
      statement: 'Closed at its deadline.',
    });
    expect(decisions.matter(id)!.tally?.counts.agree).toBe(2);
  });
});

describe('Offline and concurrency', () => {
  it('nobody votes twice, as someone else, after the close, or after removal', async () => {
    const { group, decisions, membership } = setup();
    const id = decisions.propose(ann, { title: 'Paint', body: '' });
    decisions.respond(bob, id, 'agree');
    decisions.respond(bob, id, 'disagree');
    // Twice: one slot per member, the newest signed version wins.
    expect(decisions.matter(id)!.ballots.filter((b) => b.member === bob.id)).toHaveLength(1);
    // As someone else: Bob signs a ballot naming Cat as its author.
    putBallot(group, bob, { targetId: id, stance: 'block', author: cat.id, v: 9, at: 1 });
    // A stranger's key.
    putBallot(group, eve, { targetId: id, stance: 'block', author: eve.id, v: 1, at: 1 });
    await decisions.check(id);
    expect(decisions.matter(id)!.tally?.counts.block).toBe(0);
    // After removal: Cat votes, then is removed; her ballot stops counting, and she cannot answer.
    decisions.respond(cat, id, 'agree');
    expect(decisions.matter(id)!.tally?.counts.agree).toBe(1);
    writeEpoch(group, ann, { prev: deriveRoomId(generateGroupKey()), removed: [cat.id] });
    await group.verify(membershipSlots(group));
    expect(membership.departure(cat.id)?.how).toBe('removed');
    expect(decisions.matter(id)!.tally?.counts.agree).toBe(0);
    expect(decisions.matter(id)!.waiting).not.toContain(cat.id);
    expect(codeOf(() => decisions.respond(cat, id, 'agree'))).toBe('removed');
    // After the close: a ballot written raw later is not in the signed list.
    await decisions.close(ann, id, 'rejected', '');
    putBallot(group, bob, { targetId: id, stance: 'agree', author: bob.id, v: 5, at: 2_000_000 });
    await decisions.check(id);
    expect(decisions.matter(id)!.tally?.counts).toEqual({
      agree: 0,
      abstain: 0,
      disagree: 1,
      block: 0,
    });
  });

  it('after the deadline, versions signed later do not count, whatever the reader', async () => {
    const clock = { t: 1_000_000 };
    const { group, decisions } = setup(clock);
    const deadline = clock.t + 1_000;
    const id = decisions.propose(ann, { title: 'Deadline', body: '', deadline });
    decisions.respond(bob, id, 'agree');
    // A device whose clock runs late signs a change after the deadline, dated after it.
    putBallot(group, bob, {
      targetId: id,
      stance: 'block',
      author: bob.id,
      v: 2,
      at: deadline + 5,
    });
    await decisions.check(id);
    expect(decisions.matter(id)!.tally?.counts.block).toBe(1); // still open here: newest wins
    clock.t = deadline + 10;
    expect(decisions.matter(id)!.state).toBe('due');
    expect(decisions.matter(id)!.tally?.counts).toMatchObject({ agree: 1, block: 0 });
    expect(codeOf(() => decisions.respond(cat, id, 'agree'))).toBe('closed');
    await decisions.closeDue(ann);
    expect(decisions.matter(id)!.close?.outcome).toBe('passed');
  });

  it('the view does not depend on the order records arrive in (property)', async () => {
    const { group, decisions } = setup();
    const id = decisions.createPoll(ann, {
      title: 'Order',
      method: 'ranked',
      options: ['a', 'b', 'c'],
    });
    decisions.vote(ann, id, [0, 1]);
    decisions.vote(bob, id, [1]);
    decisions.vote(cat, id, [2, 0]);
    decisions.vote(bob, id, [2, 1]);
    decisions.vote(ann, id, [1, 2, 0]);
    const records = [...group.doc.getMap(RECORDS_MAP).values()] as SignedRecord[];
    const expected = decisions.matter(id)!;
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(records, { minLength: records.length }),
        async (order) => {
          const doc = new Y.Doc();
          const copy = Group.open(doc, {
            groupId: group.id,
            kinds: FEATURE_KINDS,
            clock: () => 2_000_000,
          });
          for (const r of order) put(copy, r);
          const d = featuresOf(copy).decisions;
          await d.check(id);
          const v = d.matter(id)!;
          expect(v.result).toEqual(expected.result);
          expect(v.ballots.map((b) => b.sig)).toEqual(expected.ballots.map((b) => b.sig));
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('Awaiting', () => {
  it('open items wait for members who have not answered, and count as unread once', async () => {
    const { group, decisions } = setup();
    const id = decisions.propose(ann, { title: 'Wait', body: '' });
    expect(decisions.awaiting(ann.id)).toEqual([]); // not your own
    expect(decisions.awaiting(bob.id).map((a) => [a.id, a.what, a.tab])).toEqual([
      [id, 'proposal', 'decide'],
    ]);
    const personal = PersonalState.create(bob.id);
    const unread = () => groupUnread(group, featureList(featuresOf(group)), personal, bob.id);
    expect(unread().byTab.get('decide')).toBe(1);
    personal.markRead(group.id, id, Number.MAX_SAFE_INTEGER);
    expect(unread().byTab.get('decide')).toBe(1); // read, still waiting for an answer
    decisions.respond(bob, id, 'abstain');
    expect(decisions.awaiting(bob.id)).toEqual([]);
    expect(unread().byTab.get('decide')).toBeUndefined();
  });
});

describe('Search', () => {
  it('offers proposals, polls (with options and outcome) and their replies, live ones only', async () => {
    const { group, decisions } = setup();
    const p = decisions.propose(ann, { title: 'Compost bins', body: 'Two more bins' });
    const q = decisions.createPoll(ann, {
      title: 'Colour',
      method: 'single',
      options: ['Green', 'Brown'],
    });
    const r = decisions.reply(bob, p, 'Near the beds');
    await decisions.close(ann, p, 'passed', 'Bought in spring');
    const docs = decisions.searchable();
    expect(docs.map((d) => [d.id, d.kind, d.title, d.text]).sort()).toEqual(
      [
        [p, 'proposal', 'Compost bins', 'Two more bins\n\nBought in spring'],
        [q, 'poll', 'Colour', 'Green\n\nBrown'],
        [r, 'decision-reply', undefined, 'Near the beds'],
      ].sort(),
    );
    expect(docs.find((d) => d.id === r)!.place).toEqual({
      route: 'decision',
      params: { groupId: group.id, itemId: p },
    });
    expect(decisions.searchable(new Set([q, 'Q'.repeat(16)])).map((d) => d.id)).toEqual([q]);
  });
});
