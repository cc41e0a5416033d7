import { describe, expect, it } from 'vitest';
import { createIdentity } from '../identity/Identity.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { ManualClock } from '../sync/ManualClock.ts';
import type { PresenceChannel } from '../sync/Transport.ts';
import { Emitter } from '../util/Emitter.ts';
import { GroupPresence, lastSeenKey, PRESENCE_MAX_AGE_MS, signNote } from './GroupPresence.ts';

const GROUP = 'group-1';

/** A channel whose peers' states the test sets. */
function fakeChannel() {
  const changes = new Emitter<void>();
  let peers: unknown[] = [];
  const sent: unknown[] = [];
  const channel: PresenceChannel = {
    setLocal: (s) => void sent.push(s),
    states: () => peers,
    onChange: (cb) => changes.on(cb),
  };
  return {
    channel,
    sent,
    set(states: unknown[]) {
      peers = states;
      changes.emit();
    },
  };
}

describe('GroupPresence', () => {
  it('believes only signed, fresh notes of members, and remembers when they were last seen', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const alice = createIdentity('Alice');
    const bob = createIdentity('Bob');
    const carol = createIdentity('Carol');
    const eve = createIdentity('Eve');
    const members = new Set<string>([alice.id, bob.id, carol.id]);
    const fake = fakeChannel();
    const p = new GroupPresence({
      groupId: GROUP,
      channel: () => fake.channel,
      onChannelChange: () => () => {},
      me: () => alice,
      isMember: (id) => members.has(id),
      storage,
      clock,
    });
    await p.loaded;
    // It announces itself, signed, and again later.
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ member: alice.id });
    clock.advance(60_000);
    expect(fake.sent).toHaveLength(2);

    const now = clock.now();
    const bobNote = signNote(GROUP, bob, now);
    const forged = { ...signNote(GROUP, eve, now), member: carol.id }; // Eve posing as Carol
    const stale = signNote(GROUP, carol, now - PRESENCE_MAX_AGE_MS - 1);
    const outsider = signNote(GROUP, eve, now);
    const otherGroup = signNote('group-2', carol, now);
    const mineElsewhere = signNote(GROUP, alice, now);
    fake.set([bobNote, forged, stale, outsider, otherGroup, mineElsewhere, null, 'x']);
    expect([...p.view.online]).toEqual([bob.id]);

    clock.advance(10_000);
    fake.set([]);
    expect(p.view.online.size).toBe(0);
    expect(p.view.lastSeen.get(bob.id)).toBe(clock.now());
    await p.close();
    const saved = JSON.parse(new TextDecoder().decode(await storage.load(lastSeenKey(GROUP))));
    expect(saved[bob.id]).toBe(clock.now());

    // Another session reads it back.
    const again = new GroupPresence({
      groupId: GROUP,
      channel: () => undefined,
      onChannelChange: () => () => {},
      me: () => alice,
      isMember: () => true,
      storage,
      clock,
    });
    await again.loaded;
    expect(again.view.lastSeen.get(bob.id)).toBe(clock.now());
  });
});
