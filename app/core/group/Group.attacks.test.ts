// One test per attack a key holder can make by writing raw bytes into the group document:
// each must change nothing that honest members see, after sync and after a reload.
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { GroupId } from '../crypto/keys.ts';
import { FEATURE_KINDS, featuresOf } from '../features/registry.ts';
import { createIdentity } from '../identity/Identity.ts';
import { deriveItemId, newNonce, signRecord } from './canonical.ts';
import { Group, MAX_CLOCK_SKEW_MS } from './Group.ts';
import { memberSlot } from './members.ts';
import { RECORDS_MAP } from './records.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const mallory = createIdentity('Mallory'); // holds the key from an old invite link; not a member
const NOW = 1_700_000_000_000;

interface Device {
  group: Group;
  f: ReturnType<typeof featuresOf>;
}

function device(doc: Y.Doc, groupId: GroupId): Device {
  const group = Group.open(doc, { groupId, kinds: FEATURE_KINDS, clock: () => NOW });
  return { group, f: featuresOf(group) };
}

/** Ann's group with Bob, one thread with a reply, both devices in sync. */
function world(): { a: Device; b: Device; thread: string; reply: string } {
  const created = Group.create({ name: 'Garden', me: ann, kinds: FEATURE_KINDS, clock: () => NOW });
  const a = { group: created, f: featuresOf(created) };
  a.group.join(bob, ann.id);
  const bobDoc = new Y.Doc();
  Y.applyUpdate(bobDoc, Y.encodeStateAsUpdate(a.group.doc));
  const b = device(bobDoc, a.group.id);
  const thread = b.f.discussion.startThread(bob, { title: 'Seed swap', body: 'Saturday?' });
  const reply = b.f.discussion.reply(bob, thread, 'I bring beans');
  sync(b.group.doc, a.group.doc);
  return { a, b, thread, reply };
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function both(x: Y.Doc, y: Y.Doc): void {
  for (let i = 0; i < 4; i++) {
    sync(x, y);
    sync(y, x);
  }
}

/** Mallory's copy of the document: whatever she writes there reaches members as an update. */
function hostile(victim: Y.Doc, write: (records: Y.Map<unknown>, doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(victim));
  const before = Y.encodeStateVector(doc);
  doc.transact(() => write(doc.getMap(RECORDS_MAP), doc));
  return Y.encodeStateAsUpdate(doc, before);
}

function reload(d: Device): Device {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(d.group.doc));
  return device(doc, d.group.id);
}

const sigOf = (d: Device, slot: string): string => d.group.head(slot)!.sig;

function view(d: Device): unknown {
  const { discussion } = d.f;
  return {
    info: d.group.info().name,
    members: d.group.members().map((m) => m.name),
    threads: discussion.threads().map((t) => [t.title, t.body, t.replyCount]),
    replies: discussion
      .threads()
      .map((t) => discussion.replies(t.id).map((r) => [r.body, r.deleted])),
  };
}

describe('attacks by a key holder who writes raw into the document', () => {
  it('a raw delete of an item is put back, after sync and after reload', () => {
    const { a, b, thread } = world();
    const expected = view(a);
    const attack = hostile(a.group.doc, (records) => records.delete(sigOf(a, thread)));
    Y.applyUpdate(a.group.doc, attack);
    expect(view(a)).toEqual(expected);
    both(a.group.doc, b.group.doc);
    expect(view(b)).toEqual(expected);
    expect(view(reload(a))).toEqual(expected);
    // A member who joins later, from a device that only saw the attack after the repair.
    const late = new Y.Doc();
    Y.applyUpdate(late, attack);
    Y.applyUpdate(late, Y.encodeStateAsUpdate(a.group.doc));
    expect(view(device(late, a.group.id))).toEqual(expected);
  });

  it('a raw delete of a member record is put back and the member can still write', () => {
    const { a, b } = world();
    const attack = hostile(a.group.doc, (records) => records.delete(sigOf(a, memberSlot(bob.id))));
    Y.applyUpdate(a.group.doc, attack);
    Y.applyUpdate(b.group.doc, attack);
    expect(a.group.isMember(bob.id)).toBe(true);
    expect(b.group.isMember(bob.id)).toBe(true);
    expect(() => b.f.discussion.startThread(bob, { title: 'Still here', body: '' })).not.toThrow();
    expect(reload(a).group.isMember(bob.id)).toBe(true);
  });

  it('a deleted reply cannot be resurrected by re-adding its old version', async () => {
    const { a, b, reply } = world();
    const oldLive = a.group.head(reply)!;
    b.f.discussion.remove(bob, reply);
    both(a.group.doc, b.group.doc);
    const tombstone = sigOf(a, reply);
    const attack = hostile(a.group.doc, (records) => {
      records.delete(tombstone);
      records.set(oldLive.sig, oldLive); // replay of the live version
    });
    Y.applyUpdate(a.group.doc, attack);
    await a.group.verify([reply]);
    const [shown] = a.f.discussion.replies(a.f.discussion.threads()[0]!.id);
    expect(shown).toMatchObject({ id: reply, deleted: true, body: '', status: 'valid' });
    expect(reload(a).f.discussion.item(reply)?.deleted).toBe(true);
  });

  it('replaying an older version changes nothing: the newest valid version wins', async () => {
    const { a, b, thread } = world();
    b.f.discussion.edit(bob, thread, { title: 'Seed swap (moved to Sunday)' });
    both(a.group.doc, b.group.doc);
    const [v2, v1] = a.group.versions(thread);
    expect([v2!.v, v1!.v]).toEqual([2, 1]);
    const attack = hostile(a.group.doc, (records) => {
      records.delete(v2!.sig);
      records.set(v1!.sig, { ...v1 });
    });
    Y.applyUpdate(a.group.doc, attack);
    await a.group.verify([thread]);
    expect(a.f.discussion.thread(thread)?.title).toBe('Seed swap (moved to Sunday)');
  });

  it("overwriting another member's record with a self-signed one changes nothing", async () => {
    const { a, b, thread } = world();
    const real = a.group.head(thread)!;
    const fake = signRecord(mallory, a.group.id, {
      ...real,
      author: mallory.id,
      title: 'AAAA',
    });
    const attack = hostile(a.group.doc, (records) =>
      records.set(real.sig, { ...fake, sig: real.sig }),
    );
    Y.applyUpdate(a.group.doc, attack);
    Y.applyUpdate(b.group.doc, attack);
    // The contest checks both signatures, then every device keeps the genuine one.
    const genuine = (d: Device): void => {
      expect(d.group.doc.getMap(RECORDS_MAP).get(real.sig)).toMatchObject({ title: 'Seed swap' });
    };
    await vi.waitFor(() => [a, b].forEach(genuine));
    both(a.group.doc, b.group.doc);
    await vi.waitFor(() => [a, b].forEach(genuine));
    expect(a.f.discussion.thread(thread)?.title).toBe('Seed swap');
    expect(b.f.discussion.thread(thread)?.title).toBe('Seed swap');
    expect(reload(b).f.discussion.thread(thread)?.title).toBe('Seed swap');
  });

  it('a forged newer version is checked before it is believed, and then ignored', async () => {
    const { a, thread } = world();
    const real = a.group.head(thread)!;
    // Claims to be Bob's version 7, but Mallory signed it.
    const { sig: _real, ...fields } = real;
    const forged = signRecord(mallory, a.group.id, { ...fields, v: 7, title: 'AAAA' });
    Y.applyUpdate(
      a.group.doc,
      hostile(a.group.doc, (records) => records.set(forged.sig, forged)),
    );
    const shown = a.f.discussion.thread(thread)!;
    expect(shown.status).toBe('checking'); // never looks genuine before the check
    await a.group.verify([thread]);
    expect(a.f.discussion.thread(thread)).toMatchObject({ title: 'Seed swap', status: 'valid' });
    // Once a version is checked, a newer unchecked one does not replace it even for a moment.
    const again = signRecord(mallory, a.group.id, { ...fields, v: 8, title: 'BBBB' });
    Y.applyUpdate(
      a.group.doc,
      hostile(a.group.doc, (records) => records.set(again.sig, again)),
    );
    expect(a.f.discussion.thread(thread)).toMatchObject({ title: 'Seed swap', status: 'valid' });
    await vi.waitFor(() => expect(a.group.status(a.group.versions(thread)[0]!)).toBe('forged'));
  });

  it("a stranger's records never reach a list, not even while being checked", () => {
    const { a } = world();
    const nonce = newNonce();
    const spam = signRecord(mallory, a.group.id, {
      kind: 'thread',
      author: mallory.id,
      v: 1,
      at: NOW,
      id: deriveItemId(mallory.id, nonce),
      nonce,
      createdAt: NOW,
      title: 'Buy now',
      body: '',
      mentions: [],
    });
    Y.applyUpdate(
      a.group.doc,
      hostile(a.group.doc, (r) => r.set(spam.sig, spam)),
    );
    expect(a.f.discussion.threads().map((t) => t.title)).toEqual(['Seed swap']);
    expect(a.group.slotStatus(spam.id)).toBe('not-a-member');
  });

  it('meta tampering (schema version, group id, name) neither stops nor renames the group', () => {
    const { a } = world();
    const attack = hostile(a.group.doc, (_records, doc) => {
      const meta = doc.getMap('meta');
      meta.set('schemaVersion', 999);
      meta.set('groupId', 'A'.repeat(22));
      meta.set('name', 'A'.repeat(5000));
      doc.getMap('items').set('x', { junk: true });
    });
    Y.applyUpdate(a.group.doc, attack);
    const reopened = reload(a);
    expect(reopened.group.id).toBe(a.group.id);
    expect(reopened.group.info().name).toBe('Garden');
    expect(reopened.f.discussion.threads()).toHaveLength(1);
  });

  it('a group name written by a non-member is ignored; an overlong or bidi name is cleaned on read', async () => {
    const { a } = world();
    const forgedName = signRecord(mallory, a.group.id, {
      kind: 'group',
      author: mallory.id,
      v: 50,
      at: NOW,
      name: 'AAAA',
      about: '',
    });
    Y.applyUpdate(
      a.group.doc,
      hostile(a.group.doc, (r) => r.set(forgedName.sig, forgedName)),
    );
    await a.group.verify(['group']);
    expect(a.group.info().name).toBe('Garden');
    // A member's own record with a dirty name (written by a modified client).
    const { sig: _old, ...mine } = a.group.head(memberSlot(bob.id))!;
    const dirty = signRecord(bob, a.group.id, {
      ...mine,
      v: 9,
      name: `\u202eevil\u202c ${'b'.repeat(300)}`,
    });
    Y.applyUpdate(
      a.group.doc,
      hostile(a.group.doc, (r) => r.set(dirty.sig, dirty)),
    );
    await a.group.verify([memberSlot(bob.id)]);
    const name = a.group.member(bob.id)!.name;
    expect(name).not.toMatch(/[\u202a-\u202e]/);
    expect([...name].length).toBeLessThanOrEqual(100);
    expect(name.startsWith('evil b')).toBe(true);
  });

  it('two members with the same name are told apart wherever their name is shown', () => {
    const { a, thread } = world();
    const otherBob = createIdentity('Bob');
    a.group.join(otherBob);
    const labels = a.group
      .members()
      .filter((m) => m.name === 'Bob')
      .map((m) => m.label);
    expect(labels).toHaveLength(2);
    expect(labels[0]).not.toBe(labels[1]);
    expect(labels.every((l) => /^Bob · \d{4}$/.test(l))).toBe(true);
    expect(a.f.discussion.thread(thread)?.authorName).toBe(a.group.member(bob.id)?.label);
  });

  it('a record dated in the future is shown at the time this device first saw it', () => {
    const { a, b } = world();
    const nonce = newNonce();
    const future = signRecord(bob, a.group.id, {
      kind: 'thread',
      author: bob.id,
      v: 1,
      at: NOW + 10 * 365 * 86_400_000,
      id: deriveItemId(bob.id, nonce),
      nonce,
      createdAt: NOW + 10 * 365 * 86_400_000,
      title: 'Always first',
      body: '',
      mentions: [],
    });
    Y.applyUpdate(
      a.group.doc,
      hostile(b.group.doc, (r) => r.set(future.sig, future)),
    );
    const shown = a.f.discussion.thread(future.id as string)!;
    expect(shown.createdAt).toBeLessThanOrEqual(NOW + MAX_CLOCK_SKEW_MS);
    expect(shown.lastActivity).toBeLessThanOrEqual(NOW + MAX_CLOCK_SKEW_MS);
    // Unread counting after a marker at "now" still sees replies written later.
    expect(a.f.discussion.countSince(future.id as string, NOW, ann.id)).toBe(0);
  });

  it('a future-dated record stays at the time it was first seen in later sessions too', () => {
    const { a } = world();
    const seen = new Map<string, number>();
    const at = (t: number): Device => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.group.doc));
      const group = Group.open(doc, {
        groupId: a.group.id,
        kinds: FEATURE_KINDS,
        clock: () => t,
        seen,
      });
      return { group, f: featuresOf(group) };
    };
    const nonce = newNonce();
    const future = signRecord(bob, a.group.id, {
      kind: 'thread',
      author: bob.id,
      v: 1,
      at: NOW + 86_400_000 * 365,
      id: deriveItemId(bob.id, nonce),
      nonce,
      createdAt: NOW + 86_400_000 * 365,
      title: 'Pinned by the calendar',
      body: '',
      mentions: [],
    });
    a.group.doc.getMap(RECORDS_MAP).set(future.sig, future);
    expect(at(NOW).f.discussion.thread(future.id)?.createdAt).toBe(NOW);
    // A week later an honest thread is newer than the future-dated one.
    const later = at(NOW + 7 * 86_400_000);
    expect(later.f.discussion.thread(future.id)?.createdAt).toBe(NOW);
    later.f.discussion.startThread(ann, { title: 'Fresh', body: '' });
    expect(later.f.discussion.threads()[0]?.title).toBe('Fresh');
  });

  it('a hostile snapshot that lacks honest records is noticed', () => {
    const { a } = world();
    const empty = new Y.Doc();
    empty.getMap(RECORDS_MAP).set('x', 1);
    expect(a.group.missingFrom(Y.encodeStateAsUpdate(empty))).toBe(true);
    expect(a.group.missingFrom(Y.encodeStateAsUpdate(a.group.doc))).toBe(false);
    expect(a.group.missingFrom(new Uint8Array([1, 2, 3]))).toBe(true);
  });

  it('junk under thousands of keys is ignored and the group stays usable', () => {
    const { a, b, thread } = world();
    const attack = hostile(a.group.doc, (records) => {
      for (let i = 0; i < 5_000; i++)
        records.set(`k${i}`, { kind: 'thread', junk: 'x'.repeat(20) });
    });
    Y.applyUpdate(a.group.doc, attack);
    expect(a.f.discussion.threads().map((t) => t.id)).toEqual([thread]);
    expect(() => a.f.discussion.reply(ann, thread, 'still works')).not.toThrow();
    sync(a.group.doc, b.group.doc);
    expect(b.f.discussion.replies(thread)).toHaveLength(2);
  });

  it('records of a kind this version does not know are kept and repaired, never shown', () => {
    const { a } = world();
    const unknown = signRecord(bob, a.group.id, {
      kind: 'survey-of-the-future',
      author: bob.id,
      v: 1,
      at: NOW,
      q: '?',
    });
    Y.applyUpdate(
      a.group.doc,
      hostile(a.group.doc, (r) => r.set(unknown.sig, unknown)),
    );
    Y.applyUpdate(
      a.group.doc,
      hostile(a.group.doc, (r) => r.delete(unknown.sig)),
    );
    expect(a.group.doc.getMap(RECORDS_MAP).has(unknown.sig)).toBe(true);
    expect(a.f.discussion.threads()).toHaveLength(1);
  });
});
