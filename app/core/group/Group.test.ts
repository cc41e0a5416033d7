import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { GroupId } from '../crypto/keys.ts';
import { createIdentity, type Identity } from '../identity/Identity.ts';
import { deriveItemId, newNonce, signRecord } from './canonical.ts';
import { Group } from './Group.ts';
import { GroupError, type GroupErrorCode } from './GroupError.ts';
import { mentionCandidates } from './mentionCandidates.ts';
import type { GroupChange } from './views.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob Stone');
const eve = createIdentity('Eve');

function setup(): { group: Group; tick: () => number } {
  let t = 1_000_000;
  const clock = (): number => (t += 10);
  const group = Group.create({ name: 'Garden club', me: ann, clock, about: 'Plots and plans' });
  group.join(bob, ann.id);
  return { group, tick: clock };
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

/** Writes a record straight into the document, as a hostile or buggy peer could. */
function rawItem(group: Group, signer: Identity, fields: Record<string, unknown>): string {
  const author = (fields.author as Identity['id'] | undefined) ?? signer.id;
  const nonce = newNonce();
  const id = (fields.id as string | undefined) ?? deriveItemId(author, nonce);
  const record = signRecord(signer, group.id, {
    kind: 'thread',
    title: 'T',
    body: '',
    mentions: [],
    createdAt: 5,
    nonce,
    ...fields,
    id,
    author,
  });
  group.doc.getMap('items').set(id, record);
  return id;
}

describe('Group: creation and members', () => {
  it('stores versioned info and self-signed members', async () => {
    const { group } = setup();
    const info = group.info();
    expect(info).toMatchObject({
      schemaVersion: 1,
      name: 'Garden club',
      about: 'Plots and plans',
      createdBy: ann.id,
      groupId: group.id,
    });
    expect(group.members().map((m) => m.name)).toEqual(['Ann', 'Bob Stone']);
    expect(group.member(bob.id)?.invitedBy).toBe(ann.id);
    expect(group.member(bob.id)?.boxKey).toEqual(bob.box.publicKey);
    const status = await group.verify([ann.id, bob.id]);
    expect([...status.values()]).toEqual(['valid', 'valid']);
  });

  it('re-joining refreshes the name and keeps join time and inviter', () => {
    const { group } = setup();
    const before = group.member(bob.id)!;
    group.join({ ...bob, name: 'Bobby' });
    const after = group.member(bob.id)!;
    expect(after.name).toBe('Bobby');
    expect(after.joinedAt).toBe(before.joinedAt);
    expect(after.invitedBy).toBe(ann.id);
  });

  it('setInfo renames; non-members cannot', () => {
    const { group } = setup();
    group.setInfo(bob, { name: '  Allotment  ', about: 'x' });
    expect(group.info().name).toBe('Allotment');
    expect(codeOf(() => group.setInfo(eve, { name: 'Mine' }))).toBe('not-a-member');
    expect(codeOf(() => group.setInfo(ann, { name: ' ' }))).toBe('bad-name');
  });

  it('open checks the group id and the schema version', () => {
    const { group } = setup();
    expect(Group.open(group.doc).id).toBe(group.id);
    expect(codeOf(() => Group.open(group.doc, { groupId: 'A'.repeat(22) as GroupId }))).toBe(
      'wrong-group',
    );
    expect(codeOf(() => Group.open(new Y.Doc()))).toBe('no-group-id');
    const newer = new Y.Doc();
    newer.getMap('meta').set('schemaVersion', 99);
    expect(codeOf(() => Group.open(newer, { groupId: group.id }))).toBe('newer-schema');
  });
});

describe('Group: threads and replies', () => {
  it('lists threads pinned first, then by last activity; replies chronologically', () => {
    const { group } = setup();
    const t1 = group.startThread(ann, { title: 'Seeds', body: 'What to sow?' });
    const t2 = group.startThread(bob, { title: 'Tools', body: '' });
    const t3 = group.startThread(ann, { title: 'Rota', body: 'Who waters?' });
    expect(group.threads().map((t) => t.id)).toEqual([t3, t2, t1]);
    const r1 = group.reply(bob, t1, 'Beans');
    const r2 = group.reply(ann, t1, 'Peas', r1);
    expect(group.threads().map((t) => t.id)).toEqual([t1, t3, t2]);
    group.pin(bob, t2, true);
    expect(group.threads().map((t) => t.id)).toEqual([t2, t1, t3]);
    const replies = group.replies(t1);
    expect(replies.map((r) => [r.id, r.body, r.authorName])).toEqual([
      [r1, 'Beans', 'Bob Stone'],
      [r2, 'Peas', 'Ann'],
    ]);
    expect(replies[1]!.quoteOf).toBe(r1);
    const thread = group.thread(t1)!;
    expect(thread).toMatchObject({ title: 'Seeds', replyCount: 2, pinned: false });
    expect(thread.lastActivity).toBe(replies[1]!.createdAt);
    group.pin(ann, t2, false);
    expect(group.thread(t2)!.pinned).toBe(false);
  });

  it('validates input with plain errors', () => {
    const { group } = setup();
    const t = group.startThread(ann, { title: 'T', body: '' });
    const p = group.createPost(ann, { title: 'P', body: 'b' });
    const cases: [() => unknown, GroupErrorCode][] = [
      [() => group.startThread(eve, { title: 'x', body: '' }), 'not-a-member'],
      [() => group.startThread(ann, { title: '   ', body: '' }), 'empty'],
      [() => group.startThread(ann, { title: 'x'.repeat(201), body: '' }), 'too-long'],
      [() => group.reply(ann, t, '  \n '), 'empty'],
      [() => group.reply(ann, t, 'x'.repeat(20_001)), 'too-long'],
      [() => group.reply(ann, 'A'.repeat(16), 'hi'), 'not-found'],
      [() => group.reply(ann, p, 'hi'), 'not-found'],
      [() => group.reply(ann, t, 'hi', 'B'.repeat(16)), 'bad-quote'],
      [() => group.comment(ann, t, 'hi'), 'not-found'],
      [() => group.react(ann, t, '💩'), 'bad-emoji'],
      [() => group.pin(ann, group.reply(ann, t, 'r'), true), 'wrong-kind'],
    ];
    for (const [f, code] of cases) expect(codeOf(f)).toBe(code);
  });

  it('quotes only within the same thread', () => {
    const { group } = setup();
    const t1 = group.startThread(ann, { title: 'A', body: '' });
    const t2 = group.startThread(ann, { title: 'B', body: '' });
    const r = group.reply(ann, t1, 'x');
    expect(codeOf(() => group.reply(ann, t2, 'y', r))).toBe('bad-quote');
  });
});

describe('Group: edit and delete', () => {
  it('only the author edits; an edit is a new signed version', async () => {
    const { group } = setup();
    const t = group.startThread(ann, { title: 'Old', body: 'old body' });
    expect(codeOf(() => group.edit(bob, t, { body: 'hijack' }))).toBe('not-author');
    group.edit(ann, t, { title: 'New', body: 'new body @bob stone' });
    const view = group.thread(t)!;
    expect(view).toMatchObject({ title: 'New', body: 'new body @bob stone', mentions: [bob.id] });
    expect(view.editedAt).toBeGreaterThan(view.createdAt);
    expect((await group.verify([t])).get(t)).toBe('valid');
    const r = group.reply(bob, t, 'x');
    expect(codeOf(() => group.edit(bob, r, { title: 'no' }))).toBe('wrong-kind');
  });

  it('only the author deletes; the tombstone keeps the reply in place', async () => {
    const { group } = setup();
    const t = group.startThread(ann, { title: 'T', body: '' });
    const r1 = group.reply(bob, t, 'first');
    const r2 = group.reply(ann, t, 'second');
    expect(codeOf(() => group.remove(ann, r1))).toBe('not-author');
    group.remove(bob, r1);
    group.remove(bob, r1);
    const replies = group.replies(t);
    expect(replies.map((r) => [r.id, r.deleted, r.body])).toEqual([
      [r1, true, ''],
      [r2, false, 'second'],
    ]);
    expect(group.thread(t)!.replyCount).toBe(1);
    expect(codeOf(() => group.edit(bob, r1, { body: 'back' }))).toBe('deleted');
    expect(codeOf(() => group.react(ann, r1, '👍'))).toBe('deleted');
    expect((await group.verify([r1])).get(r1)).toBe('valid');
    group.remove(ann, t);
    expect(group.threads()).toEqual([]);
    expect(group.thread(t)?.deleted).toBe(true);
  });
});

describe('Group: posts, comments, reactions, mentions', () => {
  it('posts and comments mirror threads and replies', () => {
    const { group } = setup();
    const p = group.createPost(bob, { title: 'Harvest report', body: '# Big\n\nLots of squash.' });
    const c1 = group.comment(ann, p, 'Great!');
    const c2 = group.comment(bob, p, 'Thanks', c1);
    expect(group.posts().map((x) => [x.id, x.commentCount])).toEqual([[p, 2]]);
    expect(group.comments(p).map((c) => c.id)).toEqual([c1, c2]);
    expect(group.comments(p)[1]!.quoteOf).toBe(c1);
    expect(group.replies(p)).toEqual([]);
    expect(group.threads()).toEqual([]);
  });

  it('reactions: fixed emoji set, one per member and emoji, withdrawable', () => {
    const { group } = setup();
    const t = group.startThread(ann, { title: 'T', body: '' });
    group.react(ann, t, '🎉');
    group.react(bob, t, '👍');
    group.react(ann, t, '👍');
    group.react(ann, t, '👍');
    group.react(bob, t, '❤');
    expect([...group.reactions(t)]).toEqual([
      ['👍', [bob.id, ann.id]],
      ['❤️', [bob.id]],
      ['🎉', [ann.id]],
    ]);
    group.unreact(bob, t, '👍');
    expect(group.reactions(t).get('👍')).toEqual([ann.id]);
  });

  it('resolves @mentions to member ids at write time', () => {
    const { group } = setup();
    const t = group.startThread(ann, { title: 'T', body: 'Hi @Bob Stone and @nobody, `@Ann`' });
    const view = group.thread(t)!;
    expect(view.mentions).toEqual([bob.id]);
    expect(group.mentionTargets(view)).toEqual([{ id: bob.id, name: 'Bob Stone' }]);
  });

  it('mentionCandidates matches name starts and word starts', () => {
    const { group } = setup();
    group.join(createIdentity('Annabel'));
    group.join(createIdentity('Jo Stoner'));
    expect(mentionCandidates(group, '@an').map((m) => m.name)).toEqual(['Ann', 'Annabel']);
    expect(mentionCandidates(group, 'sto').map((m) => m.name)).toEqual(['Bob Stone', 'Jo Stoner']);
    expect(mentionCandidates(group, '').length).toBe(4);
    expect(mentionCandidates(group, 'zz')).toEqual([]);
  });
});

describe('Group: onChange', () => {
  it('fires once per transaction with the changed ids and their parents', () => {
    const { group } = setup();
    const t = group.startThread(ann, { title: 'T', body: '' });
    const seen: GroupChange[] = [];
    const off = group.onChange((c) => seen.push(c));
    const r = group.reply(bob, t, 'x');
    expect(seen).toHaveLength(1);
    expect([...seen[0]!.items].sort()).toEqual([r, t].sort());
    group.react(ann, r, '👀');
    expect([...seen[1]!.items]).toEqual([r]);
    group.join({ ...bob, name: 'Robert' });
    expect(seen[2]).toMatchObject({ members: true, info: false });
    group.setInfo(ann, { about: 'new' });
    expect(seen[3]).toMatchObject({ info: true, members: false });
    group.doc.transact(() => {
      group.startThread(ann, { title: 'a', body: '' });
      group.startThread(ann, { title: 'b', body: '' });
    });
    expect(seen).toHaveLength(5);
    expect(seen[4]!.items.size).toBe(2);
    off();
    group.startThread(ann, { title: 'c', body: '' });
    expect(seen).toHaveLength(5);
  });

  it('a throwing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const group = Group.create({ name: 'G', me: ann, onListenerError: (e) => errors.push(e) });
    let called = 0;
    group.onChange(() => {
      throw new Error('boom');
    });
    group.onChange(() => called++);
    group.startThread(ann, { title: 'T', body: '' });
    expect(called).toBe(1);
    expect(errors).toHaveLength(1);
  });
});

describe('Group: signatures and membership', () => {
  it('valid, forged, not-a-member, hijacked, replayed', async () => {
    const { group } = setup();
    const own = group.startThread(ann, { title: 'Mine', body: '' });
    // Bob (a member) writes a thread that claims Ann as its author.
    const forged = rawItem(group, bob, { author: ann.id, title: 'Ann says' });
    // Eve never joined but signs correctly with her own key.
    const outsider = rawItem(group, eve, { title: 'Hello from outside' });
    // Bob overwrites Ann's thread with a record he signs as himself.
    const target = group.startThread(ann, { title: 'Original', body: '' });
    rawItem(group, bob, { id: target, title: 'Taken over' });
    // A record Ann signed for another group, copied in.
    const other = Group.create({ name: 'Other', me: ann });
    const elsewhere = other.startThread(ann, { title: 'Elsewhere', body: '' });
    group.doc.getMap('items').set(elsewhere, other.doc.getMap('items').get(elsewhere));
    // Bob edits a record but keeps Ann's old signature.
    const tampered = group.startThread(ann, { title: 'Before', body: '' });
    const items = group.doc.getMap('items');
    items.set(tampered, { ...(items.get(tampered) as object), title: 'After' });

    const status = await group.verify([
      own,
      forged,
      outsider,
      target,
      elsewhere,
      tampered,
      'X'.repeat(16),
    ]);
    expect(Object.fromEntries(status)).toEqual({
      [own]: 'valid',
      [forged]: 'forged',
      [outsider]: 'not-a-member',
      [target]: 'forged',
      [elsewhere]: 'forged',
      [tampered]: 'forged',
      ['X'.repeat(16)]: 'unknown',
    });
    // Reads still show them (with a warning in the UI), never crash.
    expect(group.thread(forged)?.authorName).toBe('Ann');
    expect(group.thread(outsider)?.authorName).toBeNull();
  });

  it('a member record with a bad signature makes its author not-a-member', async () => {
    const { group } = setup();
    const t = group.startThread(bob, { title: 'T', body: '' });
    const members = group.doc.getMap('members');
    members.set(bob.id, { ...(members.get(bob.id) as object), name: 'Bob the Great' });
    const status = await group.verify([t, bob.id]);
    expect(status.get(t)).toBe('not-a-member');
    expect(status.get(bob.id)).toBe('forged');
  });

  it('verifiedReactions drops forged and outsider reactions', async () => {
    const { group } = setup();
    const t = group.startThread(ann, { title: 'T', body: '' });
    group.react(bob, t, '👍');
    const reactions = group.doc.getMap('reactions');
    const fake = signRecord(bob, group.id, {
      kind: 'reaction',
      itemId: t,
      author: ann.id,
      emoji: '👍',
      on: true,
      at: 1,
    });
    reactions.set(`${t}|${ann.id}|👍`, fake);
    const outsider = signRecord(eve, group.id, {
      kind: 'reaction',
      itemId: t,
      author: eve.id,
      emoji: '🎉',
      on: true,
      at: 2,
    });
    reactions.set(`${t}|${eve.id}|🎉`, outsider);
    expect(group.reactions(t).get('👍')).toHaveLength(2);
    const verified = await group.verifiedReactions(t);
    expect([...verified]).toEqual([['👍', [bob.id]]]);
  });
});

describe('Group: hostile records', () => {
  it('ignores records of the wrong shape without crashing', () => {
    const { group } = setup();
    const good = group.startThread(ann, { title: 'Good', body: '' });
    const items = group.doc.getMap('items');
    const base = items.get(good) as Record<string, unknown>;
    const id = (n: number): string => `${'h'.repeat(15)}${n}`;
    const hostile: [string, unknown][] = [
      [id(0), 'a string'],
      [id(1), 42],
      [id(2), null],
      [id(3), ['array']],
      [id(4), { ...base, id: id(4), kind: 'poll' }],
      [id(5), { ...base, id: id(5), title: 7 }],
      [id(6), { ...base, id: id(6), title: 'x'.repeat(100_000) }],
      [id(7), { ...base, id: id(7), createdAt: -1 }],
      [id(8), { ...base, id: id(8), createdAt: 1.5 }],
      [id(9), { ...base, id: 'mismatch________' }],
      [`${id(1)}0`, { ...base, id: `${id(1)}0` }],
      [id(11), { ...base, id: id(11), mentions: ['not a member id'] }],
      [id(12), { ...base, id: id(12), deleted: 'yes', deletedAt: 1 }],
      [id(13), { ...base, id: id(13), deleted: true, deletedAt: 1 }],
      [id(14), { ...base, id: id(14), kind: 'reply', threadId: 'short' }],
      [id(15), { ...base, id: id(15), sig: 'short' }],
      [id(16), new Y.Map()],
      [id(17), Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]))],
      [id(18), { ...base, id: id(18), kind: 'post', sharedFrom: { groupId: 'x' } }],
    ];
    group.doc.transact(() => {
      for (const [k, v] of hostile) items.set(k, v);
      group.doc.getMap('members').set('junk', { kind: 'member', id: 'junk' });
      group.doc.getMap('reactions').set('junk|x|👍', { kind: 'reaction' });
      group.doc.getMap('pins').set(good, { kind: 'pin', itemId: good, pinned: 'yes' });
      group.doc.getMap('meta').set('name', { evil: true });
    });
    expect(group.threads().map((t) => t.id)).toEqual([good]);
    for (const [k] of hostile) expect(group.item(k)).toBeUndefined();
    expect(group.members()).toHaveLength(2);
    expect(group.reactions(good).size).toBe(0);
    expect(group.thread(good)!.pinned).toBe(false);
    expect(group.info().name).toBe('Unnamed group');
    expect(group.recent()).toHaveLength(1);
  });

  it('drops an item from the indexes when a valid record is replaced by junk', () => {
    const { group } = setup();
    const t = group.startThread(ann, { title: 'T', body: '' });
    const r = group.reply(bob, t, 'x');
    group.doc.getMap('items').set(r, 'junk');
    expect(group.replies(t)).toEqual([]);
    expect(group.thread(t)!.replyCount).toBe(0);
  });
});
