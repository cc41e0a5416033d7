// The PostgreSQL stores against a real PostgreSQL this file starts itself: the same contract
// suites as SQLite, then what only several processes on one database can show.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KIND_UPDATE } from './envelope.ts';
import type { InviteStore } from './inviteStore.ts';
import { inviteStoreContract } from './inviteStoreContract.ts';
import { createLogger } from './logger.ts';
import type { AppendInput, MailboxStore } from './mailboxStore.ts';
import { mailboxStoreContract } from './mailboxStoreContract.ts';
import { PgInviteStore } from './pgInviteStore.ts';
import { PgMailboxStore } from './pgMailboxStore.ts';
import { openPostgres } from './postgres.ts';
import { MAILBOX_NOTICE_TYPE } from './signaling.ts';
import {
  buildWriteEnvelope,
  decodeReadAnswer,
  FrameCollector,
  fakeSealedBlob,
  newTestRoom,
  type RelayMain,
  runRelayMain,
  startTestRelay,
  type TestRelay,
} from './testing.ts';
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
    expect(await b.append(write('r0'), budget)).toMatchObject({ ok: true, created: false });
    expect(await b.stats()).toEqual({ rooms: 1, bytes: 10 });
  });
});

describe('two relay processes on one PostgreSQL', () => {
  const relays: TestRelay[] = [];
  const mains: RelayMain[] = [];
  const clients: FrameCollector[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await Promise.all(relays.splice(0).map((r) => r.dispose()));
    for (const m of mains.splice(0)) {
      m.child.kill('SIGTERM');
      await m.exit;
    }
  });

  /** Relay 1 runs in this test process; relay 2 is `relay/main.ts` with HEARTH_DATABASE_URL. */
  async function pair(): Promise<{ one: string; two: string }> {
    const url = await server.freshDatabase();
    const parts = await openPostgres(url, createLogger('silent'));
    const one = await startTestRelay(parts);
    relays.push(one);
    const main = await runRelayMain({ HEARTH_DATABASE_URL: url });
    mains.push(main);
    return { one: `127.0.0.1:${one.relay.address!.port}`, two: `127.0.0.1:${main.port}` };
  }

  async function subscriber(host: string, topic: string): Promise<FrameCollector> {
    const c = await FrameCollector.open(`ws://${host}/signal`);
    clients.push(c);
    c.send({ type: 'subscribe', topics: [topic] });
    await c.sync();
    return c;
  }

  it('delivers a publish made on one process to a subscriber on the other, large frames too', async () => {
    const { one, two } = await pair();
    const here = await subscriber(one, 'room-a');
    const there = await subscriber(two, 'room-a');
    const elsewhere = await subscriber(two, 'room-b');
    // Over NOTIFY's 8000 bytes: it crosses through the spill table, and order is kept.
    const big = 'x'.repeat(20_000);
    there.send({ type: 'publish', topic: 'room-a', data: { n: 1, big } });
    there.send({ type: 'publish', topic: 'room-a', data: { n: 2 } });
    here.send({ type: 'publish', topic: 'room-a', data: { n: 3, from: 'one' } });
    const n = (k: number) => (f: Record<string, unknown>) =>
      f.type === 'publish' && (f.data as { n?: number }).n === k;
    await here.until(
      () => here.frames.some(n(1)) && here.frames.some(n(2)),
      'both publishes from process 2 on process 1',
    );
    // Order per sender: the small frame sent after the spilled one arrives after it.
    expect(here.frames.findIndex(n(1))).toBeLessThan(here.frames.findIndex(n(2)));
    const first = here.frames.find(n(1))!;
    expect((first.data as { big: string }).big).toBe(big);
    expect(first.clients).toBe(1);
    expect(await there.next(n(3), 'process 1 publish on process 2')).toMatchObject({
      data: { from: 'one' },
      clients: 1,
    });
    await elsewhere.sync();
    expect(elsewhere.frames.filter((f) => f.type === 'publish')).toEqual([]);
  });

  it('reads on one process what was written on the other, and notices the watchers there', async () => {
    const { one, two } = await pair();
    const room = newTestRoom();
    const watcher = await subscriber(two, room.room);
    const blob = fakeSealedBlob(1024);
    const body = buildWriteEnvelope({
      room: room.room,
      secretKey: room.mailbox.secretKey,
      payload: blob,
    });
    const res = await fetch(`http://${one}/mailbox/${room.room}`, { method: 'POST', body });
    expect(await res.json()).toEqual({ seq: 1 });
    expect(
      await watcher.next((f) => f.type === MAILBOX_NOTICE_TYPE, 'the mailbox notice on process 2'),
    ).toEqual({ type: MAILBOX_NOTICE_TYPE, topic: room.room, seq: 1 });
    const read = await fetch(`http://${two}/mailbox/${room.room}?after=0`);
    const entries = decodeReadAnswer(new Uint8Array(await read.arrayBuffer()));
    expect(entries.map((e) => [e.seq, e.blob])).toEqual([[1, blob]]);
    // Replaying the same write on the other process is refused there.
    const replay = await fetch(`http://${two}/mailbox/${room.room}`, { method: 'POST', body });
    expect(replay.status).toBe(409);
  });
});
