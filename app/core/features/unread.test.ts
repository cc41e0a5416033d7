import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { GroupId } from '../crypto/keys.ts';
import { Group } from '../group/Group.ts';
import { PersonalState } from '../group/PersonalState.ts';
import { createIdentity } from '../identity/Identity.ts';
import { FEATURE_KINDS, featureList, featuresOf } from './registry.ts';
import { groupUnread, recentActivity, unreadCount } from './unread.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');

function setup(clock: () => number = counter()) {
  const group = Group.create({ name: 'G', me: ann, clock, kinds: FEATURE_KINDS });
  group.join(bob);
  return { group, ...featuresOf(group) };
}

function counter(): () => number {
  let t = 0;
  return () => (t += 10);
}

describe('PersonalState', () => {
  it('keeps markers in its own doc, moving only forward, and round-trips', () => {
    const personal = PersonalState.create(ann.id);
    const { group, discussion } = setup();
    const t = discussion.startThread(bob, { title: 'T', body: '' });
    personal.markRead(group.id, t, 50, t);
    personal.markRead(group.id, t, 20);
    expect(personal.get(group.id, t)).toEqual({ at: 50, lastId: t });
    // Nothing about reading was written into the group document.
    expect(JSON.stringify(group.doc.toJSON())).not.toContain('"at":50');
    expect(group.doc.share.has('reads')).toBe(false);

    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(personal.doc));
    const reopened = PersonalState.open(copy);
    expect(reopened.owner).toBe(ann.id);
    expect(reopened.get(group.id, t)).toEqual({ at: 50, lastId: t });
  });

  it('ignores malformed markers and reports changes', () => {
    const personal = PersonalState.create(ann.id);
    const g = 'g' as GroupId;
    let changes = 0;
    const off = personal.onChange(() => changes++);
    personal.doc.getMap('reads').set('g|t', { at: 'yesterday' });
    expect(personal.get(g, 't')).toBeUndefined();
    personal.markRead(g, 't', 5);
    expect(personal.get(g, 't')).toEqual({ at: 5 });
    off();
    personal.markRead(g, 't', 6);
    expect(changes).toBe(2);
  });
});

describe('unread counts', () => {
  it('counts newer answers not written by the reader, per conversation and per tab', () => {
    const f = setup();
    const { group, discussion, posts } = f;
    const personal = PersonalState.create(ann.id);
    const t = discussion.startThread(bob, { title: 'T', body: '' });
    const [conversation] = discussion.conversations();
    expect(unreadCount(conversation!, undefined, ann.id)).toBe(1);
    const r1 = discussion.reply(bob, t, 'one');
    discussion.reply(ann, t, 'mine');
    expect(unreadCount(conversation!, undefined, ann.id)).toBe(2);
    // Bob's own thread and reply do not count for Bob.
    expect(unreadCount(conversation!, undefined, bob.id)).toBe(1);
    const at = discussion.item(r1)!.createdAt;
    personal.markRead(group.id, t, at, r1);
    expect(unreadCount(conversation!, personal.get(group.id, t), ann.id)).toBe(0);
    const r3 = discussion.reply(bob, t, 'two');
    discussion.reply(bob, t, 'three');
    expect(unreadCount(conversation!, personal.get(group.id, t), ann.id)).toBe(2);
    discussion.remove(bob, r3);
    expect(unreadCount(conversation!, personal.get(group.id, t), ann.id)).toBe(1);

    const p = posts.createPost(bob, { title: 'P', body: '' });
    posts.comment(bob, p, 'c');
    const mine = posts.createPost(ann, { title: 'Mine', body: '' });
    const summary = groupUnread(group, featureList(f), personal, ann.id);
    expect(summary.total).toBe(3);
    expect([...summary.byParent].sort()).toEqual(
      [
        [t, 1],
        [p, 2],
      ].sort(),
    );
    expect(summary.byParent.has(mine)).toBe(false);
    expect([...summary.byTab].sort()).toEqual([
      ['posts', 2],
      ['threads', 1],
    ]);
    // A deleted conversation is no longer unread.
    discussion.remove(bob, t);
    expect(groupUnread(group, featureList(f), personal, ann.id).total).toBe(2);
  });
});

describe('recentActivity', () => {
  it('merges groups newest first and skips deleted items', async () => {
    const tick = counter();
    const a = setup(tick);
    const b = setup(tick);
    await a.group.setInfo(ann, { name: 'A' });
    await b.group.setInfo(ann, { name: 'B' });
    const t1 = a.discussion.startThread(ann, { title: 'a1', body: '' });
    const t2 = b.discussion.startThread(ann, { title: 'b1', body: '' });
    const r = a.discussion.reply(ann, t1, 'a2');
    const gone = b.discussion.reply(ann, t2, 'deleted');
    b.discussion.remove(ann, gone);
    const p = b.posts.createPost(bob, { title: 'news', body: '' });
    const groups = [a, b].map((g) => ({ group: g.group, features: featureList(g) }));
    const feed = recentActivity(groups, 10);
    expect(feed.map((e) => [e.groupName, e.item.id, e.item.action])).toEqual([
      ['B', p, 'posted “news”'],
      ['A', r, 'replied to “a1”'],
      ['B', t2, 'started “b1”'],
      ['A', t1, 'started “a1”'],
    ]);
    expect(feed[0]!.groupId).toBe(b.group.id);
    expect(recentActivity(groups, 1)).toHaveLength(1);
  });
});
