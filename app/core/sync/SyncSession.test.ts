import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveEpochKeys, type GroupId, generateGroupKey } from '../crypto/keys.ts';
import { EncryptedDocStore } from '../storage/EncryptedDocStore.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import type { Mailbox } from './Mailbox.ts';
import { MailboxSync } from './MailboxSync.ts';
import { ManualClock } from './ManualClock.ts';
import { MemoryMailbox } from './MemoryMailbox.ts';
import { MemoryHub } from './MemoryTransport.ts';
import {
  describeSync,
  SyncSession,
  type SyncStatus,
  summarizeStatus,
  timeAgo,
} from './SyncSession.ts';
import {
  Listeners,
  type MailboxNotice,
  type Transport,
  type TransportStatus,
} from './Transport.ts';

const keys = deriveEpochKeys(generateGroupKey());

function world() {
  const clock = new ManualClock();
  const mailbox = new MemoryMailbox({ now: () => clock.now() });
  const hub = new MemoryHub();
  const member = (live: boolean) => {
    const doc = new Y.Doc();
    const sync = new MailboxSync({ doc, keys, mailbox, storage: new MemoryStorage(), clock });
    const transport = live ? hub.transport(doc) : null;
    const session = new SyncSession({ mailboxSync: sync, transport, clock });
    return { doc, sync, session, transport, text: () => doc.getText('t').toString() };
  };
  return { clock, mailbox, member };
}

/** A live transport whose peers and relay socket the test moves by hand. */
class FakeTransport implements Transport {
  status: TransportStatus = { state: 'disconnected', peers: 0, signaling: false };
  private readonly listeners = new Listeners<TransportStatus>();
  start(): void {}
  stop(): void {}
  destroy(): void {}
  onStatus(cb: (s: TransportStatus) => void): () => void {
    return this.listeners.add(cb);
  }
  set(next: TransportStatus): void {
    this.status = next;
    this.listeners.emit(next);
  }
  private readonly notices = new Listeners<MailboxNotice>();
  onMailboxNotice(cb: (n: MailboxNotice) => void): () => void {
    return this.notices.add(cb);
  }
  notice(seq: number): void {
    this.notices.emit({ seq });
  }
}

/** A mailbox whose reads wait until the test lets them go, counting them. */
function gatedMailbox(inner: Mailbox) {
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const m = {
    reads: 0,
    hold() {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    release() {
      open();
    },
    mailbox: {
      pull: async (...args: Parameters<Mailbox['pull']>) => {
        m.reads++;
        // Read now, answer later: like a request the relay answered before a write landed.
        const page = await inner.pull(...args);
        await gate;
        return page;
      },
      push: (...args: Parameters<Mailbox['push']>) => inner.push(...args),
    } satisfies Mailbox,
  };
  return m;
}

const type = (doc: Y.Doc, s: string) => doc.getText('t').insert(doc.getText('t').length, s);

describe('SyncSession', () => {
  it('reports live peers and syncs live', async () => {
    const { member } = world();
    const a = member(true);
    const b = member(true);
    a.session.start();
    b.session.start();
    expect(a.session.status).toMatchObject({ live: 1, transport: 'connected' });
    type(a.doc, 'hello');
    expect(b.text()).toBe('hello');
    expect(summarizeStatus(a.session.status).label).toMatch(/^Live with 1 person/);
    await a.session.destroy();
    expect(b.session.status.live).toBe(0);
  });

  it('says offline with changes waiting, and never throws from pullNow', async () => {
    const { member, mailbox, clock } = world();
    mailbox.offline = true;
    const a = member(false);
    a.session.start();
    type(a.doc, 'x');
    await a.session.flush();
    await expect(a.session.pullNow()).resolves.toBeUndefined();
    expect(a.session.status).toMatchObject({ relay: 'unreachable', pendingUploads: 1 });
    expect(summarizeStatus(a.session.status, clock.now())).toEqual({
      word: 'offline',
      label: 'Offline — 1 change waiting',
    });
  });

  it('says synced via relay only after a pull with nothing waiting, and how long ago', async () => {
    const { member, clock } = world();
    const a = member(false);
    const seen: SyncStatus[] = [];
    a.session.onStatus((s) => seen.push(s));
    expect(summarizeStatus(a.session.status, clock.now()).word).toBe('waiting');
    a.session.start();
    await a.sync.idle();
    expect(seen.at(-1)?.relay).toBe('reachable');
    clock.advance(2 * 60 * 1000);
    expect(summarizeStatus(a.session.status, clock.now())).toEqual({
      word: 'relayed',
      label: 'Synced via relay 2 min ago',
    });
  });

  it('pulls again when the live transport reconnects', async () => {
    const { member } = world();
    const writer = member(false);
    writer.session.start();
    const reader = member(true);
    reader.session.start();
    await reader.sync.idle();
    reader.transport!.stop();
    type(writer.doc, 'sent while the reader was disconnected');
    await writer.session.flush();
    expect(reader.text()).toBe('');
    reader.transport!.start();
    await reader.sync.idle();
    expect(reader.text()).toBe('sent while the reader was disconnected');
  });

  it('notices the relay going and coming back while a peer stays live, without waiting', async () => {
    const { member, mailbox, clock } = world();
    const doc = new Y.Doc();
    const sync = new MailboxSync({ doc, keys, mailbox, storage: new MemoryStorage(), clock });
    const transport = new FakeTransport();
    const session = new SyncSession({ mailboxSync: sync, transport, clock });
    session.start();
    transport.set({ state: 'connected', peers: 1, signaling: true });
    await sync.idle();
    expect(session.status).toMatchObject({ relay: 'reachable', live: 1 });

    mailbox.offline = true;
    transport.set({ state: 'connected', peers: 1, signaling: false });
    await sync.idle();
    expect(session.status).toMatchObject({ relay: 'unreachable', live: 1 });
    type(doc, 'written while the relay was down');
    await session.flush();
    expect(session.status.pendingUploads).toBe(1);

    // No clock advance: neither the poll nor the upload backoff may be what brings it back.
    mailbox.offline = false;
    transport.set({ state: 'connected', peers: 1, signaling: true });
    await sync.idle();
    expect(session.status).toMatchObject({ relay: 'reachable', pendingUploads: 0 });
    const late = member(false);
    await late.sync.pull();
    expect(late.text()).toBe('written while the relay was down');
  });

  it('polls the mailbox while started, and stops polling when stopped', async () => {
    const { member, clock } = world();
    const writer = member(false);
    const reader = member(false);
    writer.session.start();
    reader.session.start();
    await reader.sync.idle();
    type(writer.doc, 'polled');
    await writer.session.flush();
    clock.advance(60_000);
    await reader.sync.idle();
    expect(reader.text()).toBe('polled');

    reader.session.stop();
    type(writer.doc, ' again');
    await writer.session.flush();
    clock.advance(10 * 60_000);
    await reader.sync.idle();
    expect(reader.text()).toBe('polled');
  });
});

describe('SyncSession and the relay notices', () => {
  function noticed(pollIntervalMs?: number) {
    const { member, mailbox, clock } = world();
    const gated = gatedMailbox(mailbox);
    const doc = new Y.Doc();
    const sync = new MailboxSync({
      doc,
      keys,
      mailbox: gated.mailbox,
      storage: new MemoryStorage(),
      clock,
    });
    const transport = new FakeTransport();
    const session = new SyncSession({
      mailboxSync: sync,
      transport,
      clock,
      ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
    });
    const text = () => doc.getText('t').toString();
    return { member, clock, gated, sync, transport, session, text };
  }

  it('pulls at once on a notice of entries it has not received, and not otherwise', async () => {
    const { member, gated, sync, transport, session, text } = noticed();
    const writer = member(false);
    writer.session.start();
    session.start();
    transport.set({ state: 'connected', peers: 0, signaling: true });
    await sync.idle();
    type(writer.doc, 'first');
    await writer.session.flush();
    const reads = gated.reads;
    transport.notice(1);
    await sync.idle();
    expect(text()).toBe('first');
    expect(gated.reads).toBe(reads + 1);
    // Already received: no request at all.
    transport.notice(1);
    transport.notice(0);
    await sync.idle();
    expect(gated.reads).toBe(reads + 1);
    // Not while stopped.
    session.stop();
    type(writer.doc, ' second');
    await writer.session.flush();
    transport.notice(2);
    await sync.idle();
    expect(text()).toBe('first');
  });

  it('a notice during a pull under way is answered by another pull after it', async () => {
    const { member, gated, sync, transport, session, text } = noticed();
    const writer = member(false);
    writer.session.start();
    session.start();
    await sync.idle();
    gated.hold();
    const under = sync.pull();
    // Written after the pull under way began; the relay says so while it is still running.
    type(writer.doc, 'late');
    await writer.session.flush();
    transport.notice(1);
    transport.notice(1);
    gated.release();
    await under;
    await sync.idle();
    expect(text()).toBe('late');
  });

  it('polls every 30 s while visible with nobody live, else every 60 s', async () => {
    const { member, clock, transport, session, sync, text } = noticed();
    const writer = member(false);
    writer.session.start();
    transport.set({ state: 'connected', peers: 0, signaling: true, visible: true });
    session.start();
    await sync.idle();
    type(writer.doc, 'a');
    await writer.session.flush();
    clock.advance(30_000);
    await sync.idle();
    expect(text()).toBe('a');

    // Hidden: back to the slow poll.
    transport.set({ state: 'connected', peers: 0, signaling: true, visible: false });
    type(writer.doc, 'b');
    await writer.session.flush();
    clock.advance(30_000);
    await sync.idle();
    expect(text()).toBe('a');
    clock.advance(30_000);
    await sync.idle();
    expect(text()).toBe('ab');

    // Visible but with a peer connected directly: the peer carries changes, slow poll.
    transport.set({ state: 'connected', peers: 1, signaling: true, visible: true });
    type(writer.doc, 'c');
    await writer.session.flush();
    clock.advance(30_000);
    await sync.idle();
    expect(text()).toBe('ab');
    transport.set({ state: 'connected', peers: 0, signaling: true, visible: true });
    clock.advance(30_000);
    await sync.idle();
    expect(text()).toBe('abc');
  });
});

describe('wiring as the app does it', () => {
  it('restores from the local store on restart and uploads nothing twice', async () => {
    const clock = new ManualClock();
    const mailbox = new MemoryMailbox({ now: () => clock.now() });
    const open = async (storage: MemoryStorage) => {
      const doc = new Y.Doc();
      const store = new EncryptedDocStore(storage, 'g1' as GroupId, keys.storeKey);
      await store.attach(doc);
      const mailboxSync = new MailboxSync({
        doc,
        keys,
        mailbox,
        storage,
        clock,
        ignoreOrigins: [store],
        beforeCursorCommit: () => store.flush(),
      });
      const session = new SyncSession({ mailboxSync, clock });
      session.start();
      await mailboxSync.idle();
      return { doc, store, session, mailboxSync };
    };
    const alice = await open(new MemoryStorage());
    type(alice.doc, 'hello from alice');
    await alice.session.flush();

    const bobStorage = new MemoryStorage();
    const bob = await open(bobStorage);
    expect(bob.doc.getText('t').toString()).toBe('hello from alice');
    await bob.session.destroy();
    await bob.store.detach();

    const bobAgain = await open(bobStorage);
    expect(bobAgain.doc.getText('t').toString()).toBe('hello from alice');
    await bobAgain.session.flush();
    expect(mailbox.stats(keys.roomId).entries).toBe(1);
    expect(bobAgain.session.status.pendingUploads).toBe(0);
  });
});

describe('summarizeStatus', () => {
  const base: Pick<SyncStatus, 'live' | 'relay' | 'pendingUploads' | 'lastSyncedAt'> = {
    live: 0,
    relay: 'reachable',
    pendingUploads: 0,
    lastSyncedAt: 1_000_000,
  };
  const now = 1_000_000 + 3 * 3600 * 1000;
  const label = (s: Partial<typeof base>) => summarizeStatus({ ...base, ...s }, now);

  it('never says synced when it is not', () => {
    expect(label({})).toEqual({ word: 'relayed', label: 'Synced via relay 3 h ago' });
    expect(label({ pendingUploads: 3 })).toEqual({
      word: 'waiting',
      label: '3 changes waiting to upload',
    });
    expect(label({ lastSyncedAt: null })).toEqual({
      word: 'waiting',
      label: 'Checking for changes…',
    });
    expect(label({ relay: 'unknown' }).word).toBe('waiting');
    expect(label({ relay: 'unreachable' })).toEqual({
      word: 'offline',
      label: 'Offline — last synced 3 h ago',
    });
    expect(label({ relay: 'unreachable', lastSyncedAt: null }).label).toBe('Offline');
    expect(label({ relay: 'unreachable', pendingUploads: 3 }).label).toBe(
      'Offline — 3 changes waiting',
    );
  });

  it('puts live peers first but still mentions waiting changes', () => {
    expect(label({ live: 2 })).toEqual({ word: 'live', label: 'Live with 2 people' });
    expect(label({ live: 2, relay: 'unreachable' })).toEqual({
      word: 'live',
      label: 'Live with 2 people — relay unreachable',
    });
    expect(label({ live: 1, pendingUploads: 1 }).label).toBe(
      'Live with 1 person — 1 change waiting for the relay',
    );
  });

  it('details what waits for upload and when the relay last answered', () => {
    const at = now - 5 * 60_000;
    const detail = (s: Partial<Parameters<typeof describeSync>[0]>) =>
      describeSync({ relay: 'reachable', pendingUploads: 0, lastRelayContactAt: at, ...s }, now);
    expect(detail({})).toBe('Nothing waiting for upload · relay reached 5 min ago');
    expect(detail({ pendingUploads: 1, relay: 'unreachable' })).toBe(
      '1 change waiting for upload · relay unreachable, last reached 5 min ago',
    );
    expect(detail({ pendingUploads: 4, relay: 'unreachable', lastRelayContactAt: null })).toBe(
      '4 changes waiting for upload · relay unreachable',
    );
    expect(detail({ relay: 'unknown', lastRelayContactAt: null })).toBe(
      'Nothing waiting for upload · relay not reached yet',
    );
  });

  it('formats elapsed time plainly', () => {
    expect(timeAgo(0, 10_000)).toBe('just now');
    expect(timeAgo(0, 60_000)).toBe('1 min ago');
    expect(timeAgo(0, 59 * 60_000)).toBe('59 min ago');
    expect(timeAgo(0, 2 * 3600_000)).toBe('2 h ago');
    expect(timeAgo(0, 30 * 3600_000)).toBe('1 day ago');
    expect(timeAgo(0, 5 * 86400_000)).toBe('5 days ago');
    expect(timeAgo(10, 0)).toBe('just now');
  });
});
