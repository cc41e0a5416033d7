import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it } from 'vitest';
import { KIND_SNAPSHOT } from './envelope.ts';
import type { RelayOptions } from './server.ts';
import {
  buildWriteEnvelope,
  decodeReadAnswer,
  fakeSealedBlob,
  newTestRoom,
  startTestRelay,
  type TestRelay,
  type TestRoom,
  type WriteSpec,
} from './testing.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const running: TestRelay[] = [];
const temps: string[] = [];

let clock = Date.UTC(2026, 0, 1);

async function start(options: RelayOptions = {}): Promise<TestRelay> {
  const r = await startTestRelay({ now: () => clock, ...options });
  running.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.dispose()));
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  clock = Date.UTC(2026, 0, 1);
});

type Spec = Partial<Omit<WriteSpec, 'room' | 'secretKey'>>;

function envelope(room: TestRoom, spec: Spec = {}): Uint8Array<ArrayBuffer> {
  return buildWriteEnvelope({
    room: room.room,
    secretKey: room.mailbox.secretKey,
    timestamp: clock,
    payload: fakeSealedBlob(100),
    ...spec,
  });
}

async function post(
  r: TestRelay,
  room: string,
  body: Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${r.url}/mailbox/${room}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', ...headers },
    body,
  });
  return {
    status: res.status,
    headers: res.headers,
    json: (await res.json()) as Record<string, unknown>,
  };
}

async function write(r: TestRelay, room: TestRoom, spec: Spec = {}) {
  return post(r, room.room, envelope(room, spec));
}

async function read(r: TestRelay, room: string, query = '') {
  const res = await fetch(`${r.url}/mailbox/${room}${query}`);
  const body = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    next: res.headers.get('x-hearth-next'),
    more: res.headers.get('x-hearth-more'),
    entries: res.status === 200 ? decodeReadAnswer(body) : [],
  };
}

describe('mailbox writes and reads', () => {
  it('stores a signed write and reads it back in the documented framing', async () => {
    const r = await start();
    const room = newTestRoom();
    const blob = fakeSealedBlob(300);
    const answer = await write(r, room, { payload: blob });
    expect(answer).toMatchObject({ status: 200, json: { seq: 1 } });
    expect((await write(r, room)).json).toEqual({ seq: 2 });

    const got = await read(r, room.room);
    expect(got.status).toBe(200);
    expect(got.next).toBe('2');
    expect(got.more).toBeNull();
    expect(got.entries.map((e) => [e.seq, e.kind])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(got.entries[0]!.blob).toEqual(blob);
    expect(await r.relay.mailboxStats()).toEqual({ rooms: 1, bytes: 400 });
  });

  it('answers an unknown room with an empty log, like a room with nothing new', async () => {
    const r = await start();
    const room = newTestRoom();
    expect(await read(r, newTestRoom().room)).toMatchObject({
      status: 200,
      next: '0',
      entries: [],
    });
    await write(r, room);
    expect(await read(r, room.room, '?after=1')).toMatchObject({ next: '1', entries: [] });
    expect(await read(r, room.room, '?after=40')).toMatchObject({ next: '40', entries: [] });
  });

  it('pages with after and limit, and cuts a page at the byte cap', async () => {
    const r = await start({ mailbox: { readMaxBytes: 250 } });
    const room = newTestRoom();
    for (let i = 0; i < 5; i++) await write(r, room);
    const p1 = await read(r, room.room, '?limit=2');
    expect(p1.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect([p1.next, p1.more]).toEqual(['2', '1']);
    const p2 = await read(r, room.room, '?after=2&limit=2');
    expect(p2.entries.map((e) => e.seq)).toEqual([3, 4]);
    const p3 = await read(r, room.room, '?after=4&limit=2');
    expect(p3.entries.map((e) => e.seq)).toEqual([5]);
    expect([p3.next, p3.more]).toEqual(['5', null]);

    const byBytes = await read(r, room.room, '?limit=500');
    expect(byBytes.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(byBytes.more).toBe('1');
  });

  it('caps limit at the relay maximum', async () => {
    const r = await start({ mailbox: { readMaxEntries: 3 } });
    const room = newTestRoom();
    for (let i = 0; i < 4; i++) await write(r, room);
    const got = await read(r, room.room, '?limit=1000');
    expect(got.entries).toHaveLength(3);
    expect(got.more).toBe('1');
  });

  it('keeps data and the sequence across a restart on the same data folder', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hearth-reopen-'));
    temps.push(dataDir);
    const room = newTestRoom();
    const first = await start({ dataDir });
    await write(first, room);
    await write(first, room);
    await first.dispose();
    running.splice(running.indexOf(first), 1);

    const second = await start({ dataDir });
    expect((await read(second, room.room)).entries.map((e) => e.seq)).toEqual([1, 2]);
    expect((await write(second, room)).json).toEqual({ seq: 3 });
    const stranger = newTestRoom();
    expect((await write(second, room, { publicKey: stranger.mailbox.publicKey })).json.error).toBe(
      'bad-signature',
    );
  });

  it('rejects malformed rooms, queries and envelopes with bad-request', async () => {
    const r = await start();
    const room = newTestRoom();
    const good = envelope(room);
    expect((await post(r, 'short', good)).status).toBe(400);
    expect((await post(r, `${room.room.slice(0, 21)}B`, good)).json.error).toBe('bad-request');
    expect((await read(r, room.room, '?after=-1')).status).toBe(400);
    expect((await read(r, room.room, '?limit=0')).status).toBe(400);
    expect((await read(r, room.room, '?after=1e3')).status).toBe(400);

    const tooShort = good.slice(0, 100);
    expect((await post(r, room.room, tooShort)).json.error).toBe('bad-request');
    const badVersion = good.slice();
    badVersion[0] = 2;
    expect((await post(r, room.room, badVersion)).json).toMatchObject({
      error: 'bad-request',
      message: expect.stringMatching(/version/),
    });
    const badKind = good.slice();
    badKind[1] = 9;
    expect((await post(r, room.room, badKind)).status).toBe(400);
    const updateThatSupersedes = envelope(room, { supersedes: 3 });
    expect((await post(r, room.room, updateThatSupersedes)).status).toBe(400);
    expect((await read(r, room.room)).entries).toEqual([]);
  });

  it('rejects unsigned and wrongly signed writes with bad-signature', async () => {
    const r = await start();
    const room = newTestRoom();
    const unsigned = envelope(room);
    unsigned.fill(0, unsigned.length - 64);
    expect(await post(r, room.room, unsigned)).toMatchObject({
      status: 403,
      json: { error: 'bad-signature' },
    });
    const tampered = envelope(room);
    tampered[70]! ^= 1;
    expect((await post(r, room.room, tampered)).json.error).toBe('bad-signature');
    const otherRoom = newTestRoom();
    const forOtherRoom = envelope(room);
    expect((await post(r, otherRoom.room, forOtherRoom)).json.error).toBe('bad-signature');
    expect(r.relay.metrics.rejectionCount('mailbox-bad-signature')).toBe(3);
  });

  it('binds a room to the key of its first write and refuses others with wrong-key', async () => {
    const r = await start();
    const room = newTestRoom();
    await write(r, room);
    const intruder = nacl.sign.keyPair();
    const body = buildWriteEnvelope({
      room: room.room,
      secretKey: intruder.secretKey,
      timestamp: clock,
      payload: fakeSealedBlob(50),
    });
    expect(await post(r, room.room, body)).toMatchObject({
      status: 403,
      json: { error: 'wrong-key' },
    });
    expect((await read(r, room.room)).entries).toHaveLength(1);
  });

  it('refuses a replayed write id and a stale timestamp with 409', async () => {
    const r = await start();
    const room = newTestRoom();
    const body = envelope(room);
    expect((await post(r, room.room, body)).status).toBe(200);
    expect(await post(r, room.room, body)).toMatchObject({
      status: 409,
      json: { error: 'replay' },
    });
    const sameId = envelope(room, { writeId: body.slice(18, 34) });
    expect((await post(r, room.room, sameId)).json.error).toBe('replay');

    for (const skew of [-11 * MINUTE, 11 * MINUTE]) {
      expect(await write(r, room, { timestamp: clock + skew })).toMatchObject({
        status: 409,
        json: { error: 'stale' },
      });
    }
    expect((await write(r, room, { timestamp: clock - 9 * MINUTE })).status).toBe(200);
  });

  it('keeps refusing a replay until its timestamp itself has become stale', async () => {
    const r = await start();
    const room = newTestRoom();
    const body = envelope(room, { timestamp: clock + 9 * MINUTE });
    expect((await post(r, room.room, body)).status).toBe(200);
    clock += 15 * MINUTE;
    await r.relay.prune();
    expect((await post(r, room.room, body)).json.error).toBe('replay');
    clock += 10 * MINUTE;
    await r.relay.prune();
    expect((await post(r, room.room, body)).json.error).toBe('stale');
  });

  it('refuses a body over the cap with 413, by Content-Length and while streaming', async () => {
    const r = await start({ mailbox: { maxBody: 4096 } });
    const room = newTestRoom();
    expect(await write(r, room, { payload: fakeSealedBlob(5000) })).toMatchObject({
      status: 413,
      json: { error: 'too-large' },
    });

    // Chunked upload without Content-Length: the relay must stop at the cap on its own.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${r.url}/mailbox/${room.room}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(3000));
      req.write(Buffer.alloc(3000));
    });
    expect(status).toBe(413);
    expect((await write(r, room)).status).toBe(200);
  });

  it('answers a huge declared body with 413 without waiting for it', async () => {
    const r = await start();
    const room = newTestRoom();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${r.url}/mailbox/${room.room}`, {
        method: 'POST',
        headers: { 'Content-Length': String(1 << 30) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1000));
    });
    expect(status).toBe(413);
  });

  it('rate-limits requests per IP with 429 and Retry-After', async () => {
    const r = await start({ mailbox: { rateBurst: 3, ratePerSecond: 0.5 } });
    const room = newTestRoom().room;
    for (let i = 0; i < 3; i++) expect((await read(r, room)).status).toBe(200);
    const res = await fetch(`${r.url}/mailbox/${room}`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toMatchObject({ error: 'rate-limited' });
  });
});

describe('mailbox quotas, supersession and retention', () => {
  it('refuses writes over the room byte quota, and accepts a compacting snapshot', async () => {
    const r = await start({ mailbox: { roomMaxBytes: 1000 } });
    const room = newTestRoom();
    for (let i = 0; i < 2; i++) await write(r, room, { payload: fakeSealedBlob(400) });
    expect(await write(r, room, { payload: fakeSealedBlob(400) })).toMatchObject({
      status: 507,
      json: { error: 'quota-bytes' },
    });
    const snap = await write(r, room, {
      kind: KIND_SNAPSHOT,
      supersedes: 2,
      payload: fakeSealedBlob(600),
    });
    expect(snap.json).toEqual({ seq: 3 });
    expect(await r.relay.mailboxStats()).toEqual({ rooms: 1, bytes: 600 });
    expect((await write(r, room, { payload: fakeSealedBlob(300) })).json).toEqual({ seq: 4 });
    expect((await write(r, room, { payload: fakeSealedBlob(300) })).json.error).toBe('quota-bytes');
  });

  it('refuses writes over the room entry quota', async () => {
    const r = await start({ mailbox: { roomMaxEntries: 3 } });
    const room = newTestRoom();
    for (let i = 0; i < 3; i++) expect((await write(r, room)).status).toBe(200);
    expect(await write(r, room)).toMatchObject({ status: 507, json: { error: 'quota-entries' } });
    const other = newTestRoom();
    expect((await write(r, other)).status).toBe(200);
  });

  it('drops what a snapshot supersedes and never reuses a sequence number', async () => {
    const r = await start();
    const room = newTestRoom();
    for (let i = 0; i < 4; i++) await write(r, room);
    const snap = await write(r, room, { kind: KIND_SNAPSHOT, supersedes: 3 });
    expect(snap.json).toEqual({ seq: 5 });
    const got = await read(r, room.room);
    expect(got.entries.map((e) => [e.seq, e.kind])).toEqual([
      [4, 1],
      [5, 2],
    ]);
    expect((await read(r, room.room, '?after=1')).entries.map((e) => e.seq)).toEqual([4, 5]);

    const all = await write(r, room, { kind: KIND_SNAPSHOT, supersedes: 999 });
    expect(all.json).toEqual({ seq: 6 });
    expect((await read(r, room.room)).entries.map((e) => e.seq)).toEqual([6]);
    expect((await write(r, room)).json).toEqual({ seq: 7 });
  });

  it('deletes entries older than the retention period, keeping the sequence going', async () => {
    const r = await start({ mailbox: { retentionDays: 90 } });
    const room = newTestRoom();
    await write(r, room);
    clock += 50 * DAY;
    await write(r, room);
    clock += 41 * DAY;
    await r.relay.prune();
    expect((await read(r, room.room)).entries.map((e) => e.seq)).toEqual([2]);
    clock += 50 * DAY;
    await r.relay.prune();
    expect((await read(r, room.room)).entries).toEqual([]);
    expect(await r.relay.mailboxStats()).toEqual({ rooms: 0, bytes: 0 });
    expect((await write(r, room)).json).toEqual({ seq: 3 });
  });

  it('prunes expired entries when it starts', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hearth-retention-'));
    temps.push(dataDir);
    const room = newTestRoom();
    const first = await start({ dataDir });
    await write(first, room);
    await first.dispose();
    running.splice(running.indexOf(first), 1);
    clock += 100 * DAY;
    const second = await start({ dataDir });
    expect(await second.relay.mailboxStats()).toEqual({ rooms: 0, bytes: 0 });
  });
});

describe('mailbox HTTP surface', () => {
  it('allows cross-origin reads and exposes the cursor headers', async () => {
    const r = await start();
    const room = newTestRoom().room;
    const res = await fetch(`${r.url}/mailbox/${room}`, {
      headers: { Origin: 'https://app.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-Hearth-Next/);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-Hearth-More/);
    const pre = await fetch(`${r.url}/mailbox/${room}`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
  });

  it('with an allow-list, echoes allowed origins and refuses others', async () => {
    const r = await start({ origins: ['https://app.example'] });
    const room = newTestRoom().room;
    const ok = await fetch(`${r.url}/mailbox/${room}`, {
      headers: { Origin: 'https://app.example' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const bad = await fetch(`${r.url}/mailbox/${room}`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    const sameOrigin = await fetch(`${r.url}/mailbox/${room}`, { headers: { Origin: r.url } });
    expect(sameOrigin.status).toBe(200);
  });

  it('has no way to list rooms', async () => {
    const r = await start();
    await write(r, newTestRoom());
    for (const p of ['/mailbox', '/mailbox/', '/mailbox/x/y']) {
      const res = await fetch(`${r.url}${p}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toMatch(/[A-Za-z0-9_-]{22}/);
    }
    expect(
      (await fetch(`${r.url}/mailbox/${newTestRoom().room}`, { method: 'DELETE' })).status,
    ).toBe(405);
  });

  it('records request bodies for tests only when the test tap is on', async () => {
    const tapped = await start({ testTap: true });
    const room = newTestRoom();
    const body = envelope(room);
    await post(tapped, room.room, body);
    const list = (await (await fetch(`${tapped.url}/__test/received`)).json()) as string[];
    expect(list).toEqual([Buffer.from(body).toString('base64')]);

    const plain = await start();
    expect((await fetch(`${plain.url}/__test/received`)).status).toBe(404);
  });
});
