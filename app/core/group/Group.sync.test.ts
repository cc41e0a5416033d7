import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createIdentity } from '../identity/Identity.ts';
import { Group } from './Group.ts';
import type { GroupChange } from './views.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

const snapshot = (g: Group): unknown => ({
  info: g.info(),
  members: g.members(),
  threads: g.threads(),
  replies: g.threads().map((t) => g.replies(t.id)),
  posts: g.posts(),
  comments: g.posts().map((p) => g.comments(p.id)),
});

describe('two devices syncing one group', () => {
  it('converge and verify on both sides, with a joiner that starts from an empty doc', async () => {
    const a = Group.create({ name: 'Family', me: ann });
    const t = a.startThread(ann, { title: 'Dinner?', body: 'Sunday' });

    // Bob joins from an invite: he knows only the group id until the first sync.
    const b = Group.open(new Y.Doc(), { groupId: a.id });
    b.join(bob, ann.id);
    expect(b.info().schemaVersion).toBeUndefined();
    const bChanges: GroupChange[] = [];
    b.onChange((c) => bChanges.push(c));
    sync(a.doc, b.doc);
    expect(bChanges.some((c) => c.items.has(t) && c.info)).toBe(true);
    expect(b.info().name).toBe('Family');

    // Concurrent work while offline.
    const r1 = a.reply(ann, t, 'Roast?');
    const r2 = b.reply(bob, t, 'Pasta!');
    const p = b.createPost(bob, { title: 'Recipe', body: 'Boil water.' });
    a.react(ann, t, '🎉');
    b.react(bob, t, '🎉');
    a.edit(ann, t, { body: 'Sunday at 6' });
    b.pin(bob, t, true);
    sync(a.doc, b.doc);

    expect(snapshot(a)).toEqual(snapshot(b));
    expect(
      a
        .replies(t)
        .map((r) => r.id)
        .sort(),
    ).toEqual([r1, r2].sort());
    expect(a.thread(t)).toMatchObject({ body: 'Sunday at 6', pinned: true, replyCount: 2 });
    expect(a.reactions(t).get('🎉')?.sort()).toEqual([ann.id, bob.id].sort());
    expect(a.comments(p)).toEqual([]);

    const ids = [t, r1, r2, p, ann.id, bob.id];
    for (const g of [a, b]) {
      const status = await g.verify(ids);
      expect([...status.values()]).toEqual(ids.map(() => 'valid'));
    }
  });

  it('a reply that arrives before its thread is indexed, and counted once the thread arrives', () => {
    const a = Group.create({ name: 'G', me: ann });
    a.join(bob);
    const t = a.startThread(ann, { title: 'T', body: '' });
    // Bob's device has the thread and replies; device B hears from Bob's device first.
    const c = Group.open(new Y.Doc(), { groupId: a.id });
    sync(a.doc, c.doc);
    const r = c.reply(bob, t, 'early');
    const b = Group.open(new Y.Doc(), { groupId: a.id });
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(a.doc)));
    expect(b.thread(t)).toBeUndefined();
    expect(b.threads()).toEqual([]);
    expect(b.replies(t).map((x) => x.id)).toEqual([r]);
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    expect(b.threads().map((x) => x.id)).toEqual([t]);
    expect(b.thread(t)!.replyCount).toBe(1);
  });
});
