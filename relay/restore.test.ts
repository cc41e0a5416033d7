// The restore steps of docs/SELF-HOSTING.md ("Backups"), held by a test: a backup put back
// after a crash comes up exactly as it was only when the leftover -wal and -shm are removed
// first. A WAL left beside it is replayed over the restored file (the guide's old wording
// restored 4 rooms and came up with 6).
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, SqliteMailboxStore } from './sqliteMailboxStore.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'hearth-restore-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const addRoom = (db: Database.Database, n: number) =>
  db
    .prepare(
      'INSERT INTO rooms (room, public_key, last_seq, bytes, entries, created) VALUES (?, ?, 0, 0, 0, 0)',
    )
    .run(`room-${n}`, Buffer.alloc(32, n));

async function roomsIn(dir: string): Promise<number> {
  // Opened the way the relay opens it, then counted.
  const store = new SqliteMailboxStore(dir);
  await store.close();
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM rooms').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('restoring a backup after a crash (docs/SELF-HOSTING.md)', () => {
  it('comes up as the backup only once the leftover -wal and -shm are removed', async () => {
    const live = tempDir();
    await new SqliteMailboxStore(live).close();
    const db = new Database(path.join(live, DATABASE_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    for (let n = 1; n <= 4; n++) addRoom(db, n);
    const backup = path.join(tempDir(), 'hearth-backup.db');
    await db.backup(backup);
    addRoom(db, 5);
    addRoom(db, 6);
    // The crash: the process dies with its last writes only in the WAL.
    const wal = `${path.join(live, DATABASE_FILE)}-wal`;
    expect(existsSync(wal)).toBe(true);

    // Put back the way the guide says: -wal and -shm removed, the copy in place.
    const good = tempDir();
    copyFileSync(backup, path.join(good, DATABASE_FILE));
    expect(await roomsIn(good)).toBe(4);

    // The old way: the copy put back beside the crashed relay's WAL.
    const careless = tempDir();
    copyFileSync(backup, path.join(careless, DATABASE_FILE));
    copyFileSync(wal, path.join(careless, `${DATABASE_FILE}-wal`));
    expect(await roomsIn(careless)).toBe(6);
    db.close();
  });
});
