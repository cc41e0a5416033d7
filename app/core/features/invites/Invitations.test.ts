import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64Url } from '../../crypto/bytes.ts';
import type { SigningSecretKey } from '../../crypto/keys.ts';
import { signRecord } from '../../group/canonical.ts';
import { Group } from '../../group/Group.ts';
import type { Obj } from '../../group/records.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import { codeOf } from '../testing.ts';
import { inviteKind, inviteWithdrawnKind } from './records.ts';

const ann = createIdentity('Ann'); // creates the group: its first admin
const bob = createIdentity('Bob');
const cat = createIdentity('Cat');
const eve = createIdentity('Eve'); // never joins
const RELAY = 'wss://relay.hearth.test/signal';
const ROOM = '_CUk0hPfVPdEf7GHFEL9fw';
const ROOM2 = 'AAAAAAAAAAAAAAAAAAAAAA';
const HOUR = 3_600_000;

function setup() {
  let t = 1_000_000;
  const group = Group.create({ name: 'G', me: ann, clock: () => (t += 10), kinds: FEATURE_KINDS });
  for (const who of [bob, cat]) group.join(who);
  return { group, ...featuresOf(group), clock: () => t };
}

async function verifyAll(g: Group): Promise<void> {
  await g.verify([...g.slotsOf('member'), 'group', ...featuresOf(g).invites.slots()]);
}

/** Bob's invitation, as Invites.create announces it: Bob first, then the creator. */
const bobs = (expiresAt: number, room = ROOM) => ({
  room,
  relay: RELAY,
  expiresAt,
  maxUses: 5,
  revokers: [bob.id, ann.id],
});

describe('invite records', () => {
  const good: Obj = {
    kind: 'invite',
    author: bob.id,
    v: 1,
    at: 1,
    room: ROOM,
    relay: RELAY,
    expiresAt: 2,
    maxUses: 0,
    revokers: [bob.id, ann.id],
    sig: 'x',
  };

  it('the guards accept only what the protocol says', () => {
    expect(inviteKind.parse(good)).not.toBeNull();
    expect(inviteKind.parse({ ...good, relay: 'ws://127.0.0.1:8787/signal' })).not.toBeNull();
    const bad: Obj[] = [
      { ...good, room: undefined },
      { ...good, room: 'short' },
      { ...good, room: `${ROOM.slice(1)}=` },
      { ...good, relay: 'https://relay.hearth.test/' },
      { ...good, relay: 'wss://two words' },
      { ...good, relay: `wss://${'a'.repeat(300)}` },
      { ...good, relay: 7 },
      { ...good, expiresAt: -1 },
      { ...good, expiresAt: 1.5 },
      { ...good, expiresAt: '2' },
      { ...good, maxUses: -1 },
      { ...good, maxUses: 1001 },
      { ...good, maxUses: 0.5 },
      { ...good, revokers: [] },
      { ...good, revokers: bob.id },
      { ...good, revokers: [ann.id, bob.id] }, // the inviter must come first
      { ...good, revokers: [bob.id, bob.id] },
      { ...good, revokers: [bob.id, ann.id, cat.id, eve.id, createIdentity('F').id] },
      { ...good, revokers: [bob.id, 'not-an-id'] },
    ];
    for (const o of bad) expect(inviteKind.parse(o)).toBeNull();
    expect(inviteWithdrawnKind.parse({ ...good, kind: 'invite-withdrawn' })).not.toBeNull();
    expect(inviteWithdrawnKind.parse({ kind: 'invite-withdrawn', room: 'x' })).toBeNull();
  });

  it('the examples in docs/PROTOCOL.md are what Bob and Ann sign', () => {
    const signer = (b: number) => {
      const kp = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(b));
      return {
        id: toBase64Url(kp.publicKey),
        signing: { secretKey: kp.secretKey as SigningSecretKey },
      };
    };
    const [docAnn, docBob] = [signer(1), signer(2)];
    const G = 'oKGio6SlpqeoqaqrrK2urw';
    const at = 1767263000000;
    const invite = signRecord(docBob, G, {
      kind: 'invite',
      author: docBob.id,
      v: 1,
      at,
      room: ROOM,
      relay: 'wss://hearth.example/signal',
      expiresAt: at + 7 * 86_400_000,
      maxUses: 5,
      revokers: [docBob.id, docAnn.id],
    });
    const withdrawn = signRecord(docAnn, G, {
      kind: 'invite-withdrawn',
      author: docAnn.id,
      v: 1,
      at: 1767264000000,
      room: ROOM,
    });
    expect(inviteKind.parse(invite)).not.toBeNull();
    expect(inviteWithdrawnKind.parse(withdrawn)).not.toBeNull();
    expect(invite.sig).toBe(
      '3AMdgvgFgKqLz0TuhmknWVzY8nCDg5tpUjs2oSe_rPlOKalkLJ9n4ChOZpc78w3JiWZRwmxO1L3SGHj1JqunBw',
    );
    expect(withdrawn.sig).toBe(
      'Xh3usW0XjDOF6HL9yo6avEYtEoUY9_TA_nseCI4G__rZ37Z42gK-vqzXGev00mlFKjCPuMS45QFPd9o8g5NQAA',
    );
  });

  it('a written record carries only the fields others need: no secret, no capsule key', () => {
    const { invites, group } = setup();
    const r = invites.announce(bob, bobs(10 * HOUR));
    expect(Object.keys(r).sort()).toEqual(
      [
        'at',
        'author',
        'expiresAt',
        'kind',
        'maxUses',
        'relay',
        'revokers',
        'room',
        'sig',
        'v',
      ].sort(),
    );
    expect(group.versions(`invite:${ROOM}|${bob.id}`)).toHaveLength(1);
  });

  it('every member sees open invitations; who may withdraw is the inviter and its revokers', async () => {
    const { invites, group, clock } = setup();
    invites.announce(bob, bobs(clock() + HOUR));
    await verifyAll(group);
    const [open] = invites.open();
    expect(open).toMatchObject({
      room: ROOM,
      relay: RELAY,
      inviter: bob.id,
      inviterName: 'Bob',
      maxUses: 5,
      status: 'valid',
    });
    const rec = invites.byRoom(ROOM)[0]!;
    expect([ann, bob, cat, eve].map((m) => invites.mayWithdraw(rec, m.id))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    // Cat may not say it was withdrawn, and a record she writes anyway ends nothing.
    expect(codeOf(() => invites.markWithdrawn(cat, ROOM))).toBe('not-admin');
    group.write(cat, 'invite-withdrawn', { room: ROOM });
    await verifyAll(group);
    expect(invites.withdrawnBy(rec)).toBeUndefined();
    expect(invites.open().map((i) => i.room)).toEqual([ROOM]);
    // Eve is no member: she can write nothing here.
    expect(codeOf(() => invites.markWithdrawn(eve, ROOM))).toBe('not-a-member');
    expect(
      codeOf(() => invites.announce(eve, { ...bobs(clock() + HOUR), revokers: [eve.id] })),
    ).toBe('not-a-member');
    // Ann, the creator, withdraws Bob's invitation: it drops off everyone's list.
    invites.markWithdrawn(ann, ROOM);
    await verifyAll(group);
    expect(invites.withdrawnBy(rec)).toBe(ann.id);
    expect(invites.open()).toEqual([]);
  });

  it('an admin named when the invitation was made may withdraw it; one made later may not', async () => {
    const { invites, membership, group, clock } = setup();
    membership.setAdmin(ann, cat.id, true);
    invites.announce(bob, { ...bobs(clock() + HOUR), revokers: [bob.id, ann.id, cat.id] });
    invites.announce(bob, bobs(clock() + HOUR, ROOM2)); // made before Cat counted as admin
    await verifyAll(group);
    const [withCat, without] = [invites.byRoom(ROOM)[0]!, invites.byRoom(ROOM2)[0]!];
    expect(invites.mayWithdraw(withCat, cat.id)).toBe(true);
    expect(invites.mayWithdraw(without, cat.id)).toBe(false);
    invites.markWithdrawn(cat, ROOM);
    await verifyAll(group);
    expect(invites.open().map((i) => i.room)).toEqual([ROOM2]);
  });

  it('expired invitations drop off the list', async () => {
    const { invites, group, clock } = setup();
    const expiresAt = clock() + HOUR;
    invites.announce(bob, bobs(expiresAt));
    invites.announce(cat, { ...bobs(expiresAt + HOUR, ROOM2), revokers: [cat.id, ann.id] });
    await verifyAll(group);
    expect(invites.open(expiresAt - 1).map((i) => i.inviter)).toEqual([cat.id, bob.id]);
    expect(invites.open(expiresAt).map((i) => i.inviter)).toEqual([cat.id]);
    expect(invites.open(expiresAt + HOUR)).toEqual([]);
  });

  it("another member's record for the same room is its own: it cannot change Bob's", async () => {
    const { invites, group, clock } = setup();
    invites.announce(bob, bobs(clock() + HOUR));
    invites.announce(cat, { ...bobs(clock() + 99 * HOUR), revokers: [cat.id] });
    await verifyAll(group);
    const bobsRecord = invites.byRoom(ROOM).find((r) => r.author === bob.id)!;
    expect(bobsRecord.revokers).toEqual([bob.id, ann.id]);
    expect(
      invites
        .open()
        .map((i) => i.inviter)
        .sort(),
    ).toEqual([bob.id, cat.id].sort());
    // Ann withdraws the room: Bob's record ends; Cat's names only Cat, so it stays hers to end.
    invites.markWithdrawn(ann, ROOM);
    await verifyAll(group);
    expect(invites.open().map((i) => i.inviter)).toEqual([cat.id]);
  });

  it("a withdrawal made on one device reaches the other's list", async () => {
    const a = setup();
    const doc = new Y.Doc();
    const b = Group.open(doc, { groupId: a.group.id, kinds: FEATURE_KINDS, clock: a.clock });
    const sync = (): void => {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.group.doc, Y.encodeStateVector(doc)));
      Y.applyUpdate(a.group.doc, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(a.group.doc)));
    };
    sync();
    featuresOf(b).invites.announce(bob, bobs(a.clock() + HOUR));
    sync();
    await Promise.all([verifyAll(a.group), verifyAll(b)]);
    expect(a.invites.open().map((i) => i.inviterName)).toEqual(['Bob']);
    a.invites.markWithdrawn(ann, ROOM);
    sync();
    await verifyAll(b);
    expect(featuresOf(b).invites.open()).toEqual([]);
  });
});
