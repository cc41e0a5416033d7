// The storage contract behind the mailbox, small enough that a PostgreSQL backend could sit
// beside the SQLite one. Methods are async for that reason even where SQLite is synchronous.
import type { EntryKind } from './envelope.ts';

export interface AppendInput {
  room: string;
  publicKey: Uint8Array;
  writeId: Uint8Array;
  /** The client's timestamp (ms); kept with the write id until the replay window passes. */
  timestamp: number;
  kind: EntryKind;
  /** For a snapshot: drop earlier entries with seq <= this. 0 for updates. */
  supersedes: number;
  blob: Uint8Array;
  /** The relay's clock (ms) at acceptance; retention counts from it. */
  now: number;
  /** False when the writer may not create a room: a write to a room not yet known is refused. */
  mayCreateRoom?: boolean;
}

/**
 * Why a write was refused: `relay-full` when the whole mailbox is at its budget or the disk
 * is full (nothing stored is touched), `no-new-room` when the room is new and the input said
 * it may not be created.
 */
export type AppendRejection =
  | 'wrong-key'
  | 'replay'
  | 'quota-bytes'
  | 'quota-entries'
  | 'relay-full'
  | 'no-new-room';

export type AppendResult =
  | { ok: true; seq: number; superseded: number; created: boolean }
  | { ok: false; code: AppendRejection };

export interface QuotaLimits {
  roomMaxBytes: number;
  roomMaxEntries: number;
  /**
   * Sealed bytes all rooms together may hold. A write that adds more than it supersedes is
   * refused when it would pass this; absent, there is no such budget.
   */
  totalMaxBytes?: number;
}

export interface StoredEntry {
  seq: number;
  kind: EntryKind;
  blob: Uint8Array;
}

export interface ReadResult {
  entries: StoredEntry[];
  /** The cursor to pass as `after` next time. */
  next: number;
  /** True when a limit cut the answer. */
  more: boolean;
}

export interface PruneResult {
  expiredEntries: number;
  forgottenWriteIds: number;
}

/** Kept up to date as writes and pruning happen: reading them costs no query. */
export interface MailboxStats {
  /** Rooms holding at least one entry. */
  rooms: number;
  /** Sealed bytes stored, all rooms together. */
  bytes: number;
}

export interface MailboxStore {
  /**
   * Atomically: bind the room to `publicKey` at its first write or check the binding, reject
   * a seen write id, apply snapshot supersession, check quotas (the room's and the total),
   * assign the next seq. A refused write leaves everything stored as it was.
   */
  append(input: AppendInput, limits: QuotaLimits): Promise<AppendResult>;
  read(room: string, after: number, maxEntries: number, maxBytes: number): Promise<ReadResult>;
  /** Deletes entries created before `entriesBefore` and write ids older than `writeIdsBefore`. */
  prune(entriesBefore: number, writeIdsBefore: number): Promise<PruneResult>;
  stats(): Promise<MailboxStats>;
  close(): Promise<void>;
}
