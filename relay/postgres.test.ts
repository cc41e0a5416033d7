// The PostgreSQL stores against a real PostgreSQL this file starts itself: the same contract
// suites as SQLite, then what only several processes on one database can show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_UPDATE } from './envelope.ts';
import type { InviteStore } from './inviteStore.ts';
import { inviteStoreContract } from './inviteStoreContract.ts';
import type { AppendInput, MailboxStore } from './mailboxStore.ts';
import { mailboxStoreContract } from './mailboxStoreContract.ts';
import { PgInviteStore } from './pgInviteStore.ts';
import { PgMailboxStore } from './pgMailboxStore.ts';
import { startTestPostgres, type TestPostgres } from './testPostgres.ts';

let server: TestPostgres;
const stores: (MailboxStore | InviteStore)[] = [];

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  for (const s of stores) await s.close();
  await server?.stop();
}, 60_000);

const openOn = async (url: string) => {
  const store = await PgMailboxStore.open(url);
  stores.push(store);
  return store;
};

mailboxStoreContract('PostgreSQL', async () => openOn(await server.freshDatabase()));
inviteStoreContract('PostgreSQL', async () => {
  const store = await PgInviteStore.open(await server.freshDatabase());
  stores.push(store);
  return store;
});

let writes = 0;
function write(room: string, extra: Partial<AppendInput> = {}): AppendInput {
  const writeId = new Uint8Array(16);
  new DataView(writeId.buffer).setUint32(0, ++writes);
  return {
    room,
    publicKey: new Uint8Array(32).fill(7),
    writeId,
    timestamp: 1000,
    kind: KIND_UPDATE,
    supersedes: 0,
    blob: new Uint8Array(10).fill(writes & 0xff),
    now: 1000,
    ...extra,
  };
}

describe('PgMailboxStore, two relay processes on one database', () => {
  it('reads on one what the other wrote, and their seqs never collide', async () => {
    const url = await server.freshDatabase();
    const [a, b] = [await openOn(url), await openOn(url)];
    const roomy = { roomMaxBytes: 1 << 30, roomMaxEntries: 1 << 30 };
    // Both create the same room at once, then keep writing to it concurrently.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append(write('shared'), roomy)),
    );
    const seqs = results.map((r) => (r.ok ? r.seq : -1)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
    const page = await a.read('shared', 0, 100, 1 << 20);
    expect(page.entries.map((e) => e.seq)).toEqual(seqs);
    // A write id seen through one process is a replay on the other.
    const once = write('shared');
    expect(await a.append(once, roomy)).toMatchObject({ ok: true });
    expect(await b.append({ ...once }, roomy)).toEqual({ ok: false, code: 'replay' });
  });

  it('holds the global budget across processes and each sees the totals at its next write', async () => {
    const url = await server.freshDatabase();
    const [a, b] = [await openOn(url), await openOn(url)];
    const budget = { roomMaxBytes: 1 << 30, roomMaxEntries: 1 << 30, totalMaxBytes: 100 };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append(write(`r${i % 4}`), budget)),
    );
    // Ten 10-byte writes fit, whichever process took them; the rest are refused.
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok && r.code === 'relay-full')).toHaveLength(10);
    expect(await a.stats()).toEqual({ rooms: 4, bytes: 100 });
    expect(await b.stats()).toEqual({ rooms: 4, bytes: 100 });
    // A third process starting now loads the totals from the database.
    expect(await (await openOn(url)).stats()).toEqual({ rooms: 4, bytes: 100 });
    // Pruning on one frees space for both.
    expect(await a.prune(5000, 0)).toMatchObject({ expiredEntries: 10 });
    expect(await a.stats()).toEqual({ rooms: 0, bytes: 0 });
    expect(await b.append(write('r0'), budget)).toMatchObject({ ok: true, seq: 4 });
    expect(await b.stats()).toEqual({ rooms: 1, bytes: 10 });
  });
});
