import { describe, expect, it } from 'vitest';
import { signRecord } from '../../group/canonical.ts';
import type { GroupErrorCode } from '../../group/GroupError.ts';
import { RECORDS_MAP, type SignedRecord } from '../../group/records.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { codeOf, groupOfTwo } from '../testing.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const eve = createIdentity('Eve'); // never joins

const setup = () => groupOfTwo(ann, bob);

describe('Reactions', () => {
  it('fixed emoji set, one per member and emoji, in emoji order, withdrawable', () => {
    const { reactions, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    reactions.react(ann, t, '🎉');
    reactions.react(bob, t, '👍');
    reactions.react(ann, t, '👍');
    reactions.react(ann, t, '👍'); // again: still one
    reactions.react(bob, t, '❤'); // the plain heart is taken as ❤️
    expect([...reactions.on(t)]).toEqual([
      ['👍', [bob.id, ann.id]],
      ['❤️', [bob.id]],
      ['🎉', [ann.id]],
    ]);
    reactions.unreact(bob, t, '👍');
    expect(reactions.on(t).get('👍')).toEqual([ann.id]);
    reactions.unreact(ann, t, '👍');
    expect(reactions.on(t).has('👍')).toBe(false);
    // Reacting again after withdrawing puts it back, as a newer version.
    reactions.react(bob, t, '👍');
    expect(reactions.on(t).get('👍')).toEqual([bob.id]);
  });

  it('works on any live item: replies, posts, comments', () => {
    const { reactions, discussion, posts } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const r = discussion.reply(bob, t, 'r');
    const p = posts.createPost(bob, { title: 'P', body: '' });
    const c = posts.comment(ann, p, 'c');
    for (const id of [r, p, c]) reactions.react(ann, id, '👀');
    for (const id of [r, p, c]) expect([...reactions.on(id)]).toEqual([['👀', [ann.id]]]);
    expect(reactions.on(t).size).toBe(0);
  });

  it('refuses what it cannot store, with plain errors', () => {
    const { reactions, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const r = discussion.reply(bob, t, 'r');
    discussion.remove(bob, r);
    const cases: [() => unknown, GroupErrorCode][] = [
      [() => reactions.react(ann, t, '💩'), 'bad-emoji'],
      [() => reactions.react(ann, t, ''), 'bad-emoji'],
      [() => reactions.react(eve, t, '👍'), 'not-a-member'],
      [() => reactions.react(ann, r, '👍'), 'deleted'],
      [() => reactions.react(ann, 'Q'.repeat(16), '👍'), 'not-found'],
      [() => reactions.unreact(ann, r, '👍'), 'deleted'],
    ];
    for (const [f, code] of cases) expect(codeOf(f)).toBe(code);
    expect(reactions.on(t).size).toBe(0);
  });

  it('verified() keeps only reactions validly signed by members', async () => {
    const { group, reactions, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    reactions.react(bob, t, '👍');
    reactions.react(ann, t, '🎉');
    const records = group.doc.getMap(RECORDS_MAP);
    const put = (r: SignedRecord): void => {
      records.set(r.sig, r);
    };
    // Bob signs a reaction claiming to be Ann's, and a newer version withdrawing Ann's 🎉.
    put(
      signRecord(bob, group.id, {
        kind: 'reaction',
        itemId: t,
        author: ann.id,
        emoji: '😂',
        on: true,
        v: 1,
        at: 1,
      }),
    );
    put(
      signRecord(bob, group.id, {
        kind: 'reaction',
        itemId: t,
        author: ann.id,
        emoji: '🎉',
        on: false,
        v: 2,
        at: 2,
      }),
    );
    // Eve, who never joined, signs her own.
    put(
      signRecord(eve, group.id, {
        kind: 'reaction',
        itemId: t,
        author: eve.id,
        emoji: '👀',
        on: true,
        v: 1,
        at: 3,
      }),
    );
    // Unchecked, a forgery in a new slot shows as it claims (the UI marks it as being
    // checked); one that would replace Ann's own checked version does not, until checked.
    expect(reactions.on(t).get('😂')).toEqual([ann.id]);
    expect(reactions.on(t).get('🎉')).toEqual([ann.id]);
    expect(reactions.on(t).has('👀')).toBe(false); // a stranger's key is known at once
    expect([...reactions.on(t, true)]).toEqual([
      ['👍', [bob.id]],
      ['🎉', [ann.id]],
    ]);
    const verified = await reactions.verified(t);
    expect([...verified]).toEqual([
      ['👍', [bob.id]],
      ['🎉', [ann.id]],
    ]);
    // Once checked, the plain read agrees.
    expect([...reactions.on(t)]).toEqual([...verified]);
  });
});
