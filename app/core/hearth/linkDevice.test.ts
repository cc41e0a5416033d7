// Linking a second device of one member through the whole service: the link's parts on an
// in-memory invite relay, the groups' history through an in-memory mailbox, each device with
// its own storage. Then unlinking a lost device: a new epoch it is not given.
import { describe, expect, it } from 'vitest';
import { deriveRoomId } from '../crypto/keys.ts';
import { parseInvite } from '../invite/invite.ts';
import { MemoryInviteRelay } from '../invite/MemoryInviteRelay.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { deviceSyncKey } from './deviceSync.ts';
import { Hearth, type HearthEnv } from './Hearth.ts';
import {
  acceptLink,
  LINK_TTL_MS,
  LinkError,
  linkKeys,
  offerLink,
  parseLink,
} from './linkDevice.ts';
import { GROUPS_PREFIX } from './storageLayout.ts';

const RELAY = 'ws://127.0.0.1:9/signal';

function env(storage: MemoryStorage, mailbox: MemoryMailbox): HearthEnv {
  return { storage, origin: 'https://hearth.test', defaultRelay: RELAY, mailboxFor: () => mailbox };
}

async function setUp() {
  const mailbox = new MemoryMailbox();
  const invites = new MemoryInviteRelay();
  const aStorage = new MemoryStorage();
  const a = await Hearth.load(env(aStorage, mailbox));
  await a.setUp('Alice');
  const rt = await a.createGroup('Allotment');
  await rt.ready;
  rt.features.discussion.startThread(a.me, { title: 'Seed swap', body: 'Bring jars' });
  await rt.flush();
  return { mailbox, invites, a, rt, aStorage };
}

/** Links a fresh device to `a` and opens it. */
async function link(a: Hearth, mailbox: MemoryMailbox, invites: MemoryInviteRelay, label: string) {
  const { url } = await offerLink(a, invites, { relay: RELAY, label });
  return Hearth.load(env(await acceptInto(invites, url), mailbox));
}

async function acceptInto(invites: MemoryInviteRelay, url: string): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  await acceptLink(storage, invites, parseLink(url));
  return storage;
}

describe('linking a device', () => {
  it('gives B the identity and every group with its history; B writes as the same member', async () => {
    const { mailbox, invites, a, rt } = await setUp();
    const b = await link(a, mailbox, invites, 'Phone');
    expect(b.me.id).toBe(a.me.id);
    expect(b.me.device?.id).not.toBe(a.me.device?.id);
    expect(b.groups().map((g) => g.name)).toEqual(['Allotment']);
    const brt = await b.open(rt.entry.groupId);
    await brt.ready;
    await brt.pullNow();
    expect(brt.features.discussion.threads().map((t) => t.title)).toEqual(['Seed swap']);
    // Each device writes into its own Yjs client.
    expect(brt.group.doc.clientID).not.toBe(rt.group.doc.clientID);
    // Both devices answer at once: neither answer loses (the kernel keys records by signature).
    const thread = brt.features.discussion.threads()[0]!.id;
    brt.features.discussion.reply(b.me, thread, 'from the phone');
    rt.features.discussion.reply(a.me, thread, 'from the laptop');
    // The same slot edited by both devices at once: both carry the same counter, so one
    // version wins, the same on both; the next edit counts past both and wins everywhere.
    brt.features.discussion.edit(b.me, thread, { body: 'phone edit' });
    rt.features.discussion.edit(a.me, thread, { body: 'laptop edit' });
    await brt.flush();
    await rt.flush();
    await rt.pullNow();
    await brt.pullNow();
    for (const r of [rt, brt]) {
      const bodies = r.features.discussion
        .replies(thread)
        .map((x) => x.body)
        .sort();
      expect(bodies).toEqual(['from the laptop', 'from the phone']);
    }
    await Promise.all([rt.group.verify([thread]), brt.group.verify([thread])]);
    const winner = rt.features.discussion.thread(thread)!.body;
    expect(['phone edit', 'laptop edit']).toContain(winner);
    expect(brt.features.discussion.thread(thread)!.body).toBe(winner);
    brt.features.discussion.edit(b.me, thread, { body: 'final' });
    await brt.flush();
    await rt.pullNow();
    await rt.group.verify([thread]);
    expect(rt.features.discussion.thread(thread)!.body).toBe('final');
    // Both devices are listed under the member.
    expect(
      rt.features.devices
        .of(a.me.id)
        .map((d) => d.label)
        .sort(),
    ).toEqual(['First device', 'Phone']);
  });

  it('is sealed under the link secret, used once, and refused once expired', async () => {
    const { mailbox, invites, a } = await setUp();
    const { url } = await offerLink(a, invites, { relay: RELAY, label: 'Phone' });
    const parsed = parseLink(url);
    // What the relay holds does not contain the member's name or id in clear.
    const sealed = await invites.open(linkKeys(parsed.secret).room(0));
    const text = new TextDecoder().decode(sealed);
    expect(text).not.toContain('Alice');
    expect(text).not.toContain(a.me.id);
    // That was its one use.
    await expect(acceptLink(new MemoryStorage(), invites, parsed)).rejects.toMatchObject({
      code: 'expired',
    });
    // A link past its expiry is refused even where a relay still hands it out.
    const late = await offerLink(a, invites, { relay: RELAY, label: 'Tablet' });
    await expect(
      acceptLink(new MemoryStorage(), invites, parseLink(late.url), Date.now() + LINK_TTL_MS + 1),
    ).rejects.toBeInstanceOf(LinkError);
    expect(() => parseLink('https://hearth.test/#/link/nonsense')).toThrow(LinkError);
    // A device that already has a member is not overwritten.
    const again = await offerLink(a, invites, { relay: RELAY, label: 'Tablet' });
    const used = new MemoryStorage();
    const other = await Hearth.load(env(used, mailbox));
    await other.setUp('Someone else');
    await expect(acceptLink(used, invites, parseLink(again.url))).rejects.toMatchObject({
      code: 'has-identity',
    });
  });

  it('splits what does not fit one capsule into parts, all needed', async () => {
    const { mailbox, invites, a, aStorage } = await setUp();
    // Thirty more registry rows, as if this device were in thirty more groups.
    const [row] = await aStorage.loadRange(GROUPS_PREFIX);
    const entry = JSON.parse(new TextDecoder().decode(row!.data));
    for (let i = 0; i < 30; i++) {
      const groupId = `${'g'.repeat(20)}${String(i).padStart(2, '0')}`;
      const name = `${'Long group name '.repeat(6)}${i}`;
      const data = new TextEncoder().encode(JSON.stringify({ ...entry, groupId, name }));
      await aStorage.save([...GROUPS_PREFIX, groupId], data);
    }
    const { url } = await offerLink(a, invites, { relay: RELAY, label: 'Phone' });
    const keys = linkKeys(parseLink(url).secret);
    expect(await invites.status(keys.room(1))).not.toBeNull();
    const b = await Hearth.load(env(await acceptInto(invites, url), mailbox));
    expect(b.groups()).toHaveLength(31);
  });

  it('unlinking a lost device starts a new epoch the lost device is not given', async () => {
    const { mailbox, invites, a, rt } = await setUp();
    // Bob, another member, is in the group too.
    const bobHearth = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bobHearth.setUp('Bob');
    const bob = await bobHearth.join(parseInvite(await a.inviteLink(rt.entry.groupId)));
    await bob.ready;
    await bob.flush();
    const phone = await link(a, mailbox, invites, 'Phone');
    const lost = await link(a, mailbox, invites, 'Old phone');
    const prt = await phone.open(rt.entry.groupId);
    const lrt = await lost.open(rt.entry.groupId);
    await Promise.all([prt.ready, lrt.ready]);
    await rt.pullNow();
    const lostId = lost.me.device!.id;
    expect(rt.features.devices.of(a.me.id)).toHaveLength(3);
    // The lost device cannot unlink the device in use; the laptop unlinks the lost one.
    expect(() => rt.features.devices.unlink(a.me, a.me.device!.id)).toThrow();
    const oldRoom = rt.keys.roomId;
    rt.features.devices.unlink(a.me, lostId);
    await rt.epochs.review();
    await rt.flush();
    expect(rt.keys.roomId).not.toBe(oldRoom);
    const newest = rt.features.membership.fold().chain.at(-1)!;
    expect(Object.keys(newest.keys).some((k) => k.endsWith(`.${lostId}`))).toBe(false);
    expect(Object.keys(newest.keys)).not.toContain(a.me.id);
    // The other linked device and the other member follow; the lost one is locked out.
    for (const r of [prt, bob, lrt]) await r.pullNow();
    expect(prt.keys.roomId).toBe(rt.keys.roomId);
    expect(bob.keys.roomId).toBe(rt.keys.roomId);
    expect(lrt.membershipState.kind).toBe('locked-out');
    // What is written after the unlink reaches the linked devices, not the lost one.
    const t = rt.features.discussion.startThread(a.me, { title: 'After', body: 'new key' });
    await rt.flush();
    await prt.pullNow();
    await lrt.pullNow();
    expect(prt.features.discussion.thread(t)).toBeDefined();
    expect(lrt.features.discussion.thread(t)).toBeUndefined();
  });
});

const names = (h: Hearth) => h.groups().map((g) => g.name);

// After linking: the member's channel between their own devices (deviceSync.ts). A group
// created, joined or left on one device reaches the others; a device unlinked anywhere hears
// nothing after it, and what it sends is not believed.
describe('the device channel', () => {
  it('brings a group created or joined after linking to the other device, which reads and writes in it', async () => {
    const { mailbox, invites, a } = await setUp();
    const b = await link(a, mailbox, invites, 'Phone');
    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bob.setUp('Bob');
    const bobs = await bob.createGroup('Choir');
    await bobs.ready;

    const made = await a.createGroup('Book club');
    await made.ready;
    const t = made.features.discussion.startThread(a.me, { title: 'June', body: 'Dune' });
    await made.flush();
    await a.join(parseInvite(await bob.inviteLink(bobs.entry.groupId)));
    await a.flushAll();

    await b.pullAll();
    expect(names(b).sort()).toEqual(['Allotment', 'Book club', 'Choir']);
    // The phone's device is recorded in the new group, so its next key reaches the phone too.
    expect(
      made.features.devices
        .of(a.me.id)
        .map((d) => d.label)
        .sort(),
    ).toEqual(['First device', 'Phone']);
    const brt = await b.open(made.entry.groupId);
    await brt.ready;
    await brt.pullNow();
    expect(brt.features.discussion.thread(t)?.title).toBe('June');
    brt.features.discussion.reply(b.me, t, 'from the phone');
    await brt.flush();
    await made.pullNow();
    expect(made.features.discussion.replies(t).map((r) => r.body)).toEqual(['from the phone']);
    // The relay holds the channel only sealed: no group name, id or key in clear.
    const room = deriveRoomId(deviceSyncKey(a.me));
    const page = await mailbox.pull(room, 0);
    expect(page.entries.length).toBeGreaterThan(0);
    for (const e of page.entries) {
      const text = new TextDecoder().decode(e.blob);
      expect(text).not.toContain('Book club');
      expect(text).not.toContain(made.entry.groupId);
    }
  });

  it('a group left on one device is deleted on the other; joining again later brings it back', async () => {
    const { mailbox, invites, a, rt: first } = await setUp();
    const b = await link(a, mailbox, invites, 'Phone');
    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bob.setUp('Bob');
    const bobs = await bob.createGroup('Choir');
    await bobs.ready;
    const invite = await bob.inviteLink(bobs.entry.groupId);
    await a.join(parseInvite(invite));
    await b.pullAll();
    expect(names(b)).toContain('Choir');

    await a.leaveGroup(bobs.entry.groupId);
    await b.pullAll();
    expect(names(b)).toEqual(['Allotment']);
    // The first group was never touched.
    expect(a.entry(first.entry.groupId)).toBeDefined();
    // Joining again is newer than the leave: the phone has the group once more.
    await a.join(parseInvite(await bob.inviteLink(bobs.entry.groupId)));
    await b.pullAll();
    expect(names(b).sort()).toEqual(['Allotment', 'Choir']);
  });

  it('a device unlinked in any group hears of no later group, and what it sends is not believed', async () => {
    const { mailbox, invites, a, rt: first } = await setUp();
    const phone = await link(a, mailbox, invites, 'Phone');
    const lost = await link(a, mailbox, invites, 'Old phone');
    await phone.pullAll();
    await lost.pullAll();
    first.features.devices.unlink(a.me, lost.me.device!.id);
    await first.flush();

    const made = await a.createGroup('After the loss');
    await made.ready;
    await a.flushAll();
    await phone.pullAll();
    await lost.pullAll();
    expect(names(phone)).toContain('After the loss');
    expect(names(lost)).not.toContain('After the loss');
    // The lost device still holds the identity: it derives the channel and writes into it,
    // but nothing in it was boxed to it, and its own news is refused by the linked devices.
    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bob.setUp('Bob');
    const bait = await bob.createGroup('Bait');
    await bait.ready;
    await lost.join(parseInvite(await bob.inviteLink(bait.entry.groupId)));
    await lost.flushAll();
    // The phone learns of the unlink from the group before it reads the channel.
    await (await phone.open(first.entry.groupId)).pullNow();
    await phone.pullAll();
    expect(names(phone)).not.toContain('Bait');
    await a.pullAll();
    expect(names(a)).not.toContain('Bait');
  });
});
