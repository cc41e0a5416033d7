import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../crypto/bytes.ts';
import { randomKey } from '../crypto/lockKeys.ts';
import { MemoryStorage } from './MemoryStorage.ts';
import { StorageError } from './StorageAdapter.ts';
import { runStorageContract } from './storageContract.ts';
import { WRAPPED_ROOT, WrappedStorage } from './WrappedStorage.ts';

runStorageContract('WrappedStorage', () => new WrappedStorage(new MemoryStorage(), randomKey()));

describe('WrappedStorage', () => {
  it('stores neither key segments nor values in the clear, and reads them back', async () => {
    const inner = new MemoryStorage();
    const s = new WrappedStorage(inner, randomKey());
    await s.save(['groups', 'group-id-123'], new TextEncoder().encode('{"name":"Choir"}'));
    const raw = await inner.loadRange([]);
    expect(raw).toHaveLength(1);
    expect(raw[0]?.key[0]).toBe(WRAPPED_ROOT);
    const dump = JSON.stringify(
      raw.map((c) => [c.key, Array.from(c.data, (b) => String.fromCharCode(b)).join('')]),
    );
    for (const secret of ['groups', 'group-id-123', 'Choir', 'name']) {
      expect(dump).not.toContain(secret);
    }
    expect(fromUtf8((await s.load(['groups', 'group-id-123'])) ?? new Uint8Array())).toBe(
      '{"name":"Choir"}',
    );
  });

  it('refuses an entry moved to another key, and reads nothing under another data key', async () => {
    const inner = new MemoryStorage();
    const s = new WrappedStorage(inner, randomKey());
    await s.save(['a'], new Uint8Array([1]));
    await s.save(['b'], new Uint8Array([2]));
    const [a, b] = await Promise.all([s.outerKey(['a']), s.outerKey(['b'])]);
    await inner.save(b, (await inner.load(a)) ?? new Uint8Array());
    await expect(s.load(['b'])).rejects.toMatchObject({ code: 'unreadable' });
    const other = new WrappedStorage(inner, randomKey());
    expect(await other.load(['a'])).toBeUndefined();
    const err = await other.loadRange([]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
  });
});
