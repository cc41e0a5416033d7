// `npm run audit`: Lighthouse 12.2.3 (pinned) with its default mobile preset (simulated
// throttling) and Debian's Chromium, against the built app as the relay serves it, the way
// `npm start` does. Builds dist/ first when it is missing. Writes the three scores into
// bench/results.json (merged: every other key is kept) and prints the opportunities and
// failing audits, so a drop says why. Usage: node scripts/audit.mjs [--runs N] (median).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { judgeResults, median } from '../bench/judgeResults.mjs';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const root = resolve(import.meta.dirname, '..');
const resultsPath = join(root, 'bench/results.json');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 1) : 1;

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function waitHealthy(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the relay did not become healthy at ${url}`);
}

if (!existsSync(join(root, 'dist/index.html'))) {
  console.log('Building the app…');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'hearth-audit-'));
const url = `http://127.0.0.1:${port}`;
const relay = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'relay/main.ts'], {
  cwd: root,
  stdio: 'ignore',
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    HEARTH_DATA: dataDir,
    HEARTH_STATIC: 'dist',
    HEARTH_LOG: 'silent',
  },
});

let chrome;
try {
  await waitHealthy(url, relay);
  // Lighthouse drives its own Chrome flags for emulation; ours only make it run here.
  chrome = await chromeLauncher.launch({
    chromePath: chromiumPath,
    chromeFlags: chromiumArgs.filter((f) => f !== '--headless').concat('--headless=new'),
  });
  const categories = ['performance', 'accessibility', 'best-practices'];
  const lhrs = [];
  for (let i = 0; i < runs; i++) {
    const result = await lighthouse(`${url}/`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: categories,
    });
    if (!result) throw new Error('Lighthouse returned no result');
    if (result.lhr.runtimeError) throw new Error(result.lhr.runtimeError.message);
    lhrs.push(result.lhr);
  }
  const score = (lhr, c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
  const scores = Object.fromEntries(
    categories.map((c) => [
      `lighthouse_${c.replace('-', '_')}`,
      Math.round(median(lhrs.map((l) => score(l, c)))),
    ]),
  );
  // The run whose performance is the median one explains the numbers.
  const perf = (l) => Math.abs(score(l, 'performance') - scores.lighthouse_performance);
  const lhr = lhrs.reduce((best, l) => (perf(l) < perf(best) ? l : best));
  const metric = (id) => lhr.audits[id]?.displayValue ?? '?';
  console.log(`Lighthouse ${lhr.lighthouseVersion}, ${lhr.configSettings.formFactor} preset,`);
  console.log(
    `${runs} run(s), load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  for (const [k, v] of Object.entries(scores)) console.log(`  ${k}: ${v}`);
  for (const id of [
    'first-contentful-paint',
    'largest-contentful-paint',
    'total-blocking-time',
    'cumulative-layout-shift',
    'speed-index',
  ]) {
    console.log(`  ${lhr.audits[id]?.title ?? id}: ${metric(id)}`);
  }
  const flagged = Object.values(lhr.audits).filter(
    (a) =>
      a.score !== null &&
      a.score < 0.9 &&
      a.scoreDisplayMode !== 'informative' &&
      a.scoreDisplayMode !== 'notApplicable' &&
      a.scoreDisplayMode !== 'manual',
  );
  if (flagged.length) console.log('Flagged:');
  for (const a of flagged)
    console.log(`  - ${a.title}${a.displayValue ? `: ${a.displayValue}` : ''}`);

  const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
  Object.assign(results, scores);
  results.goals = judgeResults(results);
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${Object.keys(scores).join(', ')} to bench/results.json`);
} finally {
  await chrome?.kill();
  relay.kill('SIGTERM');
  await new Promise((r) => (relay.exitCode === null ? relay.once('exit', r) : r()));
  rmSync(dataDir, { recursive: true, force: true });
}
