// A device that runs out of space: the failed save is reported as a quota StorageError, what
// was stored before stays whole and readable, and the change is saved once there is room.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { GroupId, StoreKey } from '../crypto/keys.ts';
import { EncryptedDocStore } from '../storage/EncryptedDocStore.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import {
  type StorageAdapter,
  type StorageChunk,
  StorageError,
  type StorageKey,
  type StorageOp,
} from '../storage/StorageAdapter.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { exportBackup } from './backup.ts';
import { Hearth } from './Hearth.ts';

/** Passes everything to `inner` until `full`: then every write throws QuotaExceededError. */
class FullDisk implements StorageAdapter {
  full = false;
  constructor(readonly inner: MemoryStorage) {}
  #check(): void {
    if (this.full) {
      throw Object.assign(new Error('The quota has been exceeded.'), {
        name: 'QuotaExceededError',
      });
    }
  }
  load(key: StorageKey): Promise<Uint8Array | undefined> {
    return this.inner.load(key);
  }
  loadRange(prefix: StorageKey): Promise<StorageChunk[]> {
    return this.inner.loadRange(prefix);
  }
  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    this.#check();
    await this.inner.save(key, data);
  }
  async remove(key: StorageKey): Promise<void> {
    this.#check();
    await this.inner.remove(key);
  }
  async removeRange(prefix: StorageKey): Promise<void> {
    this.#check();
    await this.inner.removeRange(prefix);
  }
  async batch(ops: readonly StorageOp[]): Promise<void> {
    this.#check();
    await this.inner.batch(ops);
  }
}

const envOf = (storage: StorageAdapter) => ({
  storage,
  origin: 'https://hearth.test',
  defaultRelay: 'ws://127.0.0.1:9/signal',
  mailboxFor: () => new MemoryMailbox(),
});

describe('out of space', () => {
  it('reports a quota error, damages nothing stored, and saves the change once there is room', async () => {
    const inner = new MemoryStorage();
    const disk = new FullDisk(inner);
    const a = await Hearth.load(envOf(disk));
    await a.setUp('Alice');
    const rt = await a.createGroup('Allotment');
    await rt.ready;
    const thread = rt.features.discussion.startThread(a.me, { title: 'Seed swap', body: 'jars' });
    await rt.store.flush();
    const reported = new Promise<StorageError>((resolve) => a.onStorageError(resolve));

    disk.full = true;
    // The change is saved in the background, as after any write from a screen.
    rt.features.discussion.reply(a.me, thread, 'written while full');
    const error = await reported;
    expect(error).toBeInstanceOf(StorageError);
    expect(error.code).toBe('quota');
    expect(error.message).toMatch(/nothing already saved was lost/);
    await expect(rt.store.flush()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    // The way out still works on a full device: a backup file holds what was saved.
    const file = await exportBackup(disk, 'correct horse battery');
    expect(file.length).toBeGreaterThan(0);

    // What was stored before is whole: a second device reading the same storage sees it.
    const copy = await Hearth.load(envOf(inner));
    const crt = await copy.open(rt.entry.groupId);
    expect(crt.features.discussion.thread(thread)?.title).toBe('Seed swap');
    expect(crt.features.discussion.replies(thread)).toHaveLength(0);
    await copy.close();

    // Room again: the kept change is saved.
    disk.full = false;
    await rt.store.flush();
    const after = await Hearth.load(envOf(inner));
    const art = await after.open(rt.entry.groupId);
    expect(art.features.discussion.replies(thread).map((r) => r.body)).toEqual([
      'written while full',
    ]);
    await after.close();
  });

  it('a compaction that runs out of space leaves every row in place', async () => {
    const inner = new MemoryStorage();
    const disk = new FullDisk(inner);
    const key = new Uint8Array(32).fill(7) as StoreKey;
    const store = new EncryptedDocStore(disk, 'g' as GroupId, key, { compactAfterUpdates: 1000 });
    const doc = new Y.Doc();
    await store.attach(doc);
    for (let i = 0; i < 5; i++) doc.getArray('a').push([i]);
    await store.flush();
    const before = await inner.loadRange([]);
    disk.full = true;
    await expect(store.compact()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(await inner.loadRange([])).toEqual(before);
    const reread = new EncryptedDocStore(inner, 'g' as GroupId, key);
    const { doc: loaded } = await reread.load();
    expect(loaded.getArray('a').toArray()).toEqual([0, 1, 2, 3, 4]);
  });
});
