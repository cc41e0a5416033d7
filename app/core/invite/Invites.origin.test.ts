// Fake invitations naming a real group's id (docs/SECURITY.md, "Fake invitations"): a group's
// id is derived from its creator's key, so its document proves it; a group held on a device
// that proves nothing gives way to one that does, and a proven group never gives way.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type GroupId,
  type GroupKey,
  generateGroupId,
  generateGroupKey,
  signingKeyOfMember,
} from '../crypto/keys.ts';
import { RECORDS_MAP } from '../group/records.ts';
import { Hearth, type HearthEnv, SET_ASIDE_PREFIX } from '../hearth/Hearth.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { deriveCapsuleKeys, generateInviteSecret, sealCapsule } from './capsule.ts';
import { Invites } from './Invites.ts';
import { InviteError, type InviteErrorCode } from './invite.ts';
import { encodeCreate } from './inviteWire.ts';
import { MemoryInviteRelay } from './MemoryInviteRelay.ts';
import { createShortLink } from './shortLink.ts';

const RELAY = 'ws://127.0.0.1:9/signal';
const DAY = 86_400_000;
const now = () => Date.now();
const open: Hearth[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

interface World {
  mailbox: MemoryMailbox;
  relay: MemoryInviteRelay;
}
type Person = { hearth: Hearth; invites: Invites; storage: MemoryStorage };

const world = (): World => ({ mailbox: new MemoryMailbox(), relay: new MemoryInviteRelay(now) });

async function person(w: World, name: string): Promise<Person> {
  const storage = new MemoryStorage();
  const env: HearthEnv = {
    storage,
    origin: 'https://hearth.test',
    defaultRelay: RELAY,
    mailboxFor: () => w.mailbox,
  };
  const hearth = await Hearth.load(env);
  await hearth.setUp(name);
  open.push(hearth);
  return { hearth, invites: new Invites(hearth, () => w.relay), storage };
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

/** Ann's group, made by this version (derived id), with one thread, uploaded. */
async function annsGroup(w: World) {
  const ann = await person(w, 'Ann');
  const rt = await ann.hearth.createGroup('Garden club');
  await rt.ready;
  rt.features.discussion.startThread(ann.hearth.me, { title: 'Seeds', body: 'Bring seeds' });
  await rt.flush();
  return { ann, rt, groupId: rt.entry.groupId };
}

/**
 * Mallory's room for `groupId` under a key of her own: her member record, the group's name and
 * a thread of hers, uploaded; with `copy`, every record of the real group as well (she read it
 * once). Returns her key.
 */
async function fakeRoom(mallory: Person, groupId: GroupId, copy?: Hearth): Promise<GroupKey> {
  const key = generateGroupKey();
  const me = mallory.hearth.me;
  const rt = await mallory.hearth.join({
    version: 1,
    groupKey: key,
    groupId,
    groupName: 'Garden club',
    inviterName: 'Ann',
    inviterId: me.id,
    relays: [RELAY],
  });
  await rt.ready;
  rt.group.write(me, 'group', { name: 'Garden club', about: '' });
  rt.features.discussion.startThread(me, { title: 'Send me your password', body: 'Quick!' });
  if (copy) {
    const real = (await copy.open(groupId)).group.doc.getMap(RECORDS_MAP);
    const mine = rt.group.doc.getMap(RECORDS_MAP);
    rt.group.doc.transact(() => {
      for (const [k, v] of real) mine.set(k, v);
    });
  }
  await rt.flush();
  return key;
}

/** A capsule signed by Mallory naming `groupId` with `groupKey`, as a short link. */
async function forge(w: World, mallory: Person, groupId: GroupId, groupKey: GroupKey) {
  const secret = generateInviteSecret();
  const keys = deriveCapsuleKeys(secret);
  const me = mallory.hearth.me;
  const expiresAt = Date.now() + DAY;
  const capsule = sealCapsule(
    {
      groupKey,
      groupId,
      inviterId: me.id,
      expiresAt,
      groupName: 'Garden club',
      inviterName: 'Ann',
      relays: [RELAY],
    },
    me.signing.secretKey,
    keys,
  );
  const body = encodeCreate(
    keys.room,
    { expiresAt, maxUses: 0, revokers: [signingKeyOfMember(me.id)], capsule },
    me.signing.secretKey,
  );
  await w.relay.put(keys.room, body);
  return createShortLink({ secret, relay: null, origin: 'https://hearth.test' });
}

const titles = async (p: Person, groupId: string) =>
  (await p.hearth.open(groupId)).features.discussion
    .threads()
    .map((t) => t.title)
    .sort();

describe('Invites: a group id proven by its creator', () => {
  it('a fake joined first gives way to the genuine invitation; the fake is set aside', async () => {
    const w = world();
    const { ann, groupId, rt: art } = await annsGroup(w);
    expect(await ann.hearth.proof(groupId)).toBe('proven');
    const mallory = await person(w, 'Mallory');
    const fakeKey = await fakeRoom(mallory, groupId);

    const bob = await person(w, 'Bob');
    const fake = await bob.invites.join(
      await bob.invites.resolve(await forge(w, mallory, groupId, fakeKey)),
    );
    expect(fake).toMatchObject({ already: false, inviter: 'member' });
    expect(await titles(bob, groupId)).toEqual(['Send me your password']);
    expect(await bob.hearth.proof(groupId)).toBe('unproven');
    // Bob answers there before he learns better; what he wrote is kept with the fake.
    const brt = await bob.hearth.open(groupId);
    const thread = brt.features.discussion.threads()[0]!;
    brt.features.discussion.reply(bob.hearth.me, thread.id, 'Here it is');
    await brt.flush();

    const genuine = await bob.invites.resolve((await ann.invites.create(groupId)).link);
    const joined = await bob.invites.join(genuine);
    expect(joined).toMatchObject({ groupId, already: false, inviter: 'member', setAside: true });
    expect(bob.hearth.entry(groupId)?.groupKey).toEqual(art.entry.groupKey);
    expect(bob.hearth.groups()).toHaveLength(1);
    expect(await titles(bob, groupId)).toEqual(['Seeds']);
    expect(await bob.hearth.proof(groupId)).toBe('proven');
    // The fake's registry row and document rows are kept, off the list.
    const kept = await bob.storage.loadRange([...SET_ASIDE_PREFIX, groupId]);
    expect(kept.some((r) => r.key.at(-1) === 'entry')).toBe(true);
    expect(kept.filter((r) => r.key.includes('doc')).length).toBeGreaterThan(0);

    // Ann sees Bob join the real group, and the fake cannot come back.
    await (await bob.hearth.open(groupId)).flush();
    await art.pullNow();
    expect(art.group.isMember(bob.hearth.me.id)).toBe(true);
    const again = await bob.invites.resolve(await forge(w, mallory, groupId, fakeKey));
    expect(await codeOf(bob.invites.join(again))).toBe('conflict');
    expect(bob.hearth.entry(groupId)?.groupKey).toEqual(art.entry.groupKey);
  });

  it('a genuine group is never replaced: fakes are refused, a copy of its records too', async () => {
    const w = world();
    const { ann, groupId, rt: art } = await annsGroup(w);
    const bob = await person(w, 'Bob');
    await bob.invites.join(await bob.invites.resolve((await ann.invites.create(groupId)).link));
    const mallory = await person(w, 'Mallory');
    for (const copy of [undefined, ann.hearth]) {
      const m = copy ? await person(w, 'Mallory') : mallory;
      const key = await fakeRoom(m, groupId, copy);
      const fake = await bob.invites.resolve(await forge(w, m, groupId, key));
      expect(await codeOf(bob.invites.join(fake))).toBe('conflict');
      expect(bob.hearth.entry(groupId)?.groupKey).toEqual(art.entry.groupKey);
      expect(await titles(bob, groupId)).toEqual(['Seeds']);
    }
    expect(await bob.storage.loadRange([...SET_ASIDE_PREFIX])).toEqual([]);
  });

  it('a fake carrying a copy of the real records proves nothing: the genuine one replaces it', async () => {
    const w = world();
    const { ann, groupId, rt: art } = await annsGroup(w);
    const mallory = await person(w, 'Mallory');
    const fakeKey = await fakeRoom(mallory, groupId, ann.hearth);
    const bob = await person(w, 'Bob');
    await bob.invites.join(await bob.invites.resolve(await forge(w, mallory, groupId, fakeKey)));
    expect(await titles(bob, groupId)).toEqual(['Seeds', 'Send me your password']);
    expect(await bob.hearth.proof(groupId)).toBe('unproven');
    // Ann's real invitation: Ann is a member in the copy too, which once let it "just open".
    const joined = await bob.invites.join(
      await bob.invites.resolve((await ann.invites.create(groupId)).link),
    );
    expect(joined.setAside).toBe(true);
    expect(bob.hearth.entry(groupId)?.groupKey).toEqual(art.entry.groupKey);
    expect(await titles(bob, groupId)).toEqual(['Seeds']);
  });

  it('after a removal the newest key proves the group through its epoch records', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const cat = await person(w, 'Cat');
    await cat.invites.join(await cat.invites.resolve((await ann.invites.create(groupId)).link));
    await (await cat.hearth.open(groupId)).flush();
    const art = await ann.hearth.open(groupId);
    await art.pullNow();
    await ann.hearth.removeMember(groupId, cat.hearth.me.id);
    expect(ann.hearth.entry(groupId)?.epochKey).toBeDefined();

    const mallory = await person(w, 'Mallory');
    const fakeKey = await fakeRoom(mallory, groupId);
    const bob = await person(w, 'Bob');
    await bob.invites.join(await bob.invites.resolve(await forge(w, mallory, groupId, fakeKey)));
    const joined = await bob.invites.join(
      await bob.invites.resolve((await ann.invites.create(groupId)).link),
    );
    expect(joined.setAside).toBe(true);
    expect(bob.hearth.entry(groupId)?.groupKey).toEqual(ann.hearth.entry(groupId)?.epochKey);
    expect(await bob.hearth.proof(groupId)).toBe('proven');
    expect(await titles(bob, groupId)).toEqual(['Seeds']);
  });

  it('after a member leaves and a member (not an admin) starts the epoch, the newest key proves the group once an admin has followed', async () => {
    const w = world();
    const { ann, groupId } = await annsGroup(w);
    const [cat, dan] = [await person(w, 'Cat'), await person(w, 'Dan')];
    for (const p of [cat, dan]) {
      await p.invites.join(await p.invites.resolve((await ann.invites.create(groupId)).link));
      await (await p.hearth.open(groupId)).flush();
    }
    const art = await ann.hearth.open(groupId);
    await art.pullNow();
    await cat.hearth.leaveGroup(groupId);
    // Dan's device sees the leave first and starts the new epoch, as any member's may.
    const drt = await dan.hearth.open(groupId);
    await drt.pullNow();
    await drt.epochs.review();
    await drt.flush();
    expect(drt.features.membership.fold().chain.map((e) => e.author)).toEqual([dan.hearth.me.id]);
    // Ann's device follows it (and, as an admin's, vouches for it).
    await art.pullNow();
    await art.epochs.review();
    await art.flush();
    expect(art.keys.roomId).toBe(drt.keys.roomId);

    const bob = await person(w, 'Bob');
    await bob.invites.join(await bob.invites.resolve((await ann.invites.create(groupId)).link));
    const brt = await bob.hearth.open(groupId);
    await brt.pullNow();
    expect(bob.hearth.entry(groupId)?.groupKey).toEqual(drt.keys.groupKey);
    expect(await bob.hearth.proof(groupId)).toBe('proven');
  });

  it('a group of the old kind (random id) works as before and proves nothing', async () => {
    const w = world();
    const ann = await person(w, 'Ann');
    // How groups were made before: a random id, no origin record.
    const groupId = generateGroupId();
    const key = generateGroupKey();
    const art = await ann.hearth.join({
      version: 1,
      groupKey: key,
      groupId,
      groupName: 'Old club',
      inviterName: 'Ann',
      inviterId: ann.hearth.me.id,
      relays: [RELAY],
    });
    art.group.write(ann.hearth.me, 'group', { name: 'Old club', about: '' });
    await art.flush();
    const bob = await person(w, 'Bob');
    const link = (await ann.invites.create(groupId)).link;
    expect(await bob.invites.join(await bob.invites.resolve(link))).toMatchObject({
      already: false,
      inviter: 'member',
    });
    expect(await bob.hearth.proof(groupId)).toBe('unproven');
    const mallory = await person(w, 'Mallory');
    const fakeKey = await fakeRoom(mallory, groupId);
    const fake = await bob.invites.resolve(await forge(w, mallory, groupId, fakeKey));
    expect(await codeOf(bob.invites.join(fake))).toBe('conflict');
    expect(bob.hearth.entry(groupId)?.groupKey).toEqual(key);
    expect(await bob.storage.loadRange([...SET_ASIDE_PREFIX])).toEqual([]);
  });
});
