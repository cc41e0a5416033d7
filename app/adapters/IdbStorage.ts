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

export interface IdbStorageOptions {
  /**
   * Keys and prefixes to read as the database opens, all in one transaction: the first `load`
   * of exactly such a key, or `loadRange` of such a prefix, takes the answer instead of asking
   * again. A write drops whatever was read ahead and not yet taken (it could be stale).
   */
  readonly preload?: readonly StorageKey[];
  /**
   * Ranges whose keys are read ahead in the same transaction, and their values too unless
   * `unless` is stored: a group's document (megabytes to deserialise on the page's thread) is
   * read ahead only when no kept first screen will paint before it is needed.
   */
  readonly preloadUnless?: {
    readonly unless: StorageKey;
    readonly ranges: readonly StorageKey[];
  };
}

const keyText = (key: StorageKey): string => JSON.stringify(key);

export class IdbStorage implements StorageAdapter {
  readonly #ahead = new Map<string, Promise<StorageChunk[] | undefined>>();
  /** The keys of each range read ahead, answered as soon as they are listed (loadKeys). */
  readonly #aheadKeys = new Map<string, Promise<StorageKey[]>>();

  private constructor(private readonly db: IDBPDatabase) {}

  /** Opens (creating on first use) the app's database. */
  static async open(name: string = IDB_NAME, options: IdbStorageOptions = {}): Promise<IdbStorage> {
    if (typeof indexedDB === 'undefined') throw new StorageError('unavailable');
    let storage: IdbStorage;
    try {
      // Start-up marks for traces and the bench: opening the database, then the read-ahead.
      performance.mark('hearth:idb-open');
      const db = await openDB(name, IDB_VERSION, {
        upgrade(database) {
          if (!database.objectStoreNames.contains(IDB_STORE)) database.createObjectStore(IDB_STORE);
        },
      });
      performance.mark('hearth:idb-opened');
      storage = new IdbStorage(db);
    } catch (e) {
      throw new StorageError('unavailable', undefined, { cause: e });
    }
    if (options.preload?.length || options.preloadUnless) {
      storage.#readAhead(options.preload ?? [], options.preloadUnless);
    }
    return storage;
  }

  #readAhead(prefixes: readonly StorageKey[], unless?: IdbStorageOptions['preloadUnless']): void {
    for (const p of [...prefixes, ...(unless ? [unless.unless, ...unless.ranges] : [])]) {
      assertKey(p);
    }
    const tx = this.db.transaction(IDB_STORE, 'readonly');
    const failed = (e: unknown): never => {
      throw toStorageError(e);
    };
    const listKeys = (prefix: StorageKey) => {
      const listed = tx.store.getAllKeys(rangeOf(prefix));
      const keys = listed.then((ks) => ks as string[][], failed);
      keys.catch(() => {});
      this.#aheadKeys.set(keyText(prefix), keys);
      return listed;
    };
    const readValues = (prefix: StorageKey, listed: Promise<IDBValidKey[]>) =>
      Promise.all([listed, tx.store.getAll(rangeOf(prefix))]).then(
        ([keys, values]) => keys.map((k, i) => ({ key: k as string[], data: toBytes(values[i]) })),
        failed,
      );
    const keep = (prefix: StorageKey, read: Promise<StorageChunk[] | undefined>) => {
      read.catch(() => {}); // reported to whoever takes it; never unhandled if nobody does
      this.#ahead.set(keyText(prefix), read);
    };
    for (const prefix of prefixes) keep(prefix, readValues(prefix, listKeys(prefix)));
    if (unless) {
      const kept = tx.store.count(IDBKeyRange.only([...unless.unless]));
      for (const prefix of unless.ranges) {
        const listed = listKeys(prefix);
        // Asked while the transaction is still live (inside the count's success).
        keep(
          prefix,
          kept.then((n) => (n > 0 ? undefined : readValues(prefix, listed)), failed),
        );
      }
    }
    tx.done.then(() => performance.mark('hearth:idb-readahead-done')).catch(() => {});
  }

  /** What was read ahead for exactly this key or prefix, handed out once (undefined: not read). */
  #take(key: StorageKey): Promise<StorageChunk[] | undefined> | undefined {
    const text = keyText(key);
    const read = this.#ahead.get(text);
    if (read) this.#ahead.delete(text);
    return read;
  }

  /**
   * What was read ahead for exactly this key or prefix, without taking it: the first paint
   * (ui/firstPaint.ts) looks at rows the app then takes as usual. Resolves undefined for a
   * range preloadUnless left unread.
   */
  peek(key: StorageKey): Promise<StorageChunk[] | undefined> | undefined {
    return this.#ahead.get(keyText(key));
  }

  close(): void {
    this.db.close();
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    assertKey(key);
    const ahead = await this.#take(key);
    if (ahead) {
      const text = keyText(key);
      return ahead.find((c) => keyText(c.key) === text)?.data;
    }
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

  async loadKeys(prefix: StorageKey): Promise<StorageKey[]> {
    assertKey(prefix, { allowEmpty: true });
    const text = keyText(prefix);
    const ahead = this.#aheadKeys.get(text);
    if (ahead) {
      this.#aheadKeys.delete(text);
      return ahead;
    }
    try {
      return (await this.db.getAllKeys(IDB_STORE, rangeOf(prefix))) as string[][];
    } catch (e) {
      throw toStorageError(e);
    }
  }

  async loadRange(prefix: StorageKey): Promise<StorageChunk[]> {
    assertKey(prefix, { allowEmpty: true });
    const ahead = await this.#take(prefix);
    if (ahead) return ahead;
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
    this.#ahead.clear();
    this.#aheadKeys.clear();
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
