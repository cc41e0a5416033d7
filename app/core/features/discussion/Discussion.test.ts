import { describe, expect, it } from 'vitest';
import { Group } from '../../group/Group.ts';
import type { GroupErrorCode } from '../../group/GroupError.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import { codeOf } from '../testing.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob Stone');
const eve = createIdentity('Eve'); // never joins

function setup() {
  let t = 1_000_000;
  const group = Group.create({
    name: 'Garden club',
    me: ann,
    clock: () => (t += 10),
    kinds: FEATURE_KINDS,
  });
  group.join(bob, ann.id);
  return { group, ...featuresOf(group) };
}

describe('Discussion: threads and replies', () => {
  it('lists threads by last activity, replies oldest first', () => {
    const { discussion } = setup();
    const t1 = discussion.startThread(ann, { title: 'Seeds', body: 'What to sow?' });
    const t2 = discussion.startThread(bob, { title: 'Tools', body: '' });
    const t3 = discussion.startThread(ann, { title: 'Rota', body: 'Who waters?' });
    expect(discussion.threads().map((t) => t.id)).toEqual([t3, t2, t1]);
    const r1 = discussion.reply(bob, t1, 'Beans');
    const r2 = discussion.reply(ann, t1, 'Peas', r1);
    expect(discussion.threads().map((t) => t.id)).toEqual([t1, t3, t2]);
    const replies = discussion.replies(t1);
    expect(replies.map((r) => [r.id, r.kind, r.threadId, r.body, r.authorName])).toEqual([
      [r1, 'reply', t1, 'Beans', 'Bob Stone'],
      [r2, 'reply', t1, 'Peas', 'Ann'],
    ]);
    expect(replies[0]!.quoteOf).toBeUndefined();
    expect(replies[1]!.quoteOf).toBe(r1);
    expect(replies[1]!.createdAt).toBeGreaterThan(replies[0]!.createdAt);
    const thread = discussion.thread(t1)!;
    expect(thread).toMatchObject({
      kind: 'thread',
      title: 'Seeds',
      body: 'What to sow?',
      author: ann.id,
      authorName: 'Ann',
      replyCount: 2,
      deleted: false,
      status: 'valid',
    });
    expect(thread.editedAt).toBeUndefined();
    expect(thread.lastActivity).toBe(replies[1]!.createdAt);
    expect(discussion.thread(t2)!.lastActivity).toBe(discussion.thread(t2)!.createdAt);
    expect(discussion.item(r1)).toEqual(replies[0]);
    expect(discussion.item(t1)).toEqual(thread);
    expect(discussion.replies(t2)).toEqual([]);
  });

  it('validates input with plain errors', () => {
    const { discussion, posts } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const p = posts.createPost(ann, { title: 'P', body: 'b' });
    const r = discussion.reply(bob, t, 'r');
    const cases: [() => unknown, GroupErrorCode][] = [
      [() => discussion.startThread(eve, { title: 'x', body: '' }), 'not-a-member'],
      [() => discussion.startThread(ann, { title: '   ', body: '' }), 'empty'],
      [() => discussion.startThread(ann, { title: 'x'.repeat(201), body: '' }), 'too-long'],
      [() => discussion.startThread(ann, { title: 'x', body: 'x'.repeat(20_001) }), 'too-long'],
      [() => discussion.reply(eve, t, 'hi'), 'not-a-member'],
      [() => discussion.reply(ann, t, '  \n '), 'empty'],
      [() => discussion.reply(ann, t, 'x'.repeat(20_001)), 'too-long'],
      [() => discussion.reply(ann, 'A'.repeat(16), 'hi'), 'not-found'],
      [() => discussion.reply(ann, p, 'hi'), 'not-found'],
      [() => discussion.reply(ann, r, 'a reply to a reply'), 'not-found'],
      [() => discussion.reply(ann, t, 'hi', 'B'.repeat(16)), 'bad-quote'],
      [() => discussion.reply(ann, t, 'hi', t), 'bad-quote'],
      [() => discussion.edit(ann, p, { body: 'not a discussion item' }), 'not-found'],
      [() => discussion.edit(bob, r, { title: 'no' }), 'wrong-kind'],
      [() => discussion.edit(bob, r, { body: ' ' }), 'empty'],
    ];
    for (const [f, code] of cases) expect(codeOf(f)).toBe(code);
    // Nothing was written by the refused calls.
    expect(discussion.threads().map((x) => x.id)).toEqual([t]);
    expect(discussion.replies(t).map((x) => x.body)).toEqual(['r']);
    // A thread's body may be empty, and surrounding blank lines and trailing spaces go.
    const empty = discussion.startThread(ann, {
      title: '  Spaced   out  ',
      body: '\n\n  hi  \n\n',
    });
    expect(discussion.thread(empty)).toMatchObject({ title: 'Spaced out', body: '  hi' });
  });

  it('quotes only within the same thread', () => {
    const { discussion } = setup();
    const t1 = discussion.startThread(ann, { title: 'A', body: '' });
    const t2 = discussion.startThread(ann, { title: 'B', body: '' });
    const r = discussion.reply(ann, t1, 'x');
    expect(codeOf(() => discussion.reply(ann, t2, 'y', r))).toBe('bad-quote');
    expect(codeOf(() => discussion.reply(bob, t1, 'y', r))).toBe('ok');
  });

  it('resolves @mentions to member ids at write time, skipping code', () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, {
      title: 'T',
      body: 'Hi @Bob Stone and @nobody, `@Ann`',
    });
    expect(discussion.thread(t)!.mentions).toEqual([bob.id]);
    const r = discussion.reply(bob, t, '@ann, see above');
    expect(discussion.item(r)!.mentions).toEqual([ann.id]);
    // A later rename does not change whom an old text mentioned.
    group.join({ ...bob, name: 'Robert' });
    expect(discussion.thread(t)!.mentions).toEqual([bob.id]);
    const later = discussion.reply(ann, t, '@Bob Stone?');
    expect(discussion.item(later)!.mentions).toEqual([]);
  });
});

describe('Discussion: edit and delete', () => {
  it('only the author edits; an edit is a new signed version', async () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'Old', body: 'old body' });
    expect(codeOf(() => discussion.edit(bob, t, { body: 'hijack' }))).toBe('not-author');
    expect(codeOf(() => discussion.edit(eve, t, { body: 'hijack' }))).toBe('not-a-member');
    discussion.edit(ann, t, { title: 'New', body: 'new body @bob stone' });
    const view = discussion.thread(t)!;
    expect(view).toMatchObject({ title: 'New', body: 'new body @bob stone', mentions: [bob.id] });
    expect(view.editedAt).toBeGreaterThan(view.createdAt);
    expect(group.versions(t).map((r) => r.v)).toEqual([2, 1]);
    // Editing only the title keeps the body, and the other way round.
    discussion.edit(ann, t, { title: 'Newer' });
    expect(discussion.thread(t)).toMatchObject({ title: 'Newer', body: 'new body @bob stone' });
    discussion.edit(ann, t, { body: '' });
    expect(discussion.thread(t)).toMatchObject({ title: 'Newer', body: '', mentions: [] });
    expect(discussion.thread(t)!.createdAt).toBe(view.createdAt);
    expect((await group.verify([t])).get(t)).toBe('valid');

    const r = discussion.reply(bob, t, 'x');
    discussion.edit(bob, r, { body: 'y' });
    expect(discussion.replies(t).map((x) => [x.body, x.editedAt !== undefined])).toEqual([
      ['y', true],
    ]);
  });

  it('only the author deletes; a deleted reply stays in place as a tombstone', async () => {
    const { group, discussion, reactions } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const r1 = discussion.reply(bob, t, 'first');
    const r2 = discussion.reply(ann, t, 'second', r1);
    expect(codeOf(() => discussion.remove(ann, r1))).toBe('not-author');
    discussion.remove(bob, r1);
    const versions = group.versions(r1).length;
    discussion.remove(bob, r1); // deleting twice writes nothing
    expect(group.versions(r1)).toHaveLength(versions);
    expect(discussion.replies(t).map((r) => [r.id, r.deleted, r.body])).toEqual([
      [r1, true, ''],
      [r2, false, 'second'],
    ]);
    expect(discussion.item(r1)).toMatchObject({ deleted: true, body: '', mentions: [] });
    expect(discussion.item(r1)!.editedAt).toBeUndefined();
    expect(discussion.thread(t)!.replyCount).toBe(1);
    expect(codeOf(() => discussion.edit(bob, r1, { body: 'back' }))).toBe('deleted');
    expect(codeOf(() => reactions.react(ann, r1, '👍'))).toBe('deleted');
    expect((await group.verify([r1])).get(r1)).toBe('valid');

    discussion.remove(ann, t);
    expect(discussion.threads()).toEqual([]);
    expect(discussion.thread(t)).toMatchObject({ deleted: true, title: '', body: '' });
    expect(codeOf(() => discussion.reply(bob, t, 'late'))).toBe('deleted');
    // The replies of a deleted thread are still there for anyone who opens it.
    expect(discussion.replies(t).map((r) => r.id)).toEqual([r1, r2]);
    expect(codeOf(() => discussion.remove(ann, 'Z'.repeat(16)))).toBe('not-found');
  });
});

describe('Discussion: conversations and activity', () => {
  it('counts live replies after a time, not written by the reader', () => {
    const { discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const r1 = discussion.reply(bob, t, 'one');
    discussion.reply(ann, t, 'mine');
    const r3 = discussion.reply(bob, t, 'three');
    const at = discussion.item(r1)!.createdAt;
    expect(discussion.countSince(t, -1, ann.id)).toBe(2);
    expect(discussion.countSince(t, at, ann.id)).toBe(1);
    expect(discussion.countSince(t, at)).toBe(2);
    discussion.remove(bob, r3);
    expect(discussion.countSince(t, at, ann.id)).toBe(0);
    const [c] = discussion.conversations();
    expect(c).toMatchObject({ id: t, author: ann.id, tab: 'threads' });
    expect(c!.countSince(-1, ann.id)).toBe(1);
  });

  it('recent lists starts and replies, newest first, without deleted ones', () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'Seed swap', body: '' });
    const r = discussion.reply(bob, t, 'Beans');
    const gone = discussion.reply(bob, t, 'Oops');
    discussion.remove(bob, gone);
    const feed = discussion.recent(10);
    expect(feed.map((a) => [a.id, a.authorName, a.action])).toEqual([
      [r, 'Bob Stone', 'replied to “Seed swap”'],
      [t, 'Ann', 'started “Seed swap”'],
    ]);
    expect(feed[0]!.place).toEqual({ route: 'thread', params: { groupId: group.id, threadId: t } });
    expect(discussion.recent(1).map((a) => a.id)).toEqual([r]);
    discussion.remove(ann, t);
    expect(discussion.recent(10)).toEqual([]);
  });
});
