// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageError } from '../core/storage/StorageAdapter.ts';
import { runStorageContract } from '../core/storage/storageContract.ts';
import { IdbStorage } from './IdbStorage.ts';

let n = 0;
const opened: IdbStorage[] = [];
async function fresh(name = `hearth-test-${n++}`): Promise<IdbStorage> {
  const s = await IdbStorage.open(name);
  opened.push(s);
  return s;
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of opened.splice(0)) s.close();
});

runStorageContract('IdbStorage', () => fresh());

describe('IdbStorage', () => {
  it('reads ahead what it is told to as it opens, hands each answer out once', async () => {
    const name = `hearth-ahead-${n++}`;
    const a = await fresh(name);
    await a.save(['identity'], new Uint8Array([1]));
    await a.save(['groups', 'g1'], new Uint8Array([2]));
    await a.save(['groups', 'g2'], new Uint8Array([3]));
    a.close();
    const b = await IdbStorage.open(name, { preload: [['identity'], ['groups'], ['none']] });
    opened.push(b);
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    expect(await b.load(['identity'])).toEqual(new Uint8Array([1]));
    expect((await b.loadRange(['groups'])).map((c) => c.key)).toEqual([
      ['groups', 'g1'],
      ['groups', 'g2'],
    ]);
    expect(await b.loadRange(['none'])).toEqual([]);
    expect(getAll).not.toHaveBeenCalled();
    // Asked again: read again.
    expect(await b.loadRange(['groups'])).toHaveLength(2);
    expect(getAll).toHaveBeenCalledTimes(1);
  });

  it('lists the keys of a range read ahead without taking its values, and lists others fresh', async () => {
    const name = `hearth-ahead-${n++}`;
    const a = await fresh(name);
    await a.save(['doc', 'g1', 's', '1'], new Uint8Array([1]));
    await a.save(['doc', 'g1', 'u', '2'], new Uint8Array([2]));
    await a.save(['doc', 'g2', 'u', '3'], new Uint8Array([3]));
    a.close();
    const b = await IdbStorage.open(name, { preload: [['doc', 'g1']] });
    opened.push(b);
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    expect(await b.loadKeys(['doc', 'g1'])).toEqual([
      ['doc', 'g1', 's', '1'],
      ['doc', 'g1', 'u', '2'],
    ]);
    expect((await b.loadRange(['doc', 'g1'])).map((c) => c.data[0])).toEqual([1, 2]);
    expect(getAll).not.toHaveBeenCalled();
    expect(await b.loadKeys(['doc', 'g2'])).toEqual([['doc', 'g2', 'u', '3']]);
    await b.save(['doc', 'g1', 'u', '4'], new Uint8Array([4]));
    expect(await b.loadKeys(['doc', 'g1'])).toHaveLength(3);
  });

  it('reads a range ahead only while a given key is not stored, and lists its keys either way', async () => {
    const name = `hearth-unless-${n++}`;
    const a = await fresh(name);
    await a.save(['doc', 'g1', 's', '1'], new Uint8Array([1]));
    a.close();
    const unless = { unless: ['first-screen', 'g1'], ranges: [['doc', 'g1']] };
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const b = await IdbStorage.open(name, { preloadUnless: unless });
    opened.push(b);
    expect(await b.loadKeys(['doc', 'g1'])).toEqual([['doc', 'g1', 's', '1']]);
    expect((await b.loadRange(['doc', 'g1'])).map((c) => c.data[0])).toEqual([1]);
    expect(getAll).toHaveBeenCalledTimes(1); // read ahead: nothing kept stood in the way
    await b.save(['first-screen', 'g1'], new Uint8Array([9]));
    b.close();

    getAll.mockClear();
    const c = await IdbStorage.open(name, { preloadUnless: unless });
    opened.push(c);
    // The keys are listed after the check, so by then the values would have been asked for.
    expect(await c.loadKeys(['doc', 'g1'])).toEqual([['doc', 'g1', 's', '1']]);
    expect(getAll).not.toHaveBeenCalled();
    expect((await c.loadRange(['doc', 'g1'])).map((c) => c.data[0])).toEqual([1]);
    expect(getAll).toHaveBeenCalledTimes(1); // read when asked
  });

  it('drops what it read ahead once anything is written', async () => {
    const name = `hearth-ahead-${n++}`;
    const a = await fresh(name);
    await a.save(['groups', 'g1'], new Uint8Array([2]));
    a.close();
    const b = await IdbStorage.open(name, { preload: [['groups']] });
    opened.push(b);
    await b.save(['groups', 'g2'], new Uint8Array([3]));
    expect(await b.loadRange(['groups'])).toHaveLength(2);
  });

  it('keeps data across a close and reopen of the same database', async () => {
    const a = await fresh('hearth-reopen');
    await a.save(['doc', 'g', 'x'], new Uint8Array([4, 2]));
    a.close();
    const b = await fresh('hearth-reopen');
    expect(await b.load(['doc', 'g', 'x'])).toEqual(new Uint8Array([4, 2]));
  });

  it('maps QuotaExceededError to StorageError quota and loses nothing stored', async () => {
    const s = await fresh();
    await s.save(['keep'], new Uint8Array([1]));
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if ((args[1] as string[])[0] === 'big') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return realPut.apply(this, args);
    });
    const err = await s
      .batch([
        { op: 'remove', key: ['keep'] },
        { op: 'save', key: ['small'], data: new Uint8Array([2]) },
        { op: 'save', key: ['big'], data: new Uint8Array(100) },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('quota');
    expect((err as StorageError).message).toMatch(/nothing already saved was lost/);
    expect(await s.load(['keep'])).toEqual(new Uint8Array([1]));
    expect(await s.load(['small'])).toBeUndefined();
  });
});
