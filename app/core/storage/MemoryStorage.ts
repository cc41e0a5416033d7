// The reference StorageAdapter: everything in a Map, for tests and for Node tools. An
// optional byte quota lets tests exercise the "device full" path the browser can hit.
import {
  assertKey,
  assertOps,
  compareKeys,
  hasPrefix,
  type StorageAdapter,
  type StorageChunk,
  StorageError,
  type StorageKey,
  type StorageOp,
} from './StorageAdapter.ts';

interface Entry {
  readonly key: StorageKey;
  readonly data: Uint8Array;
}

export interface MemoryStorageOptions {
  /** Total bytes of stored values allowed; a write past it fails with StorageError 'quota'. */
  readonly quotaBytes?: number;
}

const id = (key: StorageKey): string => JSON.stringify(key);

export class MemoryStorage implements StorageAdapter {
  private entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly quotaBytes: number;

  constructor(options: MemoryStorageOptions = {}) {
    this.quotaBytes = options.quotaBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Bytes of values currently stored. */
  get size(): number {
    return this.bytes;
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    assertKey(key);
    return this.entries.get(id(key))?.data.slice();
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    await this.batch([{ op: 'save', key, data }]);
  }

  async remove(key: StorageKey): Promise<void> {
    await this.batch([{ op: 'remove', key }]);
  }

  async loadRange(prefix: StorageKey): Promise<StorageChunk[]> {
    assertKey(prefix, { allowEmpty: true });
    const out: StorageChunk[] = [];
    for (const e of this.entries.values()) {
      if (hasPrefix(e.key, prefix)) out.push({ key: [...e.key], data: e.data.slice() });
    }
    return out.sort((a, b) => compareKeys(a.key, b.key));
  }

  async removeRange(prefix: StorageKey): Promise<void> {
    await this.batch([{ op: 'removeRange', prefix }]);
  }

  async batch(ops: readonly StorageOp[]): Promise<void> {
    assertOps(ops);
    // An undo log instead of a copy keeps single writes O(1) while the batch stays atomic.
    const undo: [string, Entry | undefined][] = [];
    let bytes = this.bytes;
    const put = (k: string, e: Entry | undefined) => {
      const old = this.entries.get(k);
      undo.push([k, old]);
      if (old) bytes -= old.data.length;
      if (e) {
        this.entries.set(k, e);
        bytes += e.data.length;
      } else {
        this.entries.delete(k);
      }
    };
    for (const op of ops) {
      if (op.op === 'save') put(id(op.key), { key: [...op.key], data: op.data.slice() });
      else if (op.op === 'remove') put(id(op.key), undefined);
      else
        for (const [k, e] of [...this.entries]) if (hasPrefix(e.key, op.prefix)) put(k, undefined);
    }
    if (bytes > this.quotaBytes && bytes > this.bytes) {
      for (let i = undo.length - 1; i >= 0; i--) {
        const [k, old] = undo[i]!;
        if (old) this.entries.set(k, old);
        else this.entries.delete(k);
      }
      throw new StorageError('quota');
    }
    this.bytes = bytes;
  }
}
