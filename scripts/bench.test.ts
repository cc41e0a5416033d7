// The bench is only worth its numbers if it measures what the app really stores and loads:
// these tests read the fixtures back through the app's own Hearth service, and check the
// bundle accounting and the goal verdicts on small, known inputs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { nobleBackend, Verifier } from '../app/core/group/Verifier.ts';
import { Hearth } from '../app/core/hearth/Hearth.ts';
import { MemoryStorage } from '../app/core/storage/MemoryStorage.ts';
import { MemoryMailbox } from '../app/core/sync/MemoryMailbox.ts';
import { buildFixtures, type DeviceFixture } from '../bench/browser/buildFixtures.ts';
import { entryUrls, measureBundle, staticImports } from '../bench/bundle/measureBundle.mjs';
import { formatTable, judgeResults, median, percentile } from '../bench/judgeResults.mjs';

const RELAY = 'ws://127.0.0.1:9/signal';

/** A device that starts from exactly the fixture's rows, as the browser's IndexedDB would. */
async function deviceFrom(fixture: DeviceFixture, mailbox: MemoryMailbox): Promise<Hearth> {
  const storage = new MemoryStorage();
  await storage.batch(
    fixture.rows.map((r) => ({
      op: 'save' as const,
      key: r.key,
      data: new Uint8Array(Buffer.from(r.data, 'base64')),
    })),
  );
  return Hearth.load({
    storage,
    origin: 'http://127.0.0.1:9',
    defaultRelay: RELAY,
    mailboxFor: () => mailbox,
  });
}

describe('buildFixtures', () => {
  it('stores groups that the app loads back whole, validly signed and sealed', async () => {
    const mailbox = new MemoryMailbox();
    const fx = await buildFixtures({
      relay: RELAY,
      threads: 40,
      replies: 15,
      mailboxFor: () => mailbox,
    });

    const reader = await deviceFrom(fx.big, mailbox);
    expect(reader.identity?.name).toBe('Robin');
    const big = await reader.open(fx.big.groupId);
    const threads = big.features.discussion.threads();
    expect(threads).toHaveLength(40);
    const status = await big.group.verify(threads.map((t) => t.id));
    expect([...status.values()].every((s) => s === 'valid')).toBe(true);
    // Sealed at rest: no title appears in any stored byte.
    const stored = Buffer.concat(fx.big.rows.map((r) => Buffer.from(r.data, 'base64'))).toString(
      'latin1',
    );
    expect(stored).not.toContain(threads[0]!.title);
    await reader.close();

    const long = await deviceFrom(fx.longThread, mailbox);
    const rt = await long.open(fx.longThread.groupId);
    const replies = rt.features.discussion.replies(fx.longThread.threadId);
    expect(replies).toHaveLength(15);
    const replyStatus = await rt.group.verify(replies.map((r) => r.id));
    expect([...replyStatus.values()].every((s) => s === 'valid')).toBe(true);
    await long.close();

    const small = await deviceFrom(fx.small, mailbox);
    expect(small.groups().map((g) => g.groupId)).toEqual([fx.small.groupId]);
    const smallGroup = (await small.open(fx.small.groupId)).features.discussion;
    expect(smallGroup.threads()).toHaveLength(1);
    expect(smallGroup.replies(fx.small.threadId)).toHaveLength(20);
    await small.close();

    for (const device of [fx.sync.a, fx.sync.b]) {
      const h = await deviceFrom(device, mailbox);
      const rt = await h.open(device.groupId);
      expect(rt.features.discussion.thread(fx.sync.threadId)?.title).toBe('Ping');
      expect(rt.group.members().map((m) => m.name)).toEqual(['Ana', 'Ben']);
      await h.close();
    }

    expect(new Set(fx.checks.map((c) => c.sig)).size).toBe(40);
    const ok = await new Verifier(nobleBackend).verify(fx.checks);
    expect(ok.every(Boolean)).toBe(true);
  });
});

describe('measureBundle', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the entry, its preloads and their static imports, not lazy chunks', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
    await mkdir(join(dir, 'assets'));
    const files: Record<string, string> = {
      'assets/index-a.js': `import{x}from"./shared-b.js";const l=()=>import("./lazy-c.js");export{l};`,
      'assets/shared-b.js': `export const x=${JSON.stringify('b'.repeat(500))};`,
      'assets/pre-d.js': `export*from"./shared-b.js";`,
      'assets/lazy-c.js': `import"./shared-b.js";export const c=1;`,
    };
    for (const [f, code] of Object.entries(files)) writeFileSync(join(dir, f), code);
    writeFileSync(
      join(dir, 'index.html'),
      '<html><head><script type="module" crossorigin src="/assets/index-a.js"></script>' +
        '<link rel="modulepreload" href="/assets/pre-d.js"></head></html>',
    );
    writeFileSync(join(dir, 'sw.js'), 'self.x=1;');

    const m = measureBundle(dir);
    const gz = (f: string) => gzipSync(files[f]!).length;
    expect(m.files.initial.map((f) => f.file).sort()).toEqual([
      '/assets/index-a.js',
      '/assets/pre-d.js',
      '/assets/shared-b.js',
    ]);
    expect(m.bundle_initial_js_gzip_bytes).toBe(
      gz('assets/index-a.js') + gz('assets/shared-b.js') + gz('assets/pre-d.js'),
    );
    expect(m.bundle_total_js_gzip_bytes).toBe(
      m.bundle_initial_js_gzip_bytes + gz('assets/lazy-c.js'),
    );
    expect(m.files.lazy.map((f) => f.file)).toEqual(['/assets/lazy-c.js']);
  });

  it('reads module scripts and preloads from HTML, and only static imports from code', () => {
    expect(
      entryUrls(
        '<script src="/classic.js"></script><script type="module" src="/m.js"></script>' +
          '<link rel="stylesheet" href="/s.css"><link rel="modulepreload" href="/p.js">',
      ),
    ).toEqual(['/m.js', '/p.js']);
    expect(staticImports('import{a as b}from"./x.js";import"./y.js";import("./z.js")')).toEqual([
      './x.js',
      './y.js',
    ]);
  });
});

describe('judgeResults', () => {
  it('holds each result to its limit or to the reference, and marks what was not measured', () => {
    const goals = judgeResults({
      open_10k_posts_ms: 499,
      sync_p50_ms: 51,
      relay_p99_ms: 10,
      reference_p99_ms: 12,
      relay_rss_per_conn_kb: 9,
      reference_rss_per_conn_kb: 8,
      relay_vs_reference_deliveries_ratio: 2,
      warm_open_home_ms: 300,
      warm_open_home_4x_cpu_ms: 1001,
    });
    expect(goals.open_10k_posts_ms?.met).toBe(true);
    expect(goals.warm_open_home_ms?.met).toBe(true);
    expect(goals.warm_open_home_4x_cpu_ms).toMatchObject({ met: false, limit: 1000 });
    expect(goals.sync_p50_ms?.met).toBe(false);
    expect(goals.relay_p99_ms).toMatchObject({ met: true, limit: 12 });
    expect(goals.relay_rss_per_conn_kb?.met).toBe(false);
    expect(goals.relay_vs_reference_deliveries_ratio?.met).toBe(true);
    expect(goals.verify_10k_signatures_ms?.met).toBeNull();
    const table = formatTable({ open_10k_posts_ms: 499, sync_p50_ms: 51 }, goals);
    expect(table).toMatch(/Cold open, 10,000 threads \(ms\)\s+499\s+<= 500 ms\s+PASS/);
    expect(table).toMatch(/Live sync p50 \(ms\)\s+51\s+<= 50 ms\s+MISS/);
    expect(table).toMatch(/Verify 10,000 signatures \(ms\)\s+-\s+<= 300 ms\s+n\/a/);
  });

  it('takes medians and nearest-rank percentiles', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const xs = Array.from({ length: 40 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(20);
    expect(percentile(xs, 95)).toBe(38);
  });
});
