// Asynchronous sync of one document through the relay's blind mailbox, for members who are
// rarely online together. Local changes are sealed into a persistent queue and leave it only
// once the relay acknowledges them (a snapshot that replaces queued changes included); pulled
// blobs are untrusted: each passes checkUpdate before the Y.Doc sees it, and the cursor moves
// only over entries actually received, whatever the relay says about the next one.
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
import { checkUpdate, type UpdateLimits } from './checkUpdate.ts';
import {
  type Mailbox,
  type MailboxEntry,
  MailboxError,
  type MailboxErrorCode,
  type MailboxKind,
  type MailboxPage,
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
  /** Limits for pulled updates, over checkUpdate's defaults. */
  readonly updateLimits?: Partial<UpdateLimits>;
  /**
   * Whether a snapshot another device wrote (its opened, plaintext Yjs update) lacks state
   * this device holds. A snapshot may have superseded, and so erased from the relay,
   * everything uploaded before it; when this answers true after a pull, this device uploads
   * a snapshot of its own (the usual path, with its backoff and quotas). A snapshot nobody
   * can read counts as lacking everything. Without it, pulled snapshots trigger nothing.
   */
  readonly snapshotLosesLocal?: (snapshot: Uint8Array) => boolean;
  /**
   * Asked after each applied entry; true ends the pull there, with the cursor on that entry.
   * A group that finds a newer key epoch in its room stops taking that room's entries until
   * it has decided to move (whatever the room holds after the move is not carried along).
   */
  readonly haltAfter?: () => boolean;
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
  /** The queued snapshot (its pending id) that replaces the `covered` items once acknowledged. */
  coveredBy: string | null;
  /** Pending ids kept, not uploaded, until `coveredBy` is acknowledged. */
  covered: string[];
  /** Seqs of this device's latest acknowledged snapshots, so pulling them back is no news. */
  ownSnapshots: number[];
}

const OWN_SNAPSHOTS_KEPT = 8;
const idOf = (item: QueueItem): string => item.key[item.key.length - 1]!;

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
    coveredBy: null,
    covered: [],
    ownSnapshots: [],
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
      coveredBy: typeof j.coveredBy === 'string' ? j.coveredBy : null,
      covered: Array.isArray(j.covered) ? j.covered.filter((x) => typeof x === 'string') : [],
      ownSnapshots: Array.isArray(j.ownSnapshots)
        ? j.ownSnapshots.filter(int).slice(-OWN_SNAPSHOTS_KEPT)
        : [],
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

/**
 * The entries of a pulled page, checked: whole sequence numbers, strictly increasing, all after
 * the cursor. A page that breaks this is refused whole (nothing applied, the cursor kept).
 */
function checkPage(page: MailboxPage, cursor: number): readonly MailboxEntry[] {
  const entries = Array.isArray(page.entries) ? page.entries : null;
  if (!entries) throw new MailboxError('bad-response', 'the page has no entry list');
  let last = cursor;
  for (const e of entries) {
    if (!Number.isSafeInteger(e.seq) || e.seq <= last) {
      throw new MailboxError('bad-response', `entry seq ${e.seq} after ${last}`);
    }
    if ((e.kind !== 'update' && e.kind !== 'snapshot') || !(e.blob instanceof Uint8Array)) {
      throw new MailboxError('bad-response', `entry ${e.seq} is malformed`);
    }
    last = e.seq;
  }
  return entries;
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
  private readonly updateLimits: Partial<UpdateLimits>;
  private readonly snapshotLosesLocal: ((snapshot: Uint8Array) => boolean) | undefined;
  private readonly haltAfter: (() => boolean) | undefined;

  private state: PersistedState = decodeState(undefined);
  private queue: QueueItem[] = [];
  /** Items the queued snapshot `state.coveredBy` replaces: kept until it is acknowledged. */
  private covered: QueueItem[] = [];
  /** The relay refused a snapshot as too large: no more compact copies this session. */
  private compactRefused = false;
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
  private pullAgain: Promise<PullResult> | null = null;

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
    this.updateLimits = { maxBytes: this.o.maxBlobBytes, ...options.updateLimits };
    this.snapshotLosesLocal = options.snapshotLosesLocal;
    this.haltAfter = options.haltAfter;
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

  /** The seq of the last entry received from the relay (0 before any, or before loading). */
  get cursor(): number {
    return this.state.cursor;
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
   * or StorageError (the cursor could not be committed locally). A call while a pull is under
   * way shares it, unless `fresh`: then it is answered by a pull that starts after that one.
   */
  pull(options: { fresh?: boolean } = {}): Promise<PullResult> {
    if (this.destroyed) return Promise.resolve({ applied: 0, skipped: 0 });
    if (this.pulling && options.fresh) {
      // The pull under way may have read the log before the entry the caller heard of: one
      // more follows it, shared by every fresh request made meanwhile.
      this.pullAgain ??= this.pulling
        .catch(() => undefined)
        .then(() => {
          this.pullAgain = null;
          return this.pull();
        });
      return this.pullAgain;
    }
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
      const busy = this.pumping ?? this.pulling ?? this.pullAgain;
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
      // A snapshot still waiting for its acknowledgement stands in for what it replaced; if it
      // was never stored, what it would have replaced is uploaded as it is.
      const coveredBy = this.state.coveredBy;
      if (coveredBy !== null && this.queue.some((q) => idOf(q) === coveredBy)) {
        const ids = new Set(this.state.covered);
        this.covered = this.queue.filter((q) => ids.has(idOf(q)));
        this.queue = this.queue.filter((q) => !ids.has(idOf(q)));
      } else {
        this.state.coveredBy = null;
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

  /**
   * Replaces the whole queue (and the unqueued batch) by one snapshot of the Y.Doc, which
   * supersedes only entries this device has received (its cursor). The replaced items stay
   * stored, not uploaded, until the relay acknowledges the snapshot: a crash or a failed
   * upload in between loses nothing.
   */
  private async queueSnapshot(): Promise<void> {
    this.batch = [];
    if (this.batchTimer !== null) {
      this.clock.clearTimeout(this.batchTimer);
      this.batchTimer = null;
    }
    const blob = seal(this.keys.storeKey, Y.encodeStateAsUpdate(this.doc));
    const item = this.newItem('snapshot', this.state.cursor, blob);
    this.covered = [...this.covered, ...this.queue];
    this.queue = [item];
    this.state.coveredBy = idOf(item);
    this.state.queuedStateVector = toBase64Url(Y.encodeStateVector(this.doc));
    await this.write([{ op: 'save', key: item.key, data: encodeItem(item) }, this.stateOp()]);
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
        !this.compactRefused &&
        (this.needSnapshot ||
          this.queue.length >= this.o.snapshotWhenPending ||
          this.state.uploadsSinceSnapshot >= this.o.snapshotEvery)
      ) {
        // Pull first, so the snapshot can supersede everything up to the newest entry,
        // this device's own uploads included.
        await this.pull().catch(() => {});
        const head = this.queue[0];
        if (
          this.queue.length === 1 &&
          head?.kind === 'snapshot' &&
          head.supersedes === this.state.cursor &&
          this.batch.length === 0
        ) {
          // The snapshot waiting to be retried already holds all of it.
          this.needSnapshot = false;
        } else {
          await this.serial(() => this.queueSnapshot());
        }
      }
      const item = this.queue[0];
      if (!item) return;
      let seq: number | undefined;
      try {
        ({ seq } = await this.mailbox.push(this.keys.roomId, this.keys.mailbox, item.blob, {
          kind: item.kind,
          supersedes: item.supersedes,
          writeId: item.writeId,
        }));
      } catch (e) {
        const err =
          e instanceof MailboxError ? e : new MailboxError('network', undefined, { cause: e });
        // The same write id seen before: an earlier attempt landed and only its answer was lost.
        if (err.code !== 'replay') {
          const full = err.code === 'quota-bytes' || err.code === 'quota-entries';
          this.noteRelay(err);
          // "Uploading a compact copy" is no longer true once the compact copy was refused.
          this.uploadError =
            full && (item.kind === 'snapshot' || this.compactRefused)
              ? new MailboxError(err.code, err.detail, { cause: err, message: RELAY_FULL_MESSAGE })
              : err;
          this.emit();
          if (full && item.kind === 'update' && !this.compactRefused) {
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
      await this.serial(() => this.acknowledged(item, seq));
    }
  }

  /** `seq` is unknown when the relay answered 'replay' (an earlier attempt landed). */
  private async acknowledged(item: QueueItem, seq: number | undefined): Promise<void> {
    this.queue = this.queue.filter((q) => q !== item);
    const ops: StorageOp[] = [{ op: 'remove', key: item.key }];
    if (item.kind === 'snapshot') {
      this.state.uploadsSinceSnapshot = 0;
      if (seq !== undefined) {
        this.state.ownSnapshots = [...this.state.ownSnapshots, seq].slice(-OWN_SNAPSHOTS_KEPT);
      }
      if (idOf(item) === this.state.coveredBy) {
        // Only now that the relay holds the snapshot may what it replaced go.
        for (const c of this.covered) ops.push({ op: 'remove', key: c.key });
        this.covered = [];
        this.state.coveredBy = null;
      }
    } else {
      this.state.uploadsSinceSnapshot++;
    }
    this.attempt = 0;
    this.uploadError = null;
    this.noteRelay(null);
    if (this.settled()) this.state.lastSyncedAt = this.clock.now();
    await this.write([...ops, this.stateOp()]);
    this.emit();
  }

  /**
   * Gives up on an item the relay can never accept; the Y.Doc still holds its content. A
   * refused snapshot gives back what it replaced, to be uploaded piece by piece.
   */
  private async drop(item: QueueItem): Promise<void> {
    this.queue = this.queue.filter((q) => q !== item);
    if (item.kind === 'snapshot') {
      this.state.uploadsSinceSnapshot = 0;
      if (idOf(item) === this.state.coveredBy) {
        this.queue = [...this.covered, ...this.queue];
        this.covered = [];
        this.state.coveredBy = null;
        this.compactRefused = true;
      }
    }
    await this.write([{ op: 'remove', key: item.key }, this.stateOp()]);
    this.emit();
  }

  private async pullAll(): Promise<PullResult> {
    await this.ready;
    let applied = 0;
    let skipped = 0;
    // The newest snapshot entry pulled, with its plaintext (null when it could not be read).
    let newestSnapshot: { seq: number; update: Uint8Array | null } | null = null;
    try {
      for (let page = 0; page < this.o.maxPagesPerPull; page++) {
        const res = await this.mailbox.pull(this.keys.roomId, this.state.cursor, this.o.pageLimit);
        this.noteRelay(null);
        const entries = checkPage(res, this.state.cursor);
        let last: MailboxEntry | undefined;
        let halted = false;
        for (const entry of entries) {
          const update = this.applyEntry(entry);
          if (update) applied++;
          else skipped++;
          if (entry.kind === 'snapshot') newestSnapshot = { seq: entry.seq, update };
          last = entry;
          if (update && this.haltAfter?.()) {
            halted = true;
            break;
          }
        }
        // The cursor moves to the last entry received (applied or skipped as unreadable),
        // never further: the relay's `next` could skip entries this device never saw.
        if (last) {
          try {
            await this.beforeCursorCommit?.();
          } catch (e) {
            throw e instanceof StorageError
              ? e
              : new StorageError('failed', undefined, { cause: e });
          }
          this.state.cursor = last.seq;
          // With nothing unqueued, the whole document is now either queued or from the relay.
          if (this.batch.length === 0) {
            this.state.queuedStateVector = toBase64Url(Y.encodeStateVector(this.doc));
          }
          await this.write([this.stateOp()]);
        }
        if (halted || !res.more || entries.length === 0) break;
      }
    } catch (e) {
      this.skipped += skipped;
      this.reviewSnapshot(newestSnapshot);
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
    this.reviewSnapshot(newestSnapshot);
    if (this.settled()) {
      this.state.lastSyncedAt = this.clock.now();
      await this.write([this.stateOp()]);
    }
    this.emit();
    return { applied, skipped };
  }

  /**
   * After a pull whose newest snapshot another device wrote: that snapshot may have superseded
   * (erased from the relay) what this device uploaded, so when it lacks this device's state,
   * upload a snapshot of it. Once uploaded, the newest snapshot is this device's own, which
   * holds its state, so honest devices settle instead of answering one another forever.
   */
  private reviewSnapshot(snapshot: { seq: number; update: Uint8Array | null } | null): void {
    const loses = this.snapshotLosesLocal;
    if (!snapshot || !loses || this.state.ownSnapshots.includes(snapshot.seq)) return;
    let lacking = true;
    if (snapshot.update) {
      try {
        lacking = loses(snapshot.update);
      } catch {
        // When in doubt, upload: the cost is one snapshot.
      }
    }
    if (!lacking) return;
    this.needSnapshot = true;
    this.kick();
  }

  /** Opens, checks and applies one untrusted blob; its plaintext, or null when skipped. */
  private applyEntry(entry: MailboxEntry): Uint8Array | null {
    if (entry.blob.length > this.o.maxBlobBytes) return null;
    let update: Uint8Array;
    try {
      update = open(this.keys.storeKey, entry.blob);
    } catch {
      return null;
    }
    // Checked in full before the Y.Doc sees it, so a hostile update changes (and stores) nothing.
    if (!checkUpdate(update, this.updateLimits).ok) return null;
    try {
      Y.applyUpdate(this.doc, update, this);
      return update;
    } catch {
      return null;
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
    const state: PersistedState = { ...this.state, covered: this.covered.map(idOf) };
    return {
      op: 'save',
      key: [...this.prefix, 'state'],
      data: utf8(JSON.stringify({ v: 1, ...state })),
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
