// `npm run bench`: Hearth's performance goals measured on the real build — first-load JS,
// cold opens of big groups and threads, live sync latency, signature checks, and the relay
// against y-webrtc's reference server — printed as a table and kept in bench/results.json.
// Usage: npm run bench [-- --only bundle|browser|relay|search[,…]]
// A missed goal is reported, never an error: the exit code says only whether the bench ran.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, judgeResults } from '../bench/judgeResults.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'bench', 'results.json');
const PARTS = ['bundle', 'browser', 'relay', 'search'];
/** Which result keys each part owns: a part that runs replaces all of its old numbers. */
const PART_KEYS = {
  bundle: /^(bundle_|note_editor_)/,
  browser: /^(open_|warm_open_|floor_|sync_|verify_|relay_only_)/,
  relay: /^(relay_(?!only_)|reference_)/,
  search: /^search_/,
};
const WATCHDOG_MS = 18 * 60_000;

const RELAY_KEYS = [
  'relay_deliveries_per_cpu_s',
  'reference_deliveries_per_cpu_s',
  'relay_p99_ms',
  'reference_p99_ms',
  'relay_rss_per_conn_kb',
  'reference_rss_per_conn_kb',
  'relay_sqlite_writes_per_s',
  'relay_pg_writes_per_s',
  'relay_two_process_deliveries_per_cpu_s',
];

const log = (msg) => process.stdout.write(`${msg}\n`);
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Undo steps (kill a process, close a browser, remove a folder), run on every exit path. */
const cleanup = new Set();
async function runCleanup() {
  const steps = [...cleanup].reverse();
  cleanup.clear();
  for (const step of steps) {
    try {
      await step();
    } catch {
      // keep undoing the rest
    }
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const freePort = () =>
  new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });

/** Starts a child in its own process group; the returned kill stops the whole group. */
function start(command, args, { env = {}, quiet = false } = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
  });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 3000);
    await exited;
    clearTimeout(t);
  };
  cleanup.add(kill);
  return { child, exited, kill };
}

/** Runs a command to completion within `timeoutMs`; rejects on failure. */
async function run(command, args, { timeoutMs, env, what, quiet = false }) {
  const p = start(command, args, { env, quiet });
  try {
    const { code, signal } = await withTimeout(p.exited, timeoutMs, what);
    if (code !== 0) throw new Error(`${what} failed (${signal ?? `exit ${code}`})`);
  } finally {
    await p.kill();
    cleanup.delete(p.kill);
  }
}

function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (!st.isDirectory()) {
      newest = Math.max(newest, st.mtimeMs);
      return;
    }
    for (const name of readdirSync(p)) {
      if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
      visit(join(p, name));
    }
  };
  for (const p of paths) visit(join(ROOT, p));
  return newest;
}

/** Rebuilds dist/ when a source is newer, then copies it so other builds cannot change it mid-run. */
async function snapshotDist() {
  const built = join(ROOT, 'dist', 'index.html');
  const sources = newestMtime(['app', 'public', 'index.html', 'vite.config.ts', 'package.json']);
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    log('dist/ is older than the sources: building…');
    await run('npx', ['vite', 'build', '--logLevel', 'warn'], {
      timeoutMs: 240_000,
      what: 'vite build',
      quiet: true,
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-dist-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'dist'), dir, { recursive: true });
  // The harness's floor page (see bench/browser/browserBench.mjs), served beside the app.
  cpSync(join(ROOT, 'bench', 'browser', 'floor.html'), join(dir, 'bench-floor.html'));
  return dir;
}

async function startRelay(staticDir) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-relay-'));
  const relay = start(process.execPath, ['--import', 'tsx', join('relay', 'main.ts')], {
    quiet: true,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      HEARTH_DATA: dataDir,
      HEARTH_STATIC: staticDir,
      HEARTH_LOG: 'silent',
    },
  });
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (relay.child.exitCode !== null) throw new Error('the relay exited while starting');
    const ok = await fetch(`${origin}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { origin, relay };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the relay did not answer /healthz within 30 s');
}

async function bundlePart(distDir) {
  const { measureBundle } = await import('../bench/bundle/measureBundle.mjs');
  const m = measureBundle(distDir);
  const { files, ...numbers } = m;
  return { results: numbers, details: { bundle: files } };
}

async function browserPart(distDir) {
  const { origin } = await startRelay(distDir);
  const fixturesFile = join(mkdtempSync(join(tmpdir(), 'hearth-bench-fixtures-')), 'f.json');
  cleanup.add(() => rmSync(dirname(fixturesFile), { recursive: true, force: true }));
  log(
    'building fixtures with the core (10,000 threads, 1,000 replies, two synced devices, a 50,000-character note)…',
  );
  const t0 = performance.now();
  await run(
    process.execPath,
    [
      '--import',
      'tsx',
      join('bench', 'browser', 'buildFixtures.ts'),
      `${origin.replace('http', 'ws')}/signal`,
      fixturesFile,
    ],
    { timeoutMs: 180_000, what: 'building fixtures' },
  );
  const fixtures = JSON.parse(readFileSync(fixturesFile, 'utf8'));
  log(`  fixtures: ${round((performance.now() - t0) / 1000)} s`);
  const { buildVerifyBundle } = await import('../bench/browser/buildVerifyBundle.mjs');
  const verifyBundle = await buildVerifyBundle();
  const { runBrowserBench } = await import('../bench/browser/browserBench.mjs');
  return runBrowserBench({ origin, fixtures, verifyBundle, cleanup, log, opts: browserOpts() });
}

/**
 * For tracing one measurement: HEARTH_BENCH_PARTS=open_10k,warm_open_home picks browser
 * measurements by name, HEARTH_BENCH_RUNS sets the number of opens, and HEARTH_BENCH_TRACE=DIR
 * keeps Chrome's trace of each open there (open it in DevTools' Performance panel).
 */
function browserOpts() {
  const env = process.env;
  const opts = {};
  if (env.HEARTH_BENCH_PARTS) opts.parts = env.HEARTH_BENCH_PARTS.split(',');
  if (env.HEARTH_BENCH_RUNS) opts.coldRuns = Number(env.HEARTH_BENCH_RUNS);
  if (env.HEARTH_BENCH_TRACE) opts.traceDir = resolve(env.HEARTH_BENCH_TRACE);
  return opts;
}

/**
 * The relay on PostgreSQL (bench/relay/pgBench.ts, which starts its own PostgreSQL): mailbox
 * writes per second on SQLite and on PostgreSQL, and fan-out across two relay processes.
 */
async function postgresPart() {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-pg-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'out.json');
  await run(process.execPath, ['--import', 'tsx', join('bench', 'relay', 'pgBench.ts'), file], {
    timeoutMs: 360_000,
    what: 'the PostgreSQL bench',
  });
  return JSON.parse(readFileSync(file, 'utf8'));
}

async function relayPart() {
  const { runRelayComparison } = await import('../bench/relay/relayLoad.mjs');
  const all = await runRelayComparison();
  try {
    Object.assign(all, await postgresPart());
  } catch (e) {
    all.relay_pg_error = e?.message ?? String(e);
  }
  const results = {};
  for (const k of RELAY_KEYS) if (typeof all[k] === 'number') results[k] = all[k];
  if (
    typeof results.relay_deliveries_per_cpu_s === 'number' &&
    results.reference_deliveries_per_cpu_s > 0
  ) {
    results.relay_vs_reference_deliveries_ratio = round(
      results.relay_deliveries_per_cpu_s / results.reference_deliveries_per_cpu_s,
      2,
    );
  }
  const errors = {
    ...(all.relay_error ? { relay: all.relay_error } : {}),
    ...(all.relay_pg_error ? { relay_pg: all.relay_pg_error } : {}),
  };
  return { results, details: { relay: all }, errors };
}

/**
 * Search, as the app runs it off the main thread: a worker thread builds the index of 10,000
 * documents and answers queries (bench/search/searchBench.ts).
 */
async function searchPart() {
  const file = join(mkdtempSync(join(tmpdir(), 'hearth-bench-search-')), 'search.json');
  cleanup.add(() => rmSync(dirname(file), { recursive: true, force: true }));
  await run(
    process.execPath,
    ['--import', 'tsx', join('bench', 'search', 'searchBench.ts'), file],
    {
      timeoutMs: 120_000,
      what: 'search bench',
    },
  );
  return { results: JSON.parse(readFileSync(file, 'utf8')), details: {} };
}

const DETAIL_PART = {
  bundle: 'bundle',
  verify: 'browser',
  open_10k_posts: 'browser',
  open_thread_1000_replies: 'browser',
  open_note_50k_chars: 'browser',
  warm_open_home: 'browser',
  warm_open_home_4x_cpu: 'browser',
  floor: 'browser',
  relay_only_sync: 'browser',
  sync: 'browser',
  open_search_10k_items: 'browser',
  relay: 'relay',
};
const ownedDetail = (parts, key) => parts.includes(DETAIL_PART[key]);

function parseOnly(argv) {
  const at = argv.indexOf('--only');
  if (at < 0) return PARTS;
  const list = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const bad = list.filter((p) => !PARTS.includes(p));
  if (list.length === 0 || bad.length) {
    throw new Error(
      `--only takes ${PARTS.join(', ')} (comma-separated), got "${argv[at + 1] ?? ''}"`,
    );
  }
  return list;
}

async function main() {
  const parts = parseOnly(process.argv.slice(2));
  const started = Date.now();
  const loadAtStart = loadavg().map((x) => round(x, 2));
  const results = {};
  const details = {};
  const errors = {};
  const merge = (out) => {
    Object.assign(results, out.results);
    Object.assign(details, out.details);
    Object.assign(errors, out.errors ?? {});
  };
  const phase = async (name, fn, timeoutMs) => {
    log(`\n== ${name} ==`);
    const t0 = performance.now();
    try {
      merge(await withTimeout(fn(), timeoutMs, name));
    } catch (e) {
      errors[name] = e?.message ?? String(e);
      log(`${name} failed: ${errors[name]}`);
    }
    log(`${name}: ${round((performance.now() - t0) / 1000)} s`);
  };

  let dist = null;
  if (parts.includes('bundle') || parts.includes('browser')) {
    try {
      dist = await snapshotDist();
    } catch (e) {
      errors.build = e?.message ?? String(e);
    }
  }
  if (dist && parts.includes('bundle')) await phase('bundle', () => bundlePart(dist), 30_000);
  if (dist && parts.includes('browser')) await phase('browser', () => browserPart(dist), 330_000);
  if (parts.includes('relay')) await phase('relay', relayPart, 660_000);
  if (parts.includes('search')) await phase('search', searchPart, 150_000);
  await runCleanup();

  // A partial run keeps the other parts' last numbers, so the file always shows every goal.
  const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  const {
    goals: _g,
    details: oldDetails = {},
    errors: _e,
    meta: oldMeta = {},
    ...oldNumbers
  } = previous;
  const kept = Object.entries(oldNumbers).filter(([k]) => !parts.some((p) => PART_KEYS[p].test(k)));
  const merged = { ...Object.fromEntries(kept), ...results };
  const goals = judgeResults(merged);
  const meta = {
    ...oldMeta,
    ...Object.fromEntries(parts.map((p) => [`${p}_measured_at`, new Date(started).toISOString()])),
    machine_cpus: cpus().length,
    load_average_at_start: loadAtStart,
    last_run_parts: parts,
    last_run_seconds: round((Date.now() - started) / 1000),
    load_average_at_end: loadavg().map((x) => round(x, 2)),
  };
  const out = {
    ...merged,
    goals,
    meta,
    details: {
      ...Object.fromEntries(Object.entries(oldDetails).filter(([k]) => !ownedDetail(parts, k))),
      ...details,
    },
    ...(Object.keys(errors).length ? { errors } : {}),
  };
  await writeFile(RESULTS, `${JSON.stringify(out, null, 2)}\n`);

  log(`\n${formatTable(merged, goals)}`);
  log(`\nWritten to bench/results.json in ${meta.last_run_seconds} s.`);
  if (Object.keys(errors).length) {
    log(`The bench itself broke: ${JSON.stringify(errors)}`);
    process.exitCode = 1;
  }
}

const watchdog = setTimeout(() => {
  log(`The bench ran over ${WATCHDOG_MS / 60_000} minutes; stopping everything.`);
  void runCleanup().finally(() => process.exit(1));
}, WATCHDOG_MS);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    void runCleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

try {
  await main();
} catch (e) {
  log(e?.stack ?? String(e));
  process.exitCode = 1;
} finally {
  await runCleanup();
  clearTimeout(watchdog);
  // Work abandoned by a timed-out phase must not keep the process alive.
  process.exit(process.exitCode ?? 0);
}
