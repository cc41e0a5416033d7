import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64Url } from '../../crypto/bytes.ts';
import {
  deriveRoomId,
  type GroupKey,
  generateGroupKey,
  type MemberId,
  type SigningSecretKey,
} from '../../crypto/keys.ts';
import { signRecord } from '../../group/canonical.ts';
import { Group } from '../../group/Group.ts';
import { RECORDS_MAP } from '../../group/records.ts';
import { proveGroup } from '../../hearth/groupProof.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { membershipSlots, writeEpoch, writeLeave } from '../membership/Membership.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import {
  creatorOf,
  groupIdFor,
  newGroupId,
  originDerives,
  originKind,
  writeOrigin,
  writeVouch,
} from './index.ts';

const K0 = Uint8Array.from({ length: 32 }, (_, i) => i) as GroupKey;
const ANN_SEED = new Uint8Array(32).fill(1);

function docSigner(seed: Uint8Array) {
  const kp = nacl.sign.keyPair.fromSeed(seed);
  return {
    id: toBase64Url(kp.publicKey) as MemberId,
    signing: { secretKey: kp.secretKey as SigningSecretKey },
  };
}

/** A group made the way Hearth makes one: derived id, origin record naming the first key. */
function made(key: GroupKey = generateGroupKey()) {
  const me = createIdentity('Ann');
  const { groupId, nonce } = newGroupId(me.id);
  const group = Group.create({ name: 'Garden club', me, groupId, kinds: FEATURE_KINDS });
  writeOrigin(group, me, nonce, deriveRoomId(key));
  return { me, group, key, nonce };
}

describe('origin: a group id bound to its creator', () => {
  it('derives the id of docs/PROTOCOL.md (vector) and the example record verifies', async () => {
    const ann = docSigner(ANN_SEED);
    expect(ann.id).toBe('iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w');
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => 0xc0 + i);
    expect(toBase64Url(nonce)).toBe('wMHCw8TFxsfIycrLzM3Ozw');
    // Computed independently: SHA-512 over the label, Ann's 32-byte key and the nonce.
    const G = groupIdFor(ann.id, nonce);
    expect(G).toBe('h6IqMiEzJX7cEAqdo_e80Q');
    expect(deriveRoomId(K0)).toBe('RMx8b0bTmUaUDBH-aV9XyA');
    const record = signRecord(ann, G, {
      kind: 'origin',
      author: ann.id,
      v: 1,
      at: 1767258000000,
      nonce: 'wMHCw8TFxsfIycrLzM3Ozw',
      room: 'RMx8b0bTmUaUDBH-aV9XyA',
    });
    expect(record.sig).toBe(
      'xfwHheumrPVDUk1HlyKHJmHGiAj4NwJ6WbpY1itaN2E-JUmqqMSQT3EgiDvOR5AcK_sQH_YhIlz95AaZSwWzBw',
    );
    const parsed = originKind.parse(record as never);
    expect(parsed && originDerives(parsed, G)).toBe(true);
    expect(parsed && originDerives(parsed, 'oKGio6SlpqeoqaqrrK2urw')).toBe(false);
    expect(originKind.parse({ ...record, nonce: 'short' } as never)).toBeNull();
    expect(originKind.parse({ ...record, room: undefined } as never)).toBeNull();
    expect(() => groupIdFor(ann.id, new Uint8Array(15))).toThrow(RangeError);
  });

  it("the creator's document proves its id and first key; another key proves nothing", async () => {
    const { group, key } = made();
    const f = featuresOf(group);
    expect(await proveGroup(group, f, [key])).toBe('proven');
    expect(await proveGroup(group, f, [generateGroupKey()])).toBe('unproven');
    expect(f.origin.provers().map((r) => r.author)).toEqual([group.info().createdBy]);

    // A group of the old kind (random id, no origin record) proves nothing, and never will.
    const me = createIdentity('Old');
    const old = Group.create({ name: 'Old', me, kinds: FEATURE_KINDS });
    expect(await proveGroup(old, featuresOf(old), [key])).toBe('unproven');
  });

  it('forged proofs do not count', async () => {
    const { group, nonce, key } = made();
    const f = featuresOf(group);
    const real = f.origin.provers()[0]!;

    // Mallory, in a document of her own under the same id: she writes an origin record with
    // the creator's nonce as herself (her key does not derive the id) and a changed copy of the
    // creator's that she cannot sign. Alongside, the creator's genuine records, copied.
    const fakeDoc = new Y.Doc();
    Y.applyUpdate(fakeDoc, Y.encodeStateAsUpdate(group.doc));
    const fake = Group.open(fakeDoc, { groupId: group.id, kinds: FEATURE_KINDS });
    const mallory = createIdentity('Mallory');
    fake.join(mallory);
    const hers = writeOrigin(fake, mallory, nonce, deriveRoomId(key));
    const { sig: _sig, ...fields } = real;
    const changed = signRecord(mallory, group.id, { ...fields, at: real.at + 1 });
    const claimed = { ...changed, author: real.author };
    fakeDoc.getMap(RECORDS_MAP).set(claimed.sig, claimed);
    const ff = featuresOf(fake);
    await fake.verify(ff.origin.slots());
    expect(fake.status(hers)).toBe('valid');
    expect(
      fake.status(fake.versions(`origin:${real.author}`).find((r) => r.sig === claimed.sig)!),
    ).toBe('forged');
    expect(ff.origin.provers().map((r) => r.sig)).toEqual([real.sig]);
    // The copied genuine record proves the id, but not Mallory's key: her room is named nowhere.
    const malloryKey = generateGroupKey();
    expect(await proveGroup(fake, ff, [malloryKey])).toBe('unproven');
    expect(await proveGroup(fake, ff, [key])).toBe('proven');

    // The creator's genuine record carried into a group with another id is forged there:
    // signatures are bound to the group id.
    const otherDoc = new Y.Doc();
    Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(group.doc));
    const other = Group.open(otherDoc, {
      groupId: newGroupId(real.author).groupId,
      kinds: FEATURE_KINDS,
    });
    expect(await proveGroup(other, featuresOf(other), [key])).toBe('unproven');
  });

  it('a member who backdates a name record does not become the creator or an admin', async () => {
    const { group, me } = made();
    const mallory = createIdentity('Mallory');
    group.join(mallory, me.id);
    const spoof = signRecord(mallory, group.id, {
      kind: 'group',
      author: mallory.id,
      v: 1,
      at: 0,
      name: 'Garden club',
      about: '',
    });
    group.doc.getMap(RECORDS_MAP).set(spoof.sig, spoof);
    await group.verify(membershipSlots(group));
    // The kernel's first-name rule would name her; the id, derived from Ann's key, does not.
    expect(group.info().createdBy).toBe(mallory.id);
    expect(creatorOf(group)).toBe(me.id);
    const f = featuresOf(group);
    expect([...f.membership.admins()]).toEqual([me.id]);
    // Even an origin record claiming Ann but signed by someone else can only name Ann.
    expect(f.origin.creator()).toBe(me.id);
  });

  it('a later key counts through the epoch chain of the real creator, never of a usurper', async () => {
    const { group, key, me } = made();
    const bob = createIdentity('Bob');
    group.join(bob, me.id);
    const f = featuresOf(group);
    await group.verify(membershipSlots(group));
    const { key: next } = writeEpoch(group, me, { prev: deriveRoomId(key), removed: [bob.id] });
    expect(await proveGroup(group, f, [next])).toBe('proven');

    // Mallory copies the group as it was made and makes herself its "creator" with a name
    // record dated earlier, so her fold makes her an admin, then starts an epoch of her own.
    const fakeDoc = new Y.Doc();
    const fake = Group.open(fakeDoc, { groupId: group.id, kinds: FEATURE_KINDS });
    for (const [k, v] of group.doc.getMap(RECORDS_MAP)) {
      if ((v as { kind: string }).kind !== 'epoch') fakeDoc.getMap(RECORDS_MAP).set(k, v);
    }
    const mallory = createIdentity('Mallory');
    fake.join(mallory);
    const spoof = signRecord(mallory, group.id, {
      kind: 'group',
      author: mallory.id,
      v: 1,
      at: 0,
      name: 'Garden club',
      about: '',
    });
    fakeDoc.getMap(RECORDS_MAP).set(spoof.sig, spoof);
    await fake.verify(membershipSlots(fake));
    expect(fake.info().createdBy).toBe(mallory.id);
    const ff = featuresOf(fake);
    const { key: hers } = writeEpoch(fake, mallory, { prev: deriveRoomId(key), removed: [] });
    expect(ff.membership.fold().chain.map((e) => e.author)).toEqual([mallory.id]);
    expect(await proveGroup(fake, ff, [hers])).toBe('unproven');
  });

  it('epochs count only from admins: a copy with an epoch by a member of its own proves nothing', async () => {
    const { group, key, me } = made();
    // Mallory copies the records and, as a member of her copy (not an admin), starts an epoch
    // that drops only a member of her own making who "left": the fold accepts it.
    const fakeDoc = new Y.Doc();
    Y.applyUpdate(fakeDoc, Y.encodeStateAsUpdate(group.doc));
    const fake = Group.open(fakeDoc, { groupId: group.id, kinds: FEATURE_KINDS });
    const mallory = createIdentity('Mallory');
    const puppet = createIdentity('Puppet');
    fake.join(mallory, me.id);
    fake.join(puppet, mallory.id);
    writeLeave(fake, puppet);
    await fake.verify(membershipSlots(fake));
    const ff = featuresOf(fake);
    const { key: hers } = writeEpoch(fake, mallory, {
      prev: deriveRoomId(key),
      removed: [puppet.id],
    });
    expect(ff.membership.fold().chain.map((e) => e.author)).toEqual([mallory.id]);
    expect(await proveGroup(fake, ff, [hers])).toBe('unproven');
    // Her own vouch for her epoch counts for nothing: she is no admin of the real line.
    writeVouch(fake, mallory, deriveRoomId(hers));
    expect(await proveGroup(fake, featuresOf(fake), [hers])).toBe('unproven');
  });

  it('an epoch a member (not an admin) started proves the group once an admin vouched for it', async () => {
    const { group, key, me } = made();
    // In the real group Bob, no admin, starts the epoch after Cat left (as any member may).
    const bob = createIdentity('Bob');
    const cat = createIdentity('Cat');
    group.join(bob, me.id);
    group.join(cat, me.id);
    writeLeave(group, cat);
    await group.verify(membershipSlots(group));
    const { key: bobs } = writeEpoch(group, bob, { prev: deriveRoomId(key), removed: [cat.id] });
    expect(await proveGroup(group, featuresOf(group), [key])).toBe('proven');
    // Until an admin's device follows it, the new key proves nothing (a copy could make one).
    expect(await proveGroup(group, featuresOf(group), [bobs])).toBe('unproven');
    // Bob vouching for himself changes nothing; Ann's vouch (her device moved) does.
    writeVouch(group, bob, deriveRoomId(bobs));
    expect(await proveGroup(group, featuresOf(group), [bobs])).toBe('unproven');
    writeVouch(group, me, deriveRoomId(bobs));
    expect(await proveGroup(group, featuresOf(group), [bobs])).toBe('proven');
    // A later epoch by an admin after it counts as before.
    const { key: anns } = writeEpoch(group, me, { prev: deriveRoomId(bobs), removed: [] });
    expect(await proveGroup(group, featuresOf(group), [anns])).toBe('proven');
  });
});
