import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KIND_UPDATE } from './envelope.ts';
import type { AppendInput } from './mailboxStore.ts';
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
    expect(await second.stats()).toEqual({ rooms: 1, bytes: 1 });
    expect(await second.append(write(1), limits)).toEqual({ ok: false, code: 'replay' });
    expect(await second.append(write(2), limits)).toMatchObject({ ok: true, seq: 2 });
    expect((await second.read('r', 0, 10, 1000)).entries.map((e) => e.blob[0])).toEqual([1, 2]);
    await second.close();
  });

  it('answers relay-full when the disk is full, keeping everything stored and readable', async () => {
    const dir = freshDir();
    // A file that cannot grow past a few pages stands for a full disk.
    const store = new SqliteMailboxStore(dir, { maxPageCount: 12 });
    const limits = { roomMaxBytes: 1 << 30, roomMaxEntries: 1 << 30 };
    const write = (id: number, size: number): AppendInput => ({
      room: 'r',
      publicKey: new Uint8Array(32),
      writeId: new Uint8Array(16).fill(id),
      timestamp: 1,
      kind: KIND_UPDATE,
      supersedes: 0,
      blob: new Uint8Array(size).fill(id),
      now: 1,
    });
    expect(await store.append(write(1, 100), limits)).toMatchObject({ ok: true, seq: 1 });
    expect(await store.append(write(2, 64 * 1024), limits)).toEqual({
      ok: false,
      code: 'relay-full',
    });
    expect(await store.stats()).toEqual({ rooms: 1, bytes: 100 });
    const page = await store.read('r', 0, 10, 1 << 20);
    expect(page.entries.map((e) => [e.seq, e.blob.length])).toEqual([[1, 100]]);
    expect(await store.append(write(3, 50), limits)).toMatchObject({ ok: true, seq: 2 });
    await store.close();
  });
});
