// /metrics over real sockets: kept up to date from in-memory counters as writes happen, open
// or behind a bearer token (HEARTH_METRICS_TOKEN), and rate limited per client.

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerMatches, type RelayOptions } from './server.ts';
import { DATABASE_FILE } from './sqliteMailboxStore.ts';
import {
  buildWriteEnvelope,
  fakeSealedBlob,
  newTestRoom,
  startTestRelay,
  type TestRelay,
} from './testing.ts';

const TOKEN = 'b1946ac92492d2347c6235b4d2611184';
const running: TestRelay[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.dispose()));
});

async function start(options: RelayOptions = {}): Promise<TestRelay> {
  const r = await startTestRelay(options);
  running.push(r);
  return r;
}

async function get(r: TestRelay, authorization?: string) {
  const res = await fetch(`${r.url}/metrics`, {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function write(r: TestRelay, size: number): Promise<void> {
  const room = newTestRoom();
  const body = buildWriteEnvelope({
    room: room.room,
    secretKey: room.mailbox.secretKey,
    payload: fakeSealedBlob(size),
  });
  const res = await fetch(`${r.url}/mailbox/${room.room}`, { method: 'POST', body });
  expect(res.status).toBe(200);
}

const gauge = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

describe('/metrics', () => {
  it('without a token is open, and follows writes from counters, not from the tables', async () => {
    const r = await start();
    expect(gauge((await get(r)).text, 'hearth_mailbox_rooms')).toBe(0);
    await write(r, 300);
    await write(r, 200);
    const after = await get(r);
    expect(after.status).toBe(200);
    expect(gauge(after.text, 'hearth_mailbox_rooms')).toBe(2);
    expect(gauge(after.text, 'hearth_mailbox_bytes')).toBe(500);
    expect(after.text).toMatch(/^hearth_mailbox_requests_total\{op="write"\} 2$/m);
    // Rows changed behind the relay's back do not show: /metrics reads no table.
    const db = new Database(path.join(r.dataDir, DATABASE_FILE));
    db.prepare('UPDATE rooms SET bytes = bytes + 1000').run();
    db.close();
    expect(gauge((await get(r)).text, 'hearth_mailbox_bytes')).toBe(500);
  });

  it('with a token answers only a request that carries it', async () => {
    const r = await start({ metricsToken: TOKEN });
    const none = await get(r);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.text).not.toMatch(/hearth_/);
    for (const wrong of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, `Basic ${TOKEN}`]) {
      expect((await get(r, wrong)).status).toBe(401);
    }
    const ok = await get(r, `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/hearth_rejections_total\{reason="metrics-unauthorized"\} 5/);
    // The rest of the relay does not ask for it.
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
  });

  it('is rate limited per client', async () => {
    const r = await start({ metricsRate: { burst: 3, perSecond: 0.001 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(r)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await fetch(`${r.url}/metrics`);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await limited.text();
  });

  it('compares the bearer token exactly', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer  ${TOKEN} `, TOKEN)).toBe(true);
    for (const h of [undefined, '', 'Bearer', `Bearer ${TOKEN} extra`, `Token ${TOKEN}`]) {
      expect(bearerMatches(h, TOKEN)).toBe(false);
    }
  });
});
