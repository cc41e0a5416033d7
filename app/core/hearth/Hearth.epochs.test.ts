// Removal, leaving and key epochs through the whole service: four members' devices on one
// in-memory mailbox, each with its own storage, as in the app but without a browser.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveEpochKeys, type GroupKey } from '../crypto/keys.ts';
import { open } from '../crypto/sealed.ts';
import { parseInvite } from '../invite/invite.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MailboxError } from '../sync/Mailbox.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { type GroupRuntime, Hearth, type HearthEnv } from './Hearth.ts';

const RELAY = 'ws://127.0.0.1:9/signal';

function env(storage: MemoryStorage, mailbox: MemoryMailbox): HearthEnv {
  return { storage, origin: 'https://hearth.test', defaultRelay: RELAY, mailboxFor: () => mailbox };
}

async function device(name: string, mailbox: MemoryMailbox, storage = new MemoryStorage()) {
  const hearth = await Hearth.load(env(storage, mailbox));
  if (!hearth.identity) await hearth.setUp(name);
  return { hearth, storage };
}

/** Alice's group with Bob, Cat and Dan, everyone synced. */
async function fourMembers() {
  const mailbox = new MemoryMailbox();
  const alice = await device('Alice', mailbox);
  const art = await alice.hearth.createGroup('Allotment');
  await art.ready;
  const link = await alice.hearth.inviteLink(art.entry.groupId);
  art.features.discussion.startThread(alice.hearth.me, { title: 'Before', body: 'old news' });
  await art.flush();
  const others: Record<
    'bob' | 'cat' | 'dan',
    { hearth: Hearth; storage: MemoryStorage; rt: GroupRuntime }
  > = {} as never;
  for (const name of ['bob', 'cat', 'dan'] as const) {
    const d = await device(name[0]!.toUpperCase() + name.slice(1), mailbox);
    const rt = await d.hearth.join(parseInvite(link));
    await rt.ready;
    await rt.pullNow();
    await rt.flush();
    others[name] = { ...d, rt };
  }
  await art.pullNow();
  expect(art.group.members()).toHaveLength(4);
  return { mailbox, alice: { ...alice, rt: art }, ...others };
}

const titles = (rt: GroupRuntime) =>
  rt.features.discussion
    .threads()
    .map((t) => t.title)
    .sort();

/** Every entry of a room that opens with `key`'s store key. */
async function readable(mailbox: MemoryMailbox, room: string, key: GroupKey): Promise<number> {
  const page = await mailbox.pull(room as never, 0, 1000);
  let n = 0;
  for (const e of page.entries) {
    try {
      open(deriveEpochKeys(key).storeKey, e.blob);
      n++;
    } catch {
      // sealed under another key
    }
  }
  return n;
}

describe('Hearth: removal and key epochs', () => {
  it('an admin removes a member: the others move to a new room, the removed one reads nothing new', async () => {
    const { mailbox, alice, bob, cat, dan } = await fourMembers();
    const groupId = alice.rt.entry.groupId;
    const oldRoom = alice.rt.keys.roomId;
    // Dan's device is off during the removal.
    await dan.rt.flush();
    await dan.hearth.close();

    await alice.hearth.removeMember(groupId, cat.hearth.me.id, 'Left the club in anger');
    const newRoom = alice.rt.keys.roomId;
    expect(newRoom).not.toBe(oldRoom);
    expect(alice.rt.membershipState.kind).toBe('member');

    // Bob's device finds the epoch record in the old room and moves by itself.
    await bob.rt.pullNow();
    expect(bob.rt.keys.roomId).toBe(newRoom);
    expect(titles(bob.rt)).toEqual(['Before']);
    bob.rt.features.discussion.startThread(bob.hearth.me, { title: 'From Bob', body: 'hi' });
    await bob.rt.flush();
    alice.rt.features.discussion.startThread(alice.hearth.me, { title: 'From Alice', body: 'hi' });
    await alice.rt.flush();
    await alice.rt.pullNow();
    await bob.rt.pullNow();
    expect(titles(alice.rt)).toEqual(['Before', 'From Alice', 'From Bob']);
    expect(titles(bob.rt)).toEqual(['Before', 'From Alice', 'From Bob']);

    // Cat, still in the old room, writes before she hears of it, then learns she was removed.
    cat.rt.features.discussion.startThread(cat.hearth.me, { title: 'From Cat, late', body: 'x' });
    await cat.rt.flush();
    await cat.rt.pullNow();
    expect(cat.rt.membershipState).toMatchObject({
      kind: 'removed',
      by: alice.hearth.me.id,
      reason: 'Left the club in anger',
    });
    expect(titles(cat.rt)).toEqual(['Before', 'From Cat, late']);
    // Nothing in the new room opens with any key Cat holds.
    expect(await mailbox.pull(newRoom, 0, 1000).then((p) => p.entries.length)).toBeGreaterThan(0);
    for (const key of [cat.rt.entry.groupKey, cat.rt.keys.groupKey]) {
      expect(await readable(mailbox, newRoom, key)).toBe(0);
    }
    // The keys the others hold open all of it.
    expect(await readable(mailbox, newRoom, alice.rt.keys.groupKey)).toBe(
      (await mailbox.pull(newRoom, 0, 1000)).entries.length,
    );

    // Dan comes back days later, catches up and never carries Cat's late thread along.
    const dan2 = await device('Dan', mailbox, dan.storage);
    const drt = await dan2.hearth.open(groupId);
    await drt.ready;
    await drt.pullNow();
    expect(drt.keys.roomId).toBe(newRoom);
    expect(titles(drt)).toEqual(['Before', 'From Alice', 'From Bob']);
    expect(drt.features.membership.departure(cat.hearth.me.id)?.how).toBe('removed');
    await alice.rt.pullNow();
    expect(titles(alice.rt)).not.toContain('From Cat, late');
    // The new key reaches invites and survives a restart.
    expect(dan2.hearth.entry(groupId)?.epochKey).toBeDefined();
    await dan2.hearth.close();
    const dan3 = await device('Dan', mailbox, dan.storage);
    const drt3 = await dan3.hearth.open(groupId);
    await drt3.ready;
    expect(drt3.keys.roomId).toBe(newRoom);
    for (const h of [alice.hearth, bob.hearth, cat.hearth, dan3.hearth]) await h.close();
  });

  it('a device that missed several epochs catches up from the oldest one', async () => {
    const { alice, bob, cat, dan } = await fourMembers();
    const groupId = alice.rt.entry.groupId;
    await dan.hearth.close();
    await alice.hearth.removeMember(groupId, cat.hearth.me.id);
    const first = alice.rt.keys.roomId;
    await bob.rt.pullNow();
    expect(bob.rt.keys.roomId).toBe(first);
    await alice.hearth.removeMember(groupId, bob.hearth.me.id);
    const second = alice.rt.keys.roomId;
    expect(second).not.toBe(first);
    alice.rt.features.discussion.startThread(alice.hearth.me, { title: 'Epoch 2', body: '' });
    await alice.rt.flush();
    await bob.rt.pullNow();
    expect(bob.rt.membershipState.kind).toBe('removed');

    const dan2 = await device(
      'Dan',
      alice.hearth.env.mailboxFor(RELAY) as MemoryMailbox,
      dan.storage,
    );
    const drt = await dan2.hearth.open(groupId);
    await drt.ready;
    await drt.pullNow();
    expect(drt.keys.roomId).toBe(second);
    expect(titles(drt)).toEqual(['Before', 'Epoch 2']);
    expect(drt.features.membership.fold().chain.map((r) => r.n)).toEqual([1, 2]);
    for (const h of [alice.hearth, bob.hearth, cat.hearth, dan2.hearth]) await h.close();
  });

  it('two admins removing two members at once: both are out and everyone meets in one room', async () => {
    const { alice, bob, cat, dan } = await fourMembers();
    const groupId = alice.rt.entry.groupId;
    alice.rt.features.membership.setAdmin(alice.hearth.me, bob.hearth.me.id, true);
    await alice.rt.flush();
    await bob.rt.pullNow();
    await bob.rt.group.verify([`role:${bob.hearth.me.id}`]);
    expect(bob.rt.features.membership.isAdmin(bob.hearth.me.id)).toBe(true);
    // Neither hears of the other's removal before making their own.
    await Promise.all([
      alice.hearth.removeMember(groupId, cat.hearth.me.id),
      bob.hearth.removeMember(groupId, dan.hearth.me.id),
    ]);
    expect(alice.rt.keys.roomId).not.toBe(bob.rt.keys.roomId);
    for (let i = 0; i < 4 && alice.rt.keys.roomId !== bob.rt.keys.roomId; i++) {
      await alice.rt.pullNow();
      await bob.rt.pullNow();
      await alice.rt.flush();
      await bob.rt.flush();
    }
    expect(alice.rt.keys.roomId).toBe(bob.rt.keys.roomId);
    for (const rt of [alice.rt, bob.rt]) {
      const fold = rt.features.membership.fold();
      expect([...fold.departed.keys()].sort()).toEqual([cat.hearth.me.id, dan.hearth.me.id].sort());
      expect(fold.pending).toEqual([]);
    }
    await cat.rt.pullNow();
    await dan.rt.pullNow();
    expect(cat.rt.membershipState.kind).toBe('removed');
    expect(dan.rt.membershipState.kind).toBe('removed');
    alice.rt.features.discussion.startThread(alice.hearth.me, { title: 'Two left', body: '' });
    await alice.rt.flush();
    await bob.rt.pullNow();
    expect(titles(bob.rt)).toContain('Two left');
    for (const h of [alice.hearth, bob.hearth, cat.hearth, dan.hearth]) await h.close();
  });

  it('leaving: the data goes, the others see "left" and move to a new key without them', async () => {
    const { alice, bob, cat, dan } = await fourMembers();
    const groupId = alice.rt.entry.groupId;
    const exported = JSON.parse(await dan.hearth.exportGroup(groupId)) as {
      records: { kind: string }[];
    };
    expect(exported.records.some((r) => r.kind === 'thread')).toBe(true);
    const oldRoom = dan.rt.keys.roomId;
    await dan.hearth.leaveGroup(groupId);
    expect(dan.hearth.groups()).toEqual([]);
    expect(await dan.storage.loadRange(['doc', groupId])).toEqual([]);
    expect(await dan.storage.loadRange(['mailbox', oldRoom])).toEqual([]);
    // Bob (not an admin) is first to see it: any member may start the epoch after a leave.
    await bob.rt.pullNow();
    expect(bob.rt.features.membership.departure(dan.hearth.me.id)?.how).toBe('left');
    expect(bob.rt.keys.roomId).not.toBe(oldRoom);
    await bob.rt.flush();
    await alice.rt.pullNow();
    await cat.rt.pullNow();
    expect(alice.rt.keys.roomId).toBe(bob.rt.keys.roomId);
    expect(cat.rt.keys.roomId).toBe(bob.rt.keys.roomId);
    const doc = new Y.Doc();
    expect(doc).toBeDefined();
    for (const h of [alice.hearth, bob.hearth, cat.hearth, dan.hearth]) await h.close();
  });

  it('leaving while the relay cannot be reached changes nothing and says why', async () => {
    const mailbox = new MemoryMailbox();
    let down = false;
    const flaky = {
      pull: (...a: Parameters<MemoryMailbox['pull']>) =>
        down ? Promise.reject(new MailboxError('network')) : mailbox.pull(...a),
      push: (...a: Parameters<MemoryMailbox['push']>) =>
        down ? Promise.reject(new MailboxError('network')) : mailbox.push(...a),
    };
    const storage = new MemoryStorage();
    const hearth = await Hearth.load({ ...env(storage, mailbox), mailboxFor: () => flaky });
    await hearth.setUp('Alice');
    const rt = await hearth.createGroup('Choir');
    await rt.ready;
    down = true;
    await expect(hearth.leaveGroup(rt.entry.groupId)).rejects.toMatchObject({ code: 'offline' });
    expect(hearth.groups()).toHaveLength(1);
    expect(rt.features.membership.departure(hearth.me.id)).toBeUndefined();
    expect(rt.membershipState.kind).toBe('member');
    await hearth.close();
  });
});
