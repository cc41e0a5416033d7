import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it } from 'vitest';
import type { SigningSecretKey } from '../app/core/crypto/keys.ts';
import { encodeCreate, encodeRevoke } from '../app/core/invite/inviteWire.ts';
import type { RelayOptions } from './server.ts';
import { INVITES_FILE } from './sqliteInviteStore.ts';
import { fakeSealedBlob, newTestRoom, startTestRelay, type TestRelay } from './testing.ts';

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

const keyPair = () => {
  const k = nacl.sign.keyPair();
  return { publicKey: k.publicKey, secretKey: k.secretKey as SigningSecretKey };
};

interface Made {
  room: string;
  capsule: Uint8Array;
  body: Uint8Array<ArrayBuffer>;
  inviter: ReturnType<typeof keyPair>;
  creator: ReturnType<typeof keyPair>;
}

function make(options: { expiresAt?: number; maxUses?: number; size?: number } = {}): Made {
  const room = newTestRoom().room;
  const inviter = keyPair();
  const creator = keyPair();
  const capsule = fakeSealedBlob(options.size ?? 200);
  const body = encodeCreate(
    room,
    {
      expiresAt: options.expiresAt ?? clock + 7 * DAY,
      maxUses: options.maxUses ?? 0,
      revokers: [inviter.publicKey, creator.publicKey],
      capsule,
    },
    inviter.secretKey,
  ) as Uint8Array<ArrayBuffer>;
  return { room, capsule, body, inviter, creator };
}

async function call(r: TestRelay, method: string, p: string, body?: Uint8Array<ArrayBuffer>) {
  const res = await fetch(`${r.url}${p}`, {
    method,
    ...(body ? { body, headers: { 'Content-Type': 'application/octet-stream' } } : {}),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    json: type.startsWith('application/json')
      ? (JSON.parse(Buffer.from(bytes).toString()) as Record<string, unknown>)
      : null,
  };
}

const put = (r: TestRelay, m: Made) => call(r, 'POST', `/invite/${m.room}`, m.body);
const open = (r: TestRelay, room: string) => call(r, 'POST', `/invite/${room}/open`);
const status = (r: TestRelay, room: string) => call(r, 'GET', `/invite/${room}`);
const revoke = (r: TestRelay, room: string, key: SigningSecretKey, at = clock) =>
  call(r, 'POST', `/invite/${room}/revoke`, encodeRevoke(room, at, key) as Uint8Array<ArrayBuffer>);

/** The invite database files' bytes, to check a capsule is really gone from the disk. */
function onDisk(r: TestRelay): Buffer {
  const files = [INVITES_FILE, `${INVITES_FILE}-wal`].map((f) => path.join(r.dataDir, f));
  return Buffer.concat(files.filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

describe('invite capsules on the relay', () => {
  it('stores a capsule, reports it without counting, and opens it counting uses', async () => {
    const r = await start();
    const m = make({ maxUses: 2 });
    expect((await put(r, m)).status).toBe(200);
    expect((await status(r, m.room)).json).toEqual({
      expiresAt: clock + 7 * DAY,
      maxUses: 2,
      uses: 0,
    });
    const first = await open(r, m.room);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/octet-stream');
    expect(first.bytes).toEqual(m.capsule);
    expect((await status(r, m.room)).json).toMatchObject({ uses: 1 });
    expect((await open(r, m.room)).bytes).toEqual(m.capsule);
    // The second of two uses deleted it, from the files too.
    expect((await open(r, m.room)).status).toBe(404);
    expect((await status(r, m.room)).status).toBe(404);
    expect(onDisk(r).includes(Buffer.from(m.capsule))).toBe(false);
  });

  it('deletes a capsule at its expiry, and answers exactly as for one that never existed', async () => {
    const r = await start();
    const m = make({ expiresAt: clock + DAY });
    await put(r, m);
    expect(onDisk(r).includes(Buffer.from(m.capsule))).toBe(true);
    clock += DAY - 1;
    expect((await open(r, m.room)).status).toBe(200);
    clock += 1;
    const expired = await open(r, m.room);
    const never = await open(r, newTestRoom().room);
    expect(expired.status).toBe(404);
    expect(expired.json).toEqual(never.json);
    expect(expired.json).toMatchObject({ error: 'gone' });
    expect(expired.bytes.includes(m.capsule[5]!)).toBe(never.bytes.includes(m.capsule[5]!));
    // Pruning forgets it without anyone asking.
    const other = make({ expiresAt: clock + DAY });
    await put(r, other);
    clock += DAY;
    await r.relay.prune();
    expect(onDisk(r).includes(Buffer.from(other.capsule))).toBe(false);
  });

  it('deletes a capsule on a withdrawal signed by the inviter or the creator only', async () => {
    const r = await start();
    const m = make();
    await put(r, m);
    const stranger = keyPair();
    expect((await revoke(r, m.room, stranger.secretKey)).json).toMatchObject({
      error: 'not-allowed',
    });
    const late = await revoke(r, m.room, m.creator.secretKey, clock - 11 * 60_000);
    expect(late).toMatchObject({ status: 409, json: { error: 'stale' } });
    const forged = encodeRevoke(m.room, clock, m.creator.secretKey);
    forged[5]! ^= 1;
    expect(
      (await call(r, 'POST', `/invite/${m.room}/revoke`, forged as Uint8Array<ArrayBuffer>)).json,
    ).toMatchObject({ error: 'bad-signature' });
    expect((await open(r, m.room)).status).toBe(200);

    expect((await revoke(r, m.room, m.creator.secretKey)).status).toBe(200);
    expect((await open(r, m.room)).status).toBe(404);
    expect((await revoke(r, m.room, m.inviter.secretKey)).status).toBe(404);
    expect(onDisk(r).includes(Buffer.from(m.capsule))).toBe(false);
    // Replaying the create request cannot bring it back before its expiry...
    expect((await put(r, m)).json).toMatchObject({ error: 'exists' });
    // ...nor after it, when its expiry has passed.
    clock += 8 * DAY;
    expect((await put(r, m)).status).toBe(400);

    const own = make();
    await put(r, own);
    expect((await revoke(r, own.room, own.inviter.secretKey)).status).toBe(200);
  });

  it('refuses malformed requests in plain words and keeps running', async () => {
    const r = await start({ invites: { rateBurst: 10_000 } });
    const m = make();
    const bad = async (method: string, p: string, body?: Uint8Array<ArrayBuffer>) => {
      const answer = await call(r, method, p, body);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(typeof answer.json?.message).toBe('string');
      return answer.status;
    };
    expect(await bad('POST', '/invite/short', m.body)).toBe(400);
    expect(await bad('POST', `/invite/${m.room}/delete`)).toBe(404);
    expect(await bad('POST', `/invite/${m.room}/open/x`)).toBe(404);
    expect(await bad('GET', `/invite/${m.room}/open`)).toBe(405);
    expect(await bad('DELETE', `/invite/${m.room}`)).toBe(405);
    // A create signed for another room, with too many uses, too far an expiry, a capsule that
    // is not a sealed blob, an unknown version, or cut short.
    expect(await bad('POST', `/invite/${newTestRoom().room}`, m.body)).toBe(403);
    const tooMany = m.body.slice();
    new DataView(tooMany.buffer).setUint16(9, 1001);
    expect(await bad('POST', `/invite/${m.room}`, tooMany)).toBe(400);
    expect(await bad('POST', `/invite/${m.room}`, make({ expiresAt: clock + 8 * DAY }).body)).toBe(
      403,
    );
    const far = make({ expiresAt: clock + 8 * DAY });
    expect(await bad('POST', `/invite/${far.room}`, far.body)).toBe(400);
    const past = make({ expiresAt: clock });
    expect(await bad('POST', `/invite/${past.room}`, past.body)).toBe(400);
    const version = m.body.slice();
    version[0] = 9;
    expect(await bad('POST', `/invite/${m.room}`, version)).toBe(400);
    expect(await bad('POST', `/invite/${m.room}`, m.body.slice(0, 90))).toBe(400);
    const big = make({ size: 9000 });
    expect(await bad('POST', `/invite/${big.room}`, big.body)).toBe(413);
    expect(await bad('POST', `/invite/${m.room}/open`, new Uint8Array(10))).toBe(413);
    expect(await bad('POST', `/invite/${m.room}/revoke`, new Uint8Array(104))).toBe(400);
    // Random bodies of every length around the real ones.
    for (let n = 0; n < 300; n += 7) {
      const junk = nacl.randomBytes(n) as Uint8Array<ArrayBuffer>;
      if (n > 0) junk[0] = 1;
      expect([400, 403]).toContain((await call(r, 'POST', `/invite/${m.room}`, junk)).status);
      expect(
        (await call(r, 'POST', `/invite/${m.room}/revoke`, junk)).status,
      ).toBeGreaterThanOrEqual(400);
    }
    expect((await put(r, m)).status).toBe(200);
    expect((await call(r, 'GET', '/healthz')).status).toBe(200);
    expect(r.relay.metrics.rejectionCount('invite-bad-request')).toBeGreaterThan(0);
  });

  it('limits requests per address and rooms per relay', async () => {
    const r = await start({ invites: { rateBurst: 3, ratePerSecond: 1, maxLive: 1 } });
    const a = make();
    expect((await put(r, a)).status).toBe(200);
    expect((await put(r, make())).json).toMatchObject({ error: 'quota' });
    expect((await status(r, a.room)).status).toBe(200);
    const limited = await status(r, a.room);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    clock += 5000;
    expect((await status(r, a.room)).status).toBe(200);
  });

  it('keeps capsules across a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hearth-invites-'));
    temps.push(dataDir);
    const r1 = await start({ dataDir });
    const m = make();
    await put(r1, m);
    await r1.dispose();
    running.splice(running.indexOf(r1), 1);
    const r2 = await start({ dataDir });
    expect((await open(r2, m.room)).bytes).toEqual(m.capsule);
  });
});
