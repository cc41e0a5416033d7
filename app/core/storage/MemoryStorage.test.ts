import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './MemoryStorage.ts';
import { StorageError } from './StorageAdapter.ts';
import { runStorageContract } from './storageContract.ts';

runStorageContract('MemoryStorage', () => new MemoryStorage());

describe('MemoryStorage quota', () => {
  it('fails a write past the quota with a typed error and keeps what was stored', async () => {
    const s = new MemoryStorage({ quotaBytes: 10 });
    await s.save(['a'], new Uint8Array(6));
    const err = await s.save(['b'], new Uint8Array(6)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('quota');
    expect((err as StorageError).message).toMatch(/run out of storage space/);
    await expect(
      s.batch([
        { op: 'remove', key: ['a'] },
        { op: 'save', key: ['c'], data: new Uint8Array(11) },
      ]),
    ).rejects.toThrow(StorageError);
    expect(await s.load(['a'])).toEqual(new Uint8Array(6));
    expect(await s.load(['b'])).toBeUndefined();
    expect(s.size).toBe(6);
    await s.batch([
      { op: 'remove', key: ['a'] },
      { op: 'save', key: ['c'], data: new Uint8Array(9) },
    ]);
    expect(s.size).toBe(9);
  });
});
