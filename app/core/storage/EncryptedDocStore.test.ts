import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveStoreKey, type GroupId, generateGroupKey } from '../crypto/keys.ts';
import { LOCAL_SEALED_VERSION } from '../crypto/localSealed.ts';
import { seal } from '../crypto/sealed.ts';
import { EncryptedDocStore } from './EncryptedDocStore.ts';
import { MemoryStorage } from './MemoryStorage.ts';
import {
  type StorageAdapter,
  type StorageChunk,
  StorageError,
  type StorageKey,
  type StorageOp,
} from './StorageAdapter.ts';

const G = 'group-1' as GroupId;
const newKey = () => deriveStoreKey(generateGroupKey());

/** Records every update a doc makes, so tests can feed them to a store one by one. */
function editor() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return { doc, updates, list: doc.getArray<string>('list') };
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const listOf = (doc: Y.Doc) => doc.getArray<string>('list').toArray();

async function kinds(storage: StorageAdapter): Promise<string[]> {
  return (await storage.loadRange(['doc', G])).map((c) => c.key[2]!);
}

/** Applies batches op by op, and can be told to fail on removals: a store without atomicity. */
class NonAtomicStorage implements StorageAdapter {
  failRemoves = false;
  constructor(readonly inner: MemoryStorage) {}
  load(key: StorageKey) {
    return this.inner.load(key);
  }
  save(key: StorageKey, data: Uint8Array) {
    return this.inner.save(key, data);
  }
  async remove(key: StorageKey) {
    if (this.failRemoves) throw new StorageError('failed', 'simulated crash');
    await this.inner.remove(key);
  }
  loadRange(prefix: StorageKey): Promise<StorageChunk[]> {
    return this.inner.loadRange(prefix);
  }
  removeRange(prefix: StorageKey) {
    return this.inner.removeRange(prefix);
  }
  async batch(ops: readonly StorageOp[]) {
    for (const op of ops) {
      if (op.op === 'save') await this.save(op.key, op.data);
      else if (op.op === 'remove') await this.remove(op.key);
      else await this.removeRange(op.prefix);
    }
  }
}

describe('EncryptedDocStore', () => {
  it('round-trips updates through sealed rows', async () => {
    const storage = new MemoryStorage();
    const key = newKey();
    const e = editor();
    const store = new EncryptedDocStore(storage, G, key);
    e.list.push(['a']);
    e.list.push(['b']);
    e.doc.getMap('meta').set('name', 'Book club');
    for (const u of e.updates) await store.append(u);

    const stored = await storage.loadRange(['doc', G]);
    expect(stored).toHaveLength(3);
    const plain = new TextEncoder().encode('Book club');
    for (const c of stored) expect(contains(c.data, plain)).toBe(false);

    const { doc, unreadable } = await new EncryptedDocStore(storage, G, key).load();
    expect(unreadable).toBe(0);
    expect(listOf(doc)).toEqual(['a', 'b']);
    expect(doc.getMap('meta').get('name')).toBe('Book club');
  });

  it('reads v1 rows sealed before (secretbox) and rewrites them as v2 when compacting', async () => {
    const storage = new MemoryStorage();
    const key = newKey();
    const e = editor();
    e.list.push(['old']);
    e.list.push(['older']);
    // Rows as an earlier version of the app wrote them.
    for (const [i, u] of e.updates.entries()) {
      await storage.save(['doc', G, 'u', `0${i}`], seal(key, u));
    }
    const store = new EncryptedDocStore(storage, G, key);
    const { doc, unreadable } = await store.load();
    expect(unreadable).toBe(0);
    expect(listOf(doc)).toEqual(['old', 'older']);
    await store.compact();
    const rows = await storage.loadRange(['doc', G]);
    expect(rows.map((r) => [r.key[2], r.data[0]])).toEqual([['s', LOCAL_SEALED_VERSION]]);
    expect(listOf((await new EncryptedDocStore(storage, G, key).load()).doc)).toEqual([
      'old',
      'older',
    ]);
  });

  it('keeps groups apart', async () => {
    const storage = new MemoryStorage();
    const key = newKey();
    const e = editor();
    e.list.push(['only in 1']);
    await new EncryptedDocStore(storage, G, key).append(e.updates[0]!);
    const other = await new EncryptedDocStore(storage, 'group-10' as GroupId, key).load();
    expect(listOf(other.doc)).toEqual([]);
  });

  it('compacts into one snapshot after N updates', async () => {
    const storage = new MemoryStorage();
    const key = newKey();
    const store = new EncryptedDocStore(storage, G, key, { compactAfterUpdates: 5 });
    const e = editor();
    for (let i = 0; i < 4; i++) e.list.push([`x${i}`]);
    for (const u of e.updates) await store.append(u);
    expect(await kinds(storage)).toEqual(['u', 'u', 'u', 'u']);
    e.list.push(['x4']);
    await store.append(e.updates[4]!);
    expect(await kinds(storage)).toEqual(['s']);
    expect(store.stats.rows).toBe(0);
    e.list.push(['x5']);
    await store.append(e.updates[5]!);
    expect(await kinds(storage)).toEqual(['s', 'u']);
    const { doc } = await new EncryptedDocStore(storage, G, key).load();
    expect(listOf(doc)).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
  });

  it('compacts after M bytes', async () => {
    const storage = new MemoryStorage();
    const store = new EncryptedDocStore(storage, G, newKey(), { compactAfterBytes: 1000 });
    const e = editor();
    for (let i = 0; i < 3; i++) e.list.push(['y'.repeat(400)]);
    await store.append(e.updates[0]!);
    await store.append(e.updates[1]!);
    expect(await kinds(storage)).toEqual(['u', 'u']);
    await store.append(e.updates[2]!);
    expect(await kinds(storage)).toEqual(['s']);
  });

  it('survives a crash between writing the snapshot and removing the rows', async () => {
    const inner = new MemoryStorage();
    const storage = new NonAtomicStorage(inner);
    const key = newKey();
    const store = new EncryptedDocStore(storage, G, key, { compactAfterUpdates: 1000 });
    const e = editor();
    for (let i = 0; i < 10; i++) e.list.push([`z${i}`]);
    e.list.delete(0, 2);
    for (const u of e.updates) await store.append(u);

    storage.failRemoves = true;
    await expect(store.compact()).rejects.toMatchObject({ detail: 'simulated crash' });
    expect((await kinds(inner)).filter((k) => k === 's')).toHaveLength(1);
    expect((await kinds(inner)).filter((k) => k === 'u')).toHaveLength(11);
    const after = await new EncryptedDocStore(storage, G, key).load();
    expect(after.unreadable).toBe(0);
    expect(listOf(after.doc)).toEqual(listOf(e.doc));

    storage.failRemoves = false;
    const again = new EncryptedDocStore(storage, G, key);
    await again.compact();
    expect(await kinds(inner)).toEqual(['s']);
    expect(listOf((await again.load()).doc)).toEqual(listOf(e.doc));
  });

  it('skips corrupt and tampered rows, counts them, and keeps them', async () => {
    const storage = new MemoryStorage();
    const key = newKey();
    const store = new EncryptedDocStore(storage, G, key);
    const e = editor();
    e.list.push(['good']);
    e.doc.getMap('m').set('k', 'other good');
    e.doc.getMap('n').set('k', 'to be tampered');
    for (const u of e.updates) await store.append(u);
    const rows = await storage.loadRange(['doc', G, 'u']);
    const tampered = rows[2]!.data.slice();
    tampered[tampered.length - 1]! ^= 1;
    await storage.save(rows[2]!.key, tampered);
    await storage.save(['doc', G, 'u', 'zz-garbage'], new Uint8Array([1, 2, 3]));
    await store.append(new Uint8Array([1, 2, 3])); // opens, but is not a Yjs update
    await storage.save(['doc', G, 'unrelated'], new Uint8Array([9]));

    const { doc, unreadable } = await new EncryptedDocStore(storage, G, key).load();
    expect(unreadable).toBe(3);
    expect(listOf(doc)).toEqual(['good']);
    expect(doc.getMap('m').get('k')).toBe('other good');
    expect(doc.getMap('n').get('k')).toBeUndefined();

    const compactor = new EncryptedDocStore(storage, G, key);
    await compactor.compact();
    expect(await kinds(storage)).toEqual(['s', 'u', 'u', 'u', 'unrelated']);
    expect(compactor.stats.unreadable).toBe(3);
    await compactor.discardUnreadable();
    expect(await kinds(storage)).toEqual(['s', 'unrelated']);
  });

  it('reads nothing with a wrong key and destroys nothing', async () => {
    const storage = new MemoryStorage();
    const key = newKey();
    const e = editor();
    e.list.push(['secret']);
    e.list.push(['more']);
    const store = new EncryptedDocStore(storage, G, key);
    for (const u of e.updates) await store.append(u);

    const wrong = new EncryptedDocStore(storage, G, newKey());
    const loaded = await wrong.load();
    expect(loaded.unreadable).toBe(2);
    expect(listOf(loaded.doc)).toEqual([]);
    await wrong.compact();
    expect(listOf((await new EncryptedDocStore(storage, G, key).load()).doc)).toEqual([
      'secret',
      'more',
    ]);
  });

  it('rekeys: one snapshot under the new key, old rows gone', async () => {
    const storage = new MemoryStorage();
    const oldKey = newKey();
    const nextKey = newKey();
    const store = new EncryptedDocStore(storage, G, oldKey);
    const e = editor();
    e.list.push(['before']);
    e.list.push(['epoch']);
    for (const u of e.updates) await store.append(u);
    await store.rekey(nextKey);
    expect(await kinds(storage)).toEqual(['s']);
    e.list.push(['after']);
    await store.append(e.updates[2]!);
    const fresh = await new EncryptedDocStore(storage, G, nextKey).load();
    expect(fresh.unreadable).toBe(0);
    expect(listOf(fresh.doc)).toEqual(['before', 'epoch', 'after']);
    expect((await new EncryptedDocStore(storage, G, oldKey).load()).unreadable).toBe(2);
  });

  it('surfaces a full device as StorageError quota and keeps earlier rows', async () => {
    const storage = new MemoryStorage({ quotaBytes: 400 });
    const key = newKey();
    const store = new EncryptedDocStore(storage, G, key);
    const e = editor();
    e.list.push(['small']);
    e.list.push(['b'.repeat(500)]);
    await store.append(e.updates[0]!);
    const err = await store.append(e.updates[1]!).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('quota');
    expect(listOf((await new EncryptedDocStore(storage, G, key).load()).doc)).toEqual(['small']);
  });

  it('loads 10,000 small updates, with and without compaction', async () => {
    const e = editor();
    for (let i = 0; i < 10_000; i++) e.list.push([String(i)]);
    const expected = listOf(e.doc);
    for (const compactAfterUpdates of [200, Number.POSITIVE_INFINITY]) {
      const storage = new MemoryStorage();
      const key = newKey();
      const store = new EncryptedDocStore(storage, G, key, { compactAfterUpdates });
      for (const u of e.updates) await store.append(u);
      const { doc, unreadable } = await new EncryptedDocStore(storage, G, key).load();
      expect(unreadable).toBe(0);
      expect(listOf(doc)).toEqual(expected);
    }
    // 20,000 sealed appends: ~5 s on an idle 2-core machine, 4x that when the cores are
    // shared, so the limit is wide; nothing here is a timing goal.
  }, 60_000);
});

describe('EncryptedDocStore.attach', () => {
  it('loads stored state, then stores later edits batched per tick, not its own loads', async () => {
    const storage = new MemoryStorage();
    const key = newKey();
    const e = editor();
    e.list.push(['stored']);
    await new EncryptedDocStore(storage, G, key).append(e.updates[0]!);

    const doc = new Y.Doc();
    const store = new EncryptedDocStore(storage, G, key);
    expect(await store.attach(doc)).toEqual({ unreadable: 0 });
    expect(listOf(doc)).toEqual(['stored']);
    await store.flush();
    expect(await kinds(storage)).toEqual(['u']);

    const list = doc.getArray<string>('list');
    list.push(['one']);
    list.push(['two']);
    list.push(['three']);
    await store.flush();
    expect(await kinds(storage)).toEqual(['u', 'u']);

    list.push(['four']);
    await store.detach();
    list.push(['after detach']);
    await store.flush();
    const { doc: reloaded } = await new EncryptedDocStore(storage, G, key).load();
    expect(listOf(reloaded)).toEqual(['stored', 'one', 'two', 'three', 'four']);
  });

  it('stores what the document held before attaching', async () => {
    const storage = new MemoryStorage();
    const key = newKey();
    const doc = new Y.Doc();
    doc.getMap('meta').set('name', 'Allotment');
    const store = new EncryptedDocStore(storage, G, key);
    await store.attach(doc);
    await store.detach();
    const { doc: reloaded } = await new EncryptedDocStore(storage, G, key).load();
    expect(reloaded.getMap('meta').get('name')).toBe('Allotment');
  });

  it('stores an update still waiting for its dependencies', async () => {
    const e = editor();
    e.list.push(['first']);
    e.list.push(['second']);
    const [u1, u2] = e.updates as [Uint8Array, Uint8Array];

    const storage = new MemoryStorage();
    const key = newKey();
    const doc = new Y.Doc();
    const store = new EncryptedDocStore(storage, G, key);
    await store.attach(doc);
    Y.applyUpdate(doc, u2, 'peer');
    expect(listOf(doc)).toEqual([]);
    await store.detach();

    const { doc: reloaded } = await new EncryptedDocStore(storage, G, key).load();
    Y.applyUpdate(reloaded, u1);
    expect(listOf(reloaded)).toEqual(['first', 'second']);
  });

  it('reports a failed background write and retries it on the next flush', async () => {
    const inner = new MemoryStorage();
    let failSaves = 1;
    const flaky: StorageAdapter = {
      load: (k) => inner.load(k),
      save: async (k, d) => {
        if (failSaves-- > 0) throw new StorageError('quota');
        await inner.save(k, d);
      },
      remove: (k) => inner.remove(k),
      loadRange: (p) => inner.loadRange(p),
      removeRange: (p) => inner.removeRange(p),
      batch: (ops) => inner.batch(ops),
    };
    const key = newKey();
    const store = new EncryptedDocStore(flaky, G, key);
    const reported = new Promise<unknown>((resolve) => store.onError(resolve));
    const doc = new Y.Doc();
    await store.attach(doc);
    doc.getArray<string>('list').push(['kept']);
    const err = await reported;
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('quota');
    expect(await inner.loadRange(['doc', G])).toHaveLength(0);
    await store.flush();
    const { doc: reloaded } = await new EncryptedDocStore(inner, G, key).load();
    expect(listOf(reloaded)).toEqual(['kept']);
  });
});
