// Keeps one group's Yjs document on the device, sealed: every update becomes its own row,
// and from time to time all rows fold into one sealed snapshot. Rows get unique ids (not a
// counter) so two tabs appending at once never overwrite each other.
import nacl from 'tweetnacl';
import * as Y from 'yjs';
import { toBase64Url, utf8 } from '../crypto/bytes.ts';
import type { GroupId, StoreKey } from '../crypto/keys.ts';
import { type LocalSealer, localSealer } from '../crypto/localSealed.ts';
import { mark } from '../util/marks.ts';
import {
  type StorageAdapter,
  type StorageChunk,
  type StorageKey,
  type StorageOp,
  seqSegment,
} from './StorageAdapter.ts';

export interface EncryptedDocStoreOptions {
  /** Fold rows into a snapshot once this many rows have been written since the last one. */
  readonly compactAfterUpdates?: number;
  /** ... or once the rows hold this many sealed bytes. */
  readonly compactAfterBytes?: number;
  /** Where the rows live; `['doc', groupId]` by default (a note's document has its own). */
  readonly prefix?: StorageKey;
  /** The stored rows when they were already read (Hearth shares one read with its first screen). */
  readonly firstRead?: Promise<StorageChunk[]>;
}

export interface LoadedUpdates {
  /** Opened updates: snapshots first, then rows, in key order. */
  readonly updates: Uint8Array[];
  /** Rows or snapshots that could not be opened or applied (wrong key, damaged, tampered). */
  readonly unreadable: number;
}

export interface LoadedDoc {
  readonly doc: Y.Doc;
  readonly unreadable: number;
}

interface Chunk {
  readonly key: StorageKey;
  readonly kind: 'snapshot' | 'update';
  readonly update: Uint8Array;
}

const ROW = 'u';
const SNAPSHOT = 's';
export const DEFAULT_COMPACT_AFTER_UPDATES = 200;
export const DEFAULT_COMPACT_AFTER_BYTES = 1024 * 1024;

const isStateKey = (prefix: StorageKey, k: StorageKey): boolean =>
  k.length === prefix.length + 2 && (k[prefix.length] === ROW || k[prefix.length] === SNAPSHOT);

/**
 * Names the stored state of a document: a digest of the keys of its rows and snapshots under
 * `prefix`. Rows are never rewritten in place (each has a unique id, compaction writes a new
 * snapshot), so the same keys mean the same stored updates.
 */
export function storedBasis(prefix: StorageKey, keys: Iterable<StorageKey>): string {
  const names = [...keys].filter((k) => isStateKey(prefix, k)).map((k) => JSON.stringify(k));
  names.sort();
  return toBase64Url(nacl.hash(utf8(JSON.stringify([prefix, names]))).subarray(0, 32));
}

export class EncryptedDocStore {
  private key: StoreKey;
  private sealer: LocalSealer;
  private readonly prefix: StorageKey;
  private readonly compactAfterUpdates: number;
  private readonly compactAfterBytes: number;
  private rowsSinceCompaction = 0;
  private bytesSinceCompaction = 0;
  private counter = 0;
  private unreadableKeys: StorageKey[] = [];
  /** The keys of the rows and snapshots stored now, as far as this store knows (see basis). */
  private readonly stored = new Map<string, StorageKey>();
  private firstRead: Promise<StorageChunk[]> | undefined;
  /** Every write goes through this chain, so appends, compaction and rekeying never interleave. */
  private chain: Promise<void> = Promise.resolve();
  private errorListeners = new Set<(e: unknown) => void>();

  private doc: Y.Doc | undefined;
  private pending: Uint8Array[] = [];
  private flushScheduled = false;
  private lastPendingStructs: unknown = null;
  private lastPendingDs: unknown = null;

  constructor(
    private readonly storage: StorageAdapter,
    readonly groupId: GroupId,
    key: StoreKey,
    options: EncryptedDocStoreOptions = {},
  ) {
    this.key = key;
    this.sealer = localSealer(key);
    this.prefix = options.prefix ?? ['doc', groupId];
    this.compactAfterUpdates = options.compactAfterUpdates ?? DEFAULT_COMPACT_AFTER_UPDATES;
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.firstRead = options.firstRead;
  }

  /**
   * The stored state this store last read or wrote (storedBasis): what a cache of views built
   * from the document is keyed to. Rows another tab wrote since are not in it, so a cache
   * written with it no longer matches once they are.
   */
  basis(): string {
    return storedBasis(this.prefix, this.stored.values());
  }

  /** Rows written since the last compaction, and their sealed size. */
  get stats(): { rows: number; bytes: number; unreadable: number } {
    return {
      rows: this.rowsSinceCompaction,
      bytes: this.bytesSinceCompaction,
      unreadable: this.unreadableKeys.length,
    };
  }

  /** Background failures (an attached doc's writes, automatic compaction). */
  onError(cb: (e: unknown) => void): () => void {
    this.errorListeners.add(cb);
    return () => this.errorListeners.delete(cb);
  }

  async loadUpdates(): Promise<LoadedUpdates> {
    const { chunks, unreadable } = await this.readAll();
    return { updates: chunks.map((c) => c.update), unreadable };
  }

  /** Applies everything stored to `into` (a fresh doc by default), skipping what fails. */
  async load(into: Y.Doc = new Y.Doc()): Promise<LoadedDoc> {
    const { updates, unreadable } = await this.loadUpdates();
    return { doc: into, unreadable: unreadable + this.applyAll(into, updates).length };
  }

  /** Seals `update` and stores it as a new row; may then compact. */
  append(update: Uint8Array): Promise<void> {
    return this.enqueue(async () => {
      const sealed = await this.sealer.seal(update);
      const key = [...this.prefix, ROW, this.rowId()];
      await this.storage.save(key, sealed);
      this.stored.set(JSON.stringify(key), key);
      this.rowsSinceCompaction++;
      this.bytesSinceCompaction += sealed.length;
      if (
        this.rowsSinceCompaction >= this.compactAfterUpdates ||
        this.bytesSinceCompaction >= this.compactAfterBytes
      ) {
        await this.compactNow(this.key).catch((e: unknown) => this.report(e));
      }
    });
  }

  /**
   * Folds every readable snapshot and row into one new snapshot. The snapshot is written
   * before the rows it replaces are removed, in one batch: on a store that cannot make the
   * batch atomic, a crash in between leaves both, and loading still gives the same Y.Doc.
   */
  compact(): Promise<void> {
    return this.enqueue(() => this.compactNow(this.key));
  }

  /** Moves everything under a new key epoch: one snapshot sealed with `newKey`, old rows dropped. */
  rekey(newKey: StoreKey): Promise<void> {
    return this.enqueue(async () => {
      await this.compactNow(newKey);
      this.key = newKey;
      this.sealer = localSealer(newKey);
    });
  }

  /** Removes the rows that failed to open at the last load (they can never be read with this key). */
  discardUnreadable(): Promise<void> {
    return this.enqueue(async () => {
      const ops: StorageOp[] = this.unreadableKeys.map((key) => ({ op: 'remove', key }));
      await this.storage.batch(ops);
      for (const k of this.unreadableKeys) this.stored.delete(JSON.stringify(k));
      this.unreadableKeys = [];
    });
  }

  /** Removes every stored row and snapshot of this group from the device. */
  clear(): Promise<void> {
    return this.enqueue(async () => {
      await this.storage.removeRange(this.prefix);
      this.stored.clear();
      this.rowsSinceCompaction = 0;
      this.bytesSinceCompaction = 0;
      this.unreadableKeys = [];
    });
  }

  /**
   * Loads the stored state into `doc`, then stores every later change of `doc` (except the
   * ones this store applied itself), batched per microtask. State `doc` already held before
   * attaching is stored too.
   */
  async attach(doc: Y.Doc): Promise<{ unreadable: number }> {
    if (this.doc) throw new Error('EncryptedDocStore is already attached to a document');
    const preexisting = Y.encodeStateVector(doc).length > 1 ? Y.encodeStateAsUpdate(doc) : null;
    this.doc = doc;
    doc.on('update', this.onUpdate);
    doc.on('afterTransaction', this.onAfterTransaction);
    try {
      const { updates, unreadable } = await this.loadUpdates();
      // Yjs encodes every transaction for 'update' listeners; the stored state needs no
      // storing again, so stop listening while it is applied (a large group opens faster).
      doc.off('update', this.onUpdate);
      let failed: number;
      try {
        failed = this.applyAll(doc, updates).length;
        mark('doc-applied');
      } finally {
        doc.on('update', this.onUpdate);
      }
      if (preexisting) await this.append(preexisting);
      return { unreadable: unreadable + failed };
    } catch (e) {
      this.unlisten();
      throw e;
    }
  }

  /** Stops listening and waits until every change seen so far is stored. */
  async detach(): Promise<void> {
    const flushed = this.flush();
    this.unlisten();
    await flushed;
  }

  /** Resolves once every change seen so far (and every queued write) is stored. */
  async flush(): Promise<void> {
    const doc = this.doc;
    if (doc) this.capturePending(doc);
    const batch = this.pending.splice(0);
    if (batch.length > 0) {
      const merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
      try {
        await this.append(merged);
      } catch (e) {
        // Keep it for the next flush; the document still holds it.
        this.pending.unshift(merged);
        throw e;
      }
    }
    await this.chain;
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    this.pending.push(update);
    this.scheduleFlush();
  };

  /**
   * An update whose dependencies have not arrived waits inside Yjs and raises no 'update'
   * event; store it anyway, so a reload before the dependencies arrive loses nothing.
   */
  private readonly onAfterTransaction = (_t: Y.Transaction, doc: Y.Doc) => {
    const { pendingStructs, pendingDs } = doc.store;
    if (pendingStructs !== this.lastPendingStructs || pendingDs !== this.lastPendingDs) {
      this.scheduleFlush();
    }
  };

  private capturePending(doc: Y.Doc): void {
    const { pendingStructs, pendingDs } = doc.store;
    if (pendingStructs === this.lastPendingStructs && pendingDs === this.lastPendingDs) return;
    this.lastPendingStructs = pendingStructs;
    this.lastPendingDs = pendingDs;
    if (pendingStructs || pendingDs) {
      this.pending.push(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)));
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    void Promise.resolve().then(() => {
      this.flushScheduled = false;
      this.flush().catch((e: unknown) => this.report(e));
    });
  }

  private unlisten(): void {
    this.doc?.off('update', this.onUpdate);
    this.doc?.off('afterTransaction', this.onAfterTransaction);
    this.doc = undefined;
  }

  /** Applies each update on its own terms; returns the indices of those that threw. */
  private applyAll(doc: Y.Doc, updates: readonly Uint8Array[]): number[] {
    const failed: number[] = [];
    Y.transact(
      doc,
      () => {
        for (const [i, u] of updates.entries()) {
          try {
            Y.applyUpdate(doc, u, this);
          } catch {
            failed.push(i);
          }
        }
      },
      this,
    );
    return failed;
  }

  private async readAll(): Promise<{ chunks: Chunk[]; unreadable: number }> {
    const first = this.firstRead;
    this.firstRead = undefined;
    const stored = await (first ?? this.storage.loadRange(this.prefix));
    mark('doc-read');
    const sealer = this.sealer;
    const wanted = stored.filter(({ key: k }) => isStateKey(this.prefix, k));
    this.stored.clear();
    for (const { key } of wanted) this.stored.set(JSON.stringify(key), key);
    // All at once: WebCrypto opens them in parallel, off the page's thread.
    const opened = await Promise.all(
      wanted.map(({ data }) => sealer.open(data).catch(() => undefined)),
    );
    const snapshots: Chunk[] = [];
    const rows: Chunk[] = [];
    const unreadable: StorageKey[] = [];
    let rowBytes = 0;
    for (const [i, { key: k, data }] of wanted.entries()) {
      const update = opened[i];
      if (update === undefined) {
        unreadable.push(k);
      } else if (k[this.prefix.length] === SNAPSHOT) {
        snapshots.push({ key: k, kind: 'snapshot', update });
      } else {
        rows.push({ key: k, kind: 'update', update });
        rowBytes += data.length;
      }
    }
    mark('doc-opened');
    this.unreadableKeys = unreadable;
    this.rowsSinceCompaction = rows.length;
    this.bytesSinceCompaction = rowBytes;
    return { chunks: [...snapshots, ...rows], unreadable: unreadable.length };
  }

  private async compactNow(newKey: StoreKey): Promise<void> {
    const { chunks } = await this.readAll();
    const doc = new Y.Doc();
    const failed = new Set(
      this.applyAll(
        doc,
        chunks.map((c) => c.update),
      ),
    );
    const sealer = newKey === this.key ? this.sealer : localSealer(newKey);
    const snapshot = await sealer.seal(Y.encodeStateAsUpdate(doc));
    doc.destroy();
    // A row that opened but would not apply stays, unread, rather than vanish into the snapshot.
    const folded = chunks.filter((_, i) => !failed.has(i));
    for (const i of failed) this.unreadableKeys.push(chunks[i]!.key);
    const snapshotKey = [...this.prefix, SNAPSHOT, this.rowId()];
    const ops: StorageOp[] = [
      { op: 'save', key: snapshotKey, data: snapshot },
      ...folded.map((c): StorageOp => ({ op: 'remove', key: c.key })),
    ];
    await this.storage.batch(ops);
    for (const c of folded) this.stored.delete(JSON.stringify(c.key));
    this.stored.set(JSON.stringify(snapshotKey), snapshotKey);
    this.rowsSinceCompaction = 0;
    this.bytesSinceCompaction = 0;
  }

  private rowId(): string {
    const n = this.counter++;
    return `${seqSegment(Date.now())}.${seqSegment(n)}.${toBase64Url(nacl.randomBytes(6))}`;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => {});
    return run;
  }

  private report(e: unknown): void {
    for (const cb of this.errorListeners) cb(e);
  }
}
