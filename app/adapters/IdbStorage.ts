// StorageAdapter over IndexedDB: one database 'hearth', one object store whose keys are the
// StorageKey arrays themselves, so IndexedDB's own array order is the contract's key order
// and a batch is one transaction (all or nothing).
import { type IDBPDatabase, openDB } from 'idb';
import {
  assertKey,
  assertOps,
  isQuotaError,
  type StorageAdapter,
  type StorageChunk,
  StorageError,
  type StorageKey,
  type StorageOp,
} from '../core/storage/StorageAdapter.ts';

export const IDB_NAME = 'hearth';
export const IDB_STORE = 'kv';
const IDB_VERSION = 1;

/** Every key that starts with `prefix`: an empty array sorts after any string segment. */
const rangeOf = (prefix: StorageKey): IDBKeyRange =>
  IDBKeyRange.bound([...prefix], [...prefix, []]);

function toStorageError(e: unknown): StorageError {
  if (e instanceof StorageError) return e;
  if (isQuotaError(e)) return new StorageError('quota', undefined, { cause: e });
  const inner = (e as { target?: { error?: unknown } } | null)?.target?.error;
  if (isQuotaError(inner)) return new StorageError('quota', undefined, { cause: inner });
  return new StorageError('failed', undefined, { cause: e });
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new StorageError('unreadable', `IndexedDB value is ${typeof value}, not bytes`);
}

export class IdbStorage implements StorageAdapter {
  private constructor(private readonly db: IDBPDatabase) {}

  /** Opens (creating on first use) the app's database. */
  static async open(name: string = IDB_NAME): Promise<IdbStorage> {
    if (typeof indexedDB === 'undefined') throw new StorageError('unavailable');
    try {
      const db = await openDB(name, IDB_VERSION, {
        upgrade(database) {
          if (!database.objectStoreNames.contains(IDB_STORE)) database.createObjectStore(IDB_STORE);
        },
      });
      return new IdbStorage(db);
    } catch (e) {
      throw new StorageError('unavailable', undefined, { cause: e });
    }
  }

  close(): void {
    this.db.close();
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    assertKey(key);
    try {
      const value: unknown = await this.db.get(IDB_STORE, [...key]);
      return value === undefined ? undefined : toBytes(value);
    } catch (e) {
      throw toStorageError(e);
    }
  }

  save(key: StorageKey, data: Uint8Array): Promise<void> {
    return this.batch([{ op: 'save', key, data }]);
  }

  remove(key: StorageKey): Promise<void> {
    return this.batch([{ op: 'remove', key }]);
  }

  async loadRange(prefix: StorageKey): Promise<StorageChunk[]> {
    assertKey(prefix, { allowEmpty: true });
    try {
      const tx = this.db.transaction(IDB_STORE, 'readonly');
      const range = rangeOf(prefix);
      const [keys, values] = await Promise.all([
        tx.store.getAllKeys(range),
        tx.store.getAll(range),
        tx.done,
      ]);
      return keys.map((k, i) => ({ key: k as string[], data: toBytes(values[i]) }));
    } catch (e) {
      throw toStorageError(e);
    }
  }

  removeRange(prefix: StorageKey): Promise<void> {
    return this.batch([{ op: 'removeRange', prefix }]);
  }

  async batch(ops: readonly StorageOp[]): Promise<void> {
    assertOps(ops);
    if (ops.length === 0) return;
    const tx = this.db.transaction(IDB_STORE, 'readwrite');
    try {
      // Requests are queued synchronously and run in order; awaiting only tx.done keeps the
      // transaction alive and makes any failure abort all of it.
      for (const op of ops) {
        if (op.op === 'save') void tx.store.put(op.data.slice(), [...op.key]).catch(() => {});
        else if (op.op === 'remove') void tx.store.delete([...op.key]).catch(() => {});
        else void tx.store.delete(rangeOf(op.prefix)).catch(() => {});
      }
      await tx.done;
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      await tx.done.catch(() => {});
      throw toStorageError(e);
    }
  }
}
