// Load benchmark for the signaling relay: runs Hearth's relay and y-webrtc's reference server
// under the same bounded load (fan-out efficiency, open-loop latency, memory per idle
// connection) so the numbers compare like for like.
// Usage: node bench/relay/relayLoad.mjs [--only reference,relay,floor] [--rounds N]
//        [--phases fanout,burst,latency,memory] [--out file.json]
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const WORKER = join(HERE, 'loadWorker.mjs');
const CLK_TCK = 100;

/** Load shape; every count and duration is bounded. Override per run with `options`. */
export const DEFAULT_OPTIONS = {
  rooms: 100,
  perRoom: 10,
  fanoutRate: 1000,
  fanoutWarmupMs: 2000,
  fanoutMs: 10_000,
  // Second scenario (not the headline): the same frame rate sent in bursts of burstFrames
  // from one member in one tick, as a y-webrtc peer sends its offer and ICE candidates.
  burstFrames: 4,
  latencyRate: 2000,
  latencyWarmupMs: 1000,
  latencyMs: 10_000,
  idleConnections: 10_000,
  idlePerTopic: 10,
  openConcurrency: 100,
  openTimeoutMs: 15_000,
  settleMs: 1500,
  quietMs: 300,
  drainMaxMs: 3000,
  startTimeoutMs: 30_000,
  /** Which measurements to run; the full set is the comparison the issue asks for. */
  phases: ['fanout', 'burst', 'latency', 'memory'],
};

/** y-webrtc's own signaling server, the baseline. */
export const REFERENCE_SERVER = {
  name: 'reference',
  command: process.execPath,
  args: [join(ROOT, 'node_modules', 'y-webrtc', 'bin', 'server.js')],
  env: {},
};

/** Hearth's relay, run as a single node process so its CPU and memory are read directly. */
export const HEARTH_RELAY = {
  name: 'relay',
  command: process.execPath,
  args: ['--import', 'tsx', join(ROOT, 'relay', 'main.ts')],
  // The bench opens 10,000 connections from 127.0.0.1; the default per-IP cap is far lower.
  env: { HEARTH_LOG: 'silent', HEARTH_MAX_CONNECTIONS_PER_IP: '100000' },
  path: '/signal',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });

const openFileLimit = () => {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = Number(line?.split(/\s+/)[3]);
  return Number.isFinite(soft) ? soft : 1024;
};

const procStat = (pid) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
};

/** utime + stime of one process (all its threads), in seconds. */
const cpuSeconds = (pid) => {
  const f = procStat(pid);
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
};

/** stime alone: the kernel's share (syscalls, loopback TCP) of cpuSeconds. */
const sysSeconds = (pid) => Number(procStat(pid)[12]) / CLK_TCK;

const rssKb = (pid) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/\d+/)?.[0]);
};

const descendants = (root) => {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(procStat(entry)[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
};

const listeningInodes = (port) => {
  const inodes = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      if (Number.parseInt(f[1].split(':')[1], 16) === port) inodes.add(f[9]);
    }
  }
  return inodes;
};

/**
 * The process that owns the listening socket, among the child and its descendants, so a
 * wrapper (npx, a shell, tsx's launcher) is never measured in place of the server.
 */
const serverPid = (rootPid, port) => {
  const inodes = listeningInodes(port);
  for (const pid of descendants(rootPid)) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return pid;
      }
    } catch {
      // fd vanished or no permission
    }
  }
  throw new Error(`no process under pid ${rootPid} listens on port ${port}`);
};

// Every child still running, as a function that SIGKILLs it, for exit and error paths.
const live = new Set();
const killAll = () => {
  for (const kill of live) kill();
};

const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};

process.on('exit', killAll);

/** Starts the server in its own process group (with the fd soft limit raised) on a free port. */
const startServer = async (spec, opts) => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `hearth-bench-${spec.name}-`));
  const env = {
    ...process.env,
    HEARTH_LOG: 'silent',
    HEARTH_DATA: dataDir,
    ...spec.env,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  const child = spawn(
    '/bin/sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', spec.command, ...spec.args],
    { cwd: spec.cwd ?? ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killHard = () => killGroup(child, 'SIGKILL');
  live.add(killHard);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((res) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(killHard);
      res();
    }),
  );
  const url = `ws://127.0.0.1:${port}${spec.path ?? '/'}`;
  const stop = async () => {
    if (!exited) {
      killGroup(child, 'SIGTERM');
      await Promise.race([exitPromise, sleep(3000)]);
      if (!exited) killGroup(child, 'SIGKILL');
      await Promise.race([exitPromise, sleep(2000)]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = performance.now() + opts.startTimeoutMs;
  while (!(await probe(url))) {
    if (exited || performance.now() > deadline) {
      const why = exited ? `exited ${JSON.stringify(exited)}` : 'timed out';
      await stop();
      throw new Error(
        `${spec.name} did not start on port ${port} (${why}): ${output.trim().slice(-1000)}`,
      );
    }
    await sleep(100);
  }
  return { url, port, pid: serverPid(child.pid, port), stop, output: () => output };
};

const probe = (url) =>
  new Promise((res) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      res(false);
    }, 1000);
    ws.on('open', () => {
      clearTimeout(timer);
      ws.close();
      res(true);
    });
    ws.on('error', () => {
      clearTimeout(timer);
      res(false);
    });
  });

/** A forked load-generator process with a promise-per-request IPC wrapper. */
const startWorker = () => {
  const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const killHard = () => child.kill('SIGKILL');
  live.add(killHard);
  child.once('exit', () => live.delete(killHard));
  let nextId = 0;
  const pending = new Map();
  const listeners = new Map();
  child.on('message', (msg) => {
    if (msg.event) {
      listeners.get(msg.id)?.(msg.event);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    listeners.delete(msg.id);
    if (msg.error) p.rej(new Error(`load worker: ${msg.error}`));
    else p.res(msg.result);
  });
  child.once('exit', (code) => {
    for (const p of pending.values()) p.rej(new Error(`load worker exited with ${code}`));
    pending.clear();
  });
  return {
    call(cmd, args, onEvent) {
      const id = nextId++;
      if (onEvent) listeners.set(id, onEvent);
      return new Promise((res, rej) => {
        pending.set(id, { res, rej });
        child.send({ id, cmd, args });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        await Promise.race([new Promise((r) => child.once('exit', r)), sleep(3000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  };
};

const topic = () => randomBytes(16).toString('base64url');

/** Opens the connections; `url` may be a list (relay processes a room's members alternate over). */
const openAll = async (workers, url, topics, perRoom, opts) => {
  const share = Math.ceil(topics.length / workers.length);
  const results = await Promise.all(
    workers.map((w, i) =>
      w.call('open', {
        urls: Array.isArray(url) ? url : [url],
        topics: topics.slice(i * share, (i + 1) * share),
        perRoom,
        concurrency: Math.ceil(opts.openConcurrency / workers.length),
        timeoutMs: opts.openTimeoutMs,
      }),
    ),
  );
  const opened = results.reduce((s, r) => s + r.opened, 0);
  const want = topics.length * perRoom;
  if (opened < want) {
    const why = results.find((r) => r.firstError)?.firstError ?? '';
    throw new Error(`opened only ${opened} of ${want} connections: ${why}`);
  }
  return { opened, ms: Math.max(...results.map((r) => r.ms)) };
};

/** CPU and kernel seconds of each process in `pids` still running. */
const cpuOf = (pids) => {
  const out = new Map();
  for (const pid of pids) {
    try {
      out.set(pid, [cpuSeconds(pid), sysSeconds(pid)]);
    } catch {
      // ended
    }
  }
  return out;
};

/**
 * One publishing window, with server CPU read at the worker's window edges. `pid` is the
 * server, or a function giving all the server's processes (one that starts during the
 * window counts whole).
 */
const measureWindow = async (worker, pid, args) => {
  const pids = typeof pid === 'function' ? pid : () => [pid];
  let start = new Map();
  let wallStart = 0;
  const r = await worker.call('run', args, (event) => {
    if (event === 'window-start') {
      start = cpuOf(pids());
      wallStart = performance.now();
    }
  });
  let cpu = 0;
  let sys = 0;
  for (const [p, [c, k]] of cpuOf(pids())) {
    const [c0, k0] = start.get(p) ?? [0, 0];
    cpu += c - c0;
    sys += k - k0;
  }
  const wall = (performance.now() - wallStart) / 1000;
  return { ...r, cpu, sys, wall };
};

/** The headline fan-out window's arguments. */
const fanoutArgs = (opts) => ({
  phase: 1,
  warmupPhase: 0,
  rate: opts.fanoutRate,
  warmupMs: opts.fanoutWarmupMs,
  durationMs: opts.fanoutMs,
  quietMs: opts.quietMs,
  drainMaxMs: opts.drainMaxMs,
});

const round = (x, digits) => (x == null ? null : Number(x.toFixed(digits)));

/**
 * Benchmarks one signaling server started as `command args` (env PORT and HOST are set).
 * Returns flat JSON keys prefixed with `name`, e.g. `${name}_deliveries_per_cpu_s`.
 */
export async function runRelayLoad({ name, command, args = [], env = {}, cwd, path }, options) {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const spec = { name, command, args, env, cwd, path };
  const out = {};
  const key = (k, v) => {
    out[`${name}_${k}`] = v;
  };

  // Fan-out efficiency, then open-loop latency, on one server instance.
  let server = await startServer(spec, opts);
  let worker = startWorker();
  try {
    const topics = Array.from({ length: opts.rooms }, topic);
    await openAll([worker], server.url, topics, opts.perRoom, opts);
    if (opts.phases.includes('fanout')) {
      const fan = await measureWindow(worker, server.pid, fanoutArgs(opts));
      key('deliveries_per_cpu_s', Math.round(fan.delivered / fan.cpu));
      key('fanout_delivered', fan.delivered);
      key('fanout_expected', fan.expected);
      key('fanout_cpu_s', round(fan.cpu, 2));
      key('fanout_sys_share', round(fan.sys / fan.cpu, 2));
      key('fanout_cpu_util', round(fan.cpu / fan.wall, 3));
      key('fanout_p99_ms', round(fan.p99Ms, 2));
    }

    if (opts.phases.includes('burst')) {
      const burst = await measureWindow(worker, server.pid, {
        phase: 4,
        warmupPhase: 5,
        rate: opts.fanoutRate,
        burst: opts.burstFrames,
        warmupMs: opts.fanoutWarmupMs,
        durationMs: opts.fanoutMs,
        quietMs: opts.quietMs,
        drainMaxMs: opts.drainMaxMs,
      });
      key('burst_deliveries_per_cpu_s', Math.round(burst.delivered / burst.cpu));
      key('burst_delivered', burst.delivered);
      key('burst_expected', burst.expected);
      key('burst_sys_share', round(burst.sys / burst.cpu, 2));
      key('burst_p99_ms', round(burst.p99Ms, 2));
    }

    if (opts.phases.includes('latency')) {
      const lat = await measureWindow(worker, server.pid, {
        phase: 2,
        warmupPhase: 3,
        rate: opts.latencyRate,
        warmupMs: opts.latencyWarmupMs,
        durationMs: opts.latencyMs,
        quietMs: opts.quietMs,
        drainMaxMs: opts.drainMaxMs,
      });
      key('p50_ms', round(lat.p50Ms, 2));
      key('p99_ms', round(lat.p99Ms, 2));
      key('latency_max_ms', round(lat.maxMs, 2));
      key('latency_delivered', lat.delivered);
      key('latency_expected', lat.expected);
      key('latency_cpu_util', round(lat.cpu / lat.wall, 3));
      key('latency_client_cpu_util', round(lat.clientCpu / lat.wall, 3));
    }
    await worker.call('close', {});
  } finally {
    await worker.stop();
    await server.stop();
  }

  if (!opts.phases.includes('memory')) return out;
  // Memory per idle connection, on a fresh instance so earlier garbage does not blur it.
  server = await startServer(spec, opts);
  const perWorker = Math.max(1000, openFileLimit() - 500);
  const workers = Array.from({ length: Math.ceil(opts.idleConnections / perWorker) }, startWorker);
  worker = null;
  try {
    await sleep(opts.settleMs);
    const before = rssKb(server.pid);
    const topics = Array.from(
      { length: Math.ceil(opts.idleConnections / opts.idlePerTopic) },
      topic,
    );
    const open = await openAll(workers, server.url, topics, opts.idlePerTopic, opts);
    await sleep(opts.settleMs);
    const after = rssKb(server.pid);
    key('rss_per_conn_kb', round((after - before) / open.opened, 2));
    key('rss_before_mb', round(before / 1024, 1));
    key('rss_after_mb', round(after / 1024, 1));
    key('idle_connections', open.opened);
    key('idle_open_s', round(open.ms / 1000, 1));
    await Promise.all(workers.map((w) => w.call('close', {})));
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server.stop();
  }
  return out;
}

/**
 * The headline fan-out across two Hearth relay processes sharing one PostgreSQL
 * (HEARTH_DATABASE_URL): each room's members alternate between the processes, so about half
 * of every publish's deliveries cross through the database. CPU counts both relay processes
 * and `databasePids()` (PostgreSQL's processes), all the work a delivery costs.
 */
export async function runTwoProcessFanout(databaseUrl, databasePids, options) {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const spec = {
    ...HEARTH_RELAY,
    name: 'relay-pg',
    env: { ...HEARTH_RELAY.env, HEARTH_DATABASE_URL: databaseUrl },
  };
  const servers = [];
  const worker = startWorker();
  try {
    servers.push(await startServer(spec, opts));
    servers.push(await startServer(spec, opts));
    const topics = Array.from({ length: opts.rooms }, topic);
    await openAll(
      [worker],
      servers.map((s) => s.url),
      topics,
      opts.perRoom,
      opts,
    );
    const relayPids = servers.map((s) => s.pid);
    const relayOnly = await measureWindow(worker, () => relayPids, fanoutArgs(opts));
    const all = await measureWindow(
      worker,
      () => [...relayPids, ...databasePids()],
      fanoutArgs(opts),
    );
    await worker.call('close', {});
    return {
      relay_two_process_deliveries_per_cpu_s: Math.round(all.delivered / all.cpu),
      relay_two_process_relays_only_deliveries_per_cpu_s: Math.round(
        relayOnly.delivered / relayOnly.cpu,
      ),
      relay_two_process_delivered: all.delivered,
      relay_two_process_expected: all.expected,
      relay_two_process_cpu_s: round(all.cpu, 2),
      relay_two_process_p99_ms: round(all.p99Ms, 2),
    };
  } finally {
    await worker.stop();
    for (const server of servers) await server.stop();
  }
}

/**
 * The least work a y-webrtc fan-out can do on ws: no validation, no limits, the frame built
 * once and written straight to each socket. Not a product: an upper bound to read the others
 * against (`--only reference,relay,floor`).
 */
export const FLOOR_SERVER = {
  name: 'floor',
  command: process.execPath,
  args: [join(HERE, 'floorServer.mjs')],
  env: {},
};

const SERVERS = { reference: REFERENCE_SERVER, relay: HEARTH_RELAY, floor: FLOOR_SERVER };

/** Keys whose spread across rounds is reported as `_min` and `_max` beside the median. */
const SPREAD_KEYS = [
  'deliveries_per_cpu_s',
  'burst_deliveries_per_cpu_s',
  'fanout_sys_share',
  'p99_ms',
  'rss_per_conn_kb',
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** One result per key: the median over rounds, with min and max for the SPREAD_KEYS. */
const summarize = (runs, names) => {
  const out = { relay_bench_rounds: runs.length };
  for (const k of Object.keys(runs[0])) {
    const xs = runs.map((r) => r[k]).filter((x) => typeof x === 'number');
    if (xs.length !== runs.length) {
      out[k] = runs[0][k];
      continue;
    }
    out[k] = round(median(xs), 2);
    if (names.some((n) => SPREAD_KEYS.some((s) => k === `${n}_${s}`))) {
      out[`${k}_min`] = Math.min(...xs);
      out[`${k}_max`] = Math.max(...xs);
    }
  }
  return out;
};

/**
 * Runs the reference server and Hearth's relay in turn (or only the named ones) and merges
 * their keys. With `options.rounds` > 1 the whole comparison repeats, alternating the order
 * so a change in the machine's load does not always fall on the same server, and each key
 * is the median over the rounds.
 */
export async function runRelayComparison(options, only = ['reference', 'relay']) {
  const names = only.filter((n) => {
    if (SERVERS[n]) return true;
    throw new Error(`unknown server "${n}"; known: ${Object.keys(SERVERS).join(', ')}`);
  });
  if (names.includes('relay') && !existsSync(join(ROOT, 'relay', 'main.ts'))) {
    return { relay_error: 'relay/main.ts does not exist yet' };
  }
  const rounds = Math.max(1, options?.rounds ?? 1);
  const runs = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    const result = {};
    for (const name of order) Object.assign(result, await runRelayLoad(SERVERS[name], options));
    runs.push(result);
  }
  return rounds === 1 ? runs[0] : summarize(runs, names);
}

const METRICS = [
  ['deliveries / server CPU-s', 'deliveries_per_cpu_s'],
  ['fan-out delivered', 'fanout_delivered'],
  ['fan-out expected', 'fanout_expected'],
  ['fan-out server CPU util', 'fanout_cpu_util'],
  ['fan-out kernel share of CPU', 'fanout_sys_share'],
  ['burst: deliveries / CPU-s', 'burst_deliveries_per_cpu_s'],
  ['burst: delivered', 'burst_delivered'],
  ['burst: expected', 'burst_expected'],
  ['burst: kernel share of CPU', 'burst_sys_share'],
  ['burst: p99 ms', 'burst_p99_ms'],
  ['p50 latency ms', 'p50_ms'],
  ['p99 latency ms', 'p99_ms'],
  ['max latency ms', 'latency_max_ms'],
  ['latency delivered', 'latency_delivered'],
  ['latency expected', 'latency_expected'],
  ['latency server CPU util', 'latency_cpu_util'],
  ['latency client CPU util', 'latency_client_cpu_util'],
  ['RSS per idle conn KB', 'rss_per_conn_kb'],
  ['RSS before / after MB', null],
  ['idle connections', 'idle_connections'],
];

export function formatTable(results, names = ['reference', 'relay']) {
  const rows = [['metric', ...names]];
  for (const [label, k] of METRICS) {
    rows.push([
      label,
      ...names.map((n) => {
        if (!k)
          return `${results[`${n}_rss_before_mb`] ?? '-'} / ${results[`${n}_rss_after_mb`] ?? '-'}`;
        const v = results[`${n}_${k}`];
        const lo = results[`${n}_${k}_min`];
        return lo === undefined ? String(v ?? '-') : `${v} (${lo}-${results[`${n}_${k}_max`]})`;
      }),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n');
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (isMain) {
  const outAt = process.argv.indexOf('--out');
  const outFile = outAt >= 0 ? process.argv[outAt + 1] : null;
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1].split(',') : ['reference', 'relay'];
  const phasesAt = process.argv.indexOf('--phases');
  const roundsAt = process.argv.indexOf('--rounds');
  const options = {
    ...(phasesAt >= 0 ? { phases: process.argv[phasesAt + 1].split(',') } : {}),
    ...(roundsAt >= 0 ? { rounds: Number(process.argv[roundsAt + 1]) } : {}),
  };
  const stopOnSignal = (signal) => {
    killAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const started = performance.now();
  try {
    const results = await runRelayComparison(options, only);
    results.signaling_bench_seconds = round((performance.now() - started) / 1000, 1);
    console.log(formatTable(results, only));
    console.log(JSON.stringify(results, null, 2));
    if (outFile) {
      const existing = existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : {};
      await writeFile(outFile, `${JSON.stringify({ ...existing, ...results }, null, 2)}\n`);
    }
  } catch (err) {
    console.error(err?.stack ?? err);
    killAll();
    process.exitCode = 1;
  }
}
