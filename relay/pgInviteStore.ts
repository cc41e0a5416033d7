// Invite capsules on PostgreSQL (HEARTH_DATABASE_URL): every relay process behind one address
// must open the link another process stored. The same rules as the SQLite store; each
// operation is one transaction, and put serialises on an advisory lock so the cap on live
// rooms holds across processes. PostgreSQL has no secure_delete: a deleted capsule's bytes
// stay in the table's free space until VACUUM reuses it, and in the write-ahead log until it
// is recycled (docs/SECURITY.md).
import type pg from 'pg';
import {
  type InviteStatus,
  type InviteStore,
  isRevoker,
  type OpenInviteResult,
  type PutInviteInput,
  type PutInviteResult,
  type RevokeInviteResult,
} from './inviteStore.ts';
import { openOn } from './pgMailboxStore.ts';

const PUT_LOCK = 4_807_002;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hearth_invites (
  room text PRIMARY KEY,
  capsule bytea,
  revokers bytea NOT NULL,
  expires bigint NOT NULL,
  max_uses integer NOT NULL,
  uses integer NOT NULL,
  created bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS hearth_invites_expires ON hearth_invites (expires);
`;

interface Row {
  capsule: Buffer | null;
  revokers: Buffer;
  expires: string;
  max_uses: number;
  uses: number;
}

const SELECT =
  'SELECT capsule, revokers, expires, max_uses, uses FROM hearth_invites WHERE room = $1';

export class PgInviteStore implements InviteStore {
  private closed = false;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string): Promise<PgInviteStore> {
    return openOn(url, 4, SCHEMA, async (pool) => new PgInviteStore(pool));
  }

  private async tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  /** The room's row, locked, if it has not expired; an expired one is deleted on the way. */
  private async live(c: pg.PoolClient, room: string, now: number): Promise<Row | undefined> {
    const row = (await c.query<Row>(`${SELECT} FOR UPDATE`, [room])).rows[0];
    if (row && Number(row.expires) <= now) {
      await c.query('DELETE FROM hearth_invites WHERE room = $1', [room]);
      return undefined;
    }
    return row;
  }

  put(input: PutInviteInput, maxLive: number): Promise<PutInviteResult> {
    return this.tx(async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(${PUT_LOCK})`);
      const row = (await c.query<Row>(SELECT, [input.room])).rows[0];
      if (row && Number(row.expires) > input.now) return { ok: false, code: 'exists' } as const;
      if (row) await c.query('DELETE FROM hearth_invites WHERE room = $1', [input.room]);
      const { rows } = await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM hearth_invites');
      if (Number(rows[0]!.n) >= maxLive) return { ok: false, code: 'quota' } as const;
      await c.query(
        'INSERT INTO hearth_invites (room, capsule, revokers, expires, max_uses, uses, created) VALUES ($1, $2, $3, $4, $5, 0, $6)',
        [
          input.room,
          Buffer.from(input.capsule),
          Buffer.concat(input.revokers.map((k) => Buffer.from(k))),
          input.expiresAt,
          input.maxUses,
          input.now,
        ],
      );
      return { ok: true } as const;
    });
  }

  open(room: string, now: number): Promise<OpenInviteResult> {
    return this.tx(async (c): Promise<OpenInviteResult> => {
      const row = await this.live(c, room, now);
      if (!row?.capsule) return { ok: false, code: 'gone' };
      const spent = row.max_uses > 0 && row.uses + 1 >= row.max_uses;
      await c.query(
        `UPDATE hearth_invites SET uses = uses + 1${spent ? ', capsule = NULL' : ''} WHERE room = $1`,
        [room],
      );
      const capsule = row.capsule;
      return {
        ok: true,
        capsule: new Uint8Array(capsule.buffer, capsule.byteOffset, capsule.length),
      };
    });
  }

  async status(room: string, now: number): Promise<InviteStatus | null> {
    const row = (await this.pool.query<Row>(SELECT, [room])).rows[0];
    if (!row?.capsule || Number(row.expires) <= now) return null;
    return { expiresAt: Number(row.expires), maxUses: row.max_uses, uses: row.uses };
  }

  revoke(room: string, revoker: Uint8Array, now: number): Promise<RevokeInviteResult> {
    return this.tx(async (c) => {
      const row = await this.live(c, room, now);
      if (!row?.capsule) return { ok: false, code: 'gone' } as const;
      if (!isRevoker(row.revokers, revoker)) return { ok: false, code: 'not-allowed' } as const;
      await c.query('UPDATE hearth_invites SET capsule = NULL WHERE room = $1', [room]);
      return { ok: true } as const;
    });
  }

  async prune(now: number): Promise<number> {
    const result = await this.pool.query('DELETE FROM hearth_invites WHERE expires <= $1', [now]);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
