import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveEpochKeys, deriveStoreKey, type GroupId, generateGroupKey } from '../crypto/keys.ts';
import { seal } from '../crypto/sealed.ts';
import { EncryptedDocStore } from '../storage/EncryptedDocStore.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { StorageError } from '../storage/StorageAdapter.ts';
import {
  type Mailbox,
  MailboxError,
  type MailboxKind,
  type MailboxPage,
  type PushOptions,
} from './Mailbox.ts';
import {
  MailboxSync,
  type MailboxSyncOptions,
  type MailboxSyncStatus,
  RELAY_FULL_MESSAGE,
} from './MailboxSync.ts';
import { ManualClock } from './ManualClock.ts';
import { MemoryMailbox } from './MemoryMailbox.ts';

const keys = deriveEpochKeys(generateGroupKey());

function setup(mailboxOptions: ConstructorParameters<typeof MemoryMailbox>[0] = {}) {
  const clock = new ManualClock();
  const mailbox = new MemoryMailbox({ now: () => clock.now(), ...mailboxOptions });
  const device = (
    options: Partial<MailboxSyncOptions> = {},
    doc = new Y.Doc(),
    storage = new MemoryStorage(),
  ) => {
    const sync = new MailboxSync({
      doc,
      keys,
      mailbox,
      storage,
      clock,
      random: () => 1,
      ...options,
    });
    return { doc, storage, sync, text: () => doc.getText('t').toString() };
  };
  return { clock, mailbox, device };
}

const type = (doc: Y.Doc, s: string) => {
  const t = doc.getText('t');
  t.insert(t.length, s);
};

describe('MailboxSync', () => {
  it('converges two devices that are never online together', async () => {
    const { device } = setup();
    const a = device();
    a.sync.start();
    type(a.doc, 'Alice was here. ');
    await a.sync.flush();
    expect(a.sync.status.pendingUploads).toBe(0);
    await a.sync.destroy();

    const b = device();
    b.sync.start();
    expect(await b.sync.pull()).toEqual({ applied: 1, skipped: 0 });
    expect(b.text()).toBe('Alice was here. ');
    type(b.doc, 'Bob too.');
    await b.sync.flush();
    await b.sync.destroy();

    const a2 = device({}, a.doc, a.storage);
    a2.sync.start();
    await a2.sync.pull();
    expect(a2.text()).toBe('Alice was here. Bob too.');
    expect(a2.sync.status).toMatchObject({ relay: 'reachable', pendingUploads: 0, error: null });
    expect(a2.sync.status.lastSyncedAt).not.toBeNull();
  });

  it('does not upload what it pulled', async () => {
    const { device, mailbox } = setup();
    const a = device();
    a.sync.start();
    type(a.doc, 'x');
    await a.sync.flush();
    const b = device();
    b.sync.start();
    await b.sync.pull();
    await b.sync.flush();
    expect(mailbox.stats(keys.roomId).entries).toBe(1);
  });

  it('keeps the pending queue across a restart and uploads it later', async () => {
    const { device, mailbox } = setup();
    mailbox.offline = true;
    const a = device();
    a.sync.start();
    type(a.doc, 'written offline');
    await a.sync.flush();
    expect(a.sync.status).toMatchObject({ pendingUploads: 1, relay: 'unreachable' });
    await a.sync.destroy();

    mailbox.offline = false;
    const again = device({}, a.doc, a.storage);
    await again.sync.idle();
    expect(again.sync.status.pendingUploads).toBe(1);
    again.sync.start();
    await again.sync.flush();
    expect(again.sync.status.pendingUploads).toBe(0);
    expect(mailbox.stats(keys.roomId).entries).toBe(1);

    const b = device();
    await b.sync.pull();
    expect(b.text()).toBe('written offline');
  });

  it('catches changes that never reached the queue (created before sync, or lost in a batch window)', async () => {
    const { device, mailbox } = setup();
    const doc = new Y.Doc();
    type(doc, 'made at group creation. ');
    const a = device({}, doc);
    a.sync.start();
    await a.sync.flush();
    expect(mailbox.stats(keys.roomId).entries).toBe(1);

    type(doc, 'typed just before the tab closed');
    expect(a.sync.status.pendingUploads).toBe(1);
    a.sync.stop(); // the page dies: no flush, no destroy
    const later = device({ clock: new ManualClock() }, doc, a.storage);
    later.sync.start();
    await later.sync.flush();

    const b = device();
    await b.sync.pull();
    expect(b.text()).toBe('made at group creation. typed just before the tab closed');
  });

  it('does not upload pulled content again after a restart', async () => {
    const { device, mailbox } = setup();
    const a = device();
    a.sync.start();
    type(a.doc, 'from a');
    await a.sync.flush();
    const b = device();
    b.sync.start();
    await b.sync.pull();
    await b.sync.destroy();
    const b2 = device({}, b.doc, b.storage);
    b2.sync.start();
    await b2.sync.flush();
    expect(mailbox.stats(keys.roomId).entries).toBe(1);
  });

  it('backs off exponentially with a cap on network errors, then recovers', async () => {
    const { device, mailbox, clock } = setup();
    mailbox.offline = true;
    const a = device();
    a.sync.start();
    type(a.doc, 'retry me');
    await a.sync.flush();
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const [delay] = clock.pendingDelays();
      delays.push(delay!);
      clock.runNext();
      await a.sync.idle();
    }
    expect(delays).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000, 300000,
    ]);
    expect(a.sync.status).toMatchObject({ relay: 'unreachable', pendingUploads: 1 });
    expect(a.sync.status.error).toMatch(/could not be reached/);

    mailbox.offline = false;
    clock.runNext();
    await a.sync.idle();
    expect(a.sync.status).toMatchObject({ relay: 'reachable', pendingUploads: 0, error: null });
    expect(clock.pendingDelays()).toEqual([]);

    mailbox.offline = true;
    type(a.doc, '!');
    await a.sync.flush();
    expect(clock.pendingDelays()).toEqual([1000]);
  });

  it('jitters the delay within the upper half of the window', async () => {
    const { device, mailbox, clock } = setup();
    mailbox.offline = true;
    const a = device({ random: () => 0 });
    a.sync.start();
    type(a.doc, 'x');
    await a.sync.flush();
    expect(clock.pendingDelays()).toEqual([500]);
  });

  it('retryNow skips the wait', async () => {
    const { device, mailbox, clock } = setup();
    mailbox.offline = true;
    const a = device();
    a.sync.start();
    type(a.doc, 'x');
    await a.sync.flush();
    mailbox.offline = false;
    a.sync.retryNow();
    await a.sync.idle();
    expect(a.sync.status.pendingUploads).toBe(0);
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('answers a full relay with a snapshot that supersedes the log', async () => {
    const { device, mailbox } = setup({ quotaEntries: 3 });
    const a = device();
    const seen: MailboxSyncStatus[] = [];
    a.sync.onStatus((s) => seen.push(s));
    a.sync.start();
    for (const word of ['one ', 'two ', 'three ', 'four']) {
      type(a.doc, word);
      await a.sync.flush();
    }
    expect(seen.some((s) => s.errorCode === 'quota-entries')).toBe(true);
    expect(a.sync.status).toMatchObject({ pendingUploads: 0, error: null });
    expect(mailbox.stats(keys.roomId).entries).toBe(1);

    const late = device();
    await late.sync.pull();
    expect(late.text()).toBe('one two three four');
  });

  it('shows the quota error while even a snapshot does not fit', async () => {
    const { device, mailbox } = setup({ quotaBytes: 150 });
    const a = device();
    a.sync.start();
    type(a.doc, 'x'.repeat(200));
    await a.sync.flush();
    expect(a.sync.status.errorCode).toBe('quota-bytes');
    expect(a.sync.status.error).toBe(RELAY_FULL_MESSAGE);
    expect(a.sync.status.error).not.toMatch(/uploading a compact copy/);
    expect(a.sync.status.pendingUploads).toBe(1);
    expect(a.sync.status.relay).toBe('reachable');
    expect(mailbox.stats(keys.roomId).entries).toBe(0);
  });

  it('uploads a snapshot every K uploads, keeping the mailbox small; late joiners converge', async () => {
    const { device, mailbox } = setup();
    const a = device({ snapshotEvery: 5 });
    const b = device();
    a.sync.start();
    for (let i = 0; i < 23; i++) {
      type(a.doc, `${i},`);
      await a.sync.flush();
      if (i === 7) await b.sync.pull();
    }
    const { entries, lastSeq } = mailbox.stats(keys.roomId);
    expect(lastSeq).toBeGreaterThan(23);
    expect(entries).toBeLessThanOrEqual(6);

    await b.sync.pull();
    const late = device();
    await late.sync.pull();
    expect(b.text()).toBe(a.text());
    expect(late.text()).toBe(a.text());
  });

  it('replaces a long queue by one snapshot', async () => {
    const { device, mailbox } = setup();
    mailbox.offline = true;
    const a = device({ snapshotWhenPending: 4 });
    a.sync.start();
    for (let i = 0; i < 6; i++) {
      type(a.doc, `${i}`);
      await a.sync.flush();
    }
    mailbox.offline = false;
    a.sync.retryNow();
    await a.sync.idle();
    expect(mailbox.stats(keys.roomId).entries).toBeLessThanOrEqual(3);
    const b = device();
    await b.sync.pull();
    expect(b.text()).toBe('012345');
  });

  it('skips and counts blobs that are tampered, foreign, oversize or not updates, and stores none', async () => {
    const { device, mailbox } = setup();
    const good = new Y.Doc();
    good.getText('t').insert(0, 'good');
    const put = (blob: Uint8Array) =>
      mailbox.push(keys.roomId, keys.mailbox, blob, { kind: 'update' });
    const tampered = seal(keys.storeKey, Y.encodeStateAsUpdate(good));
    tampered[30]! ^= 1;
    await put(tampered);
    await put(seal(deriveStoreKey(generateGroupKey()), Y.encodeStateAsUpdate(good)));
    await put(seal(keys.storeKey, new Uint8Array(600)));
    await put(seal(keys.storeKey, new Uint8Array([1, 2, 3])));
    await put(seal(keys.storeKey, Y.encodeStateAsUpdate(good)));

    const b = device({ maxBlobBytes: 500 });
    const store = new EncryptedDocStore(new MemoryStorage(), 'g' as GroupId, keys.storeKey);
    await store.attach(b.doc);
    expect(await b.sync.pull()).toEqual({ applied: 1, skipped: 4 });
    expect(b.sync.status.skipped).toBe(4);
    expect(b.text()).toBe('good');
    await store.detach();
    const stored = await store.loadUpdates();
    expect(stored.updates).toHaveLength(1);
  });

  it('pages through a long log and remembers its cursor', async () => {
    const { device } = setup();
    const a = device();
    a.sync.start();
    for (let i = 0; i < 5; i++) {
      type(a.doc, `${i}`);
      await a.sync.flush();
    }
    const b = device({ pageLimit: 2 });
    expect(await b.sync.pull()).toEqual({ applied: 5, skipped: 0 });
    expect(b.text()).toBe('01234');
    const b2 = device({ pageLimit: 2 }, b.doc, b.storage);
    expect(await b2.sync.pull()).toEqual({ applied: 0, skipped: 0 });
  });

  it('does not move the cursor when the local commit fails', async () => {
    const { device } = setup();
    const a = device();
    a.sync.start();
    type(a.doc, 'x');
    await a.sync.flush();
    let fail = true;
    const b = device({
      beforeCursorCommit: async () => {
        if (fail) throw new StorageError('quota');
      },
    });
    await expect(b.sync.pull()).rejects.toThrow(StorageError);
    expect(b.sync.status.errorCode).toBe('quota');
    fail = false;
    expect(await b.sync.pull()).toEqual({ applied: 1, skipped: 0 });
  });

  it('treats a replay answer as delivery when the first answer was lost', async () => {
    const { device, mailbox } = setup();
    let loseAnswer = true;
    const lossy: Mailbox = {
      pull: (...args) => mailbox.pull(...args),
      push: async (...args) => {
        const res = await mailbox.push(...args);
        if (loseAnswer) {
          loseAnswer = false;
          throw new MailboxError('network');
        }
        return res;
      },
    };
    const a = device({ mailbox: lossy });
    a.sync.start();
    type(a.doc, 'once');
    await a.sync.flush();
    expect(a.sync.status.pendingUploads).toBe(1);
    a.sync.retryNow();
    await a.sync.idle();
    expect(a.sync.status).toMatchObject({ pendingUploads: 0, error: null });
    expect(mailbox.stats(keys.roomId).entries).toBe(1);
  });

  it('starts with an unknown relay and no sync claim', async () => {
    const { device } = setup();
    const a = device();
    await a.sync.idle();
    expect(a.sync.status).toEqual({
      relay: 'unknown',
      lastRelayContactAt: null,
      lastSyncedAt: null,
      pendingUploads: 0,
      skipped: 0,
      error: null,
      errorCode: null,
    });
  });
});

/** A relay stand-in that can lie about pages and fail chosen writes, and logs what it is asked. */
function hostileRelay(inner: MemoryMailbox) {
  const log = { pulls: [] as number[], pushes: [] as PushOptions[] };
  const ctl = {
    log,
    /** Rewrites each page before the client sees it. */
    page: (p: MailboxPage): MailboxPage => p,
    pullFails: false,
    /** An error to answer a write of this kind with, or null to accept it. */
    failPush: (_kind: MailboxKind): MailboxError | null => null,
  };
  const mailbox: Mailbox = {
    pull: async (room, after, limit) => {
      log.pulls.push(after);
      if (ctl.pullFails) throw new MailboxError('network');
      return ctl.page(await inner.pull(room, after, limit));
    },
    push: async (room, k, blob, options) => {
      log.pushes.push(options);
      const err = ctl.failPush(options.kind);
      if (err) throw err;
      return inner.push(room, k, blob, options);
    },
  };
  return { ...ctl, mailbox, ctl };
}

/** Stub for the kernel's question: does the snapshot lack anything this Y.Doc holds? */
function lacksStateOf(doc: Y.Doc) {
  const calls: Uint8Array[] = [];
  const fn = (snapshot: Uint8Array) => {
    calls.push(snapshot);
    const theirs = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(snapshot));
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
      if ((theirs.get(client) ?? 0) < clock) return true;
    }
    return false;
  };
  return { fn, calls };
}

/** What a member with the invite link, but bad intent, can write: a snapshot erasing the log. */
async function eraseWithSnapshot(mailbox: MemoryMailbox, text = 'junk') {
  const junk = new Y.Doc();
  junk.getText('t').insert(0, text);
  const plaintext = Y.encodeStateAsUpdate(junk);
  const supersedes = mailbox.stats(keys.roomId).lastSeq;
  await mailbox.push(keys.roomId, keys.mailbox, seal(keys.storeKey, plaintext), {
    kind: 'snapshot',
    supersedes,
  });
  expect(mailbox.stats(keys.roomId).entries).toBe(1);
  return plaintext;
}

const snapshotsIn = (pushes: PushOptions[]) => pushes.filter((p) => p.kind === 'snapshot');

describe('MailboxSync against a hostile relay or member', () => {
  it('moves its cursor only over entries it received, whatever next the relay claims', async () => {
    const { device, mailbox } = setup();
    const a = device();
    a.sync.start();
    for (let i = 0; i < 5; i++) {
      type(a.doc, `${i}`);
      await a.sync.flush();
    }
    const relay = hostileRelay(mailbox);
    const lies = [10_000, Number.NaN, -5, 1.5, 0, Number.POSITIVE_INFINITY];
    let n = 0;
    // Each page claims a different next cursor, and that there is nothing more.
    relay.ctl.page = (p) => ({ ...p, next: lies[n++ % lies.length]!, more: false });
    const b = device({ mailbox: relay.mailbox, pageLimit: 2 });
    expect(await b.sync.pull()).toEqual({ applied: 2, skipped: 0 });
    expect(await b.sync.pull()).toEqual({ applied: 2, skipped: 0 });
    expect(await b.sync.pull()).toEqual({ applied: 1, skipped: 0 });
    expect(await b.sync.pull()).toEqual({ applied: 0, skipped: 0 });
    expect(relay.log.pulls).toEqual([0, 2, 4, 5]);
    expect(b.text()).toBe('01234');
    // The stored cursor is the last entry's too.
    const again = device({ mailbox: relay.mailbox }, b.doc, b.storage);
    await again.sync.pull();
    expect(relay.log.pulls.at(-1)).toBe(5);
  });

  it('refuses a page whose entries are out of order or not after its cursor, and applies none of it', async () => {
    const { device, mailbox } = setup();
    const a = device();
    a.sync.start();
    for (const w of ['x', 'y', 'z']) {
      type(a.doc, w);
      await a.sync.flush();
    }
    const relay = hostileRelay(mailbox);
    const b = device({ mailbox: relay.mailbox });
    const bad: ((p: MailboxPage) => MailboxPage)[] = [
      (p) => ({ ...p, entries: [...p.entries].reverse() }),
      (p) => ({ ...p, entries: [p.entries[0]!, p.entries[0]!] }),
      (p) => ({ ...p, entries: [{ ...p.entries[0]!, seq: 0 }] }),
      (p) => ({ ...p, entries: [{ ...p.entries[0]!, seq: 1.5 }] }),
    ];
    for (const lie of bad) {
      relay.ctl.page = lie;
      await expect(b.sync.pull()).rejects.toMatchObject({ code: 'bad-response' });
      expect(b.text()).toBe('');
    }
    relay.ctl.page = (p) => p;
    expect(await b.sync.pull()).toEqual({ applied: 3, skipped: 0 });
    expect(relay.log.pulls).toEqual([0, 0, 0, 0, 0]);
    expect(b.text()).toBe('xyz');
  });

  it('supersedes only what it received, so a lying cursor cannot erase entries it never saw', async () => {
    const { device, mailbox } = setup();
    const a = device();
    a.sync.start();
    for (const w of ['a', 'b', 'c']) {
      type(a.doc, w);
      await a.sync.flush();
    }
    const relay = hostileRelay(mailbox);
    relay.ctl.page = (p) => ({ ...p, next: 10_000 });
    const b = device({ mailbox: relay.mailbox, snapshotEvery: 1 });
    await b.sync.pull();
    // Someone else writes; b cannot pull it before its next snapshot.
    const c = device();
    c.sync.start();
    type(c.doc, '[c]');
    await c.sync.flush();
    relay.ctl.pullFails = true;
    b.sync.start();
    type(b.doc, '[b]');
    await b.sync.flush(); // an update, then (snapshotEvery: 1) a snapshot
    const [snapshot] = snapshotsIn(relay.log.pushes);
    expect(snapshot?.supersedes).toBe(3);
    const late = device();
    await late.sync.pull();
    expect(late.text()).toContain('[c]');
    expect(late.text()).toContain('[b]');
  });

  it('keeps replaced updates until the relay acknowledges the snapshot, across a crash', async () => {
    const { device, mailbox } = setup();
    const relay = hostileRelay(mailbox);
    relay.ctl.failPush = () => new MailboxError('network');
    const storage = new MemoryStorage();
    const a = device({ mailbox: relay.mailbox, snapshotWhenPending: 4 }, new Y.Doc(), storage);
    a.sync.start();
    for (let i = 0; i < 6; i++) {
      type(a.doc, `${i}`);
      await a.sync.flush();
    }
    a.sync.retryNow(); // the queue is long: it becomes one snapshot, whose upload fails too
    await a.sync.idle();
    expect(snapshotsIn(relay.log.pushes).length).toBeGreaterThan(0);
    expect(a.sync.status.pendingUploads).toBe(1);
    const pending = await storage.loadRange(['mailbox', keys.roomId, 'pending']);
    expect(pending).toHaveLength(7); // six updates and the snapshot that will replace them
    a.sync.stop(); // the app dies here

    // After the crash only storage is left (a fresh Y.Doc: the queue alone must carry it all).
    relay.ctl.failPush = () => null;
    const again = device({ mailbox: relay.mailbox }, new Y.Doc(), storage);
    await again.sync.idle();
    expect(again.sync.status.pendingUploads).toBe(1);
    again.sync.start();
    await again.sync.flush();
    expect(again.sync.status.pendingUploads).toBe(0);
    expect(await storage.loadRange(['mailbox', keys.roomId, 'pending'])).toEqual([]);
    expect(mailbox.stats(keys.roomId).entries).toBe(1);
    const late = device();
    await late.sync.pull();
    expect(late.text()).toBe('012345');
  });

  it('uploads the replaced updates one by one when the relay refuses the snapshot as too large', async () => {
    const { device, mailbox } = setup();
    const relay = hostileRelay(mailbox);
    relay.ctl.failPush = (kind) => (kind === 'snapshot' ? new MailboxError('too-large') : null);
    mailbox.offline = true;
    const a = device({ mailbox: relay.mailbox, snapshotWhenPending: 3 });
    a.sync.start();
    for (let i = 0; i < 5; i++) {
      type(a.doc, `${i}`);
      await a.sync.flush();
    }
    mailbox.offline = false;
    a.sync.retryNow();
    await a.sync.idle();
    expect(snapshotsIn(relay.log.pushes)).toHaveLength(1);
    expect(a.sync.status.pendingUploads).toBe(0);
    const late = device();
    await late.sync.pull();
    expect(late.text()).toBe('01234');
  });

  it('uploads its own snapshot once when a foreign snapshot erased the log; a new device then gets its state', async () => {
    const { device, mailbox } = setup();
    const doc = new Y.Doc();
    const lacks = lacksStateOf(doc);
    const relay = hostileRelay(mailbox);
    const storage = new MemoryStorage();
    const h = device({ mailbox: relay.mailbox, snapshotLosesLocal: lacks.fn }, doc, storage);
    h.sync.start();
    for (const w of ['honest ', 'words ']) {
      type(h.doc, w);
      await h.sync.flush();
    }
    const junk = await eraseWithSnapshot(mailbox);

    await h.sync.pull();
    await h.sync.idle();
    expect(lacks.calls).toEqual([junk]);
    expect(snapshotsIn(relay.log.pushes)).toHaveLength(1);
    // Pulling its own snapshot back is no news, now or after a restart.
    for (let i = 0; i < 3; i++) {
      await h.sync.pull();
      await h.sync.idle();
    }
    await h.sync.destroy();
    const h2 = device({ mailbox: relay.mailbox, snapshotLosesLocal: lacks.fn }, doc, storage);
    h2.sync.start();
    await h2.sync.pull();
    await h2.sync.idle();
    expect(snapshotsIn(relay.log.pushes)).toHaveLength(1);
    expect(lacks.calls).toHaveLength(1);

    const late = device();
    await late.sync.pull();
    expect(late.text()).toContain('honest words ');
  });

  it('does nothing extra about foreign snapshots without snapshotLosesLocal', async () => {
    const { device, mailbox } = setup();
    const relay = hostileRelay(mailbox);
    const h = device({ mailbox: relay.mailbox });
    h.sync.start();
    type(h.doc, 'honest');
    await h.sync.flush();
    await eraseWithSnapshot(mailbox);
    await h.sync.pull();
    await h.sync.idle();
    expect(snapshotsIn(relay.log.pushes)).toHaveLength(0);
  });

  it('treats an unreadable foreign snapshot as lacking everything', async () => {
    const { device, mailbox } = setup();
    const relay = hostileRelay(mailbox);
    const doc = new Y.Doc();
    const lacks = lacksStateOf(doc);
    const h = device({ mailbox: relay.mailbox, snapshotLosesLocal: lacks.fn }, doc);
    h.sync.start();
    type(h.doc, 'honest');
    await h.sync.flush();
    await mailbox.push(keys.roomId, keys.mailbox, new Uint8Array(64), {
      kind: 'snapshot',
      supersedes: mailbox.stats(keys.roomId).lastSeq,
    });
    expect(await h.sync.pull()).toEqual({ applied: 0, skipped: 1 });
    await h.sync.idle();
    expect(lacks.calls).toEqual([]);
    expect(snapshotsIn(relay.log.pushes)).toHaveLength(1);
    const late = device();
    await late.sync.pull();
    expect(late.text()).toBe('honest');
  });

  it('two honest devices settle after one re-upload instead of answering each other', async () => {
    const { device, mailbox } = setup();
    const relayA = hostileRelay(mailbox);
    const relayB = hostileRelay(mailbox);
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const lacksA = lacksStateOf(docA);
    const lacksB = lacksStateOf(docB);
    const a = device({ mailbox: relayA.mailbox, snapshotLosesLocal: lacksA.fn }, docA);
    const b = device({ mailbox: relayB.mailbox, snapshotLosesLocal: lacksB.fn }, docB);
    a.sync.start();
    b.sync.start();
    type(a.doc, 'from a. ');
    await a.sync.flush();
    await b.sync.pull();
    type(b.doc, 'from b. ');
    await b.sync.flush();
    await a.sync.pull();
    expect(a.text()).toBe(b.text());
    await eraseWithSnapshot(mailbox);

    await a.sync.pull();
    await a.sync.idle();
    for (let round = 0; round < 4; round++) {
      for (const d of [b, a]) {
        await d.sync.pull();
        await d.sync.idle();
      }
    }
    expect(snapshotsIn(relayA.log.pushes)).toHaveLength(1);
    expect(snapshotsIn(relayB.log.pushes)).toHaveLength(0);
    // b looked at a's snapshot, the newest, and found its state in it.
    expect(lacksB.calls).toHaveLength(1);
    const late = device();
    await late.sync.pull();
    expect(late.text()).toContain('from a. ');
    expect(late.text()).toContain('from b. ');
  });

  it('skips pulled updates that fail checkUpdate, and stores none of them', async () => {
    const { device, mailbox } = setup();
    const big = new Y.Doc();
    big.getText('t').insert(0, 'x'.repeat(2_000_000));
    const junkKeys = new Y.Doc();
    junkKeys.transact(() => {
      for (let i = 0; i < 100_000; i++) junkKeys.getMap('m').set(`k${i}`, i);
    });
    const good = new Y.Doc();
    good.getText('t').insert(0, 'good');
    for (const d of [big, junkKeys, good]) {
      await mailbox.push(keys.roomId, keys.mailbox, seal(keys.storeKey, Y.encodeStateAsUpdate(d)), {
        kind: 'update',
      });
    }
    const b = device();
    const store = new EncryptedDocStore(new MemoryStorage(), 'g' as GroupId, keys.storeKey);
    await store.attach(b.doc);
    expect(await b.sync.pull()).toEqual({ applied: 1, skipped: 2 });
    expect(b.text()).toBe('good');
    expect(b.doc.getMap('m').size).toBe(0);
    await store.detach();
    expect((await store.loadUpdates()).updates).toHaveLength(1);
    // Its own limits can be loosened by whoever needs larger updates.
    const loose = device({ updateLimits: { maxStringBytes: 4_000_000 } });
    expect(await loose.sync.pull()).toEqual({ applied: 2, skipped: 1 });
  });
});

describe('MailboxSync haltAfter', () => {
  it('stops a pull after the entry that made haltAfter true, with the cursor there', async () => {
    const { device } = setup();
    const a = device();
    a.sync.start();
    for (const s of ['one ', 'two ', 'three ']) {
      type(a.doc, s);
      await a.sync.flush();
    }
    let seen = 0;
    const b = device({ haltAfter: () => ++seen === 2 });
    expect(await b.sync.pull()).toEqual({ applied: 2, skipped: 0 });
    expect(b.text()).toBe('one two ');
    // The next pull goes on from there.
    expect(await b.sync.pull()).toEqual({ applied: 1, skipped: 0 });
    expect(b.text()).toBe('one two three ');
  });
});
