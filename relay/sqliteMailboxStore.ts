// The default mailbox store: one SQLite file in WAL mode under HEARTH_DATA. Each append is
// one transaction, and a room row keeps its key, last seq and usage so quota checks stay
// O(1) and a seq is never reused, even after every entry of the room was deleted.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EntryKind } from './envelope.ts';
import type {
  AppendInput,
  AppendRejection,
  AppendResult,
  MailboxStats,
  MailboxStore,
  PruneResult,
  QuotaLimits,
  ReadResult,
  StoredEntry,
} from './mailboxStore.ts';

export const DATABASE_FILE = 'hearth.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  room TEXT PRIMARY KEY,
  public_key BLOB NOT NULL,
  last_seq INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  created INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  room TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  blob BLOB NOT NULL,
  bytes INTEGER NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY (room, seq)
);
CREATE INDEX IF NOT EXISTS entries_created ON entries (created);
CREATE TABLE IF NOT EXISTS seen_writes (
  room TEXT NOT NULL,
  write_id BLOB NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (room, write_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_writes_ts ON seen_writes (ts);
`;

interface RoomRow {
  public_key: Buffer;
  last_seq: number;
  bytes: number;
  entries: number;
}

/** What an accepted or refused append changes in the totals (applied after its commit). */
type Appended = { result: AppendResult; bytes: number; rooms: number };

interface EntryRow {
  seq: number;
  kind: number;
  blob: Buffer;
}

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export class SqliteMailboxStore implements MailboxStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly q;
  private readonly appendTx: (input: AppendInput, limits: QuotaLimits) => Appended;
  /** Rooms with entries and their bytes, counted once at open and then kept up to date. */
  private counted: MailboxStats;
  private readonly pruneTx: (entriesBefore: number, writeIdsBefore: number) => PruneResult;

  /**
   * Opens (creating if needed) the database file inside `dataDir`. `maxPageCount` caps the
   * file's size in pages (tests use it to see a full disk).
   */
  constructor(dataDir: string, options: { maxPageCount?: number } = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, DATABASE_FILE);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = OFF');
    this.db.exec(SCHEMA);
    if (options.maxPageCount !== undefined) {
      this.db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    }
    this.db.pragma('user_version = 1');
    const db = this.db;
    this.q = {
      room: db.prepare<[string], RoomRow>(
        'SELECT public_key, last_seq, bytes, entries FROM rooms WHERE room = ?',
      ),
      seen: db.prepare<[string, Buffer], { one: number }>(
        'SELECT 1 AS one FROM seen_writes WHERE room = ? AND write_id = ?',
      ),
      remember: db.prepare<[string, Buffer, number]>(
        'INSERT INTO seen_writes (room, write_id, ts) VALUES (?, ?, ?)',
      ),
      covered: db.prepare<[string, number], { n: number; b: number }>(
        'SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM entries WHERE room = ? AND seq <= ?',
      ),
      dropCovered: db.prepare<[string, number]>('DELETE FROM entries WHERE room = ? AND seq <= ?'),
      insertEntry: db.prepare<[string, number, number, Buffer, number, number]>(
        'INSERT INTO entries (room, seq, kind, blob, bytes, created) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertRoom: db.prepare<[string, Buffer, number, number, number, number]>(
        'INSERT INTO rooms (room, public_key, last_seq, bytes, entries, created) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      updateRoom: db.prepare<[number, number, number, string]>(
        'UPDATE rooms SET last_seq = ?, bytes = ?, entries = ? WHERE room = ?',
      ),
      page: db.prepare<[string, number, number], EntryRow>(
        'SELECT seq, kind, blob FROM entries WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      expiredByRoom: db.prepare<[number], { room: string; n: number; b: number }>(
        'SELECT room, COUNT(*) AS n, SUM(bytes) AS b FROM entries WHERE created < ? GROUP BY room',
      ),
      shrinkRoom: db.prepare<[number, number, string]>(
        'UPDATE rooms SET bytes = bytes - ?, entries = entries - ? WHERE room = ?',
      ),
      dropExpired: db.prepare<[number]>('DELETE FROM entries WHERE created < ?'),
      forgetWrites: db.prepare<[number]>('DELETE FROM seen_writes WHERE ts < ?'),
      stats: db.prepare<[], { rooms: number; bytes: number }>(
        'SELECT COUNT(*) AS rooms, COALESCE(SUM(bytes), 0) AS bytes FROM rooms WHERE entries > 0',
      ),
    };
    this.appendTx = db.transaction((input: AppendInput, limits: QuotaLimits) =>
      this.appendNow(input, limits),
    );
    // The one scan of the rooms table; from here on the totals follow each change.
    this.counted = this.q.stats.get()!;
    this.pruneTx = db.transaction((entriesBefore: number, writeIdsBefore: number) =>
      this.pruneNow(entriesBefore, writeIdsBefore),
    );
  }

  private appendNow(input: AppendInput, limits: QuotaLimits): Appended {
    const refuse = (code: AppendRejection): Appended => ({
      result: { ok: false, code },
      bytes: 0,
      rooms: 0,
    });
    const { room } = input;
    const row = this.q.room.get(room);
    if (!row && input.mayCreateRoom === false) return refuse('no-new-room');
    if (row && !buf(input.publicKey).equals(row.public_key)) return refuse('wrong-key');
    const writeId = Buffer.from(input.writeId);
    if (this.q.seen.get(room, writeId)) return refuse('replay');

    const lastSeq = row?.last_seq ?? 0;
    let bytes = row?.bytes ?? 0;
    let entries = row?.entries ?? 0;
    let covered = 0;
    if (input.supersedes > 0 && entries > 0) {
      covered = Math.min(input.supersedes, lastSeq);
      const gone = this.q.covered.get(room, covered)!;
      bytes -= gone.b;
      entries -= gone.n;
    }
    if (bytes + input.blob.length > limits.roomMaxBytes) return refuse('quota-bytes');
    if (entries + 1 > limits.roomMaxEntries) return refuse('quota-entries');
    // The whole mailbox's budget: only a write that adds more than it frees can pass it.
    const growth = bytes + input.blob.length - (row?.bytes ?? 0);
    if (
      limits.totalMaxBytes !== undefined &&
      growth > 0 &&
      this.counted.bytes + growth > limits.totalMaxBytes
    ) {
      return refuse('relay-full');
    }

    const superseded = (row?.entries ?? 0) - entries;
    if (superseded > 0) this.q.dropCovered.run(room, covered);
    const seq = lastSeq + 1;
    const blob = Buffer.from(input.blob);
    this.q.insertEntry.run(room, seq, input.kind, blob, blob.length, input.now);
    this.q.remember.run(room, writeId, input.timestamp);
    if (row) this.q.updateRoom.run(seq, bytes + blob.length, entries + 1, room);
    else this.q.insertRoom.run(room, Buffer.from(input.publicKey), seq, blob.length, 1, input.now);
    return {
      result: { ok: true, seq, superseded, created: !row },
      bytes: growth,
      // A room counts while it holds entries; one emptied by retention counts again.
      rooms: (row?.entries ?? 0) === 0 ? 1 : 0,
    };
  }

  private pruneNow(entriesBefore: number, writeIdsBefore: number): PruneResult {
    let expiredEntries = 0;
    for (const { room, n, b } of this.q.expiredByRoom.all(entriesBefore)) {
      this.q.shrinkRoom.run(b, n, room);
      expiredEntries += n;
    }
    if (expiredEntries > 0) this.q.dropExpired.run(entriesBefore);
    const forgottenWriteIds = this.q.forgetWrites.run(writeIdsBefore).changes;
    return { expiredEntries, forgottenWriteIds };
  }

  async append(input: AppendInput, limits: QuotaLimits): Promise<AppendResult> {
    let done: Appended;
    try {
      done = this.appendTx(input, limits);
    } catch (e) {
      // The disk is full: the transaction rolled back and what was stored is intact.
      if ((e as { code?: unknown }).code === 'SQLITE_FULL')
        return { ok: false, code: 'relay-full' };
      throw e;
    }
    this.counted = {
      rooms: this.counted.rooms + done.rooms,
      bytes: this.counted.bytes + done.bytes,
    };
    return done.result;
  }

  async read(
    room: string,
    after: number,
    maxEntries: number,
    maxBytes: number,
  ): Promise<ReadResult> {
    const entries: StoredEntry[] = [];
    let total = 0;
    let more = false;
    for (const row of this.q.page.iterate(room, after, maxEntries + 1)) {
      if (
        entries.length === maxEntries ||
        (entries.length > 0 && total + row.blob.length > maxBytes)
      ) {
        more = true;
        break;
      }
      entries.push({ seq: row.seq, kind: row.kind as EntryKind, blob: u8(row.blob) });
      total += row.blob.length;
    }
    const last = entries[entries.length - 1];
    return { entries, next: last ? last.seq : after, more };
  }

  async prune(entriesBefore: number, writeIdsBefore: number): Promise<PruneResult> {
    const result = this.pruneTx(entriesBefore, writeIdsBefore);
    // Pruning runs every few minutes, not per request: counting again here is cheap enough.
    if (result.expiredEntries > 0) this.counted = this.q.stats.get()!;
    return result;
  }

  async stats(): Promise<MailboxStats> {
    return { ...this.counted };
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
