// Load-generator process for relayLoad.mjs: forked so its CPU use is never billed to the
// server under test. It holds the client WebSockets, publishes open-loop on a fixed schedule,
// and measures delivery counts and latency with its own monotonic clock.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const DATA_LENGTH = 140;
const TS_DIGITS = 12;
const PADDING = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo'
  .repeat(8)
  .slice(0, DATA_LENGTH - 1 - TS_DIGITS);
const DATA_MARK = Buffer.from('"data":"');
const DIGIT_0 = 48;
const MAX_LATENCY_SAMPLES = 2_000_000;

/** @type {{ topic: string, conns: WebSocket[] }[]} */
let rooms = [];
/** @type {WebSocket[]} */
let all = [];

// Per-phase counters, indexed by the phase digit carried in each frame's data.
const delivered = new Float64Array(10);
let lastDeliveryAt = 0;
let latencyPhase = -1;
let latencies = new Float64Array(0);
let latencyCount = 0;

const nowMicros = () => Math.round(performance.now() * 1000);

/** Reads the phase digit and send timestamp back out of a delivered publish frame. */
const onMessage = (data) => {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const at = buf.indexOf(DATA_MARK);
  if (at < 0) return;
  const start = at + DATA_MARK.length;
  if (start + 1 + TS_DIGITS > buf.length) return;
  const phase = buf[start] - DIGIT_0;
  if (phase < 0 || phase > 9) return;
  delivered[phase]++;
  lastDeliveryAt = performance.now();
  if (phase !== latencyPhase) return;
  let sentAt = 0;
  for (let i = start + 1; i < start + 1 + TS_DIGITS; i++) sentAt = sentAt * 10 + (buf[i] - DIGIT_0);
  if (latencyCount < latencies.length) latencies[latencyCount++] = (nowMicros() - sentAt) / 1000;
};

/** Opens one connection, subscribes it, and resolves once the server has answered a ping. */
const openOne = (url, topic, timeoutMs) =>
  new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let done = false;
    const finish = (ok) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (ok) {
        ws.off('message', onFirst);
        ws.on('message', onMessage);
        resolve(ws);
      } else {
        ws.terminate();
        resolve(null);
      }
    };
    const onFirst = (data) => {
      if (String(data).includes('"pong"')) finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
      ws.send('{"type":"ping"}');
    });
    ws.on('message', onFirst);
    ws.on('error', () => finish(false));
    ws.on('close', () => finish(false));
  });

/**
 * Opens perRoom connections per topic with bounded concurrency. With several `urls` (relay
 * processes behind one address) a room's members take them in turn.
 */
const open = async ({ url, urls = [url], topics, perRoom, concurrency, timeoutMs }) => {
  rooms = topics.map((topic) => ({ topic, conns: [] }));
  const jobs = [];
  for (const room of rooms)
    for (let i = 0; i < perRoom; i++) jobs.push([room, urls[i % urls.length]]);
  let next = 0;
  let failed = 0;
  let firstError = '';
  const lane = async () => {
    while (next < jobs.length) {
      const [room, target] = jobs[next++];
      const ws = await openOne(target, room.topic, timeoutMs);
      if (ws) {
        room.conns.push(ws);
        all.push(ws);
      } else {
        failed++;
        if (!firstError) firstError = `connection ${next} to ${target} failed or got no pong`;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  return { opened: all.length, failed, firstError, ms: performance.now() - started };
};

const frameFor = (topic, phase, scheduledMicros) =>
  `{"type":"publish","topic":"${topic}","data":"${phase}${String(scheduledMicros).padStart(TS_DIGITS, '0')}${PADDING}"}`;

/**
 * Publishes at `rate` frames/s for `ms`, open loop: frame i is due at start + i/rate whatever
 * the server does, and carries that due time, so a stalled server shows up as latency.
 * Publishers rotate over each room's members so no single connection carries the load.
 * With `burst` > 1, frames leave in groups of `burst` from one member in one tick (the same
 * total rate), the way a y-webrtc peer sends its offer and ICE candidates.
 */
const publishFor = (phase, rate, ms, burst = 1) =>
  new Promise((resolve) => {
    const startMicros = nowMicros();
    const events = Math.floor((rate * ms) / 1000 / burst);
    const intervalMicros = (1e6 * burst) / rate;
    let i = 0;
    let expected = 0;
    let sendFailures = 0;
    let maxBuffered = 0;
    const tick = () => {
      const dueCount = Math.min(
        events,
        Math.floor((nowMicros() - startMicros) / intervalMicros) + 1,
      );
      for (; i < dueCount; i++) {
        const room = rooms[i % rooms.length];
        const conn = room.conns[Math.floor(i / rooms.length) % room.conns.length];
        if (conn.readyState !== WebSocket.OPEN) {
          sendFailures += burst;
          continue;
        }
        const frame = frameFor(room.topic, phase, Math.round(startMicros + i * intervalMicros));
        for (let k = 0; k < burst; k++) conn.send(frame);
        expected += room.conns.length * burst;
        if (conn.bufferedAmount > maxBuffered) maxBuffered = conn.bufferedAmount;
      }
      if (i >= events) {
        clearInterval(timer);
        resolve({ sent: events * burst - sendFailures, expected, sendFailures, maxBuffered });
      }
    };
    const timer = setInterval(tick, 1);
    tick();
  });

/** Waits until deliveries stop arriving (quietMs) or maxMs passes. */
const drain = (quietMs, maxMs) =>
  new Promise((resolve) => {
    const started = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - lastDeliveryAt >= quietMs || now - started >= maxMs) {
        clearInterval(timer);
        resolve(now - started);
      }
    }, 20);
  });

const percentile = (sorted, p) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

const run = async (
  { phase, warmupPhase, rate, burst = 1, warmupMs, durationMs, quietMs, drainMaxMs },
  id,
) => {
  if (warmupMs > 0) {
    await publishFor(warmupPhase, rate, warmupMs, burst);
    await drain(quietMs, drainMaxMs);
  }
  latencyPhase = phase;
  latencies = new Float64Array(
    Math.min(MAX_LATENCY_SAMPLES, Math.ceil((rate * durationMs) / 1000) * 64),
  );
  latencyCount = 0;
  delivered[phase] = 0;
  process.send({ id, event: 'window-start' });
  const cpuBefore = process.cpuUsage();
  const pub = await publishFor(phase, rate, durationMs, burst);
  const drainMs = await drain(quietMs, drainMaxMs);
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = latencies.subarray(0, latencyCount).sort();
  latencyPhase = -1;
  return {
    ...pub,
    delivered: delivered[phase],
    drainMs,
    clientCpu: (cpu.user + cpu.system) / 1e6,
    latencySamples: latencyCount,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: percentile(sorted, 1),
  };
};

const close = async () => {
  await Promise.all(
    all.map(
      (ws) =>
        new Promise((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 3000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close();
        }),
    ),
  );
  const count = all.length;
  all = [];
  rooms = [];
  return { closed: count };
};

const handlers = { open, run, close };

process.on('message', async ({ id, cmd, args }) => {
  try {
    const result = await handlers[cmd](args, id);
    process.send({ id, result });
  } catch (err) {
    process.send({ id, error: String(err?.stack ?? err) });
  }
});
// The parent going away must never leave this process holding thousands of sockets.
process.on('disconnect', () => process.exit(0));
