// Asynchronous sync of one document through the relay's blind mailbox, for members who are
// rarely online together. Local changes are sealed into a persistent queue and leave it only
// once the relay acknowledges them; pulled blobs are untrusted and applied defensively.
import nacl from 'tweetnacl';
import * as Y from 'yjs';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes.ts';
import type { EpochKeys } from '../crypto/keys.ts';
import { open, seal } from '../crypto/sealed.ts';
import {
  type StorageAdapter,
  StorageError,
  type StorageKey,
  type StorageOp,
  seqSegment,
} from '../storage/StorageAdapter.ts';
import { type Clock, systemClock } from './Clock.ts';
import {
  type Mailbox,
  type MailboxEntry,
  MailboxError,
  type MailboxErrorCode,
  type MailboxKind,
} from './Mailbox.ts';
import { WRITE_ID_BYTES } from './mailboxEnvelope.ts';
import { Listeners } from './Transport.ts';

/** Shown when even a snapshot of the whole group does not fit in the relay's quota. */
export const RELAY_FULL_MESSAGE =
  'The relay is full for this group, even for a compact copy of it. Everything stays on this device and still reaches members who are online at the same time; whoever runs the relay can raise its limit.';

export type RelayState = 'reachable' | 'unreachable' | 'unknown';

export interface MailboxSyncStatus {
  readonly relay: RelayState;
  /** Last time the relay answered anything at all. */
  readonly lastRelayContactAt: number | null;
  /** Last time everything was pulled and nothing was waiting to upload. */
  readonly lastSyncedAt: number | null;
  /** Sealed batches of changes not yet acknowledged by the relay. */
  readonly pendingUploads: number;
  /** Blobs from the relay that could not be opened or applied, since this object started. */
  readonly skipped: number;
  /** What is wrong right now, in plain words. */
  readonly error: string | null;
  readonly errorCode: MailboxErrorCode | StorageError['code'] | 'failed' | null;
}

export interface MailboxSyncOptions {
  /** The group's document, already loaded from local storage. */
  readonly doc: Y.Doc;
  readonly keys: Pick<EpochKeys, 'roomId' | 'storeKey' | 'mailbox'>;
  readonly mailbox: Mailbox;
  /** Where the cursor and the pending queue live (namespaced under ['mailbox', roomId]). */
  readonly storage: StorageAdapter;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Local updates within this window go out as one batch. Default 200 ms. */
  readonly batchDelayMs?: number;
  /** Upload a snapshot after this many acknowledged updates. Default 50. */
  readonly snapshotEvery?: number;
  /** Replace the queue with one snapshot once it holds this many batches. Default 20. */
  readonly snapshotWhenPending?: number;
  readonly pageLimit?: number;
  readonly maxPagesPerPull?: number;
  /** Larger blobs from the relay are skipped unread. Default 8 MiB. */
  readonly maxBlobBytes?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Update origins never to upload (besides this object's own), e.g. the local store. */
  readonly ignoreOrigins?: readonly unknown[];
  /** Runs before a new cursor is stored, e.g. to flush the local document store first. */
  readonly beforeCursorCommit?: () => Promise<void>;
}

export interface PullResult {
  readonly applied: number;
  readonly skipped: number;
}

interface QueueItem {
  readonly key: StorageKey;
  readonly kind: MailboxKind;
  readonly supersedes: number;
  readonly writeId: Uint8Array;
  readonly blob: Uint8Array;
}

interface PersistedState {
  cursor: number;
  lastSyncedAt: number | null;
  uploadsSinceSnapshot: number;
  /** Doc state vector when changes were last queued (base64url), to catch missed ones. */
  queuedStateVector: string | null;
}

const ITEM_VERSION = 1;
const ITEM_HEADER = 1 + 1 + 8 + WRITE_ID_BYTES;

function encodeItem(item: QueueItem): Uint8Array {
  const out = new Uint8Array(ITEM_HEADER + item.blob.length);
  const view = new DataView(out.buffer);
  out[0] = ITEM_VERSION;
  out[1] = item.kind === 'snapshot' ? 2 : 1;
  view.setUint32(2, Math.floor(item.supersedes / 2 ** 32));
  view.setUint32(6, item.supersedes >>> 0);
  out.set(item.writeId, 10);
  out.set(item.blob, ITEM_HEADER);
  return out;
}

function decodeItem(key: StorageKey, data: Uint8Array): QueueItem | undefined {
  if (data.length < ITEM_HEADER || data[0] !== ITEM_VERSION) return undefined;
  const kind = data[1] === 1 ? 'update' : data[1] === 2 ? 'snapshot' : undefined;
  if (!kind) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const supersedes = view.getUint32(2) * 2 ** 32 + view.getUint32(6);
  if (!Number.isSafeInteger(supersedes)) return undefined;
  return {
    key,
    kind,
    supersedes,
    writeId: data.slice(10, ITEM_HEADER),
    blob: data.slice(ITEM_HEADER),
  };
}

function decodeState(data: Uint8Array | undefined): PersistedState {
  const fresh: PersistedState = {
    cursor: 0,
    lastSyncedAt: null,
    uploadsSinceSnapshot: 0,
    queuedStateVector: null,
  };
  if (!data) return fresh;
  try {
    const j = JSON.parse(fromUtf8(data)) as Partial<PersistedState> & { v?: unknown };
    const int = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
    return {
      cursor: int(j.cursor) ? j.cursor! : 0,
      lastSyncedAt: int(j.lastSyncedAt) ? j.lastSyncedAt! : null,
      uploadsSinceSnapshot: int(j.uploadsSinceSnapshot) ? j.uploadsSinceSnapshot! : 0,
      queuedStateVector: typeof j.queuedStateVector === 'string' ? j.queuedStateVector : null,
    };
  } catch {
    return fresh;
  }
}

/** True when `doc` holds structs beyond the encoded state vector `sv`. */
function hasNewStructs(doc: Y.Doc, sv: Uint8Array): boolean {
  const before = Y.decodeStateVector(sv);
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
    if (clock > (before.get(client) ?? 0)) return true;
  }
  return false;
}

export class MailboxSync {
  private readonly doc: Y.Doc;
  private readonly keys: MailboxSyncOptions['keys'];
  private readonly mailbox: Mailbox;
  private readonly storage: StorageAdapter;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly prefix: StorageKey;
  private readonly o: Required<
    Pick<
      MailboxSyncOptions,
      | 'batchDelayMs'
      | 'snapshotEvery'
      | 'snapshotWhenPending'
      | 'pageLimit'
      | 'maxPagesPerPull'
      | 'maxBlobBytes'
      | 'minBackoffMs'
      | 'maxBackoffMs'
    >
  >;
  private readonly ignoreOrigins: readonly unknown[];
  private readonly beforeCursorCommit: (() => Promise<void>) | undefined;

  private state: PersistedState = decodeState(undefined);
  private queue: QueueItem[] = [];
  private batch: Uint8Array[] = [];
  private batchTimer: unknown = null;
  private backoffTimer: unknown = null;
  private attempt = 0;
  private needSnapshot = false;
  private counter = 0;
  private started = false;
  private destroyed = false;
  private pulledOnce = false;
  private readonly ready: Promise<void>;
  private chain: Promise<void> = Promise.resolve();
  private pumping: Promise<void> | null = null;
  private pulling: Promise<PullResult> | null = null;

  private relay: RelayState = 'unknown';
  private lastRelayContactAt: number | null = null;
  private skipped = 0;
  private uploadError: MailboxError | null = null;
  private pullError: MailboxError | null = null;
  private localError: StorageError | null = null;
  private current: MailboxSyncStatus;
  private readonly listeners = new Listeners<MailboxSyncStatus>();

  constructor(options: MailboxSyncOptions) {
    this.doc = options.doc;
    this.keys = options.keys;
    this.mailbox = options.mailbox;
    this.storage = options.storage;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.prefix = ['mailbox', options.keys.roomId];
    this.o = {
      batchDelayMs: options.batchDelayMs ?? 200,
      snapshotEvery: options.snapshotEvery ?? 50,
      snapshotWhenPending: options.snapshotWhenPending ?? 20,
      pageLimit: options.pageLimit ?? 200,
      maxPagesPerPull: options.maxPagesPerPull ?? 1000,
      maxBlobBytes: options.maxBlobBytes ?? 8 * 1024 * 1024,
      minBackoffMs: options.minBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 5 * 60 * 1000,
    };
    this.ignoreOrigins = options.ignoreOrigins ?? [];
    this.beforeCursorCommit = options.beforeCursorCommit;
    this.current = this.compute();
    this.doc.on('update', this.onUpdate);
    this.ready = this.serial(() => this.init());
  }

  /** Forgets the cursor and queue of a room (after leaving a group or an epoch). */
  static forget(storage: StorageAdapter, roomId: string): Promise<void> {
    return storage.removeRange(['mailbox', roomId]);
  }

  get status(): MailboxSyncStatus {
    return this.current;
  }

  onStatus(cb: (status: MailboxSyncStatus) => void): () => void {
    return this.listeners.add(cb);
  }

  /** Begins uploading (and retrying); local changes are queued even before this. */
  start(): void {
    if (this.destroyed) return;
    this.started = true;
    this.kick();
  }

  /** Pauses network work; local changes keep being queued. */
  stop(): void {
    this.started = false;
    this.clearBackoff();
  }

  /** Skips any backoff wait and tries uploading now (on focus, online, reconnect). */
  retryNow(): void {
    this.clearBackoff();
    this.kick();
  }

  /**
   * Fetches and applies everything after the stored cursor. Rejects with MailboxError (relay)
   * or StorageError (the cursor could not be committed locally).
   */
  pull(): Promise<PullResult> {
    if (this.destroyed) return Promise.resolve({ applied: 0, skipped: 0 });
    if (!this.pulling) {
      this.pulling = this.pullAll().finally(() => {
        this.pulling = null;
      });
    }
    return this.pulling;
  }

  /** Queues the current batch now, uploads what it can, and waits until that is done. */
  async flush(): Promise<void> {
    await this.queueBatch();
    this.kick();
    await this.idle();
  }

  /** Resolves when no upload, pull or queue write is in progress. */
  async idle(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await this.chain;
      const busy = this.pumping ?? this.pulling;
      if (!busy) return;
      await busy.catch(() => {});
    }
  }

  /** Stops for good, after queueing (persistently) every change seen so far. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.stop();
    await this.queueBatch();
    this.destroyed = true;
    this.doc.off('update', this.onUpdate);
    await this.idle();
    this.listeners.clear();
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (this.destroyed || origin === this || this.ignoreOrigins.includes(origin)) return;
    this.batch.push(update);
    if (this.batchTimer === null) {
      this.batchTimer = this.clock.setTimeout(() => {
        this.batchTimer = null;
        void this.queueBatch().then(() => this.kick());
      }, this.o.batchDelayMs);
    }
    this.emit();
  };

  private async init(): Promise<void> {
    try {
      this.state = decodeState(await this.storage.load([...this.prefix, 'state']));
      const stored = await this.storage.loadRange([...this.prefix, 'pending']);
      for (const { key, data } of stored) {
        const item = decodeItem(key, data);
        if (item) this.queue.push(item);
      }
    } catch (e) {
      this.noteLocalError(e);
    }
    // Changes that reached the document but never the queue (the app closed inside a batch
    // window, or the group was created before sync existed) go out now.
    const sv = this.state.queuedStateVector;
    const missed =
      sv === null
        ? Y.encodeStateVector(this.doc).length > 1
        : hasNewStructs(this.doc, fromBase64Url(sv));
    if (missed) {
      this.batch.unshift(
        sv === null
          ? Y.encodeStateAsUpdate(this.doc)
          : Y.encodeStateAsUpdate(this.doc, fromBase64Url(sv)),
      );
      await this.queueBatchNow();
    }
    this.emit();
  }

  private queueBatch(): Promise<void> {
    if (this.batchTimer !== null) {
      this.clock.clearTimeout(this.batchTimer);
      this.batchTimer = null;
    }
    return this.serial(() => this.queueBatchNow());
  }

  private async queueBatchNow(): Promise<void> {
    const updates = this.batch.splice(0);
    if (updates.length === 0) return;
    const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    const item = this.newItem('update', 0, seal(this.keys.storeKey, merged));
    this.state.queuedStateVector = toBase64Url(Y.encodeStateVector(this.doc));
    await this.write([{ op: 'save', key: item.key, data: encodeItem(item) }, this.stateOp()]);
    this.queue.push(item);
    this.emit();
  }

  /** Replaces the whole queue (and the unqueued batch) by one snapshot of the Y.Doc. */
  private async queueSnapshot(): Promise<void> {
    this.batch = [];
    if (this.batchTimer !== null) {
      this.clock.clearTimeout(this.batchTimer);
      this.batchTimer = null;
    }
    const blob = seal(this.keys.storeKey, Y.encodeStateAsUpdate(this.doc));
    const item = this.newItem('snapshot', this.state.cursor, blob);
    const replaced = this.queue;
    this.state.queuedStateVector = toBase64Url(Y.encodeStateVector(this.doc));
    await this.write([
      { op: 'save', key: item.key, data: encodeItem(item) },
      ...replaced.map((r): StorageOp => ({ op: 'remove', key: r.key })),
      this.stateOp(),
    ]);
    this.queue = [item];
    this.needSnapshot = false;
    this.emit();
  }

  private newItem(kind: MailboxKind, supersedes: number, blob: Uint8Array): QueueItem {
    const id = `${seqSegment(this.clock.now())}.${seqSegment(this.counter++)}.${toBase64Url(nacl.randomBytes(6))}`;
    return {
      key: [...this.prefix, 'pending', id],
      kind,
      supersedes,
      writeId: nacl.randomBytes(WRITE_ID_BYTES),
      blob,
    };
  }

  private kick(): void {
    if (!this.started || this.destroyed || this.backoffTimer !== null || this.pumping) return;
    this.pumping = this.pump()
      .catch((e: unknown) => {
        this.noteLocalError(e);
        this.scheduleBackoff();
      })
      .finally(() => {
        this.pumping = null;
        if (this.queue.length > 0) this.kick();
      });
  }

  private async pump(): Promise<void> {
    await this.ready;
    while (this.started && !this.destroyed) {
      if (
        this.needSnapshot ||
        this.queue.length >= this.o.snapshotWhenPending ||
        this.state.uploadsSinceSnapshot >= this.o.snapshotEvery
      ) {
        // Pull first, so the snapshot can supersede everything up to the newest entry,
        // this device's own uploads included.
        await this.pull().catch(() => {});
        await this.serial(() => this.queueSnapshot());
      }
      const item = this.queue[0];
      if (!item) return;
      try {
        await this.mailbox.push(this.keys.roomId, this.keys.mailbox, item.blob, {
          kind: item.kind,
          supersedes: item.supersedes,
          writeId: item.writeId,
        });
      } catch (e) {
        const err =
          e instanceof MailboxError ? e : new MailboxError('network', undefined, { cause: e });
        // The same write id seen before: an earlier attempt landed and only its answer was lost.
        if (err.code !== 'replay') {
          const full = err.code === 'quota-bytes' || err.code === 'quota-entries';
          this.noteRelay(err);
          // "Uploading a compact copy" is no longer true once the compact copy was refused.
          this.uploadError =
            full && item.kind === 'snapshot'
              ? new MailboxError(err.code, err.detail, { cause: err, message: RELAY_FULL_MESSAGE })
              : err;
          this.emit();
          if (full && item.kind === 'update') {
            this.needSnapshot = true;
            continue;
          }
          if (err.code === 'too-large') {
            await this.serial(() => this.drop(item));
            continue;
          }
          this.scheduleBackoff(err.retryAfterMs);
          return;
        }
      }
      await this.serial(() => this.acknowledged(item));
    }
  }

  private async acknowledged(item: QueueItem): Promise<void> {
    this.queue = this.queue.filter((q) => q !== item);
    this.state.uploadsSinceSnapshot =
      item.kind === 'snapshot' ? 0 : this.state.uploadsSinceSnapshot + 1;
    this.attempt = 0;
    this.uploadError = null;
    this.noteRelay(null);
    if (this.settled()) this.state.lastSyncedAt = this.clock.now();
    await this.write([{ op: 'remove', key: item.key }, this.stateOp()]);
    this.emit();
  }

  /** Gives up on an item the relay can never accept; the document still holds its content. */
  private async drop(item: QueueItem): Promise<void> {
    this.queue = this.queue.filter((q) => q !== item);
    if (item.kind === 'snapshot') this.state.uploadsSinceSnapshot = 0;
    await this.write([{ op: 'remove', key: item.key }, this.stateOp()]);
    this.emit();
  }

  private async pullAll(): Promise<PullResult> {
    await this.ready;
    let applied = 0;
    let skipped = 0;
    try {
      for (let page = 0; page < this.o.maxPagesPerPull; page++) {
        const res = await this.mailbox.pull(this.keys.roomId, this.state.cursor, this.o.pageLimit);
        this.noteRelay(null);
        for (const entry of res.entries) {
          if (this.applyEntry(entry)) applied++;
          else skipped++;
        }
        const next = Number.isSafeInteger(res.next) && res.next >= 0 ? res.next : this.state.cursor;
        if (next !== this.state.cursor) {
          try {
            await this.beforeCursorCommit?.();
          } catch (e) {
            throw e instanceof StorageError
              ? e
              : new StorageError('failed', undefined, { cause: e });
          }
          this.state.cursor = next;
          // With nothing unqueued, the whole document is now either queued or from the relay.
          if (this.batch.length === 0) {
            this.state.queuedStateVector = toBase64Url(Y.encodeStateVector(this.doc));
          }
          await this.write([this.stateOp()]);
        }
        if (!res.more || res.entries.length === 0) break;
      }
    } catch (e) {
      this.skipped += skipped;
      if (e instanceof StorageError) {
        this.noteLocalError(e);
        throw e;
      }
      const err =
        e instanceof MailboxError ? e : new MailboxError('network', undefined, { cause: e });
      this.noteRelay(err);
      this.pullError = err;
      this.emit();
      throw err;
    }
    this.pullError = null;
    this.pulledOnce = true;
    this.skipped += skipped;
    if (this.settled()) {
      this.state.lastSyncedAt = this.clock.now();
      await this.write([this.stateOp()]);
    }
    this.emit();
    return { applied, skipped };
  }

  /** Opens and applies one untrusted blob; false when it is skipped. */
  private applyEntry(entry: MailboxEntry): boolean {
    if (entry.blob.length > this.o.maxBlobBytes) return false;
    let update: Uint8Array;
    try {
      update = open(this.keys.storeKey, entry.blob);
      // Parse fully before touching the document, so a malformed update changes nothing.
      Y.decodeUpdate(update);
    } catch {
      return false;
    }
    try {
      Y.applyUpdate(this.doc, update, this);
      return true;
    } catch {
      return false;
    }
  }

  private settled(): boolean {
    return this.pulledOnce && this.queue.length === 0 && this.batch.length === 0;
  }

  private scheduleBackoff(retryAfterMs?: number): void {
    if (this.backoffTimer !== null || this.destroyed) return;
    const base = Math.min(
      this.o.maxBackoffMs,
      this.o.minBackoffMs * 2 ** Math.min(this.attempt, 30),
    );
    this.attempt++;
    const jittered = base / 2 + (this.random() * base) / 2;
    const delay = Math.min(this.o.maxBackoffMs, Math.max(retryAfterMs ?? 0, jittered));
    this.backoffTimer = this.clock.setTimeout(() => {
      this.backoffTimer = null;
      this.kick();
    }, delay);
  }

  private clearBackoff(): void {
    if (this.backoffTimer !== null) this.clock.clearTimeout(this.backoffTimer);
    this.backoffTimer = null;
  }

  private noteRelay(err: MailboxError | null): void {
    if (err?.code === 'network') {
      this.relay = 'unreachable';
      return;
    }
    this.relay = 'reachable';
    this.lastRelayContactAt = this.clock.now();
  }

  private noteLocalError(e: unknown): void {
    this.localError =
      e instanceof StorageError ? e : new StorageError('failed', undefined, { cause: e });
    this.emit();
  }

  private stateOp(): StorageOp {
    return {
      op: 'save',
      key: [...this.prefix, 'state'],
      data: utf8(JSON.stringify({ v: 1, ...this.state })),
    };
  }

  /** Storage writes never lose the in-memory state: on failure the error shows and work goes on. */
  private async write(ops: StorageOp[]): Promise<void> {
    try {
      await this.storage.batch(ops);
      if (this.localError) {
        this.localError = null;
        this.emit();
      }
    } catch (e) {
      this.noteLocalError(e);
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private compute(): MailboxSyncStatus {
    const err = this.localError ?? this.uploadError ?? this.pullError;
    return {
      relay: this.relay,
      lastRelayContactAt: this.lastRelayContactAt,
      lastSyncedAt: this.state.lastSyncedAt,
      pendingUploads: this.queue.length + (this.batch.length > 0 ? 1 : 0),
      skipped: this.skipped,
      error: err?.message ?? null,
      errorCode: err?.code ?? null,
    };
  }

  private emit(): void {
    const next = this.compute();
    const prev = this.current;
    if (
      next.relay === prev.relay &&
      next.lastRelayContactAt === prev.lastRelayContactAt &&
      next.lastSyncedAt === prev.lastSyncedAt &&
      next.pendingUploads === prev.pendingUploads &&
      next.skipped === prev.skipped &&
      next.error === prev.error
    ) {
      return;
    }
    this.current = next;
    this.listeners.emit(next);
  }
}
