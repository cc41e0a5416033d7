import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KIND_UPDATE } from './envelope.ts';
import { mailboxStoreContract } from './mailboxStoreContract.ts';
import { DATABASE_FILE, SqliteMailboxStore } from './sqliteMailboxStore.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-store-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

mailboxStoreContract('SQLite', async () => new SqliteMailboxStore(freshDir()));

describe('SqliteMailboxStore', () => {
  it('creates its data folder and keeps everything across close and reopen', async () => {
    const dir = path.join(freshDir(), 'a', 'b');
    const limits = { roomMaxBytes: 1000, roomMaxEntries: 10 };
    const write = (id: number) =>
      ({
        room: 'r',
        publicKey: new Uint8Array(32),
        writeId: new Uint8Array(16).fill(id),
        timestamp: 1,
        kind: KIND_UPDATE,
        supersedes: 0,
        blob: new Uint8Array([id]),
        now: 1,
      }) as const;
    const first = new SqliteMailboxStore(dir);
    expect(first.file).toBe(path.join(dir, DATABASE_FILE));
    await first.append(write(1), limits);
    await first.close();
    await first.close();

    const second = new SqliteMailboxStore(dir);
    expect(await second.append(write(1), limits)).toEqual({ ok: false, code: 'replay' });
    expect(await second.append(write(2), limits)).toMatchObject({ ok: true, seq: 2 });
    expect((await second.read('r', 0, 10, 1000)).entries.map((e) => e.blob[0])).toEqual([1, 2]);
    await second.close();
  });
});
