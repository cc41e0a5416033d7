// The kernel on its own: members, the group's name, versions, verification statuses, change
// events and what a document may hold without stopping the group. Features' behaviour is
// tested beside each feature (app/core/features/*).
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '../crypto/keys.ts';
import { FEATURE_KINDS, featuresOf } from '../features/registry.ts';
import { createIdentity, type Identity } from '../identity/Identity.ts';
import { deriveItemId, newNonce, signRecord } from './canonical.ts';
import { Group, type GroupChange } from './Group.ts';
import { GroupError, type GroupErrorCode } from './GroupError.ts';
import { memberSlot } from './members.ts';
import { mentionCandidates } from './mentionCandidates.ts';
import { RECORDS_MAP, type SignedRecord } from './records.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob Stone');
const eve = createIdentity('Eve'); // never joins

const START = 1_000_000;

function setup() {
  let t = START;
  const clock = (): number => (t += 10);
  const group = Group.create({
    name: 'Garden club',
    me: ann,
    clock,
    about: 'Plots and plans',
    kinds: FEATURE_KINDS,
  });
  group.join(bob, ann.id);
  return { group, ...featuresOf(group) };
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

/** Stores a record straight into the document under its signature, as any key holder could. */
function put(group: Group, record: object): void {
  group.doc.getMap(RECORDS_MAP).set((record as SignedRecord).sig, record);
}

/** A thread record signed by `signer` (claiming `author`, by default the signer). */
function rawThread(
  group: Group,
  signer: Identity,
  fields: Record<string, unknown> = {},
  groupId: string = group.id,
): SignedRecord & { id: string } {
  const author = (fields.author as MemberId | undefined) ?? signer.id;
  const nonce = (fields.nonce as string | undefined) ?? newNonce();
  return signRecord(signer, groupId, {
    kind: 'thread',
    v: 1,
    at: START,
    createdAt: START,
    title: 'T',
    body: '',
    mentions: [],
    ...fields,
    id: (fields.id as string | undefined) ?? deriveItemId(author, nonce),
    nonce,
    author,
  }) as SignedRecord & { id: string };
}

/** A copy of `group`'s document opened as another device would. */
function copyOf(group: Group): Group {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(group.doc));
  return Group.open(doc, { groupId: group.id, kinds: FEATURE_KINDS });
}

describe('Group: creation, members and info', () => {
  it('stores the name, description and creator, and self-signed members', async () => {
    const { group } = setup();
    expect(group.info()).toEqual({
      groupId: group.id,
      name: 'Garden club',
      about: 'Plots and plans',
      createdBy: ann.id,
      createdAt: group.head('group')!.at,
    });
    expect(group.members().map((m) => m.name)).toEqual(['Ann', 'Bob Stone']);
    expect(group.member(bob.id)).toMatchObject({ id: bob.id, invitedBy: ann.id });
    expect(group.member(bob.id)!.boxKey).toEqual(bob.box.publicKey);
    expect(group.member(ann.id)!.invitedBy).toBeUndefined();
    expect(group.memberName(bob.id)).toBe('Bob Stone');
    expect(group.memberName(eve.id)).toBeNull();
    expect(group.isMember(bob.id)).toBe(true);
    expect(group.isMember(eve.id)).toBe(false);
    // Member slots can be named by bare id or as member:<id>.
    const status = await group.verify([ann.id, memberSlot(bob.id), eve.id]);
    expect([...status.values()]).toEqual(['valid', 'valid', 'unknown']);
  });

  it('an invalid name or description is refused before anything is written', () => {
    expect(codeOf(() => Group.create({ name: '  ', me: ann }))).toBe('bad-name');
    expect(codeOf(() => Group.create({ name: 'G', me: ann, about: 'x'.repeat(2_001) }))).toBe(
      'too-long',
    );
    const { group } = setup();
    expect(codeOf(() => group.join({ ...eve, name: '   ' }))).toBe('bad-name');
    expect(group.isMember(eve.id)).toBe(false);
  });

  it('re-joining refreshes the name and keeps the join time and the inviter', () => {
    const { group } = setup();
    const before = group.member(bob.id)!;
    group.join({ ...bob, name: 'Bobby' }, eve.id);
    const after = group.member(bob.id)!;
    expect(after.name).toBe('Bobby');
    expect(after.joinedAt).toBe(before.joinedAt);
    expect(after.invitedBy).toBe(ann.id);
    expect(group.versions(memberSlot(bob.id)).map((r) => r.v)).toEqual([2, 1]);
    expect(group.members().map((m) => m.name)).toEqual(['Ann', 'Bobby']);
    // Nobody invites themselves.
    group.join(eve, eve.id);
    expect(group.member(eve.id)!.invitedBy).toBeUndefined();
  });

  it('setInfo renames or describes; any member may, non-members may not', async () => {
    const { group } = setup();
    const created = group.info();
    await group.setInfo(bob, { name: '  Allotment  ' });
    expect(group.info()).toMatchObject({ name: 'Allotment', about: 'Plots and plans' });
    await group.setInfo(ann, { about: ' Beds and sheds ' });
    expect(group.info()).toMatchObject({ name: 'Allotment', about: 'Beds and sheds' });
    // Who created the group and when do not move with renames.
    expect(group.info()).toMatchObject({
      createdBy: ann.id,
      createdAt: created.createdAt,
    });
    expect(group.versions('group').map((r) => r.v)).toEqual([3, 2, 1]);
    await expect(group.setInfo(eve, { name: 'Mine' })).rejects.toMatchObject({
      code: 'not-a-member',
    });
    await expect(group.setInfo(ann, { name: ' ' })).rejects.toMatchObject({ code: 'bad-name' });
    await expect(group.setInfo(ann, { about: 'x'.repeat(2_001) })).rejects.toMatchObject({
      code: 'too-long',
    });
    expect(group.info().name).toBe('Allotment');
  });

  it('the newest version of the name wins on every device, whatever order they arrive in', async () => {
    const { group } = setup();
    const other = copyOf(group);
    await group.setInfo(ann, { name: 'First' });
    await group.setInfo(ann, { name: 'Second' });
    const [v3, v2] = group.versions('group');
    // Deliver the newer version first.
    put(other, v3!);
    expect(other.info().name).toBe('Second');
    put(other, v2!);
    expect(other.info().name).toBe('Second');
  });
});

describe('Group: opening a document', () => {
  it('nothing in the document stops a group from opening', () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'Kept', body: '' });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(group.doc));
    doc.transact(() => {
      const meta = doc.getMap('meta');
      meta.set('schemaVersion', 99);
      meta.set('groupId', 'A'.repeat(22));
      meta.set('name', { evil: true });
      doc.getMap('items').set(t, { kind: 'thread', title: 'old layout' });
      doc.getMap(RECORDS_MAP).set('junk', 42);
    });
    const opened = Group.open(doc, { groupId: group.id, kinds: FEATURE_KINDS });
    expect(opened.id).toBe(group.id);
    expect(opened.info().name).toBe('Garden club');
    expect(
      featuresOf(opened)
        .discussion.threads()
        .map((x) => [x.id, x.title]),
    ).toEqual([[t, 'Kept']]);
  });

  it('an empty document (a fresh join) reads as an unnamed group with no members', () => {
    const { group } = setup();
    const empty = Group.open(new Y.Doc(), { groupId: group.id, kinds: FEATURE_KINDS });
    expect(empty.info()).toEqual({
      groupId: group.id,
      name: 'Unnamed group',
      about: '',
      createdAt: undefined,
      createdBy: undefined,
    });
    expect(empty.members()).toEqual([]);
    expect(featuresOf(empty).discussion.threads()).toEqual([]);
  });

  it('kinds this version does not know are kept but never shown', () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const kernelOnly = Group.open(group.doc, { groupId: group.id });
    expect(kernelOnly.members()).toHaveLength(2);
    expect(kernelOnly.head(t)).toBeUndefined();
    expect(kernelOnly.slotsOf('thread').size).toBe(0);
    expect(codeOf(() => kernelOnly.write(ann, 'thread', { title: 'x' }))).toBe('bad-record');
    // The full version still reads it from the same document.
    expect(featuresOf(copyOf(group)).discussion.thread(t)?.title).toBe('T');
  });

  it('write refuses unknown kinds and records of the wrong shape', () => {
    const { group } = setup();
    const before = group.doc.getMap(RECORDS_MAP).size;
    expect(codeOf(() => group.write(ann, 'poll', { q: '?' }))).toBe('bad-record');
    expect(codeOf(() => group.write(ann, 'group', { name: 7, about: '' }))).toBe('bad-record');
    expect(group.doc.getMap(RECORDS_MAP).size).toBe(before);
    expect(codeOf(() => group.requireMember(eve))).toBe('not-a-member');
    expect(codeOf(() => group.requireMember(bob))).toBe('ok');
  });
});

describe('Group: verification', () => {
  it("what this device wrote is valid at once; others' records are 'checking' until verified", async () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'Mine', body: '' });
    expect(discussion.thread(t)!.status).toBe('valid');
    const other = copyOf(group);
    const theirs = featuresOf(other).discussion;
    expect(theirs.thread(t)!.status).toBe('checking');
    expect(other.slotStatus(t)).toBe('checking');
    const changes: GroupChange[] = [];
    other.onChange((c) => changes.push(c));
    expect((await other.verify([t])).get(t)).toBe('valid');
    expect(theirs.thread(t)!.status).toBe('valid');
    expect(other.slotStatus(t)).toBe('valid');
    // The author's member record was checked along the way and listeners heard of it.
    expect(other.status(other.head(memberSlot(ann.id))!)).toBe('valid');
    expect(changes.some((c) => c.members)).toBe(true);
  });

  it('valid, forged, not-a-member, hijacked, replayed from another group, unknown', async () => {
    const { group, discussion } = setup();
    const own = discussion.startThread(ann, { title: 'Mine', body: '' });
    // Bob (a member) signs a thread that claims Ann as its author.
    const forged = rawThread(group, bob, { author: ann.id, title: 'Ann says' });
    put(group, forged);
    // Eve never joined but signs correctly with her own key.
    const outsider = rawThread(group, eve, { title: 'Hello from outside' });
    put(group, outsider);
    // Bob writes a newer version of Ann's thread, signed as himself.
    const target = discussion.startThread(ann, { title: 'Original', body: '' });
    const original = group.head<SignedRecord & { nonce: string }>(target)!;
    const takeover = rawThread(group, bob, {
      id: target,
      nonce: original.nonce,
      v: 2,
      title: 'Taken over',
    });
    put(group, takeover);
    // A record Ann signed for another group, copied in.
    const elsewhere = rawThread(
      group,
      ann,
      { title: 'Elsewhere' },
      Group.create({ name: 'Other', me: ann }).id,
    );
    put(group, elsewhere);

    // Before the check nothing shows as genuine, and the unchecked takeover does not replace
    // Ann's own version, which this device wrote and so knows to be hers.
    expect(discussion.thread(forged.id)!.status).toBe('checking');
    expect(discussion.thread(target)).toMatchObject({ title: 'Original', status: 'valid' });

    const missing = 'X'.repeat(16);
    const status = await group.verify([own, forged.id, outsider.id, target, elsewhere.id, missing]);
    expect(Object.fromEntries(status)).toEqual({
      [own]: 'valid',
      [forged.id]: 'forged',
      [outsider.id]: 'not-a-member',
      // The slot falls back to Ann's own version.
      [target]: 'valid',
      [elsewhere.id]: 'forged',
      [missing]: 'unknown',
    });
    expect(group.status(takeover)).toBe('forged');
    expect(discussion.thread(target)).toMatchObject({ title: 'Original', status: 'valid' });
    // Records known to be invalid are not shown at all.
    expect(discussion.thread(forged.id)).toBeUndefined();
    expect(discussion.thread(outsider.id)).toBeUndefined();
    expect(
      discussion
        .threads()
        .map((t) => t.id)
        .sort(),
    ).toEqual([own, target].sort());
  });

  it('an author whose only member record is forged is not a member', async () => {
    const { group } = setup();
    // Bob writes a member record claiming to be Eve, and a thread Eve really signed.
    const fakeMember = signRecord(bob, group.id, {
      kind: 'member',
      author: eve.id,
      v: 1,
      at: START,
      name: 'Eve',
      boxKey: group.head<SignedRecord & { boxKey: string }>(memberSlot(bob.id))!.boxKey,
      joinedAt: START,
    });
    put(group, fakeMember);
    const t = rawThread(group, eve);
    put(group, t);
    expect(group.status(t)).toBe('checking');
    const status = await group.verify([t.id, eve.id]);
    expect(status.get(t.id)).toBe('not-a-member');
    expect(status.get(eve.id)).toBe('forged');
    expect(group.isMember(eve.id)).toBe(false);
    expect(group.members().map((m) => m.name)).toEqual(['Ann', 'Bob Stone']);
  });

  it('a tombstone is final: a later live version by the author does not bring the item back', async () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    discussion.remove(ann, t);
    const head = group.head<SignedRecord & { nonce: string; createdAt: number }>(t)!;
    put(
      group,
      rawThread(group, ann, {
        id: t,
        nonce: head.nonce,
        createdAt: head.createdAt,
        v: 9,
        title: 'Back',
      }),
    );
    await group.verify([t]);
    expect(discussion.thread(t)).toMatchObject({ deleted: true, title: '' });
    expect(discussion.threads()).toEqual([]);
  });
});

describe('Group: found by the convergence property', () => {
  // Counterexample: a key holder who is not a member writes a group name with
  // v = Number.MAX_SAFE_INTEGER; the next rename by a member counted it, tried to sign
  // v = 2^53 and threw, and so did every later rename, edit or pin of that slot, forever.
  it('a version numbered at the top of the range by a stranger or a forger blocks no writes', async () => {
    const { group, discussion } = setup();
    const mallory = createIdentity('Mallory');
    put(
      group,
      signRecord(mallory, group.id, {
        kind: 'group',
        author: mallory.id,
        v: Number.MAX_SAFE_INTEGER,
        at: START,
        name: 'Mine now',
        about: '',
      }),
    );
    await group.setInfo(bob, { name: 'Allotment' });
    expect(group.info().name).toBe('Allotment');

    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const head = group.head<SignedRecord & { nonce: string }>(t)!;
    put(
      group,
      rawThread(group, mallory, {
        author: ann.id,
        id: t,
        nonce: head.nonce,
        v: Number.MAX_SAFE_INTEGER,
        title: 'Forged',
      }),
    );
    await group.verify([t]);
    discussion.edit(ann, t, { title: 'Edited' });
    expect(discussion.thread(t)).toMatchObject({ title: 'Edited', status: 'valid' });
  });

  // Counterexample: the same with a forged version claiming a member, before it was checked:
  // the member's re-join threw a CanonicalError (v = 2^53) instead of saving.
  it('nor does one not yet checked: the write counts the checked versions instead', async () => {
    const { group, discussion } = setup();
    const mallory = createIdentity('Mallory');
    const t = discussion.startThread(ann, { title: 'T', body: 'b' });
    const head = group.head<SignedRecord & { nonce: string }>(t)!;
    put(
      group,
      rawThread(group, mallory, {
        author: ann.id,
        id: t,
        nonce: head.nonce,
        v: Number.MAX_SAFE_INTEGER,
        title: 'Forged',
      }),
    );
    const { sig: _sig, ...member } = group.head(memberSlot(bob.id)) as unknown as Record<
      string,
      unknown
    >;
    put(group, signRecord(mallory, group.id, { ...member, v: Number.MAX_SAFE_INTEGER }));
    discussion.edit(ann, t, { title: 'Edited' });
    group.join({ ...bob, name: 'Bobby' });
    expect(group.versions(t).map((r) => r.v)).toEqual([Number.MAX_SAFE_INTEGER, 2, 1]);
    await group.verify([t, bob.id]);
    expect(discussion.thread(t)).toMatchObject({ title: 'Edited', body: 'b', status: 'valid' });
    expect(group.member(bob.id)!.name).toBe('Bobby');
  });

  // Counterexample: the same after a reload, when nothing was checked yet, not even the
  // author's own member record: the edit counted no version at all, was written as v1
  // again and lost to the original.
  it('nor after a reload, before anything was checked', async () => {
    const { group: first, discussion: d0 } = setup();
    const mallory = createIdentity('Mallory');
    const t = d0.startThread(ann, { title: 'T', body: 'b' });
    const group = copyOf(first);
    const discussion = featuresOf(group).discussion;
    const head = group.head<SignedRecord & { nonce: string }>(t)!;
    put(
      group,
      rawThread(group, mallory, {
        author: ann.id,
        id: t,
        nonce: head.nonce,
        v: Number.MAX_SAFE_INTEGER,
        title: 'Forged',
      }),
    );
    discussion.edit(ann, t, { title: 'Edited' });
    expect(group.versions(t).map((r) => r.v)).toEqual([Number.MAX_SAFE_INTEGER, 2, 1]);
    await group.verify([t]);
    expect(discussion.thread(t)).toMatchObject({ title: 'Edited', body: 'b', status: 'valid' });
  });
});

describe('Group: records checked while contesting a key', () => {
  // Counterexample: a key holder wrote a member record for herself with a bad signature,
  // then overwrote it under the same key. The contest checked both (forged), kept one and
  // told nobody, so the members list cached while it was 'checking' kept showing her on
  // that device only, even after every slot was verified.
  it('lists cached while a record was unchecked are refreshed when a contest checks it', async () => {
    const { group, discussion } = setup();
    const mallory = createIdentity('Mallory');
    const fields = {
      kind: 'member',
      author: mallory.id,
      v: 1,
      at: START,
      name: 'Mallory',
      boxKey: group.head<SignedRecord & { boxKey: string }>(memberSlot(ann.id))!.boxKey,
      joinedAt: START,
    };
    // Her own signature over other words: a forged member record.
    const forged = { ...fields, sig: signRecord(mallory, group.id, { ...fields, v: 2 }).sig };
    put(group, forged);
    const claim = rawThread(group, mallory, { author: ann.id, title: 'Ann says' });
    put(group, claim);
    expect(group.members().map((m) => m.name)).toEqual(['Ann', 'Bob Stone', 'Mallory']);
    expect(discussion.threads().map((t) => t.title)).toEqual(['Ann says']);
    const changes: GroupChange[] = [];
    group.onChange((c) => changes.push(c));
    // The same keys, other words (which lose the contest: the first versions stay).
    put(group, { ...forged, name: 'Mallory~' });
    put(group, { ...claim, title: 'Ann says~' });
    await vi.waitFor(() => {
      expect(group.status(group.versions(memberSlot(mallory.id))[0]!)).toBe('forged');
      expect(group.status(group.versions(claim.id)[0]!)).toBe('forged');
    });
    expect(group.members().map((m) => m.name)).toEqual(['Ann', 'Bob Stone']);
    expect(discussion.threads()).toEqual([]);
    expect(changes.some((c) => c.members)).toBe(true);
  });
});

describe("Group: a member's write builds only on versions this device has checked", () => {
  // Counterexample: a key holder forged a newer group-name version claiming a member, with
  // about = 'AAAA'; before it was checked, another member renamed the group, and the rename
  // copied the forged description and signed it as theirs, for good.
  const mallory = createIdentity('Mallory');

  /** A version of `slot`'s head claiming its author, signed by Mallory, one version newer. */
  function forgeNext(group: Group, slot: string, change: Record<string, unknown>): void {
    const { sig: _sig, ...fields } = group.head(slot) as unknown as Record<string, unknown>;
    put(
      group,
      signRecord(mallory, group.id, { ...fields, v: (fields.v as number) + 1, ...change }),
    );
  }

  it('a rename keeps the description members wrote, not a forged one', async () => {
    const { group } = setup();
    forgeNext(group, 'group', { about: 'AAAA' });
    await group.setInfo(bob, { name: 'Allotment' });
    await group.verify(['group']);
    expect(group.info()).toMatchObject({ name: 'Allotment', about: 'Plots and plans' });
  });

  // Counterexample: on a device that had not yet checked the group's name, a rename kept
  // the description of the newest version it had checked, none, and wiped it.
  it('a rename on a device that has not checked the current name keeps its description', async () => {
    const { group } = setup();
    const other = copyOf(group);
    expect(other.status(other.head('group')!)).toBe('checking');
    await other.setInfo(bob, { name: 'Allotment' });
    expect(other.info()).toMatchObject({ name: 'Allotment', about: 'Plots and plans' });
    await other.setInfo(bob, { about: 'Beds' });
    expect(other.info()).toMatchObject({ name: 'Allotment', about: 'Beds' });
  });

  it("an edit keeps the author's own words in the fields it does not change", async () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'Seeds', body: 'What to sow?' });
    forgeNext(group, t, { body: 'AAAA', createdAt: 1 });
    discussion.edit(ann, t, { title: 'Seeds and bulbs' });
    await group.verify([t]);
    expect(discussion.thread(t)).toMatchObject({
      title: 'Seeds and bulbs',
      body: 'What to sow?',
      status: 'valid',
    });
    expect(discussion.thread(t)!.createdAt).toBeGreaterThan(1);
  });

  it('a forged tombstone does not turn a delete into a no-op', async () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const { nonce, createdAt } = group.head(t) as unknown as { nonce: string; createdAt: number };
    put(
      group,
      signRecord(mallory, group.id, {
        kind: 'thread',
        author: ann.id,
        v: 2,
        at: START,
        id: t,
        nonce,
        createdAt,
        deleted: true,
      }),
    );
    discussion.remove(ann, t);
    await group.verify([t]);
    expect(discussion.thread(t)).toMatchObject({ deleted: true, status: 'valid' });
  });

  it('after a reload a member still edits, re-joins and deletes before any check', () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(bob, { title: 'Mine', body: 'b' });
    const reopened = copyOf(group);
    const d = featuresOf(reopened).discussion;
    expect(d.thread(t)!.status).toBe('checking');
    d.edit(bob, t, { title: 'Still mine' });
    expect(d.thread(t)).toMatchObject({ title: 'Still mine', body: 'b' });
    reopened.join({ ...bob, name: 'Bobby' });
    expect(reopened.member(bob.id)).toMatchObject({ name: 'Bobby', invitedBy: ann.id });
    d.remove(bob, t);
    expect(d.thread(t)!.deleted).toBe(true);
  });

  it('a forged item claiming a member cannot be edited by that member as if it were theirs', () => {
    const { group, discussion } = setup();
    const forged = rawThread(group, mallory, { author: ann.id, title: 'Ann says' });
    put(group, forged);
    expect(discussion.thread(forged.id)!.status).toBe('checking');
    expect(codeOf(() => discussion.edit(ann, forged.id, { body: 'yes I do' }))).toBe('not-author');
    expect(codeOf(() => discussion.remove(ann, forged.id))).toBe('not-author');
    expect(group.versions(forged.id)).toHaveLength(1);
  });

  it('re-joining keeps the real join time and inviter, not forged ones', async () => {
    const { group } = setup();
    const before = group.member(bob.id)!;
    forgeNext(group, memberSlot(bob.id), { joinedAt: 1, invitedBy: mallory.id });
    group.join({ ...bob, name: 'Bobby' });
    await group.verify([bob.id]);
    expect(group.member(bob.id)).toMatchObject({
      name: 'Bobby',
      joinedAt: before.joinedAt,
      invitedBy: ann.id,
    });
  });
});

describe('Group: onChange', () => {
  it('fires once per transaction with the changed items, their parents and kinds', async () => {
    const { group, discussion, reactions } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const seen: GroupChange[] = [];
    const off = group.onChange((c) => seen.push(c));
    const r = discussion.reply(bob, t, 'x');
    expect(seen).toHaveLength(1);
    expect([...seen[0]!.items].sort()).toEqual([r, t].sort());
    expect([...seen[0]!.kinds]).toEqual(['reply']);
    reactions.react(ann, r, '👀');
    expect([...seen[1]!.items]).toEqual([r]);
    group.join({ ...bob, name: 'Robert' });
    expect(seen[2]).toMatchObject({ members: true, info: false });
    await group.setInfo(ann, { about: 'new' });
    expect(seen[3]).toMatchObject({ info: true, members: false });
    group.doc.transact(() => {
      discussion.startThread(ann, { title: 'a', body: '' });
      discussion.startThread(ann, { title: 'b', body: '' });
    });
    expect(seen).toHaveLength(5);
    expect(seen[4]!.items.size).toBe(2);
    // A change outside the records map is not a change of the group.
    group.doc.getMap('meta').set('x', 1);
    expect(seen).toHaveLength(5);
    off();
    discussion.startThread(ann, { title: 'c', body: '' });
    expect(seen).toHaveLength(5);
  });

  it('a throwing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const group = Group.create({
      name: 'G',
      me: ann,
      kinds: FEATURE_KINDS,
      onListenerError: (e) => errors.push(e),
    });
    let called = 0;
    group.onChange(() => {
      throw new Error('boom');
    });
    group.onChange(() => called++);
    featuresOf(group).discussion.startThread(ann, { title: 'T', body: '' });
    expect(called).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('destroy stops listening to the document', () => {
    const { group, discussion } = setup();
    let called = 0;
    group.onChange(() => called++);
    group.destroy();
    discussion.startThread(ann, { title: 'T', body: '' });
    expect(called).toBe(0);
  });
});

describe('Group: mentionCandidates', () => {
  it('matches name starts and word starts, name starts first', () => {
    const { group } = setup();
    group.join(createIdentity('Annabel'));
    group.join(createIdentity('Jo Stoner'));
    group.join(createIdentity('Dan Anders'));
    expect(mentionCandidates(group, '@an').map((m) => m.name)).toEqual([
      'Ann',
      'Annabel',
      'Dan Anders',
    ]);
    expect(mentionCandidates(group, 'sto').map((m) => m.name)).toEqual(['Bob Stone', 'Jo Stoner']);
    expect(mentionCandidates(group, '').length).toBe(5);
    expect(mentionCandidates(group, '', 2).length).toBe(2);
    expect(mentionCandidates(group, 'zz')).toEqual([]);
  });
});

describe('Group: hostile values', () => {
  it('ignores values of the wrong shape without crashing', () => {
    const { group, discussion, reactions, pins } = setup();
    const good = discussion.startThread(ann, { title: 'Good', body: '' });
    const records = group.doc.getMap(RECORDS_MAP);
    const base = group.head(good) as unknown as Record<string, unknown>;
    const key = (n: number): string => `${'h'.repeat(84)}${String(n).padStart(2, '0')}`;
    const hostile: unknown[] = [
      'a string',
      42,
      null,
      ['array'],
      new Y.Map(),
      Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])),
      { ...base, title: 7 },
      { ...base, title: 'x'.repeat(100_000) },
      { ...base, createdAt: -1 },
      { ...base, createdAt: 1.5 },
      { ...base, v: 0 },
      { ...base, id: 'short' },
      { ...base, mentions: ['not a member id'] },
      { ...base, deleted: 'yes' },
      { ...base, deleted: true, title: 'a tombstone keeps no content' },
      { ...base, kind: 'reply', threadId: 'short' },
      { ...base, kind: 'post', sharedFrom: { groupId: 'x' } },
      { ...base, kind: 'reaction', itemId: good, emoji: '💩', on: true },
      { ...base, kind: 'pin', itemId: good, pinned: 'yes' },
      { ...base, kind: 'member', name: 'M' },
      { ...base, kind: 'group', name: { evil: true }, about: '' },
    ];
    group.doc.transact(() => {
      hostile.forEach((v, i) => {
        const k = key(i);
        records.set(
          k,
          v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Y.Map)
            ? { ...v, sig: k }
            : v,
        );
      });
      // A record under a key that is not its own signature is no record.
      records.set(key(99), { ...base });
    });
    expect(discussion.threads().map((t) => t.id)).toEqual([good]);
    for (let i = 0; i < hostile.length; i++) expect(group.versions(key(i))).toEqual([]);
    expect(group.versions(good)).toHaveLength(1);
    expect(group.members()).toHaveLength(2);
    expect(reactions.on(good).size).toBe(0);
    expect(pins.isPinned(good)).toBe(false);
    expect(group.info().name).toBe('Garden club');
    expect(discussion.recent(10)).toHaveLength(1);
  });

  it('a record removed from the document is put back at once', () => {
    const { group, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const r = discussion.reply(bob, t, 'x');
    const sig = group.head(r)!.sig;
    const records = group.doc.getMap(RECORDS_MAP);
    records.delete(sig);
    expect(records.has(sig)).toBe(true);
    records.set(sig, 'junk');
    expect(records.get(sig)).toEqual(group.head(r));
    expect(discussion.replies(t).map((x) => x.body)).toEqual(['x']);
    expect(discussion.thread(t)!.replyCount).toBe(1);
  });
});
