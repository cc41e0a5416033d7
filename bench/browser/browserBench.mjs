// The app measured the way people meet it: headless Chromium against our relay serving the
// built app, with data the app's own core produced. Cold opens start a browser on a copy of a
// disk profile that already holds the data, so nothing of the app is in memory or in cache.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs } from '../../scripts/chromium.mjs';
import { median, percentile } from '../judgeResults.mjs';

// Signals are left to scripts/bench.mjs, which closes browsers among its other undo steps.
const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: chromiumArgs,
  timeout: 60_000,
  handleSIGINT: false,
  handleSIGTERM: false,
  handleSIGHUP: false,
};
const VIEWPORT = { width: 390, height: 800 };

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** The rows of bench/browser/floor.html. */
const FLOOR_ROWS = '[aria-label="Floor"] > li';

/** Home's list of the member's groups: the warm open ends when its first row is painted. */
const HOME_GROUPS = '[aria-label="Your groups"] > li';

/** Writes rows into IndexedDB 'hearth'/'kv' the way IdbStorage does (array keys, Uint8Array values). */
async function injectRows(page, rows) {
  await page.evaluate(async (rows) => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('hearth', 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains('kv')) req.result.createObjectStore('kv');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('kv', 'readwrite');
    const store = tx.objectStore('kv');
    for (const { key, data } of rows) {
      const bin = atob(data);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      store.put(bytes, key);
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    db.close();
  }, rows);
}

/** A disk profile whose IndexedDB holds `rows` for `origin`; written from a non-app page. */
async function makeProfile(origin, rows, cleanup) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-profile-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  const ctx = await chromium.launchPersistentContext(dir, { ...LAUNCH, viewport: VIEWPORT });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`${origin}/healthz`);
    await injectRows(page, rows);
  } finally {
    await ctx.close();
  }
  return dir;
}

/**
 * Runs before any page script: notes when `selector` first matches (DOM inserted) and the
 * end of the frame that paints it, both in ms since navigation start, then calls the CDP
 * binding `__benchPainted`. The harness waits for that call instead of polling the page with
 * Playwright, whose first query evaluates its ~330 KB injected script on the page's main
 * thread, in the middle of the start-up being measured (about 100 ms in traces).
 */
function watchFirstRender({ selector }) {
  const state = {};
  window.__benchShown = state;
  const check = () => {
    const n = document.querySelectorAll(selector).length;
    if (n === 0) return false;
    state.dom = performance.now();
    state.domCount = n;
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        state.paint = performance.now();
        state.paintCount = document.querySelectorAll(selector).length;
        const nav = performance.getEntriesByType('navigation')[0];
        state.domContentLoaded = nav?.domContentLoadedEventEnd;
        state.scriptMs = performance
          .getEntriesByType('resource')
          .filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'))
          .reduce((m, r) => Math.max(m, r.responseEnd), 0);
        window.__benchPainted?.('');
      };
      ch.port2.postMessage(0);
    });
    return true;
  };
  const mo = new MutationObserver(() => {
    if (check()) mo.disconnect();
  });
  mo.observe(document, { childList: true, subtree: true });
}

/**
 * Adds the CDP binding `name` to every page context; `called` resolves when the page calls
 * it, or rejects after `timeoutMs`.
 */
async function bindingCalled(cdp, name, timeoutMs) {
  // Playwright's own session has Runtime enabled already; this one needs it for the event.
  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.addBinding', { name });
  let onCall;
  let timer;
  const called = new Promise((resolve, reject) => {
    onCall = (e) => {
      if (e.name === name) resolve();
    };
    cdp.on('Runtime.bindingCalled', onCall);
    timer = setTimeout(() => reject(new Error(`no paint within ${timeoutMs} ms`)), timeoutMs);
  });
  return {
    called: called.finally(() => {
      clearTimeout(timer);
      cdp.off('Runtime.bindingCalled', onCall);
    }),
  };
}

/**
 * One open: a fresh browser on a copy of `profile`, navigation to `url`, first render. With
 * `reopen` the app is first opened and closed in that browser, and the measured page is the
 * next one, as when a member comes back to the app: browser running, service worker warm.
 * With `cpuSlowdown` the page's main thread runs that many times slower (DevTools CPU
 * throttling).
 */
async function coldOpen({
  profile,
  url,
  selector,
  cleanup,
  reopen = false,
  cpuSlowdown = 1,
  timeoutMs = 60_000,
  traceFile,
}) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-run-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  cleanup.add(removeDir);
  cpSync(profile, dir, { recursive: true });
  const ctx = await chromium.launchPersistentContext(dir, { ...LAUNCH, viewport: VIEWPORT });
  const errors = [];
  try {
    if (reopen) {
      const first = ctx.pages()[0] ?? (await ctx.newPage());
      await first.goto(url);
      await first.locator(selector).first().waitFor({ timeout: timeoutMs });
      await first.close();
    }
    const page = reopen ? await ctx.newPage() : (ctx.pages()[0] ?? (await ctx.newPage()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(watchFirstRender, { selector });
    // Main-thread task time split by kind (script, style, layout), to show what dominates.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (cpuSlowdown > 1) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    }
    if (traceFile) await startTrace(cdp);
    const { called: painted } = await bindingCalled(cdp, '__benchPainted', timeoutMs);
    painted.catch(() => {});
    // Navigation through CDP too: page.goto would wait on Playwright's own page machinery.
    await cdp.send('Page.navigate', { url });
    try {
      await painted;
    } catch (e) {
      const text = await page
        .locator('body')
        .textContent({ timeout: 2000 })
        .then((t) => t ?? '')
        .catch(() => '');
      throw new Error(
        `${selector} never appeared at ${url}: ${e.message.split('\n')[0]}; page says: ` +
          `${text.slice(0, 200).replace(/\s+/g, ' ')}${errors.length ? `; errors: ${errors.join(' | ')}` : ''}`,
      );
    }
    const shown = await page.evaluate(() => ({
      ...window.__benchShown,
      controlled: navigator.serviceWorker?.controller != null,
      marks: Object.fromEntries(
        performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith('hearth:'))
          .map((m) => [m.name, Math.round(m.startTime * 10) / 10]),
      ),
    }));
    if (traceFile) await endTrace(cdp, traceFile);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
    return {
      ...shown,
      mainThread: {
        task: metric('TaskDuration'),
        script: metric('ScriptDuration'),
        style: metric('RecalcStyleDuration'),
        layout: metric('LayoutDuration'),
      },
    };
  } finally {
    await ctx.close().catch(() => {});
    removeDir();
    cleanup.delete(removeDir);
  }
}

/** Chrome's own trace of the page (what `HEARTH_BENCH_TRACE=dir npm run bench` keeps). */
async function startTrace(cdp) {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8.execute',
        'blink.user_timing',
        'loading',
        'navigation',
        'toplevel',
        'disabled-by-default-v8.cpu_profiler',
      ],
    },
  });
}

async function endTrace(cdp, file) {
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  const parts = [];
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    parts.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data);
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  writeFileSync(file, parts.join(''));
}

/**
 * A returning member's disk profile: `rows` in IndexedDB, and the app visited once and
 * reloaded, so its service worker is installed, active, controlling and has precached the
 * shell, as after any earlier day's use.
 */
async function makeWarmProfile(origin, rows, cleanup) {
  const dir = await makeProfile(origin, rows, cleanup);
  const ctx = await chromium.launchPersistentContext(dir, { ...LAUNCH, viewport: VIEWPORT });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`${origin}/`);
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      if (!reg.active) throw new Error('no active service worker');
    });
    await page.reload();
    const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
    if (!controlled) throw new Error('the service worker does not control the reloaded page');
  } finally {
    await ctx.close();
  }
  return dir;
}

async function coldOpens({
  origin,
  rows,
  route,
  selector,
  runs,
  cleanup,
  log,
  warm = false,
  cpuSlowdown = 1,
  traceDir,
  traceName,
}) {
  const profile = await (warm ? makeWarmProfile : makeProfile)(origin, rows, cleanup);
  const samples = [];
  const slower = cpuSlowdown > 1 ? ` (${cpuSlowdown}x slower CPU)` : '';
  const what = warm ? `warm open${slower}` : 'cold open';
  for (let i = 0; i < runs; i++) {
    const s = await coldOpen({
      profile,
      url: `${origin}/${route}`,
      selector,
      cleanup,
      reopen: warm,
      cpuSlowdown,
      traceFile: traceDir ? join(traceDir, `${traceName}-${i + 1}.json`) : undefined,
    });
    if (warm && !s.controlled)
      throw new Error('the warm open was not served by the service worker');
    const m = s.mainThread;
    log(
      `  ${what} ${i + 1}/${runs}: ${round(s.paint)} ms to paint (${s.paintCount} rows), ` +
        `DOM at ${round(s.dom)} ms; main thread ${round(m.task)} ms (script ${round(m.script)}, ` +
        `style ${round(m.style)}, layout ${round(m.layout)})`,
    );
    samples.push(s);
  }
  rmSync(profile, { recursive: true, force: true });
  return samples;
}

/** Verifies the fixture's signatures in a page with the bundled Verifier; median of `runs`. */
async function verifyBench({ browser, origin, bundle, checks, runs }) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${origin}/healthz`);
    await page.evaluate(bundle);
    const result = await page.evaluate(
      ({ checks, runs }) => globalThis.HearthVerifyBench.timeVerify(checks, runs),
      { checks, runs },
    );
    if (result.valid !== checks.length) {
      throw new Error(`only ${result.valid} of ${checks.length} signatures verified`);
    }
    return result;
  } finally {
    await ctx.close().catch(() => {});
  }
}

/**
 * A device in its own context, on the sync thread. With `relayOnly` its peer connections may
 * use relayed candidates only, and the relay offers no TURN server, so ICE never finds a
 * pair: like a phone behind a symmetric NAT in a group without TURN.
 */
async function openDevice(browser, origin, device, threadId, { relayOnly = false } = {}) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  if (relayOnly) {
    await ctx.addInitScript(() => {
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(config) {
          super({ ...config, iceTransportPolicy: 'relay' });
        }
      };
    });
  }
  const page = await ctx.newPage();
  await page.goto(`${origin}/healthz`);
  await injectRows(page, device.rows);
  await page.goto(`${origin}/#/g/${device.groupId}/t/${threadId}`);
  await page.getByRole('heading', { name: 'Ping' }).waitFor({ timeout: 30_000 });
  return { ctx, page };
}

/** The big group open in its own context, its threads listed. */
async function openBig(browser, origin, big) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const page = await ctx.newPage();
  await page.goto(`${origin}/healthz`);
  await injectRows(page, big.rows);
  await page.goto(`${origin}/#/g/${big.groupId}`);
  await page.locator('[aria-label="Threads"] > li').first().waitFor({ timeout: 60_000 });
  // Opening a group also starts its sync (the peer transport encodes and sends the whole
  // document): wait until the page has had no long task for 2 s (at most 30 s), so what is
  // timed next is search's own work.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const start = performance.now();
        let last = start;
        const obs = new PerformanceObserver(() => {
          last = performance.now();
        });
        obs.observe({ type: 'longtask' });
        const tick = () => {
          const now = performance.now();
          if (now - last < 2000 && now - start < 30_000) setTimeout(tick, 200);
          else {
            obs.disconnect();
            resolve();
          }
        };
        tick();
      }),
  );
  return { ctx, page };
}

/**
 * Goes to the group's search and waits, inside the page (no harness polling on its thread),
 * until the status line leaves "Getting search ready…". Returns the time and the durations of
 * the long tasks observed on the way.
 */
async function timeSearchReady(page, groupId) {
  return page.evaluate(
    (groupId) =>
      new Promise((resolve, reject) => {
        const longTasks = [];
        const tasks = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) longTasks.push(e.duration);
        });
        tasks.observe({ type: 'longtask' });
        const t0 = performance.now();
        const ready = () => {
          const s = document.querySelector('main [role="status"]');
          return s && /Type to search/.test(s.textContent ?? '');
        };
        const done = () => {
          const ms = performance.now() - t0;
          // Long tasks are reported after they end: take them on the next task.
          setTimeout(() => {
            tasks.disconnect();
            seen.disconnect();
            clearTimeout(timer);
            resolve({ ms, longTasks, longest: Math.max(0, ...longTasks) });
          }, 0);
        };
        const seen = new MutationObserver(() => {
          if (ready()) done();
        });
        seen.observe(document.body, { subtree: true, childList: true, characterData: true });
        const timer = setTimeout(() => reject(new Error('search never got ready')), 60_000);
        location.hash = `#/g/${groupId}/search`;
      }),
    groupId,
  );
}

/**
 * A sends `warmup + samples` replies through the composer; B's MutationObserver notes when
 * each appears. Both stamp performance.timeOrigin + performance.now(), one clock on one
 * machine. Returns the delays of the samples, in ms.
 */
async function timeReplies(a, b, { prefix, warmup, samples }) {
  await a.page.evaluate(() => {
    window.__clicks = [];
    document.addEventListener(
      'click',
      (e) => {
        if (e.target instanceof Element && e.target.closest('button[type="submit"]')) {
          window.__clicks.push(performance.timeOrigin + performance.now());
        }
      },
      true,
    );
  });
  await b.page.evaluate((prefix) => {
    window.__seen = {};
    const pattern = new RegExp(`${prefix}-\\d+-[a-z0-9]+`, 'g');
    const note = (text) => {
      if (!text?.includes(`${prefix}-`)) return;
      const t = performance.timeOrigin + performance.now();
      for (const m of text.matchAll(pattern)) window.__seen[m[0]] ??= t;
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'characterData') note(r.target.textContent);
        for (const n of r.addedNodes) note(n.textContent);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  }, prefix);
  const composer = a.page.getByLabel('Reply', { exact: true });
  const send = a.page.getByRole('button', { name: 'Send' });
  const out = [];
  const tag = Math.random().toString(36).slice(2, 8);
  for (let i = 0; i < warmup + samples; i++) {
    const text = `${prefix}-${i}-${tag}`;
    // B reads along at the newest replies, as someone in a live conversation does.
    await b.page.evaluate(
      () =>
        new Promise((resolve) => {
          window.scrollTo(0, document.documentElement.scrollHeight);
          requestAnimationFrame(() => setTimeout(resolve, 0));
        }),
    );
    await composer.fill(text);
    await send.click();
    await b.page.waitForFunction((k) => window.__seen[k] !== undefined, text, {
      timeout: 20_000,
      polling: 20,
    });
    const sent = await a.page.evaluate(() => window.__clicks.at(-1));
    const seen = await b.page.evaluate((k) => window.__seen[k], text);
    if (i >= warmup) out.push(seen - sent);
  }
  return out;
}

const spread = (out) =>
  `${out.length} samples, min ${round(Math.min(...out))} ms, max ${round(Math.max(...out))} ms`;

/** Live sync between two devices connected directly (WebRTC), each in its own context. */
async function syncBench({ browser, origin, fixture, warmup, samples, log }) {
  const a = await openDevice(browser, origin, fixture.a, fixture.threadId);
  const b = await openDevice(browser, origin, fixture.b, fixture.threadId);
  try {
    for (const { page } of [a, b]) {
      await page
        .locator('[data-testid="sync-status"][data-state="live"]')
        .waitFor({ timeout: 45_000 });
    }
    const out = await timeReplies(a, b, { prefix: 'sync', warmup, samples });
    log(`  sync: ${spread(out)}`);
    return out;
  } finally {
    await a.ctx.close().catch(() => {});
    await b.ctx.close().catch(() => {});
  }
}

/**
 * Live sync when the two devices cannot connect directly (B is relay-only, see openDevice):
 * every reply goes through the mailbox, pulled when the relay's notice arrives.
 */
async function relayOnlySyncBench({ browser, origin, fixture, warmup, samples, log }) {
  const a = await openDevice(browser, origin, fixture.a, fixture.threadId);
  const b = await openDevice(browser, origin, fixture.b, fixture.threadId, { relayOnly: true });
  try {
    for (const { page } of [a, b]) {
      await page
        .locator('[data-testid="sync-status"][data-relay="reachable"][data-pending="0"]')
        .waitFor({ timeout: 45_000 });
    }
    const out = await timeReplies(a, b, { prefix: 'relayed', warmup, samples });
    const live = await b.page.getByTestId('sync-status').getAttribute('data-live');
    if (live !== '0') throw new Error(`B connected directly after all (live ${live})`);
    log(`  relay-only sync: ${spread(out)}`);
    return out;
  } finally {
    await a.ctx.close().catch(() => {});
    await b.ctx.close().catch(() => {});
  }
}

/**
 * Runs every browser measurement against the relay at `origin` (or only `opts.parts`, by
 * name, when profiling one). `cleanup` collects undo steps (browsers, folders) so the caller
 * can run them on any failure.
 */
export async function runBrowserBench({ origin, fixtures, verifyBundle, cleanup, log, opts = {} }) {
  const o = { coldRuns: 5, verifyRuns: 3, syncWarmup: 5, syncSamples: 40, ...opts };
  const results = {};
  const details = {};
  const errors = {};
  const part = async (name, fn) => {
    if (o.parts && !o.parts.includes(name)) return;
    const t0 = performance.now();
    try {
      await fn();
    } catch (e) {
      errors[name] = e?.message ?? String(e);
      log(`  ${name} failed: ${errors[name]}`);
    }
    log(`  ${name}: ${round((performance.now() - t0) / 1000)} s`);
  };

  const browser = await chromium.launch(LAUNCH);
  const closeBrowser = () => browser.close().catch(() => {});
  cleanup.add(closeBrowser);
  try {
    await part('verify', async () => {
      const r = await verifyBench({
        browser,
        origin,
        bundle: verifyBundle,
        checks: fixtures.checks,
        runs: o.verifyRuns,
      });
      results.verify_10k_signatures_ms = round(median(r.ms));
      details.verify = { backend: r.backend, runs_ms: r.ms.map((x) => round(x)), checks: r.valid };
    });

    // The harness's floor: the same opens of a static page holding two list rows and no
    // script (bench/browser/floor.html). No app can paint sooner on this machine; the app's
    // own cost is its time above these.
    await part('floor', async () => {
      const profile = await makeProfile(origin, [], cleanup);
      for (const reopen of [false, true]) {
        const samples = [];
        for (let i = 0; i < o.coldRuns; i++) {
          const s = await coldOpen({
            profile,
            url: `${origin}/bench-floor.html`,
            selector: FLOOR_ROWS,
            cleanup,
            reopen,
          });
          samples.push(s.paint);
        }
        const key = reopen ? 'floor_warm_open_ms' : 'floor_cold_open_ms';
        results[key] = round(median(samples));
        log(`  ${key}: ${samples.map((x) => round(x)).join(', ')} ms`);
      }
      rmSync(profile, { recursive: true, force: true });
    });

    await part('open_10k', async () => {
      const s = await coldOpens({
        origin,
        rows: fixtures.big.rows,
        route: `#/g/${fixtures.big.groupId}`,
        selector: '[aria-label="Threads"] > li',
        runs: o.coldRuns,
        cleanup,
        log,
        traceDir: o.traceDir,
        traceName: 'open_10k',
      });
      results.open_10k_posts_ms = round(median(s.map((x) => x.paint)));
      details.open_10k_posts = summarizeOpens(s, fixtures.big.threads);
    });

    await part('open_thread', async () => {
      const { groupId, threadId } = fixtures.longThread;
      const s = await coldOpens({
        origin,
        rows: fixtures.longThread.rows,
        route: `#/g/${groupId}/t/${threadId}`,
        selector: '[aria-label="Replies"] > li',
        runs: o.coldRuns,
        cleanup,
        log,
        traceDir: o.traceDir,
        traceName: 'open_thread',
      });
      results.open_thread_1000_replies_ms = round(median(s.map((x) => x.paint)));
      details.open_thread_1000_replies = summarizeOpens(s, fixtures.longThread.replies);
    });

    // A long note opened cold, straight into the editor: its own document is read, opened
    // and folded, and the editor chunk loaded, until the text can be typed into.
    await part('open_note', async () => {
      const { groupId, noteId } = fixtures.longNote;
      const s = await coldOpens({
        origin,
        rows: fixtures.longNote.rows,
        route: `#/g/${groupId}/n/${noteId}/edit`,
        selector: '.cm-content[contenteditable="true"]',
        runs: o.coldRuns,
        cleanup,
        log,
        traceDir: o.traceDir,
        traceName: 'open_note',
      });
      results.open_note_50k_chars_ms = round(median(s.map((x) => x.paint)));
      details.open_note_50k_chars = {
        ...summarizeOpens(s, fixtures.longNote.chars),
        edits: fixtures.longNote.edits,
      };
    });

    // Search opened on the big group in the real app, once the group has settled: its
    // SearchFeed reads the 10,000 threads' documents in idle slices and its Web Worker
    // indexes them. Timed in the page
    // from the route change until the screen says it is ready, with the main thread's long
    // tasks (over 50 ms) seen meanwhile: the longest is how long typing could stall.
    await part('search_index', async () => {
      const runs = [];
      for (let i = 0; i < Math.min(3, o.coldRuns); i++) {
        const { ctx, page } = await openBig(browser, origin, fixtures.big);
        runs.push(await timeSearchReady(page, fixtures.big.groupId));
        await ctx.close();
      }
      results.open_search_10k_items_ms = round(median(runs.map((r) => r.ms)));
      results.open_search_longest_task_ms = round(median(runs.map((r) => r.longest)));
      details.open_search_10k_items = {
        items: fixtures.big.threads,
        ready_ms: runs.map((r) => round(r.ms)),
        long_tasks: runs.map((r) => r.longTasks.map((x) => round(x))),
      };
    });

    // The daily open: one small group, the app already installed (service worker active).
    for (const cpuSlowdown of [1, 4]) {
      const key = cpuSlowdown === 1 ? 'warm_open_home' : `warm_open_home_${cpuSlowdown}x_cpu`;
      await part(key, async () => {
        const s = await coldOpens({
          origin,
          rows: fixtures.small.rows,
          route: '',
          selector: HOME_GROUPS,
          runs: o.coldRuns,
          cleanup,
          log,
          warm: true,
          cpuSlowdown,
          traceDir: o.traceDir,
          traceName: key,
        });
        results[`${key}_ms`] = round(median(s.map((x) => x.paint)));
        details[key] = { ...summarizeOpens(s, fixtures.small.replies), cpu_slowdown: cpuSlowdown };
      });
    }

    await part('sync', async () => {
      const s = await syncBench({
        browser,
        origin,
        fixture: fixtures.sync,
        warmup: o.syncWarmup,
        samples: o.syncSamples,
        log,
      });
      results.sync_p50_ms = round(percentile(s, 50));
      results.sync_p95_ms = round(percentile(s, 95));
      details.sync = { samples_ms: s.map((x) => round(x)), warmup: o.syncWarmup };
    });

    await part('relay_only_sync', async () => {
      const s = await relayOnlySyncBench({
        browser,
        origin,
        fixture: fixtures.sync,
        warmup: 2,
        samples: 15,
        log,
      });
      results.relay_only_sync_p50_ms = round(percentile(s, 50));
      details.relay_only_sync = { samples_ms: s.map((x) => round(x)), goal_ms: 1000 };
    });
  } finally {
    await closeBrowser();
    cleanup.delete(closeBrowser);
  }
  return { results, details, errors };
}

function summarizeOpens(samples, stored) {
  return {
    stored,
    paint_ms: samples.map((x) => round(x.paint)),
    dom_ms: samples.map((x) => round(x.dom)),
    dom_content_loaded_ms: samples.map((x) => round(x.domContentLoaded ?? Number.NaN)),
    scripts_loaded_ms: samples.map((x) => round(x.scriptMs ?? Number.NaN)),
    rows_rendered: samples[0]?.paintCount,
    // The app's own start-up marks (performance.mark 'hearth:…'), per sample.
    app_marks_ms: samples.map((x) => x.marks),
    // Main-thread task time by kind up to just after the paint (medians).
    main_thread_ms: Object.fromEntries(
      ['task', 'script', 'style', 'layout'].map((k) => [
        k,
        round(median(samples.map((x) => x.mainThread[k]))),
      ]),
    ),
  };
}
