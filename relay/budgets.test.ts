// Byte budgets over real sockets on 127.0.0.1 with a real SQLite file: one client cannot fill
// the disk by cycling through fresh keys (each a new room) and IPv6 addresses of its /64, the
// whole mailbox stops at its budget without losing anything, and reads and signaling go on.
import { afterEach, describe, expect, it } from 'vitest';
import { type EntryKind, KIND_SNAPSHOT } from './envelope.ts';
import { clientKey } from './http.ts';
import type { LogFields, Logger } from './logger.ts';
import type { RelayOptions } from './server.ts';
import {
  buildWriteEnvelope,
  decodeReadAnswer,
  FrameCollector,
  fakeSealedBlob,
  newTestRoom,
  startTestRelay,
  type TestRelay,
  type TestRoom,
} from './testing.ts';

const running: TestRelay[] = [];
const clients: FrameCollector[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await Promise.all(running.splice(0).map((r) => r.dispose()));
});

async function start(options: RelayOptions): Promise<TestRelay> {
  const r = await startTestRelay(options);
  running.push(r);
  return r;
}

interface Answer {
  status: number;
  error: unknown;
  retryAfter: string | null;
}

async function write(
  r: TestRelay,
  room: TestRoom,
  options: { from?: string; size?: number; kind?: EntryKind; supersedes?: number } = {},
): Promise<Answer> {
  const body = buildWriteEnvelope({
    room: room.room,
    secretKey: room.mailbox.secretKey,
    payload: fakeSealedBlob(options.size ?? 1000),
    ...(options.kind === undefined ? {} : { kind: options.kind }),
    ...(options.supersedes === undefined ? {} : { supersedes: options.supersedes }),
  });
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
  if (options.from) headers['X-Forwarded-For'] = options.from;
  const res = await fetch(`${r.url}/mailbox/${room.room}`, { method: 'POST', headers, body });
  const json = (await res.json()) as { error?: unknown };
  return { status: res.status, error: json.error, retryAfter: res.headers.get('retry-after') };
}

async function entries(r: TestRelay, room: TestRoom): Promise<number[]> {
  const res = await fetch(`${r.url}/mailbox/${room.room}`);
  expect(res.status).toBe(200);
  return decodeReadAnswer(new Uint8Array(await res.arrayBuffer())).map((e) => e.seq);
}

async function metricsText(r: TestRelay): Promise<string> {
  const res = await fetch(`${r.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function captureLogs(): { logger: Logger; lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const at =
    (level: string) =>
    (msg: string, _fields?: LogFields): void => {
      lines.push({ level, msg });
    };
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

describe('clientKey', () => {
  it('counts IPv6 per /64 and IPv4 per address', () => {
    expect(clientKey('2001:db8:abcd:12::1')).toBe('2001:db8:abcd:12::/64');
    expect(clientKey('2001:0db8:abcd:0012:ffff:1:2:3')).toBe('2001:db8:abcd:12::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('2001:db8:abcd:13::1')).not.toBe(clientKey('2001:db8:abcd:12::1'));
    // Whatever a proxy sends is a key, never an exception.
    for (const junk of ['', 'unknown', ':::', 'x'.repeat(500), '1:2:3:4:5:6:7:8:9']) {
      expect(clientKey(junk).length).toBeLessThanOrEqual(64);
    }
  });
});

describe('mailbox budgets', () => {
  it('stops a client cycling through fresh keys and addresses of one /64, losing nothing', async () => {
    const r = await start({
      trustProxy: true,
      mailbox: { clientNewRoomsPerDay: 5, clientBytesPerDay: 64 * 1024 },
    });
    const stored: TestRoom[] = [];
    const answers: Answer[] = [];
    for (let i = 1; i <= 12; i++) {
      const room = newTestRoom();
      const a = await write(r, room, { from: `2001:db8:abcd:12::${i.toString(16)}` });
      answers.push(a);
      if (a.status === 200) stored.push(room);
    }
    expect(answers.map((a) => a.status)).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);
    expect(answers[5]).toMatchObject({ error: 'budget-rooms' });
    expect(Number(answers[5]!.retryAfter)).toBeGreaterThan(0);
    expect((await r.relay.mailboxStats()).rooms).toBe(5);

    // The rooms it made keep working for it, up to its byte budget; then that stops it too.
    let bytesStopped: Answer | null = null;
    for (let i = 0; i < 100 && bytesStopped === null; i++) {
      const a = await write(r, stored[i % 5]!, { from: '2001:db8:abcd:12:ffff::9', size: 4000 });
      if (a.status !== 200) bytesStopped = a;
    }
    expect(bytesStopped).toMatchObject({ status: 429, error: 'budget-bytes' });
    expect((await r.relay.mailboxStats()).bytes).toBeLessThanOrEqual(64 * 1024);

    // Someone in another /64 is not held back by it.
    expect((await write(r, newTestRoom(), { from: '2001:db8:abcd:13::1' })).status).toBe(200);
    // Nothing stored was lost: every room it made still reads back from its first entry.
    for (const room of stored) expect((await entries(r, room))[0]).toBe(1);
    const text = await metricsText(r);
    expect(text).toMatch(/hearth_rejections_total\{reason="mailbox-budget-rooms"\} 7/);
    expect(text).toMatch(/hearth_rejections_total\{reason="mailbox-budget-bytes"\} 1/);
  });

  it('answers 507 relay-full at the disk budget; reads, signaling and compaction go on', async () => {
    const { logger, lines } = captureLogs();
    const r = await start({ logger, mailbox: { totalMaxBytes: 10_000 } });
    const a = newTestRoom();
    const b = newTestRoom();
    const watcher = await FrameCollector.open(`${r.wsUrl}/signal`);
    clients.push(watcher);
    watcher.send({ type: 'subscribe', topics: [a.room] });
    await watcher.sync();

    const statuses: number[] = [];
    let full: Answer | null = null;
    for (let i = 0; i < 20 && full === null; i++) {
      const answer = await write(r, i % 2 ? a : b, { size: 1500 });
      statuses.push(answer.status);
      if (answer.status !== 200) full = answer;
    }
    expect(full).toMatchObject({ status: 507, error: 'relay-full' });
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    const before = { a: await entries(r, a), b: await entries(r, b) };
    expect((await write(r, newTestRoom(), { size: 1500 })).status).toBe(507);
    expect((await write(r, a, { size: 1500 })).error).toBe('relay-full');

    // Reads and signaling go on, and the relay says it is full in /metrics and its log.
    expect(await entries(r, a)).toEqual(before.a);
    expect(await entries(r, b)).toEqual(before.b);
    watcher.send({ type: 'publish', topic: a.room, data: 'still here' });
    await watcher.next((f) => f.type === 'publish', 'publish while full');
    let text = await metricsText(r);
    expect(text).toMatch(/^hearth_mailbox_full 1$/m);
    expect(text).toMatch(/^hearth_mailbox_nearly_full 1$/m);
    expect(text).toMatch(/^hearth_mailbox_budget_bytes 10000$/m);
    expect(text).toMatch(/^hearth_mailbox_bytes 9000$/m);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toContain(
      'mailbox full: new writes are refused, reads and signaling go on',
    );

    // A snapshot that replaces what it supersedes frees space, so a group can still compact.
    const last = before.a.at(-1)!;
    const snap = await write(r, a, { size: 1000, kind: KIND_SNAPSHOT, supersedes: last });
    expect(snap.status).toBe(200);
    text = await metricsText(r);
    expect(text).toMatch(/^hearth_mailbox_full 0$/m);
    expect(lines.map((l) => l.msg)).toContain('mailbox accepts writes again');
    expect(await entries(r, b)).toEqual(before.b);
  });

  it('refuses writes when the disk is under its reserve, and reads go on', async () => {
    let free = 100 * 1024 * 1024;
    let clock = Date.now();
    const r = await start({
      now: () => clock,
      diskFree: () => free,
      mailbox: { diskReserveBytes: 64 * 1024 },
    });
    const room = newTestRoom();
    expect((await write(r, room)).status).toBe(200);
    free = 64 * 1024 + 500;
    // A free-space reading is trusted for a second of the relay's clock.
    clock += 1000;
    expect((await write(r, room)).status).toBe(507);
    expect((await write(r, room)).error).toBe('relay-full');
    expect(await entries(r, room)).toEqual([1]);
    const text = await metricsText(r);
    expect(text).toMatch(/^hearth_disk_free_bytes 66036$/m);
    expect(text).toMatch(/^hearth_mailbox_full 1$/m);
  });
});
