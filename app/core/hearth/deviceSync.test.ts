// The member's channel between their own devices (deviceSync.ts), through the whole service:
// each device its own storage, one in-memory mailbox and invite relay. A group created,
// joined or left on one device reaches the others; a device unlinked anywhere hears nothing
// after it, and what it sends is not believed.
import { describe, expect, it } from 'vitest';
import { deriveRoomId } from '../crypto/keys.ts';
import { parseInvite } from '../invite/invite.ts';
import { MemoryInviteRelay } from '../invite/MemoryInviteRelay.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { deviceSyncKey } from './deviceSync.ts';
import { Hearth, type HearthEnv } from './Hearth.ts';
import { acceptLink, offerLink, parseLink } from './linkDevice.ts';

const RELAY = 'ws://127.0.0.1:9/signal';

function env(storage: MemoryStorage, mailbox: MemoryMailbox): HearthEnv {
  return { storage, origin: 'https://hearth.test', defaultRelay: RELAY, mailboxFor: () => mailbox };
}

async function setUp() {
  const mailbox = new MemoryMailbox();
  const invites = new MemoryInviteRelay();
  const a = await Hearth.load(env(new MemoryStorage(), mailbox));
  await a.setUp('Alice');
  const first = await a.createGroup('Allotment');
  await first.ready;
  return { mailbox, invites, a, first };
}

async function link(a: Hearth, mailbox: MemoryMailbox, invites: MemoryInviteRelay, label: string) {
  const { url } = await offerLink(a, invites, { relay: RELAY, label });
  const storage = new MemoryStorage();
  await acceptLink(storage, invites, parseLink(url));
  return { hearth: await Hearth.load(env(storage, mailbox)), storage };
}

const names = (h: Hearth) => h.groups().map((g) => g.name);

describe('the device channel', () => {
  it('brings a group created or joined after linking to the other device, which reads and writes in it', async () => {
    const { mailbox, invites, a } = await setUp();
    const { hearth: b } = await link(a, mailbox, invites, 'Phone');
    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bob.setUp('Bob');
    const bobs = await bob.createGroup('Choir');
    await bobs.ready;

    const made = await a.createGroup('Book club');
    await made.ready;
    const t = made.features.discussion.startThread(a.me, { title: 'June', body: 'Dune' });
    await made.flush();
    await a.join(parseInvite(bob.inviteLink(bobs.entry.groupId)));
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
    const { mailbox, invites, a, first } = await setUp();
    const { hearth: b } = await link(a, mailbox, invites, 'Phone');
    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bob.setUp('Bob');
    const bobs = await bob.createGroup('Choir');
    await bobs.ready;
    const invite = bob.inviteLink(bobs.entry.groupId);
    await a.join(parseInvite(invite));
    await b.pullAll();
    expect(names(b)).toContain('Choir');

    await a.leaveGroup(bobs.entry.groupId);
    await b.pullAll();
    expect(names(b)).toEqual(['Allotment']);
    // The first group was never touched.
    expect(a.entry(first.entry.groupId)).toBeDefined();
    // Joining again is newer than the leave: the phone has the group once more.
    await a.join(parseInvite(bob.inviteLink(bobs.entry.groupId)));
    await b.pullAll();
    expect(names(b).sort()).toEqual(['Allotment', 'Choir']);
  });

  it('a device unlinked in any group hears of no later group, and what it sends is not believed', async () => {
    const { mailbox, invites, a, first } = await setUp();
    const { hearth: phone } = await link(a, mailbox, invites, 'Phone');
    const { hearth: lost } = await link(a, mailbox, invites, 'Old phone');
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
    await lost.join(parseInvite(bob.inviteLink(bait.entry.groupId)));
    await lost.flushAll();
    // The phone learns of the unlink from the group before it reads the channel.
    await (await phone.open(first.entry.groupId)).pullNow();
    await phone.pullAll();
    expect(names(phone)).not.toContain('Bait');
    await a.pullAll();
    expect(names(a)).not.toContain('Bait');
  });
});
