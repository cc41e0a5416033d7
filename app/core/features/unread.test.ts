import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createIdentity } from '../identity/Identity.ts';
import { Group } from './Group.ts';
import { groupUnread, PersonalState, recentActivity, unreadCount } from './ReadState.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');

function setup(): Group {
  let t = 0;
  const group = Group.create({ name: 'G', me: ann, clock: () => (t += 10) });
  group.join(bob);
  return group;
}

describe('PersonalState', () => {
  it('keeps markers in its own doc, moving only forward, and round-trips', () => {
    const personal = PersonalState.create(ann.id);
    const group = setup();
    const t = group.startThread(bob, { title: 'T', body: '' });
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
    let changes = 0;
    const off = personal.onChange(() => changes++);
    personal.doc.getMap('reads').set('g|t', { at: 'yesterday' });
    expect(personal.get('g' as never, 't')).toBeUndefined();
    personal.markRead('g' as never, 't', 5);
    expect(personal.get('g' as never, 't')).toEqual({ at: 5 });
    off();
    personal.markRead('g' as never, 't', 6);
    expect(changes).toBe(2);
  });
});

describe('unread counts', () => {
  it('counts newer replies not written by the reader', () => {
    const group = setup();
    const personal = PersonalState.create(ann.id);
    const t = group.startThread(bob, { title: 'T', body: '' });
    expect(unreadCount(group, t, undefined, ann.id)).toBe(1);
    const r1 = group.reply(bob, t, 'one');
    group.reply(ann, t, 'mine');
    expect(unreadCount(group, t, undefined, ann.id)).toBe(2);
    const at = group.item(r1)!.createdAt;
    personal.markRead(group.id, t, at, r1);
    expect(unreadCount(group, t, personal.get(group.id, t), ann.id)).toBe(0);
    const r3 = group.reply(bob, t, 'two');
    group.reply(bob, t, 'three');
    expect(unreadCount(group, t, personal.get(group.id, t), ann.id)).toBe(2);
    group.remove(bob, r3);
    expect(unreadCount(group, t, personal.get(group.id, t), ann.id)).toBe(1);

    const p = group.createPost(bob, { title: 'P', body: '' });
    group.comment(bob, p, 'c');
    const summary = groupUnread(group, personal, ann.id);
    expect(summary.total).toBe(3);
    expect([...summary.byParent]).toEqual(
      expect.arrayContaining([
        [t, 1],
        [p, 2],
      ]),
    );
  });
});

describe('recentActivity', () => {
  it('merges groups newest first and skips deleted items', () => {
    let clock = 0;
    const tick = (): number => (clock += 10);
    const a = Group.create({ name: 'A', me: ann, clock: tick });
    const b = Group.create({ name: 'B', me: ann, clock: tick });
    const t1 = a.startThread(ann, { title: 'a1', body: '' });
    const t2 = b.startThread(ann, { title: 'b1', body: '' });
    const r = a.reply(ann, t1, 'a2');
    const gone = b.reply(ann, t2, 'deleted');
    b.remove(ann, gone);
    const feed = recentActivity([a, b], 10);
    expect(feed.map((e) => [e.groupName, e.item.id])).toEqual([
      ['A', r],
      ['B', t2],
      ['A', t1],
    ]);
    expect(recentActivity([a, b], 1)).toHaveLength(1);
  });
});
