// Invite capsules in their own SQLite file beside the mailbox's. A withdrawn or used up
// capsule's row stays, without the capsule, until its expiry, so replaying the create request
// cannot bring it back. Deleted capsules are overwritten (secure_delete) and the WAL is
// truncated after deletions, so the bytes do not linger in the database files.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  type InviteStatus,
  type InviteStore,
  isRevoker,
  type OpenInviteResult,
  type PutInviteInput,
  type PutInviteResult,
  type RevokeInviteResult,
} from './inviteStore.ts';

export const INVITES_FILE = 'invites.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS invites (
  room TEXT PRIMARY KEY,
  capsule BLOB,
  revokers BLOB NOT NULL,
  expires INTEGER NOT NULL,
  max_uses INTEGER NOT NULL,
  uses INTEGER NOT NULL,
  created INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS invites_expires ON invites (expires);
`;

interface Row {
  capsule: Buffer | null;
  revokers: Buffer;
  expires: number;
  max_uses: number;
  uses: number;
}

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export class SqliteInviteStore implements InviteStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly q;
  private readonly openTx: (room: string, now: number) => OpenInviteResult;
  private readonly putTx: (input: PutInviteInput, maxLive: number) => PutInviteResult;
  private readonly revokeTx: (room: string, key: Uint8Array, now: number) => RevokeInviteResult;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, INVITES_FILE);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.exec(SCHEMA);
    this.db.pragma('user_version = 1');
    const db = this.db;
    this.q = {
      get: db.prepare<[string], Row>(
        'SELECT capsule, revokers, expires, max_uses, uses FROM invites WHERE room = ?',
      ),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM invites'),
      insert: db.prepare<[string, Buffer, Buffer, number, number, number]>(
        'INSERT INTO invites (room, capsule, revokers, expires, max_uses, uses, created) VALUES (?, ?, ?, ?, ?, 0, ?)',
      ),
      drop: db.prepare<[string]>('DELETE FROM invites WHERE room = ?'),
      use: db.prepare<[string]>('UPDATE invites SET uses = uses + 1 WHERE room = ?'),
      empty: db.prepare<[string]>('UPDATE invites SET capsule = NULL WHERE room = ?'),
      expired: db.prepare<[number]>('DELETE FROM invites WHERE expires <= ?'),
    };
    this.putTx = db.transaction((input: PutInviteInput, maxLive: number) => {
      const row = this.q.get.get(input.room);
      if (row && row.expires > input.now) return { ok: false, code: 'exists' } as const;
      if (row) this.q.drop.run(input.room);
      if (this.q.count.get()!.n >= maxLive) return { ok: false, code: 'quota' } as const;
      this.q.insert.run(
        input.room,
        Buffer.from(input.capsule),
        Buffer.concat(input.revokers.map((k) => Buffer.from(k))),
        input.expiresAt,
        input.maxUses,
        input.now,
      );
      return { ok: true } as const;
    });
    this.openTx = db.transaction((room: string, now: number): OpenInviteResult => {
      const row = this.live(room, now);
      if (!row?.capsule) return { ok: false, code: 'gone' };
      const capsule = u8(Buffer.from(row.capsule));
      this.q.use.run(room);
      if (row.max_uses > 0 && row.uses + 1 >= row.max_uses) this.q.empty.run(room);
      return { ok: true, capsule };
    });
    this.revokeTx = db.transaction((room: string, key: Uint8Array, now: number) => {
      const row = this.live(room, now);
      if (!row?.capsule) return { ok: false, code: 'gone' } as const;
      if (!isRevoker(row.revokers, key)) return { ok: false, code: 'not-allowed' } as const;
      this.q.empty.run(room);
      return { ok: true } as const;
    });
  }

  /** The room's row if it has not expired; an expired one is deleted on the way. */
  private live(room: string, now: number): Row | undefined {
    const row = this.q.get.get(room);
    if (row && row.expires <= now) {
      this.q.drop.run(room);
      return undefined;
    }
    return row;
  }

  /** Moves deletions out of the write-ahead log into the (overwritten) database file. */
  private scrub(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async put(input: PutInviteInput, maxLive: number): Promise<PutInviteResult> {
    const result = this.putTx(input, maxLive);
    return result;
  }

  async open(room: string, now: number): Promise<OpenInviteResult> {
    const result = this.openTx(room, now);
    const row = this.q.get.get(room);
    if (result.ok && !row?.capsule) this.scrub();
    return result;
  }

  async status(room: string, now: number): Promise<InviteStatus | null> {
    const row = this.q.get.get(room);
    if (!row?.capsule || row.expires <= now) return null;
    return { expiresAt: row.expires, maxUses: row.max_uses, uses: row.uses };
  }

  async revoke(room: string, revoker: Uint8Array, now: number): Promise<RevokeInviteResult> {
    const result = this.revokeTx(room, revoker, now);
    if (result.ok) this.scrub();
    return result;
  }

  async prune(now: number): Promise<number> {
    const n = this.q.expired.run(now).changes;
    if (n > 0) this.scrub();
    return n;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.scrub();
    this.db.close();
  }
}
