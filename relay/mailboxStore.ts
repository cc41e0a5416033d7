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
}

export type AppendRejection = 'wrong-key' | 'replay' | 'quota-bytes' | 'quota-entries';

export type AppendResult =
  | { ok: true; seq: number; superseded: number }
  | { ok: false; code: AppendRejection };

export interface QuotaLimits {
  roomMaxBytes: number;
  roomMaxEntries: number;
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

export interface MailboxStats {
  rooms: number;
  bytes: number;
}

export interface MailboxStore {
  /**
   * Atomically: bind the room to `publicKey` at its first write or check the binding, reject
   * a seen write id, apply snapshot supersession, check quotas, assign the next seq.
   */
  append(input: AppendInput, limits: QuotaLimits): Promise<AppendResult>;
  read(room: string, after: number, maxEntries: number, maxBytes: number): Promise<ReadResult>;
  /** Deletes entries created before `entriesBefore` and write ids older than `writeIdsBefore`. */
  prune(entriesBefore: number, writeIdsBefore: number): Promise<PruneResult>;
  stats(): Promise<MailboxStats>;
  close(): Promise<void>;
}
