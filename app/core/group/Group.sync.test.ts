import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FEATURE_KINDS, featuresOf } from '../features/registry.ts';
import { createIdentity } from '../identity/Identity.ts';
import { Group, type GroupChange } from './Group.ts';
import { memberSlot } from './members.ts';
import { RECORDS_MAP } from './records.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function device(group: Group) {
  return { group, ...featuresOf(group) };
}

type Device = ReturnType<typeof device>;

const snapshot = ({ group, discussion, posts, reactions, pins }: Device): unknown =>
  JSON.parse(
    JSON.stringify({
      info: group.info(),
      members: group.members(),
      threads: discussion.threads(),
      replies: discussion.threads().map((t) => discussion.replies(t.id)),
      posts: posts.posts(),
      comments: posts.posts().map((p) => posts.comments(p.id)),
      reactions: discussion.threads().map((t) => [...reactions.on(t.id)]),
      pins: discussion.threads().map((t) => pins.isPinned(t.id)),
    }),
  );

describe('two devices syncing one group', () => {
  it('converge and verify on both sides, with a joiner that starts from an empty doc', async () => {
    const a = device(Group.create({ name: 'Family', me: ann, kinds: FEATURE_KINDS }));
    const t = a.discussion.startThread(ann, { title: 'Dinner?', body: 'Sunday' });

    // Bob joins from an invite: he knows only the group id until the first sync.
    const b = device(Group.open(new Y.Doc(), { groupId: a.group.id, kinds: FEATURE_KINDS }));
    b.group.join(bob, ann.id);
    expect(b.group.info()).toMatchObject({ name: 'Unnamed group', createdBy: undefined });
    expect(b.group.members().map((m) => m.name)).toEqual(['Bob']);
    const bChanges: GroupChange[] = [];
    b.group.onChange((c) => bChanges.push(c));
    sync(a.group.doc, b.group.doc);
    expect(bChanges.some((c) => c.items.has(t) && c.info && c.members)).toBe(true);
    expect(b.group.info()).toMatchObject({ name: 'Family', createdBy: ann.id });
    expect(b.group.member(bob.id)?.invitedBy).toBe(ann.id);
    expect(a.group.members().map((m) => m.name)).toEqual(['Ann', 'Bob']);

    // Concurrent work while offline.
    const r1 = a.discussion.reply(ann, t, 'Roast?');
    const r2 = b.discussion.reply(bob, t, 'Pasta!');
    const p = b.posts.createPost(bob, { title: 'Recipe', body: 'Boil water.' });
    a.reactions.react(ann, t, '🎉');
    b.reactions.react(bob, t, '🎉');
    a.discussion.edit(ann, t, { body: 'Sunday at 6' });
    b.pins.pin(bob, t, true);
    sync(a.group.doc, b.group.doc);

    const ids = [t, r1, r2, p, ann.id, bob.id];
    for (const d of [a, b]) {
      const status = await d.group.verify(ids);
      expect([...status.values()]).toEqual(ids.map(() => 'valid'));
    }
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(
      a.discussion
        .replies(t)
        .map((r) => r.id)
        .sort(),
    ).toEqual([r1, r2].sort());
    expect(b.discussion.thread(t)).toMatchObject({ body: 'Sunday at 6', replyCount: 2 });
    expect(a.pins.isPinned(t)).toBe(true);
    expect(a.reactions.on(t).get('🎉')?.sort()).toEqual([ann.id, bob.id].sort());
    expect(a.posts.post(p)).toMatchObject({ title: 'Recipe', authorName: 'Bob' });
    expect(a.posts.comments(p)).toEqual([]);
  });

  it('a reply that arrives before its thread is indexed, and counted once the thread arrives', () => {
    const a = device(Group.create({ name: 'G', me: ann, kinds: FEATURE_KINDS }));
    a.group.join(bob);
    // Device B has the members, not yet the thread.
    const b = device(Group.open(new Y.Doc(), { groupId: a.group.id, kinds: FEATURE_KINDS }));
    sync(a.group.doc, b.group.doc);
    const t = a.discussion.startThread(ann, { title: 'T', body: '' });
    // Bob's device has the thread and replies; device B hears from Bob's device first.
    const c = device(Group.open(new Y.Doc(), { groupId: a.group.id, kinds: FEATURE_KINDS }));
    sync(a.group.doc, c.group.doc);
    const r = c.discussion.reply(bob, t, 'early');
    Y.applyUpdate(
      b.group.doc,
      Y.encodeStateAsUpdate(c.group.doc, Y.encodeStateVector(a.group.doc)),
    );
    expect(b.discussion.thread(t)).toBeUndefined();
    expect(b.discussion.threads()).toEqual([]);
    expect(b.discussion.replies(t).map((x) => x.id)).toEqual([r]);
    Y.applyUpdate(b.group.doc, Y.encodeStateAsUpdate(a.group.doc));
    expect(b.discussion.threads().map((x) => x.id)).toEqual([t]);
    expect(b.discussion.thread(t)!.replyCount).toBe(1);
    expect(b.discussion.replies(t)[0]!.authorName).toBe('Bob');
  });

  it('the newest version wins and a tombstone ends an item, whatever order versions arrive in', () => {
    const a = device(Group.create({ name: 'G', me: ann, kinds: FEATURE_KINDS }));
    const t = a.discussion.startThread(ann, { title: 'v1', body: '' });
    const base = Y.encodeStateAsUpdate(a.group.doc);
    a.discussion.edit(ann, t, { title: 'v2' });
    a.discussion.edit(ann, t, { title: 'v3' });
    const r = a.discussion.reply(ann, t, 'gone soon');
    a.discussion.remove(ann, r);
    const [v3, v2] = a.group.versions(t);
    const [tombstone, live] = a.group.versions(r);
    expect([v3!.v, v2!.v, tombstone!.v, live!.v]).toEqual([3, 2, 2, 1]);

    // Another device receives the later versions one by one, newest first.
    const b = device(Group.open(new Y.Doc(), { groupId: a.group.id, kinds: FEATURE_KINDS }));
    Y.applyUpdate(b.group.doc, base);
    const records = b.group.doc.getMap(RECORDS_MAP);
    records.set(v3!.sig, v3);
    expect(b.discussion.thread(t)!.title).toBe('v3');
    records.set(v2!.sig, v2);
    expect(b.discussion.thread(t)!.title).toBe('v3');
    records.set(tombstone!.sig, tombstone);
    records.set(live!.sig, live);
    expect(b.discussion.replies(t).map((x) => [x.id, x.deleted, x.body])).toEqual([[r, true, '']]);
    expect(b.discussion.thread(t)!.replyCount).toBe(0);
    // And the normal way, all at once.
    const c = device(Group.open(new Y.Doc(), { groupId: a.group.id, kinds: FEATURE_KINDS }));
    sync(a.group.doc, c.group.doc);
    expect(snapshot(c)).toEqual(snapshot(b));
  });

  it('a record one device lost is put back by the other and reaches it again', () => {
    const a = device(Group.create({ name: 'G', me: ann, kinds: FEATURE_KINDS }));
    a.group.join(bob);
    const b = device(Group.open(new Y.Doc(), { groupId: a.group.id, kinds: FEATURE_KINDS }));
    sync(a.group.doc, b.group.doc);
    const sig = b.group.head(memberSlot(bob.id))!.sig;
    // A raw client (no kernel) deletes Bob's member record and syncs with A.
    const raw = new Y.Doc();
    Y.applyUpdate(raw, Y.encodeStateAsUpdate(a.group.doc));
    raw.getMap(RECORDS_MAP).delete(sig);
    sync(raw, a.group.doc);
    expect(a.group.doc.getMap(RECORDS_MAP).has(sig)).toBe(true);
    sync(a.group.doc, b.group.doc);
    sync(raw, a.group.doc);
    for (const doc of [a.group.doc, b.group.doc, raw]) {
      expect(doc.getMap(RECORDS_MAP).has(sig)).toBe(true);
    }
    expect(b.group.isMember(bob.id)).toBe(true);
  });
});
