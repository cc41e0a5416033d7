import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { RelayOptions } from './server.ts';
import { Outbox, textFrame, withinDepth } from './signaling.ts';
import { FrameCollector, startTestRelay, type TestRelay } from './testing.ts';

const running: TestRelay[] = [];
const clients: FrameCollector[] = [];
const servers: WebSocketServer[] = [];

async function start(options: RelayOptions = {}): Promise<TestRelay> {
  const r = await startTestRelay(options);
  running.push(r);
  return r;
}

async function connect(url: string, options = {}): Promise<FrameCollector> {
  const c = await FrameCollector.open(url, options);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await Promise.all(running.splice(0).map((r) => r.dispose()));
  for (const wss of servers.splice(0)) {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
});

const isPublish = (f: Record<string, unknown>) => f.type === 'publish';

/** Two subscribers of `topic` that can still talk: the health check after each abuse. */
async function assertTopicWorks(r: TestRelay, topic: string, others = 0): Promise<void> {
  const a = await connect(`${r.wsUrl}/signal`);
  const b = await connect(r.wsUrl);
  a.send({ type: 'subscribe', topics: [topic] });
  b.send({ type: 'subscribe', topics: [topic] });
  await a.sync();
  await b.sync();
  a.send({ type: 'publish', topic, data: 'still-working' });
  const got = await b.next(isPublish, 'publish on a healthy connection');
  expect(got).toMatchObject({ topic, data: 'still-working', clients: 2 + others });
  a.close();
  b.close();
}

describe('signaling', () => {
  it('fans a publish out to every subscriber, sender included, with the subscriber count', async () => {
    const r = await start();
    const a = await connect(`${r.wsUrl}/signal`);
    const b = await connect(`${r.wsUrl}/`);
    const outsider = await connect(`${r.wsUrl}/signal`);
    a.send({ type: 'subscribe', topics: ['room-1'] });
    b.send({ type: 'subscribe', topics: ['room-1', 'room-2'] });
    outsider.send({ type: 'subscribe', topics: ['room-2'] });
    await Promise.all([a.sync(), b.sync(), outsider.sync()]);

    const frame = { type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'peer-a' } };
    a.send(frame);
    expect(await b.next(isPublish, 'publish at b')).toEqual({ ...frame, clients: 2 });
    expect(await a.next(isPublish, 'echo at a')).toEqual({ ...frame, clients: 2 });

    b.send({ type: 'publish', topic: 'room-1', data: 'c2lnbmFs', clients: 999 });
    expect(await a.next(isPublish, 'reply at a')).toEqual({
      type: 'publish',
      topic: 'room-1',
      data: 'c2lnbmFs',
      clients: 2,
    });
    await outsider.sync();
    expect(outsider.frames.filter(isPublish)).toEqual([]);
    expect(r.relay.metrics.messages.out).toBe(4);
  });

  it('delivers a burst of publishes complete and in order to every subscriber', async () => {
    const r = await start();
    const subs = await Promise.all([0, 1, 2].map(() => connect(r.wsUrl)));
    for (const s of subs) s.send({ type: 'subscribe', topics: ['burst'] });
    await Promise.all(subs.map((s) => s.sync()));
    const frames = Array.from({ length: 150 }, (_, i) =>
      JSON.stringify({ type: 'publish', topic: 'burst', data: `m${i}` }),
    );
    for (const f of frames) subs[0]!.ws.send(f);
    for (const s of subs) {
      await s.until(() => s.frames.filter(isPublish).length === 150, 'the whole burst');
      expect(s.frames.filter(isPublish).map((f) => f.data)).toEqual(frames.map((_, i) => `m${i}`));
    }
  });

  it('delivers every publish of a burst exactly once per subscriber, and the pong after them', async () => {
    const r = await start();
    const subs = await Promise.all(Array.from({ length: 10 }, () => connect(r.wsUrl)));
    for (const s of subs) s.send({ type: 'subscribe', topics: ['room'] });
    await Promise.all(subs.map((s) => s.sync()));
    const publisher = subs[3]!;
    // Sent in one tick, so the relay queues them together for each receiver.
    for (let i = 0; i < 20; i++) publisher.send({ type: 'publish', topic: 'room', data: `m${i}` });
    publisher.send({ type: 'ping' });
    const want = Array.from({ length: 20 }, (_, i) => `m${i}`);
    await publisher.until(() => publisher.frames.some((f) => f.type === 'pong'), 'pong');
    expect(publisher.frames.map((f) => (f.type === 'pong' ? 'pong' : f.data))).toEqual([
      ...want,
      'pong',
    ]);
    for (const s of subs) {
      await s.sync();
      const got = s.frames.filter(isPublish);
      expect(got.map((f) => f.data)).toEqual(want);
      expect(got.every((f) => f.clients === 10 && f.topic === 'room')).toBe(true);
    }
    expect(r.relay.metrics.messages.out).toBe(200);
  });

  it('answers a ping with a pong', async () => {
    const r = await start();
    const a = await connect(r.wsUrl);
    a.send({ type: 'ping' });
    expect(await a.next(() => true, 'pong')).toEqual({ type: 'pong' });
  });

  it('stops delivering after unsubscribe and frees the empty topic', async () => {
    const r = await start();
    const a = await connect(r.wsUrl);
    const b = await connect(r.wsUrl);
    a.send({ type: 'subscribe', topics: ['t'] });
    b.send({ type: 'subscribe', topics: ['t'] });
    await Promise.all([a.sync(), b.sync()]);
    expect(r.relay.signalingStats()).toEqual({ connections: 2, topics: 1 });

    b.send({ type: 'unsubscribe', topics: ['t'] });
    await b.sync();
    a.send({ type: 'publish', topic: 't', data: 'x' });
    expect(await a.next(isPublish, 'echo')).toMatchObject({ clients: 1 });
    await b.sync();
    expect(b.frames.filter(isPublish)).toEqual([]);

    a.send({ type: 'unsubscribe', topics: ['t'] });
    await a.sync();
    expect(r.relay.signalingStats().topics).toBe(0);
  });

  it('frees topics when a connection closes', async () => {
    const r = await start();
    const a = await connect(r.wsUrl);
    a.send({ type: 'subscribe', topics: ['x', 'y'] });
    await a.sync();
    expect(r.relay.signalingStats()).toEqual({ connections: 1, topics: 2 });
    a.close();
    await a.closed();
    await a.until(() => r.relay.signalingStats().connections === 0, 'server-side close');
    expect(r.relay.signalingStats()).toEqual({ connections: 0, topics: 0 });
  });

  it('drops a publish from a connection that is not subscribed to the topic', async () => {
    const r = await start();
    const a = await connect(r.wsUrl);
    const b = await connect(r.wsUrl);
    b.send({ type: 'subscribe', topics: ['t'] });
    await b.sync();
    a.send({ type: 'publish', topic: 't', data: 'intruder' });
    await a.sync();
    await b.sync();
    expect(b.frames.filter(isPublish)).toEqual([]);
    expect(r.relay.metrics.rejectionCount('not-subscribed')).toBe(1);
  });

  it.each([
    ['bad JSON', '{"type":"publish",', 'bad-json'],
    ['a JSON array', '[1,2,3]', 'bad-frame'],
    ['a non-string type', '{"type":42}', 'bad-frame'],
    ['an unknown type', '{"type":"shout","topic":"t"}', 'unknown-type'],
    ['topics that are not an array', '{"type":"subscribe","topics":"t"}', 'bad-topics'],
    ['a topic that is not a string', '{"type":"subscribe","topics":["t",7]}', 'bad-topics'],
    ['an empty topic', '{"type":"subscribe","topics":[""]}', 'bad-topics'],
    ['a publish without topic', '{"type":"publish","data":"x"}', 'bad-topics'],
    [
      'an over-long topic',
      JSON.stringify({ type: 'subscribe', topics: ['t'.repeat(300)] }),
      'bad-topics',
    ],
    [
      'deep nesting',
      `{"type":"publish","topic":"t","data":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      'too-deep',
    ],
  ])(
    'refuses %s, counts it, and keeps the connection and others working',
    async (_name, raw, reason) => {
      const r = await start();
      const abuser = await connect(r.wsUrl);
      abuser.send({ type: 'subscribe', topics: ['t'] });
      abuser.send(raw);
      await abuser.sync();
      expect(r.relay.metrics.rejectionCount(reason)).toBe(1);
      expect(abuser.closeCode).toBeNull();
      await assertTopicWorks(r, 't', 1);
      expect(abuser.frames.filter((f) => f.data === 'still-working')).toHaveLength(1);
    },
  );

  it('refuses a binary frame', async () => {
    const r = await start();
    const a = await connect(r.wsUrl);
    a.ws.send(Buffer.from('{"type":"ping"}'), { binary: true });
    await a.sync();
    expect(r.relay.metrics.rejectionCount('binary-frame')).toBe(1);
  });

  it('drops an oversized frame, and closes a connection whose frame passes the hard cap', async () => {
    const r = await start({ signaling: { maxFrameBytes: 1024, hardMaxFrameBytes: 4096 } });
    const a = await connect(r.wsUrl);
    a.send({ type: 'subscribe', topics: ['t'] });
    a.send({ type: 'publish', topic: 't', data: 'x'.repeat(2000) });
    await a.sync();
    expect(a.frames.filter(isPublish)).toEqual([]);
    expect(r.relay.metrics.rejectionCount('too-large')).toBe(1);

    a.send({ type: 'publish', topic: 't', data: 'x'.repeat(8000) });
    expect(await a.closed('close after a frame over the hard cap')).toBe(1009);
    await assertTopicWorks(r, 't');
  });

  it('caps the topics of one connection', async () => {
    const r = await start({ signaling: { maxTopicsPerConnection: 3 } });
    const a = await connect(r.wsUrl);
    a.send({ type: 'subscribe', topics: ['t1', 't2', 't3', 't4'] });
    await a.sync();
    expect(r.relay.metrics.rejectionCount('bad-topics')).toBe(1);
    expect(r.relay.signalingStats().topics).toBe(0);

    a.send({ type: 'subscribe', topics: ['t1', 't2'] });
    a.send({ type: 'subscribe', topics: ['t3', 't4'] });
    await a.sync();
    expect(r.relay.metrics.rejectionCount('too-many-topics')).toBe(1);
    expect(r.relay.signalingStats().topics).toBe(3);
    a.send({ type: 'publish', topic: 't4', data: 'x' });
    await a.sync();
    expect(a.frames.filter(isPublish)).toEqual([]);
    await assertTopicWorks(r, 't4');
  });

  it('closes a flooding connection while another keeps working', async () => {
    const r = await start({ signaling: { frameBurst: 20, framesPerSecond: 1, maxViolations: 5 } });
    const flooder = await connect(r.wsUrl);
    for (let i = 0; i < 200 && flooder.ws.readyState === WebSocket.OPEN; i++) {
      flooder.send({ type: 'ping' });
    }
    expect(await flooder.closed('flooder closed')).toBe(1008);
    expect(r.relay.metrics.rejectionCount('rate-limited')).toBeGreaterThanOrEqual(5);
    expect(r.relay.metrics.rejectionCount('closed-abuse')).toBe(1);
    await assertTopicWorks(r, 'calm');
  });

  it('limits the bytes a connection may send, and keeps counting frames refused for it', async () => {
    const r = await start({
      signaling: { byteBurst: 1000, bytesPerSecond: 1, frameBurst: 3, framesPerSecond: 0.001 },
    });
    const a = await connect(r.wsUrl);
    const body = (data: string) => ({ type: 'publish', topic: 'nobody', data });
    // 3 frames allowed in all; bytes run out at the second 600-byte frame, which still
    // spends its frame token, so the last ping is refused too.
    a.send(body('x'.repeat(560)));
    a.send(body('y'.repeat(560)));
    a.send({ type: 'ping' });
    a.send({ type: 'ping' });
    await a.until(() => r.relay.metrics.rejectionCount('rate-limited') === 2, 'two refusals');
    expect(r.relay.metrics.rejectionCount('not-subscribed')).toBe(1);
    expect(a.frames).toEqual([{ type: 'pong' }]);
  });

  it('closes a connection after repeated invalid frames', async () => {
    const r = await start({ signaling: { maxViolations: 3 } });
    const a = await connect(r.wsUrl);
    for (let i = 0; i < 3; i++) a.send('not json');
    expect(await a.closed()).toBe(1008);
  });

  it('terminates a client that stops answering heartbeats, and keeps one that answers', async () => {
    const r = await start({ signaling: { heartbeatMs: 40 } });
    const silent = await connect(r.wsUrl, { autoPong: false });
    const lively = await connect(r.wsUrl);
    expect(await silent.closed('heartbeat termination')).toBe(1006);
    expect(r.relay.metrics.rejectionCount('heartbeat')).toBe(1);
    await lively.sync();
    expect(lively.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('spreads heartbeat pings over the round, one ping per connection per round', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const r = await start({ signaling: { heartbeatMs: 30_000 } });
      const subs = await Promise.all(Array.from({ length: 60 }, () => connect(r.wsUrl)));
      const pings = subs.map(() => 0);
      subs.forEach((s, i) => {
        s.ws.on('ping', () => {
          pings[i]!++;
        });
      });
      const total = () => pings.reduce((a, b) => a + b, 0);
      const settle = () => Promise.all(subs.map((s) => s.sync()));

      vi.advanceTimersByTime(1000);
      await subs[0]!.until(() => total() === 2, 'the first slice of pings');
      await settle();
      expect(total()).toBe(2);

      vi.advanceTimersByTime(29_000);
      await subs[0]!.until(() => total() === 60, 'the rest of the round');
      await settle();
      expect(pings.every((n) => n === 1)).toBe(true);

      vi.advanceTimersByTime(30_000);
      await subs[0]!.until(() => total() === 120, 'a second round');
      expect(pings.every((n) => n === 2)).toBe(true);
      expect(r.relay.metrics.rejectionCount('heartbeat')).toBe(0);
      expect(r.relay.signalingStats().connections).toBe(60);
      await r.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('limits connections per IP address', async () => {
    const r = await start({ signaling: { maxConnectionsPerIp: 2 } });
    const a = await connect(r.wsUrl);
    await connect(r.wsUrl);
    await expect(FrameCollector.open(r.wsUrl)).rejects.toThrow(/429/);
    expect(r.relay.metrics.rejectionCount('ip-limit')).toBe(1);
    a.close();
    await a.until(() => r.relay.signalingStats().connections === 1, 'slot freed');
    clients.push(await FrameCollector.open(r.wsUrl));
  });

  it('counts an IPv6 client by its /64 behind a trusted proxy', async () => {
    const r = await start({ trustProxy: true, signaling: { maxConnectionsPerIp: 2 } });
    const from = (ip: string) => ({ headers: { 'X-Forwarded-For': ip } });
    clients.push(await FrameCollector.open(r.wsUrl, from('2001:db8:5:6::1')));
    clients.push(await FrameCollector.open(r.wsUrl, from('2001:db8:5:6:ffff::2')));
    await expect(FrameCollector.open(r.wsUrl, from('2001:db8:5:6::3'))).rejects.toThrow(/429/);
    clients.push(await FrameCollector.open(r.wsUrl, from('2001:db8:5:7::1')));
    expect(r.relay.metrics.rejectionCount('ip-limit')).toBe(1);
  });

  it('enforces the Origin allow-list on upgrades', async () => {
    const r = await start({ origins: ['https://hearth.example.org'] });
    await expect(FrameCollector.open(r.wsUrl, { origin: 'https://evil.example' })).rejects.toThrow(
      /403/,
    );
    clients.push(await FrameCollector.open(r.wsUrl, { origin: 'https://hearth.example.org' }));
    expect(r.relay.metrics.rejectionCount('origin')).toBe(1);
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const r = await start();
    await expect(FrameCollector.open(`${r.wsUrl}/mailbox/x`)).rejects.toThrow(/404/);
  });

  it('terminates a receiver that stops reading instead of buffering for it', async () => {
    const r = await start({
      signaling: {
        maxBufferedBytes: 256 * 1024,
        frameBurst: 100_000,
        byteBurst: 1 << 30,
        bytesPerSecond: 1 << 30,
      },
    });
    const port = r.relay.address!.port;
    // A raw client that completes the handshake, subscribes, then never reads again.
    const stalled = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.write(
      'GET /signal HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const payload = Buffer.from('{"type":"subscribe","topics":["t"]}');
    stalled.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
    stalled.on('error', () => {});
    // A paused socket never notices its own end, so watch the relay's side instead.
    const terminated = () => r.relay.metrics.rejectionCount('slow-reader') > 0;
    const sender = await connect(r.wsUrl);
    await sender.until(() => r.relay.signalingStats().connections === 2, 'stalled client joined');
    await sender.sync();
    stalled.pause();
    sender.send({ type: 'subscribe', topics: ['t'] });
    await sender.sync();
    const big = 'x'.repeat(60_000);
    for (let i = 0; i < 2000 && !terminated(); i++) {
      sender.send({ type: 'publish', topic: 't', data: big });
      await sender.next(isPublish, 'own echo');
    }
    expect(r.relay.metrics.rejectionCount('slow-reader')).toBe(1);
    await sender.until(() => r.relay.signalingStats().connections === 1, 'stalled client gone');
    sender.send({ type: 'publish', topic: 't', data: 'after' });
    expect(await sender.next(isPublish, 'echo after')).toMatchObject({ data: 'after', clients: 1 });
    stalled.destroy();
  });
});

describe('withinDepth', () => {
  it('accepts shallow values and refuses deep ones without recursing past the limit', () => {
    expect(withinDepth({ a: [1, { b: 'c' }] }, 3)).toBe(true);
    expect(withinDepth({ a: [1, { b: 'c' }] }, 2)).toBe(false);
    expect(withinDepth('text', 0)).toBe(true);
    expect(withinDepth(JSON.parse(`${'['.repeat(100000)}${']'.repeat(100000)}`), 32)).toBe(false);
  });
});

/** A real server-side WebSocket and its client on 127.0.0.1, closed after the test. */
async function socketPair(): Promise<{ server: WebSocket; client: FrameCollector }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  servers.push(wss);
  const { port } = wss.address() as AddressInfo;
  const client = await connect(`ws://127.0.0.1:${port}`);
  return { server: await accepted, client };
}

/** A frame {"n":n,"pad":"ppp…"} built the way publishes are: a head plus an appended tail. */
function numbered(n: number, pad = 0): Buffer {
  const head = Buffer.from(`{"n":${n},"pad":"${'p'.repeat(pad)}"`);
  return textFrame(head, head.length, '}');
}

/** The private sender state of a server-side ws, read to prove a test sets up what it claims. */
const senderOf = (ws: WebSocket) =>
  (ws as unknown as { _sender: { _state: number; _queue: unknown[] } })._sender;

describe('Outbox', () => {
  it('frames payloads of every header size so the client reads them intact', async () => {
    const { server, client } = await socketPair();
    const out = new Outbox(server);
    const sizes = [0, 100, 125, 126, 1000, 65_535, 65_536, 200_000];
    for (const [i, size] of sizes.entries()) out.push(numbered(i, size));
    out.flush();
    await client.until(() => client.frames.length === sizes.length, 'every frame');
    expect(client.frames.map((f) => [f.n, (f.pad as string).length])).toEqual(
      sizes.map((size, i) => [i, size]),
    );
  });

  it('keeps order behind a message ws still holds in its own queue', async () => {
    const { server, client } = await socketPair();
    const out = new Outbox(server);
    // A Blob makes ws read it asynchronously; the text send after it waits in ws's queue.
    server.send(new Blob(['{"n":0}']), { binary: false });
    server.send('{"n":1}');
    expect(senderOf(server)._queue.length).toBe(1);
    for (let n = 2; n < 6; n++) out.push(numbered(n));
    out.flush();
    out.push(numbered(6));
    out.flush();
    await client.until(() => client.frames.length === 7, 'all seven frames');
    expect(client.frames.map((f) => f.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Once ws is idle again, frames take the direct path and still follow in order.
    expect(senderOf(server)._state).toBe(0);
    out.push(numbered(7));
    out.flush();
    await client.until(() => client.frames.length === 8, 'the eighth frame');
    expect(client.frames.at(-1)?.n).toBe(7);
  });

  it('counts queued and unsent bytes as backlog and delivers them in order to a slow reader', async () => {
    const { server, client } = await socketPair();
    const out = new Outbox(server);
    client.ws.pause();
    const frame = (n: number) => numbered(n, 16 * 1024);
    expect(out.backlog).toBe(0);
    out.push(frame(0));
    expect(out.backlog).toBe(frame(0).length);
    out.flush();
    let sent = 1;
    // Fill the kernel buffers until Node starts holding bytes for this socket.
    while (out.backlog === 0 && sent < 4000) {
      out.push(frame(sent++));
      out.flush();
    }
    expect(out.backlog).toBeGreaterThan(0);
    const held = out.backlog;
    out.push(frame(sent));
    expect(out.backlog).toBe(held + frame(sent).length);
    out.flush();
    sent++;
    client.ws.resume();
    await client.until(() => client.frames.length === sent, 'every frame after resuming', 15_000);
    expect(client.frames.map((f) => f.n)).toEqual(Array.from({ length: sent }, (_, i) => i));
    await client.until(() => out.backlog === 0, 'the backlog drained');
  });

  it('drops what was queued for a connection that is closing', async () => {
    const { server, client } = await socketPair();
    const out = new Outbox(server);
    const socket = (server as unknown as { _socket: net.Socket })._socket;
    out.push(numbered(1));
    server.close(1001, 'bye');
    // Nothing may follow the close frame on the wire.
    const afterClose = socket.bytesWritten;
    out.flush();
    expect(socket.bytesWritten).toBe(afterClose);
    expect(await client.closed()).toBe(1001);
    expect(client.frames).toEqual([]);
  });
});
