// The mailbox on PostgreSQL (HEARTH_DATABASE_URL), for several relay processes sharing one
// database. The same rules as the SQLite store, with what several processes change:
// - one append is one call of a PL/pgSQL function, so its checks and writes are one
//   transaction and one round trip; appends to one room queue on an advisory lock of that
//   room (which also settles two processes creating the same room at once);
// - the totals (rooms with entries, bytes) live in a one-row table that every append updates
//   in its transaction, so the global budget holds across processes. stats() answers from
//   this process's copy of that row, refreshed by each of its own writes and prune passes:
//   /metrics of one process lags the others' writes until then, and never scans a table;
// - pruning takes a lock that appends share, so it never interleaves with one.
import pg from 'pg';
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

/** Advisory lock keys of this schema: appends share PRUNE_LOCK, pruning takes it alone. */
const PRUNE_LOCK = 4_807_001;
const SCHEMA_LOCK = 4_807_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hearth_rooms (
  room text PRIMARY KEY,
  public_key bytea NOT NULL,
  last_seq bigint NOT NULL,
  bytes bigint NOT NULL,
  entries bigint NOT NULL,
  created bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS hearth_entries (
  room text NOT NULL,
  seq bigint NOT NULL,
  kind smallint NOT NULL,
  blob bytea NOT NULL,
  bytes integer NOT NULL,
  created bigint NOT NULL,
  PRIMARY KEY (room, seq)
);
CREATE INDEX IF NOT EXISTS hearth_entries_created ON hearth_entries (created);
CREATE TABLE IF NOT EXISTS hearth_seen_writes (
  room text NOT NULL,
  write_id bytea NOT NULL,
  ts bigint NOT NULL,
  PRIMARY KEY (room, write_id)
);
CREATE INDEX IF NOT EXISTS hearth_seen_writes_ts ON hearth_seen_writes (ts);
CREATE TABLE IF NOT EXISTS hearth_totals (
  id smallint PRIMARY KEY CHECK (id = 1),
  rooms bigint NOT NULL,
  bytes bigint NOT NULL,
  version bigint NOT NULL
);
INSERT INTO hearth_totals (id, rooms, bytes, version) VALUES (1, 0, 0, 0) ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION hearth_append(
  p_room text, p_key bytea, p_write_id bytea, p_ts bigint, p_kind smallint,
  p_supersedes bigint, p_blob bytea, p_now bigint, p_may_create boolean,
  p_room_max_bytes bigint, p_room_max_entries bigint, p_total_max_bytes bigint,
  OUT code text, OUT seq bigint, OUT superseded bigint, OUT created boolean,
  OUT total_rooms bigint, OUT total_bytes bigint, OUT total_version bigint
) LANGUAGE plpgsql AS $$
DECLARE
  r hearth_rooms%ROWTYPE;
  t hearth_totals%ROWTYPE;
  found_room boolean;
  v_bytes bigint;
  v_entries bigint;
  v_covered bigint := 0;
  v_gone_n bigint;
  v_gone_b bigint;
  v_size bigint := octet_length(p_blob);
  v_growth bigint;
  v_new_room bigint;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(${PRUNE_LOCK});
  PERFORM pg_advisory_xact_lock(hashtextextended(p_room, 0));
  SELECT * INTO r FROM hearth_rooms WHERE room = p_room;
  found_room := FOUND;
  SELECT h.rooms, h.bytes, h.version INTO total_rooms, total_bytes, total_version
    FROM hearth_totals h WHERE id = 1;
  IF NOT found_room AND NOT p_may_create THEN code := 'no-new-room'; RETURN; END IF;
  IF found_room AND r.public_key <> p_key THEN code := 'wrong-key'; RETURN; END IF;
  IF EXISTS (SELECT 1 FROM hearth_seen_writes s WHERE s.room = p_room AND s.write_id = p_write_id)
  THEN code := 'replay'; RETURN; END IF;
  v_bytes := COALESCE(r.bytes, 0);
  v_entries := COALESCE(r.entries, 0);
  IF p_supersedes > 0 AND v_entries > 0 THEN
    v_covered := LEAST(p_supersedes, r.last_seq);
    SELECT COUNT(*), COALESCE(SUM(e.bytes), 0) INTO v_gone_n, v_gone_b
      FROM hearth_entries e WHERE e.room = p_room AND e.seq <= v_covered;
    v_bytes := v_bytes - v_gone_b;
    v_entries := v_entries - v_gone_n;
  END IF;
  IF v_bytes + v_size > p_room_max_bytes THEN code := 'quota-bytes'; RETURN; END IF;
  IF v_entries + 1 > p_room_max_entries THEN code := 'quota-entries'; RETURN; END IF;
  v_growth := v_bytes + v_size - COALESCE(r.bytes, 0);
  v_new_room := CASE WHEN COALESCE(r.entries, 0) = 0 THEN 1 ELSE 0 END;
  UPDATE hearth_totals h
    SET bytes = h.bytes + v_growth, rooms = h.rooms + v_new_room, version = h.version + 1
    WHERE id = 1 AND (p_total_max_bytes IS NULL OR v_growth <= 0
      OR h.bytes + v_growth <= p_total_max_bytes)
    RETURNING * INTO t;
  IF NOT FOUND THEN
    -- A fresh statement sees what the write that filled the budget committed.
    SELECT h.rooms, h.bytes, h.version INTO total_rooms, total_bytes, total_version
      FROM hearth_totals h WHERE id = 1;
    code := 'relay-full';
    RETURN;
  END IF;
  total_rooms := t.rooms;
  total_bytes := t.bytes;
  total_version := t.version;
  superseded := COALESCE(r.entries, 0) - v_entries;
  IF superseded > 0 THEN
    DELETE FROM hearth_entries e WHERE e.room = p_room AND e.seq <= v_covered;
  END IF;
  seq := COALESCE(r.last_seq, 0) + 1;
  INSERT INTO hearth_entries (room, seq, kind, blob, bytes, created)
    VALUES (p_room, seq, p_kind, p_blob, v_size, p_now);
  INSERT INTO hearth_seen_writes (room, write_id, ts) VALUES (p_room, p_write_id, p_ts);
  IF found_room THEN
    UPDATE hearth_rooms SET last_seq = seq, bytes = v_bytes + v_size, entries = v_entries + 1
      WHERE room = p_room;
  ELSE
    INSERT INTO hearth_rooms (room, public_key, last_seq, bytes, entries, created)
      VALUES (p_room, p_key, seq, v_size, 1, p_now);
  END IF;
  code := 'ok';
  created := NOT found_room;
END $$;

CREATE OR REPLACE FUNCTION hearth_prune(p_entries_before bigint, p_write_ids_before bigint,
  OUT expired_entries bigint, OUT forgotten_write_ids bigint,
  OUT total_rooms bigint, OUT total_bytes bigint, OUT total_version bigint
) LANGUAGE plpgsql AS $$
DECLARE
  v_bytes bigint;
  v_emptied bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(${PRUNE_LOCK});
  WITH gone AS (
    DELETE FROM hearth_entries WHERE created < p_entries_before RETURNING room, bytes
  ), per_room AS (
    SELECT room, COUNT(*) AS n, SUM(bytes) AS b FROM gone GROUP BY room
  ), shrunk AS (
    UPDATE hearth_rooms r SET bytes = r.bytes - p.b, entries = r.entries - p.n
      FROM per_room p WHERE r.room = p.room RETURNING r.entries, p.n, p.b
  )
  SELECT COALESCE(SUM(n), 0), COALESCE(SUM(b), 0), COUNT(*) FILTER (WHERE entries = 0)
    INTO expired_entries, v_bytes, v_emptied FROM shrunk;
  UPDATE hearth_totals h
    SET bytes = h.bytes - v_bytes, rooms = h.rooms - v_emptied, version = h.version + 1
    WHERE id = 1 RETURNING h.rooms, h.bytes, h.version INTO total_rooms, total_bytes, total_version;
  DELETE FROM hearth_seen_writes WHERE ts < p_write_ids_before;
  GET DIAGNOSTICS forgotten_write_ids = ROW_COUNT;
END $$;
`;

/** PostgreSQL's error classes for a full disk or exhausted resources (53xxx). */
const isOutOfSpace = (e: unknown) => /^53/.test(String((e as { code?: unknown }).code ?? ''));

/** Connection pool options both PostgreSQL stores use. */
function poolFor(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  // An idle connection that the server drops must not crash the relay; the pool replaces it.
  pool.on('error', () => {});
  return pool;
}

/** Runs `sql` once per database, with other processes starting at the same time kept out. */
async function migrate(pool: pg.Pool, sql: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Opens a pool of `size` connections, creates `schema` if needed and builds a part on it
 * with `make`; if any step fails the pool is closed again.
 */
export async function openOn<T>(
  url: string,
  size: number,
  schema: string,
  make: (pool: pg.Pool) => Promise<T>,
): Promise<T> {
  const pool = poolFor(url, size);
  try {
    await migrate(pool, schema);
    return await make(pool);
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
}

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

interface AppendRow {
  code: string;
  seq: string | null;
  superseded: string | null;
  created: boolean | null;
  total_rooms: string;
  total_bytes: string;
  total_version: string;
}

type Totals = Pick<AppendRow, 'total_rooms' | 'total_bytes' | 'total_version'>;

export class PgMailboxStore implements MailboxStore {
  private counted: MailboxStats = { rooms: 0, bytes: 0 };
  /** The totals row's version behind `counted`: answers arriving out of order keep the newest. */
  private countedVersion = -1;
  private closed = false;

  private constructor(private readonly pool: pg.Pool) {}

  /** Connects, creates the tables and functions if needed, and reads the totals once. */
  static async open(url: string, options: { poolSize?: number } = {}): Promise<PgMailboxStore> {
    return openOn(url, options.poolSize ?? 8, SCHEMA, async (pool) => {
      const store = new PgMailboxStore(pool);
      await store.refresh();
      return store;
    });
  }

  private async refresh(): Promise<void> {
    const { rows } = await this.pool.query<Totals>(
      'SELECT rooms AS total_rooms, bytes AS total_bytes, version AS total_version FROM hearth_totals WHERE id = 1',
    );
    this.note(rows[0]!);
  }

  private note(row: Totals): void {
    const version = Number(row.total_version);
    if (version < this.countedVersion) return;
    this.countedVersion = version;
    this.counted = { rooms: Number(row.total_rooms), bytes: Number(row.total_bytes) };
  }

  async append(input: AppendInput, limits: QuotaLimits): Promise<AppendResult> {
    let row: AppendRow;
    try {
      const result = await this.pool.query<AppendRow>({
        name: 'hearth_append',
        text: 'SELECT * FROM hearth_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
        values: [
          input.room,
          buf(input.publicKey),
          buf(input.writeId),
          input.timestamp,
          input.kind,
          input.supersedes,
          buf(input.blob),
          input.now,
          input.mayCreateRoom !== false,
          limits.roomMaxBytes,
          limits.roomMaxEntries,
          limits.totalMaxBytes ?? null,
        ],
      });
      row = result.rows[0]!;
    } catch (e) {
      // The transaction rolled back: what was stored is intact.
      if (isOutOfSpace(e)) return { ok: false, code: 'relay-full' };
      throw e;
    }
    this.note(row);
    if (row.code !== 'ok') return { ok: false, code: row.code as AppendRejection };
    return {
      ok: true,
      seq: Number(row.seq),
      superseded: Number(row.superseded),
      created: row.created === true,
    };
  }

  async read(
    room: string,
    after: number,
    maxEntries: number,
    maxBytes: number,
  ): Promise<ReadResult> {
    // Sizes first, so an answer cut by maxBytes never fetches the blobs it leaves out.
    const { rows } = await this.pool.query<{ seq: string; kind: number; blob: Buffer }>({
      name: 'hearth_read',
      text: `WITH page AS (
          SELECT seq, kind, bytes FROM hearth_entries
          WHERE room = $1 AND seq > $2 ORDER BY seq LIMIT $3
        ), sized AS (
          SELECT seq, kind, SUM(bytes) OVER (ORDER BY seq) AS running,
                 ROW_NUMBER() OVER (ORDER BY seq) AS n FROM page
        )
        SELECT s.seq, s.kind, CASE WHEN s.n = 1 OR s.running <= $4 THEN e.blob END AS blob
        FROM sized s JOIN hearth_entries e ON e.room = $1 AND e.seq = s.seq ORDER BY s.seq`,
      values: [room, after, maxEntries + 1, maxBytes],
    });
    const entries: StoredEntry[] = [];
    let more = false;
    for (const row of rows) {
      if (entries.length === maxEntries || row.blob === null) {
        more = true;
        break;
      }
      entries.push({ seq: Number(row.seq), kind: row.kind as EntryKind, blob: u8(row.blob) });
    }
    const last = entries[entries.length - 1];
    return { entries, next: last ? last.seq : after, more };
  }

  async prune(entriesBefore: number, writeIdsBefore: number): Promise<PruneResult> {
    const { rows } = await this.pool.query<
      Totals & { expired_entries: string; forgotten_write_ids: string }
    >('SELECT * FROM hearth_prune($1, $2)', [entriesBefore, writeIdsBefore]);
    const row = rows[0]!;
    this.note(row);
    return {
      expiredEntries: Number(row.expired_entries),
      forgottenWriteIds: Number(row.forgotten_write_ids),
    };
  }

  async stats(): Promise<MailboxStats> {
    return { ...this.counted };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
