// @vitest-environment node
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveEpochKeys, generateGroupKey, type RoomId } from '../core/crypto/keys.ts';
import { MemoryStorage } from '../core/storage/MemoryStorage.ts';
import { MailboxError, type MailboxErrorCode } from '../core/sync/Mailbox.ts';
import { MailboxSync } from '../core/sync/MailboxSync.ts';
import { MemoryMailbox } from '../core/sync/MemoryMailbox.ts';
import { encodeMailboxRead } from '../core/sync/mailboxEnvelope.ts';
import { HttpMailbox, mailboxErrorFromResponse, parseRetryAfter } from './HttpMailbox.ts';

const STATUS: Record<string, number> = {
  'bad-request': 400,
  'bad-signature': 403,
  'wrong-key': 403,
  replay: 409,
  stale: 409,
  'too-large': 413,
  'quota-bytes': 507,
  'quota-entries': 507,
  'rate-limited': 429,
};

/** A tiny stand-in for the relay: the protocol's HTTP shape over a MemoryMailbox. */
const backend = new MemoryMailbox({ quotaEntries: 50 });
let server: Server;
let port = 0;

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const [, mode, kind, room = ''] = url.pathname.split('/');
  if (kind !== 'mailbox') return void res.writeHead(404).end();
  if (mode === 'slow') return; // never answers
  if (mode === 'html')
    return void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
  if (mode === 'limited') {
    res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ error: 'rate-limited', message: 'slow down' }));
  }
  if (mode === 'garbage') return void res.writeHead(200).end(Buffer.from([9, 9, 9]));
  if (mode === 'endless' && req.method === 'GET') {
    // No Content-Length, and more bytes than any cap: the client must stop reading.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 1);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) {}
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => res.off('drain', pump));
    return pump();
  }
  if (req.method === 'GET') {
    const page = await backend.pull(
      room as RoomId,
      // 'stale' answers from the start whatever the cursor.
      mode === 'stale' ? 0 : Number(url.searchParams.get('after') ?? 0),
      Number(url.searchParams.get('limit') ?? 100),
    );
    const next = mode === 'liar' ? 99_999 : page.next;
    const headers: Record<string, string> =
      mode === 'noheaders'
        ? {}
        : { 'x-hearth-next': String(next), ...(page.more ? { 'x-hearth-more': '1' } : {}) };
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...headers });
    return void res.end(encodeMailboxRead(page.entries));
  }
  try {
    const { seq } = await backend.receive(room, await readBody(req));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ seq }));
  } catch (e) {
    const code = e instanceof MailboxError ? e.code : 'bad-request';
    res.writeHead(STATUS[code] ?? 500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: code, message: 'plain words' }));
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const mailboxAt = (mode: string, timeoutMs?: number) =>
  new HttpMailbox({ relayUrl: `ws://127.0.0.1:${port}/${mode}/signal`, timeoutMs });

async function codeOf(p: Promise<unknown>): Promise<MailboxErrorCode | 'no-error'> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MailboxError) return e.code;
    throw e;
  }
  return 'no-error';
}

describe('HttpMailbox against a local protocol server', () => {
  it('derives its base from the invite URL', () => {
    expect(mailboxAt('ok').httpBase).toBe(`http://127.0.0.1:${port}/ok`);
  });

  it('pushes and pulls, paging with the protocol headers', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    const m = mailboxAt('ok');
    expect(await m.push(k.roomId, k.mailbox, new Uint8Array([1]), { kind: 'update' })).toEqual({
      seq: 1,
    });
    await m.push(k.roomId, k.mailbox, new Uint8Array([2]), { kind: 'update' });
    await m.push(k.roomId, k.mailbox, new Uint8Array([3]), { kind: 'snapshot', supersedes: 1 });
    const p1 = await m.pull(k.roomId, 0, 1);
    expect(p1.entries.map((e) => [e.seq, e.kind, e.blob[0]])).toEqual([[2, 'update', 2]]);
    expect(p1).toMatchObject({ next: 2, more: true });
    const p2 = await m.pull(k.roomId, p1.next, 10);
    expect(p2.entries.map((e) => [e.seq, e.kind])).toEqual([[3, 'snapshot']]);
    expect(p2).toMatchObject({ next: 3, more: false });
    expect(await m.pull(k.roomId, 0, 2)).toMatchObject({ next: 3, more: false });
  });

  it('guesses the cursor safely when the headers are hidden', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    await mailboxAt('ok').push(k.roomId, k.mailbox, new Uint8Array([1]), { kind: 'update' });
    await mailboxAt('ok').push(k.roomId, k.mailbox, new Uint8Array([2]), { kind: 'update' });
    const m = mailboxAt('noheaders');
    expect(await m.pull(k.roomId, 0, 1)).toMatchObject({ next: 1, more: true });
    expect(await m.pull(k.roomId, 1, 5)).toMatchObject({ next: 2, more: false });
    expect(await m.pull(k.roomId, 2, 5)).toMatchObject({ entries: [], next: 2, more: false });
  });

  it('never takes a cursor from the relay beyond the last entry it sent', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    for (const b of [1, 2, 3]) {
      await mailboxAt('ok').push(k.roomId, k.mailbox, new Uint8Array([b]), { kind: 'update' });
    }
    const m = mailboxAt('liar');
    expect(await m.pull(k.roomId, 0, 2)).toMatchObject({ next: 2, more: true });
    expect(await m.pull(k.roomId, 2, 2)).toMatchObject({ next: 3, more: false });
    expect(await m.pull(k.roomId, 3, 2)).toMatchObject({ entries: [], next: 3 });
    // Entries at or before the cursor are a broken answer, not news.
    expect(await codeOf(mailboxAt('stale').pull(k.roomId, 1, 5))).toBe('bad-response');
  });

  it('stops reading an answer past its size cap', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    const m = new HttpMailbox({
      relayUrl: `ws://127.0.0.1:${port}/endless/signal`,
      maxResponseBytes: 1024 * 1024,
      timeoutMs: 10_000,
    });
    expect(await codeOf(m.pull(k.roomId, 0))).toBe('bad-response');
  });

  it('maps the relay’s refusals to their codes', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    const m = mailboxAt('ok');
    const writeId = new Uint8Array(16).fill(3);
    await m.push(k.roomId, k.mailbox, new Uint8Array([1]), { kind: 'update', writeId });
    expect(
      await codeOf(m.push(k.roomId, k.mailbox, new Uint8Array([1]), { kind: 'update', writeId })),
    ).toBe('replay');
    const other = deriveEpochKeys(generateGroupKey()).mailbox;
    expect(await codeOf(m.push(k.roomId, other, new Uint8Array([1]), { kind: 'update' }))).toBe(
      'wrong-key',
    );
    for (let i = 0; i < 49; i++)
      await m.push(k.roomId, k.mailbox, new Uint8Array([i]), { kind: 'update' });
    const err = await m
      .push(k.roomId, k.mailbox, new Uint8Array([1]), { kind: 'update' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailboxError);
    expect((err as MailboxError).code).toBe('quota-entries');
    expect((err as MailboxError).message).toMatch(/relay is full for this group/);
  });

  it('reports rate limits with the wait the relay asked for', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    const err = await mailboxAt('limited')
      .push(k.roomId, k.mailbox, new Uint8Array([1]), { kind: 'update' })
      .catch((e: unknown) => e);
    expect((err as MailboxError).code).toBe('rate-limited');
    expect((err as MailboxError).retryAfterMs).toBe(7000);
  });

  it('turns unreachable, slow, proxy errors and garbage into network or bad-response', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    expect(await codeOf(mailboxAt('html').pull(k.roomId, 0))).toBe('network');
    expect(await codeOf(mailboxAt('garbage').pull(k.roomId, 0))).toBe('bad-response');
    expect(
      await codeOf(
        mailboxAt('garbage').push(k.roomId, k.mailbox, new Uint8Array([1]), { kind: 'update' }),
      ),
    ).toBe('bad-response');
    const slow = await mailboxAt('slow', 300)
      .pull(k.roomId, 0)
      .catch((e: unknown) => e);
    expect((slow as MailboxError).code).toBe('network');
    expect((slow as MailboxError).message).toMatch(/did not answer in time/);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = new HttpMailbox({ relayUrl: `ws://127.0.0.1:${closedPort}/signal` });
    expect(await codeOf(gone.pull(k.roomId, 0))).toBe('network');
  });

  it('carries MailboxSync between two devices', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    const a = new Y.Doc();
    const b = new Y.Doc();
    const syncA = new MailboxSync({
      doc: a,
      keys: k,
      mailbox: mailboxAt('ok'),
      storage: new MemoryStorage(),
    });
    const syncB = new MailboxSync({
      doc: b,
      keys: k,
      mailbox: mailboxAt('ok'),
      storage: new MemoryStorage(),
    });
    syncA.start();
    a.getText('t').insert(0, 'over http');
    await syncA.flush();
    await syncB.pull();
    expect(b.getText('t').toString()).toBe('over http');
    await syncA.destroy();
    await syncB.destroy();
  });
});

describe('HTTP error mapping', () => {
  it('prefers the relay’s code, then the status', () => {
    expect(mailboxErrorFromResponse(403, '{"error":"wrong-key","message":"x"}', null).code).toBe(
      'wrong-key',
    );
    expect(mailboxErrorFromResponse(507, '', null).code).toBe('quota-bytes');
    expect(mailboxErrorFromResponse(413, 'too big', null).code).toBe('too-large');
    expect(mailboxErrorFromResponse(503, '', null).code).toBe('network');
    expect(mailboxErrorFromResponse(404, '', null).code).toBe('bad-response');
    expect(mailboxErrorFromResponse(400, '{"error":"network"}', null).code).toBe('bad-request');
    expect(mailboxErrorFromResponse(418, '{"error":"teapot"}', null).code).toBe('bad-response');
  });
  it('shows a full relay in the app’s plain words, not the relay’s technical ones', () => {
    for (const code of ['quota-bytes', 'quota-entries'] as const) {
      const body = JSON.stringify({
        error: code,
        message: "The room's mailbox is full (bytes); upload a snapshot to compact it.",
      });
      const err = mailboxErrorFromResponse(507, body, null);
      expect(err.code).toBe(code);
      expect(err.message).toMatch(/^The relay is full for this group\./);
      expect(err.message).not.toMatch(/mailbox|snapshot|\(bytes\)/);
      expect(err.retryAfterMs).toBeUndefined();
    }
  });
  it('reads the relay space and per-client budget refusals', () => {
    const full = mailboxErrorFromResponse(507, '{"error":"relay-full"}', null);
    expect(full.code).toBe('relay-full');
    expect(full.message).toMatch(/^The relay is out of space\./);
    // Per-client budgets are the relay asking to wait: the app backs off as Retry-After says.
    for (const code of ['budget-rooms', 'budget-bytes']) {
      const err = mailboxErrorFromResponse(429, JSON.stringify({ error: code }), '3600', 0);
      expect(err.code).toBe('rate-limited');
      expect(err.retryAfterMs).toBe(3_600_000);
    }
  });
  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('30', 0)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
