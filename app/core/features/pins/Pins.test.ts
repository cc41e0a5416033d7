import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Group } from '../../group/Group.ts';
import type { GroupErrorCode } from '../../group/GroupError.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import { codeOf, groupOfTwo } from '../testing.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const eve = createIdentity('Eve'); // never joins

const setup = () => groupOfTwo(ann, bob);

describe('Pins', () => {
  it('any member pins or unpins a thread or post for everyone; lists put pinned items first', () => {
    const { pins, discussion, posts } = setup();
    const t1 = discussion.startThread(ann, { title: 'A', body: '' });
    const t2 = discussion.startThread(bob, { title: 'B', body: '' });
    const t3 = discussion.startThread(ann, { title: 'C', body: '' });
    expect(discussion.threads().map((t) => t.id)).toEqual([t3, t2, t1]);
    expect(pins.isPinned(t1)).toBe(false);
    expect(pins.pinnedBy(t1)).toBeUndefined();

    pins.pin(bob, t1, true);
    expect(pins.isPinned(t1)).toBe(true);
    expect(pins.pinnedBy(t1)).toBe(bob.id);
    expect(pins.pinnedFirst(discussion.threads()).map((t) => t.id)).toEqual([t1, t3, t2]);
    pins.pin(ann, t2, true);
    // Each part keeps its own order.
    expect(pins.pinnedFirst(discussion.threads()).map((t) => t.id)).toEqual([t2, t1, t3]);
    // The id-only list (what list screens page through) keeps the same order.
    expect(pins.pinnedFirstIds(discussion.threadIds())).toEqual([t2, t1, t3]);

    // Ann may unpin what Bob pinned; the newest version wins.
    pins.pin(ann, t1, false);
    expect(pins.isPinned(t1)).toBe(false);
    expect(pins.pinnedBy(t1)).toBeUndefined();
    pins.pin(bob, t1, true);
    expect(pins.pinnedBy(t1)).toBe(bob.id);

    const p = posts.createPost(ann, { title: 'P', body: '' });
    pins.pin(ann, p, true);
    expect(pins.pinnedFirst(posts.posts()).map((x) => x.id)).toEqual([p]);
    expect(pins.pinnedFirstIds(posts.postIds())).toEqual([p]);
    expect(pins.isPinned(p)).toBe(true);
  });

  it('refuses what cannot be pinned, with plain errors', () => {
    const { pins, discussion, posts } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const r = discussion.reply(bob, t, 'r');
    const p = posts.createPost(ann, { title: 'P', body: '' });
    const c = posts.comment(bob, p, 'c');
    const gone = discussion.startThread(ann, { title: 'Gone', body: '' });
    discussion.remove(ann, gone);
    const cases: [() => unknown, GroupErrorCode][] = [
      [() => pins.pin(ann, r, true), 'wrong-kind'],
      [() => pins.pin(ann, c, true), 'wrong-kind'],
      [() => pins.pin(ann, gone, true), 'deleted'],
      [() => pins.pin(ann, 'N'.repeat(16), true), 'not-found'],
      [() => pins.pin(eve, t, true), 'not-a-member'],
    ];
    for (const [f, code] of cases) expect(codeOf(f)).toBe(code);
    for (const id of [t, r, p, c, gone]) expect(pins.isPinned(id)).toBe(false);
  });

  it('concurrent pins and unpins on two devices settle the same way on both', async () => {
    const a = setup();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.group.doc));
    const t = a.discussion.startThread(ann, { title: 'T', body: '' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.group.doc));
    const bGroup = Group.open(doc, { groupId: a.group.id, kinds: FEATURE_KINDS });
    const b = featuresOf(bGroup);
    // Offline, Ann pins and Bob unpins: both write version 1 of the same slot.
    a.pins.pin(ann, t, true);
    b.pins.pin(bob, t, false);
    const sync = (): void => {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.group.doc, Y.encodeStateVector(doc)));
      Y.applyUpdate(a.group.doc, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(a.group.doc)));
    };
    sync();
    // Each device shows its own checked version until it has checked the other's.
    await Promise.all([a.group.verify([`pin:${t}`]), bGroup.verify([`pin:${t}`])]);
    expect(a.pins.isPinned(t)).toBe(b.pins.isPinned(t));
    expect(a.pins.pinnedBy(t)).toBe(b.pins.pinnedBy(t));
    // The next change, made with both versions known, wins everywhere.
    b.pins.pin(bob, t, true);
    sync();
    await a.group.verify([`pin:${t}`]);
    expect([a.pins.pinnedBy(t), b.pins.pinnedBy(t)]).toEqual([bob.id, bob.id]);
    expect(a.group.versions(`pin:${t}`).map((r) => r.v)).toEqual([2, 1, 1]);
  });
});
