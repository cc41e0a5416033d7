import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveEpochKeys, deriveStoreKey, type GroupId, generateGroupKey } from '../crypto/keys.ts';
import { seal } from '../crypto/sealed.ts';
import { EncryptedDocStore } from '../storage/EncryptedDocStore.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { StorageError } from '../storage/StorageAdapter.ts';
import { type Mailbox, MailboxError } from './Mailbox.ts';
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
