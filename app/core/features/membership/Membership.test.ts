import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveRoomId, generateGroupKey } from '../../crypto/keys.ts';
import { Group } from '../../group/Group.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import { codeOf } from '../testing.ts';
import { membershipSlots, openEpochKey, writeEpoch, writeLeave } from './Membership.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const cat = createIdentity('Cat');
const dan = createIdentity('Dan');
const ROOM0 = deriveRoomId(generateGroupKey());

function setup() {
  let t = 1_000_000;
  const group = Group.create({ name: 'G', me: ann, clock: () => (t += 10), kinds: FEATURE_KINDS });
  for (const who of [bob, cat, dan]) group.join(who);
  return { group, ...featuresOf(group) };
}

/** A second device holding a copy of `a`'s document. */
function copyOf(a: Group, clock: () => number) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc));
  const group = Group.open(doc, { groupId: a.id, kinds: FEATURE_KINDS, clock });
  return { group, ...featuresOf(group) };
}

function sync(a: Group, b: Group): void {
  Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)));
  Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)));
}

async function verifyAll(...groups: Group[]): Promise<void> {
  for (const g of groups) await g.verify(membershipSlots(g));
}

describe('Membership: roles', () => {
  it('the creator is the first admin; admins make and unmake admins, never the last one', async () => {
    const { group, membership } = setup();
    await verifyAll(group);
    expect([...membership.admins()]).toEqual([ann.id]);
    expect(codeOf(() => membership.setAdmin(bob, cat.id, true))).toBe('not-admin');
    expect(codeOf(() => membership.setAdmin(ann, ann.id, false))).toBe('last-admin');
    membership.setAdmin(ann, bob.id, true);
    expect(membership.isAdmin(bob.id)).toBe(true);
    membership.setAdmin(bob, ann.id, false);
    expect([...membership.admins()]).toEqual([bob.id]);
    expect(codeOf(() => membership.setAdmin(ann, bob.id, false))).toBe('not-admin');
    expect(codeOf(() => membership.setAdmin(bob, bob.id, false))).toBe('last-admin');
    expect(codeOf(() => membership.setAdmin(bob, createIdentity('Eve').id, true))).toBe(
      'not-found',
    );
  });

  it('two admins unmaking each other offline resolve the same way on every device', async () => {
    let t = 2_000_000;
    const a = setup();
    a.membership.setAdmin(ann, bob.id, true);
    const b = copyOf(a.group, () => (t += 7));
    await verifyAll(a.group, b.group);
    // Offline, each takes the other's role away: only one can win, and the group keeps one.
    a.membership.setAdmin(ann, bob.id, false);
    b.membership.setAdmin(bob, ann.id, false);
    expect([...a.membership.admins()]).toEqual([ann.id]);
    expect([...b.membership.admins()]).toEqual([bob.id]);
    sync(a.group, b.group);
    await verifyAll(a.group, b.group);
    const onA = [...a.membership.admins()];
    expect(onA).toHaveLength(1);
    expect([...b.membership.admins()]).toEqual(onA);
    // A third device that receives the records in the other order agrees.
    const c = copyOf(b.group, () => t);
    await verifyAll(c.group);
    expect([...c.membership.admins()]).toEqual(onA);
  });

  it('role records from non-admins or forged ones change nothing', async () => {
    const { group, membership } = setup();
    // Bob signs a role record making himself admin through the raw write path.
    group.write(bob, 'role', { member: bob.id, admin: true });
    await verifyAll(group);
    expect([...membership.admins()]).toEqual([ann.id]);
  });
});

describe('Membership: epochs', () => {
  it('a removal seals a fresh key to each remaining member only', async () => {
    const { group, membership } = setup();
    await verifyAll(group);
    expect(codeOf(() => writeEpoch(group, bob, { prev: ROOM0, removed: [cat.id] }))).toBe(
      'not-admin',
    );
    const { key, record } = writeEpoch(group, ann, {
      prev: ROOM0,
      removed: [cat.id],
      reason: '  spam\u202e ',
    });
    expect(record.n).toBe(1);
    expect(record.room).toBe(deriveRoomId(key));
    for (const who of [ann, bob, dan]) expect(openEpochKey(record, who)).toEqual(key);
    expect(openEpochKey(record, cat)).toBeUndefined();
    const fold = membership.fold();
    expect(fold.chain).toEqual([record]);
    expect(fold.pending).toEqual([]);
    expect(membership.departure(cat.id)).toEqual({
      how: 'removed',
      by: ann.id,
      at: record.at,
      reason: 'spam',
    });
    expect(membership.remaining().sort()).toEqual([ann.id, bob.id, dan.id].sort());
    // Removed members cannot be made admin, and a tampered key does not open.
    expect(codeOf(() => membership.setAdmin(ann, cat.id, true))).toBe('not-found');
    const other = { ...record, keys: { ...record.keys, [bob.id]: record.keys[dan.id]! } };
    expect(openEpochKey(other, bob)).toBeUndefined();
  });

  it('two concurrent removals both take effect, on every device, the same way', async () => {
    let t = 3_000_000;
    const a = setup();
    a.membership.setAdmin(ann, bob.id, true);
    const b = copyOf(a.group, () => (t += 3));
    await verifyAll(a.group, b.group);
    // Offline, Ann removes Cat and Bob removes Dan: two records for epoch 1.
    const ra = writeEpoch(a.group, ann, { prev: ROOM0, removed: [cat.id] }).record;
    const rb = writeEpoch(b.group, bob, { prev: ROOM0, removed: [dan.id] }).record;
    sync(a.group, b.group);
    await verifyAll(a.group, b.group);
    const fa = a.membership.fold();
    const fb = b.membership.fold();
    expect(fa.chain.map((r) => r.sig)).toEqual(fb.chain.map((r) => r.sig));
    expect([...fa.departed.keys()].sort()).toEqual([cat.id, dan.id].sort());
    expect([...fb.departed.keys()].sort()).toEqual([cat.id, dan.id].sort());
    // The winner still holds a key for the member the other removed: a next epoch is due.
    const winner = fa.chain[0]!;
    expect([ra.sig, rb.sig]).toContain(winner.sig);
    expect(fa.pending).toEqual(winner === ra ? [dan.id] : [cat.id]);
    const next = writeEpoch(a.group, ann, { prev: winner.room, removed: fa.pending });
    expect(next.record.n).toBe(2);
    expect(Object.keys(next.record.keys).sort()).toEqual([ann.id, bob.id].sort());
    sync(a.group, b.group);
    await verifyAll(b.group);
    expect(b.membership.fold().pending).toEqual([]);
    expect(b.membership.fold().chain.map((r) => r.n)).toEqual([1, 2]);
  });

  it('an epoch record by a removed member, or on a stale branch, never wins', async () => {
    const { group, membership } = setup();
    membership.setAdmin(ann, cat.id, true);
    await verifyAll(group);
    const first = writeEpoch(group, ann, { prev: ROOM0, removed: [cat.id] }).record;
    // Cat (still an admin by the role records) writes epoch 2 after being removed: no effect.
    const catKey = generateGroupKey();
    group.write(cat, 'epoch', {
      n: 2,
      prev: first.room,
      room: deriveRoomId(catKey),
      epk: first.epk,
      keys: {},
      removed: [ann.id],
    });
    // And a candidate for epoch 1 that claims to be concurrent: its removal counts, but it
    // cannot win, and Cat stays out.
    group.write(cat, 'epoch', {
      n: 1,
      prev: ROOM0,
      room: deriveRoomId(generateGroupKey()),
      epk: first.epk,
      keys: {},
      removed: [dan.id],
    });
    await verifyAll(group);
    const fold = membership.fold();
    expect(fold.chain.map((r) => r.sig)).toEqual([first.sig]);
    expect(fold.departed.has(cat.id)).toBe(true);
    expect(fold.departed.has(ann.id)).toBe(false);
    expect(membership.isAdmin(cat.id)).toBe(false);
  });

  it('a member who leaves is out; any remaining member may start the next epoch', async () => {
    const { group, membership } = setup();
    writeLeave(group, dan);
    await verifyAll(group);
    expect(membership.departure(dan.id)?.how).toBe('left');
    expect(membership.fold().pending).toEqual([dan.id]);
    // Bob is no admin, but an epoch that only leaves out leavers is anyone's to start.
    expect(codeOf(() => writeEpoch(group, bob, { prev: ROOM0, removed: [cat.id] }))).toBe(
      'not-admin',
    );
    const { record } = writeEpoch(group, bob, { prev: ROOM0, removed: [dan.id] });
    expect(openEpochKey(record, dan)).toBeUndefined();
    expect(membership.fold().pending).toEqual([]);
    expect(membership.departure(dan.id)?.how).toBe('left');
  });

  it('when every admin is gone, the longest-standing member is admin', async () => {
    const { group, membership } = setup();
    writeLeave(group, ann);
    await verifyAll(group);
    expect([...membership.admins()]).toEqual([bob.id]);
  });
});

describe('Membership: hiding', () => {
  it('an admin hides an item for everyone; its author and admins may still open it', async () => {
    const { group, membership, discussion } = setup();
    const t = discussion.startThread(bob, { title: 'T', body: '' });
    const r = discussion.reply(cat, t, 'rude words');
    await verifyAll(group);
    expect(codeOf(() => membership.hide(bob, r, true))).toBe('not-admin');
    expect(codeOf(() => membership.hide(ann, 'N'.repeat(16), true))).toBe('not-found');
    membership.hide(ann, r, true);
    expect(membership.hiddenBy(r)).toBe(ann.id);
    expect(membership.mayOpenHidden(cat.id, r)).toBe(true);
    expect(membership.mayOpenHidden(ann.id, r)).toBe(true);
    expect(membership.mayOpenHidden(dan.id, r)).toBe(false);
    // A non-admin's own hide record, written through the raw path, is ignored.
    group.write(dan, 'hide', { itemId: t, hidden: true });
    await group.verify([`hide:${t}`]);
    expect(membership.hiddenBy(t)).toBeUndefined();
    membership.hide(ann, r, false);
    expect(membership.hiddenBy(r)).toBeUndefined();
  });
});
