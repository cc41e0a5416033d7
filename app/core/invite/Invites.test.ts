import { afterEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../crypto/bytes.ts';
import { generateGroupKey, signingKeyOfMember } from '../crypto/keys.ts';
import { Hearth, type HearthEnv } from '../hearth/Hearth.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { deriveCapsuleKeys, generateInviteSecret, sealCapsule } from './capsule.ts';
import { Invites, mayRevoke, revokersOf } from './Invites.ts';
import { InviteError, type InviteErrorCode } from './invite.ts';
import { encodeCreate, encodeRevoke } from './inviteWire.ts';
import { MemoryInviteRelay } from './MemoryInviteRelay.ts';
import { createShortLink, parseAnyInvite } from './shortLink.ts';

const RELAY = 'ws://127.0.0.1:9/signal';
const DAY = 86_400_000;
let clock = Date.now();
const now = () => clock;
const open: Hearth[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  clock = Date.now();
});

interface World {
  mailbox: MemoryMailbox;
  relay: MemoryInviteRelay;
}

function world(): World {
  return { mailbox: new MemoryMailbox(), relay: new MemoryInviteRelay(now) };
}

async function person(w: World, name: string): Promise<{ hearth: Hearth; invites: Invites }> {
  const env: HearthEnv = {
    storage: new MemoryStorage(),
    origin: 'https://hearth.test',
    defaultRelay: RELAY,
    mailboxFor: () => w.mailbox,
    now,
  };
  const hearth = await Hearth.load(env);
  await hearth.setUp(name);
  open.push(hearth);
  return { hearth, invites: new Invites(hearth, () => w.relay) };
}

async function codeOf(p: Promise<unknown>): Promise<InviteErrorCode | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof InviteError) return e.code;
    throw e;
  }
}

/** Ann's group with one thread, uploaded, and Ann gone offline (her app closed). */
async function annsGroup(w: World) {
  const ann = await person(w, 'Ann');
  const rt = await ann.hearth.createGroup('Garden club');
  await rt.ready;
  rt.features.discussion.startThread(ann.hearth.me, { title: 'Seeds', body: 'Bring seeds' });
  return { ann, rt, groupId: rt.entry.groupId };
}

describe('Invites', () => {
  it('joins through a short link with the inviter offline, and checks the inviter', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const issued = await ann.invites.create(groupId);
    expect(issued.expiresAt).toBe(clock + 7 * DAY);
    expect(issued.link.length).toBeLessThan(60);
    expect(issued.link).not.toContain('Garden');
    await ann.hearth.flushAll();
    await ann.hearth.close();
    open.splice(open.indexOf(ann.hearth), 1);

    const bob = await person(w, 'Bob');
    const resolved = await bob.invites.resolve(issued.link);
    expect(resolved.invite.groupName).toBe('Garden club');
    expect(resolved.invite.inviterName).toBe('Ann');
    expect(resolved.expiresAt).toBe(issued.expiresAt);
    const joined = await bob.invites.join(resolved);
    expect(joined).toMatchObject({ groupId, already: false, inviter: 'member' });
    const brt = await bob.hearth.open(groupId);
    expect(brt.features.discussion.threads().map((t) => t.title)).toEqual(['Seeds']);
    expect(brt.group.member(bob.hearth.me.id)?.invitedBy).toBe(resolved.invite.inviterId);
  });

  it('opens nothing once the invitation has expired', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const week = await ann.invites.create(groupId);
    const hour = await ann.invites.create(groupId, { ttlMs: 3_600_000 });
    const bob = await person(w, 'Bob');
    clock += 3_600_000;
    expect(await codeOf(bob.invites.resolve(hour.link))).toBe('gone');
    expect((await ann.invites.list(groupId)).map((i) => i.room)).toEqual([week.room]);
    clock += 7 * DAY;
    expect(await codeOf(bob.invites.resolve(week.link))).toBe('gone');
    expect(w.relay.liveRooms()).toEqual([]);
    expect(await ann.invites.list(groupId)).toEqual([]);
    expect(bob.hearth.groups()).toEqual([]);
  });

  it('opens nothing once withdrawn, and only the inviter or the creator may withdraw', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const bob = await person(w, 'Bob');
    const first = await ann.invites.create(groupId);
    await bob.invites.join(await bob.invites.resolve(first.link));

    // Bob's own invitation: Ann (the creator) may withdraw it, Carol (a member) may not.
    const bobs = await bob.invites.create(groupId);
    expect((await bob.invites.list(groupId)).map((i) => i.state)).toEqual(['active']);
    const carol = await person(w, 'Carol');
    await carol.invites.join(await carol.invites.resolve(bobs.link));
    const byCarol = encodeRevoke(bobs.room, clock, carol.hearth.me.signing.secretKey);
    expect(await codeOf(w.relay.revoke(bobs.room, byCarol))).toBe('not-allowed');
    const byAnn = encodeRevoke(bobs.room, clock, ann.hearth.me.signing.secretKey);
    await w.relay.revoke(bobs.room, byAnn);
    const dave = await person(w, 'Dave');
    expect(await codeOf(dave.invites.resolve(bobs.link))).toBe('gone');
    expect(await bob.invites.list(groupId)).toEqual([]);

    // Ann withdraws her own from her list.
    const anns = await ann.invites.create(groupId);
    await ann.invites.revoke(groupId, anns.room);
    expect(await codeOf(dave.invites.resolve(anns.link))).toBe('gone');
    expect((await ann.invites.list(groupId)).map((i) => i.room)).toEqual([first.room]);
    expect(dave.hearth.groups()).toEqual([]);
  });

  it('counts uses: a single-use link works once', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const once = await ann.invites.create(groupId, { maxUses: 1 });
    clock += 1;
    const twice = await ann.invites.create(groupId, { maxUses: 2 });
    const bob = await person(w, 'Bob');
    await bob.invites.resolve(twice.link);
    expect((await ann.invites.list(groupId)).map((i) => [i.maxUses, i.uses])).toEqual([
      [2, 1],
      [1, 0],
    ]);
    await bob.invites.resolve(once.link);
    expect(await codeOf(bob.invites.resolve(once.link))).toBe('gone');
    expect((await ann.invites.list(groupId)).map((i) => i.room)).toEqual([twice.room]);
  });

  it('refuses options out of range, and says so when the relay cannot be reached', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    for (const o of [{ ttlMs: 8 * DAY }, { ttlMs: 1000 }, { maxUses: -1 }, { maxUses: 1001 }]) {
      expect(await codeOf(ann.invites.create(groupId, o))).toBe('bad-options');
    }
    const ok = await ann.invites.create(groupId);
    w.relay.offline = true;
    expect(await codeOf(ann.invites.create(groupId))).toBe('unreachable');
    expect((await ann.invites.list(groupId)).map((i) => i.state)).toEqual(['unknown']);
    const bob = await person(w, 'Bob');
    expect(await codeOf(bob.invites.resolve(ok.link))).toBe('unreachable');
  });

  it('a capsule swapped on the relay is refused as tampered', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const issued = await ann.invites.create(groupId);
    const sealed = await w.relay.open(issued.room);
    const bad = sealed.slice();
    bad[bad.length - 1]! ^= 1;
    const bob = await person(w, 'Bob');
    const lying = { ...w.relay, open: async () => bad } as unknown as MemoryInviteRelay;
    expect(await codeOf(new Invites(bob.hearth, () => lying).resolve(issued.link))).toBe(
      'tampered',
    );
    expect(bob.hearth.groups()).toEqual([]);
  });

  it('a fake invite with a real group id neither captures nor hides the group', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const bob = await person(w, 'Bob');
    await bob.invites.join(await bob.invites.resolve((await ann.invites.create(groupId)).link));
    const realKey = bob.hearth.entry(groupId)!.groupKey;

    // Mallory, not a member, makes a capsule naming the real group id with a key of her own.
    const mallory = await person(w, 'Mallory');
    const forge = async (groupKey: typeof realKey, name: string) => {
      const secret = generateInviteSecret();
      const keys = deriveCapsuleKeys(secret);
      const me = mallory.hearth.me;
      const capsule = sealCapsule(
        {
          groupKey,
          groupId,
          inviterId: me.id,
          expiresAt: clock + DAY,
          groupName: name,
          inviterName: 'Ann',
          relays: [RELAY],
        },
        me.signing.secretKey,
        keys,
      );
      const body = encodeCreate(
        keys.room,
        { expiresAt: clock + DAY, maxUses: 0, revokers: [signingKeyOfMember(me.id)], capsule },
        me.signing.secretKey,
      );
      await w.relay.put(keys.room, body);
      return createShortLink({ secret, relay: null, origin: 'https://hearth.test' });
    };
    const fake = await bob.invites.resolve(await forge(generateGroupKey(), 'Garden club'));
    expect(await codeOf(bob.invites.join(fake))).toBe('conflict');
    expect(bob.hearth.entry(groupId)?.groupKey).toEqual(realKey);
    expect(bob.hearth.groups().map((g) => g.name)).toEqual(['Garden club']);

    // With the real key (from an old long link, say) it opens the real group and changes
    // nothing; the inviter is reported as no member.
    const stolen = await bob.invites.resolve(await forge(realKey, 'Renamed'));
    expect(await bob.invites.join(stolen)).toMatchObject({
      already: true,
      inviter: 'not-a-member',
    });
    expect(bob.hearth.groups().map((g) => g.name)).toEqual(['Garden club']);

    // A newcomer who joins through it gets the real group, and learns the inviter is no member.
    const carol = await person(w, 'Carol');
    const joined = await carol.invites.join(await carol.invites.resolve(await forge(realKey, 'X')));
    expect(joined).toMatchObject({ already: false, inviter: 'not-a-member' });
  });

  it("an admin sees another member's invitation, withdraws it, and every list drops it", async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const joinBy = async (name: string, link: string) => {
      const p = await person(w, name);
      await p.invites.join(await p.invites.resolve(link));
      return p;
    };
    const bob = await joinBy('Bob', (await ann.invites.create(groupId)).link);
    const cat = await joinBy('Cat', (await ann.invites.create(groupId)).link);
    const dan = await joinBy('Dan', (await ann.invites.create(groupId)).link);
    // Ann (the creator) makes Bob an admin; Cat's device hears of it before she invites.
    const art = await ann.hearth.open(groupId);
    await art.pullNow();
    art.features.membership.setAdmin(ann.hearth.me, bob.hearth.me.id, true);
    await ann.hearth.flushAll();
    const crt = await cat.hearth.open(groupId);
    await crt.pullNow();
    clock += 1000;
    const cats = await cat.invites.create(groupId, { ttlMs: 3_600_000, maxUses: 5 });
    await cat.hearth.flushAll();

    // Bob's device learns of it from the group's records and the relay counts its uses.
    await (await bob.hearth.open(groupId)).pullNow();
    const seen = (await bob.invites.listGroup(groupId)).find((i) => i.room === cats.room);
    expect(seen).toMatchObject({
      inviterName: 'Cat',
      mine: false,
      expiresAt: cats.expiresAt,
      maxUses: 5,
      uses: 0,
      state: 'active',
      mayWithdraw: true,
    });
    // The record holds neither the link's secret nor anything that opens the capsule.
    const parsed = parseAnyInvite(cats.link);
    if (parsed.kind !== 'short') throw new Error('not a short link');
    const brt = await bob.hearth.open(groupId);
    const stored = JSON.stringify(brt.group.doc.getMap('records').toJSON());
    expect(stored).toContain(cats.room);
    expect(stored).not.toContain(toBase64Url(parsed.short.secret));
    expect(stored).not.toContain(toBase64Url(deriveCapsuleKeys(parsed.short.secret).key));
    expect(stored).not.toContain(cats.link.slice(cats.link.indexOf('#')));

    // Dan, a member but no admin, sees it and may not withdraw it; the relay agrees.
    await (await dan.hearth.open(groupId)).pullNow();
    const forDan = (await dan.invites.listGroup(groupId)).find((i) => i.room === cats.room);
    expect(forDan).toMatchObject({ inviterName: 'Cat', mayWithdraw: false });
    expect(await codeOf(dan.invites.revoke(groupId, cats.room))).toBe('not-allowed');

    // Bob withdraws it: the link opens nothing, and Cat's and Ann's lists drop it even with
    // the relay out of reach, because the group's records say so.
    await bob.invites.revoke(groupId, cats.room);
    await bob.hearth.flushAll();
    const eve = await person(w, 'Eve');
    expect(await codeOf(eve.invites.resolve(cats.link))).toBe('gone');
    expect(eve.hearth.groups()).toEqual([]);
    w.relay.offline = true;
    await crt.pullNow();
    await art.pullNow();
    expect((await cat.invites.listGroup(groupId)).map((i) => i.room)).not.toContain(cats.room);
    expect((await ann.invites.listGroup(groupId)).map((i) => i.room)).not.toContain(cats.room);
    expect(crt.features.invites.withdrawnBy(crt.features.invites.byRoom(cats.room)[0]!)).toBe(
      bob.hearth.me.id,
    );
  });

  it('lists expire by themselves, and a record naming a strange relay sends nothing there', async () => {
    const w = world();
    const { ann, groupId, rt } = await annsGroup(w);
    const hour = await ann.invites.create(groupId, { ttlMs: 3_600_000 });
    const week = await ann.invites.create(groupId);
    expect((await ann.invites.listGroup(groupId)).map((i) => i.room).sort()).toEqual(
      [hour.room, week.room].sort(),
    );
    clock += 3_600_000;
    expect((await ann.invites.listGroup(groupId)).map((i) => i.room)).toEqual([week.room]);

    // A member's record pointing at a relay this device does not use for the group: listed
    // (the record is signed) but the relay is never asked, and no withdrawal goes there.
    const asked: string[] = [];
    const watching = new Invites(ann.hearth, (url) => {
      asked.push(url);
      return w.relay;
    });
    rt.features.invites.announce(ann.hearth.me, {
      room: 'AAAAAAAAAAAAAAAAAAAAAA',
      relay: 'wss://elsewhere.hearth.test/signal',
      expiresAt: clock + 3_600_000,
      maxUses: 0,
      revokers: [ann.hearth.me.id],
    });
    const listed = await watching.listGroup(groupId);
    expect(listed.find((i) => i.room === 'AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({
      state: 'unknown',
      uses: undefined,
    });
    expect(asked.every((u) => u === RELAY)).toBe(true);
    expect(await codeOf(watching.revoke(groupId, 'AAAAAAAAAAAAAAAAAAAAAA'))).toBe('not-allowed');
    expect(asked.every((u) => u === RELAY)).toBe(true);
  });

  it('watch calls back on invite records; an invitation from before the records still lists', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    let calls = 0;
    const stop = await ann.invites.watch(groupId, () => calls++);
    const made = await ann.invites.create(groupId);
    const afterCreate = calls;
    expect(afterCreate).toBeGreaterThan(0);
    await ann.invites.revoke(groupId, made.room);
    expect(calls).toBeGreaterThan(afterCreate);
    stop();
    const stopped = calls;
    await ann.invites.create(groupId);
    expect(calls).toBe(stopped);

    // A capsule and a device row written the way the app did before invite records existed.
    const secret = generateInviteSecret();
    const keys = deriveCapsuleKeys(secret);
    const me = ann.hearth.me;
    const expiresAt = clock + DAY;
    const capsule = sealCapsule(
      {
        groupKey: ann.hearth.entry(groupId)!.groupKey,
        groupId: ann.hearth.entry(groupId)!.groupId,
        inviterId: me.id,
        expiresAt,
        groupName: 'Garden club',
        inviterName: 'Ann',
        relays: [],
      },
      me.signing.secretKey,
      keys,
    );
    const revokers = [signingKeyOfMember(me.id)];
    await w.relay.put(
      keys.room,
      encodeCreate(keys.room, { expiresAt, maxUses: 0, revokers, capsule }, me.signing.secretKey),
    );
    const row = {
      v: 1,
      secret: toBase64Url(secret),
      relay: RELAY,
      createdAt: clock,
      expiresAt,
      maxUses: 0,
    };
    await ann.hearth.env.storage.save(
      ['invites', groupId, keys.room],
      new TextEncoder().encode(JSON.stringify(row)),
    );
    const old = (await ann.invites.listGroup(groupId)).find((i) => i.room === keys.room);
    expect(old).toMatchObject({ mine: true, mayWithdraw: true, uses: 0, state: 'active' });
    await ann.invites.revoke(groupId, keys.room);
    expect(w.relay.liveRooms()).not.toContain(keys.room);
    expect((await ann.invites.listGroup(groupId)).map((i) => i.room)).not.toContain(keys.room);
  });

  it('who may withdraw: inviter and creator now, admins once roles exist', () => {
    const [a, b, c] = ['a', 'b', 'c'] as unknown as Parameters<typeof mayRevoke>[1][];
    expect(revokersOf({ inviterId: a!, creatorId: a })).toEqual([a]);
    expect(revokersOf({ inviterId: b!, creatorId: a })).toEqual([b, a]);
    expect(mayRevoke({ inviterId: b!, creatorId: a }, c!)).toBe(false);
    expect(mayRevoke({ inviterId: b!, creatorId: a, admins: [c!] }, c!)).toBe(true);
  });

  it('reads a long link of the old format without the relay', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const bob = await person(w, 'Bob');
    w.relay.offline = true;
    const resolved = await bob.invites.resolve(await ann.hearth.inviteLink(groupId));
    expect(resolved).toMatchObject({ short: false, expiresAt: undefined });
    expect(parseAnyInvite(await ann.hearth.inviteLink(groupId)).kind).toBe('long');
  });
});
