// The project's performance goals, and how a set of results measures up against them: a
// goal is either a fixed limit or "no worse than" another result (the reference relay).

const KiB = 1024;

/** Each goal: `op` against a fixed `limit` or against another result (`than`). */
export const GOALS = {
  bundle_initial_js_gzip_bytes: { op: '<=', limit: 110 * KiB, text: '<= 110 KiB gzip' },
  open_10k_posts_ms: { op: '<=', limit: 500, text: '<= 500 ms' },
  sync_p50_ms: { op: '<=', limit: 50, text: '<= 50 ms' },
  verify_10k_signatures_ms: { op: '<=', limit: 300, text: '<= 300 ms' },
  open_thread_1000_replies_ms: { op: '<=', limit: 200, text: '<= 200 ms' },
  open_note_50k_chars_ms: { op: '<=', limit: 300, text: '<= 300 ms' },
  warm_open_home_ms: { op: '<=', limit: 300, text: '<= 300 ms' },
  warm_open_home_4x_cpu_ms: { op: '<=', limit: 1000, text: '<= 1000 ms' },
  relay_only_sync_p50_ms: { op: '<=', limit: 1000, text: '<= 1000 ms' },
  relay_vs_reference_deliveries_ratio: { op: '>=', limit: 2, text: '>= 2x reference' },
  relay_p99_ms: { op: '<=', than: 'reference_p99_ms', text: '<= reference' },
  relay_rss_per_conn_kb: { op: '<=', than: 'reference_rss_per_conn_kb', text: '<= reference' },
  search_index_10k_items_ms: { op: '<=', limit: 1000, text: '<= 1000 ms, off the main thread' },
  search_index_longest_task_ms: { op: '<=', limit: 50, text: '<= 50 ms (no long task)' },
  search_query_p50_ms: { op: '<=', limit: 20, text: '<= 20 ms' },
  open_search_10k_items_ms: { op: '<=', limit: 1000, text: '<= 1000 ms' },
  open_search_longest_task_ms: { op: '<=', limit: 50, text: '<= 50 ms (no long task)' },
  // `npm run audit` (scripts/audit.mjs): Lighthouse's mobile preset on the served build.
  lighthouse_performance: { op: '>=', limit: 95, text: '>= 95' },
  lighthouse_accessibility: { op: '>=', limit: 95, text: '>= 95' },
  lighthouse_best_practices: { op: '>=', limit: 95, text: '>= 95' },
};

/** Table rows in print order: result key and label. */
export const ROWS = [
  ['bundle_initial_js_gzip_bytes', 'Initial JS, gzip (bytes)'],
  ['bundle_total_js_gzip_bytes', 'All JS, gzip (bytes)'],
  ['note_editor_chunk_gzip_bytes', 'Note editor chunk, gzip, loaded on Edit (bytes)'],
  ['floor_cold_open_ms', 'Floor: cold open, static page (ms)'],
  ['floor_warm_open_ms', 'Floor: warm open, static page (ms)'],
  ['open_10k_posts_ms', 'Cold open, 10,000 threads (ms)'],
  ['open_thread_1000_replies_ms', 'Cold open, thread of 1,000 replies (ms)'],
  ['open_note_50k_chars_ms', 'Cold open, note of 50,000 chars / 2,000 edits, to editable (ms)'],
  ['warm_open_home_ms', 'Warm open, home with one group (ms)'],
  ['warm_open_home_4x_cpu_ms', 'Warm open, home, CPU 4x slower (ms)'],
  ['sync_p50_ms', 'Live sync p50 (ms)'],
  ['sync_p95_ms', 'Live sync p95 (ms)'],
  ['relay_only_sync_p50_ms', 'Sync through the relay alone, p50 (ms)'],
  ['verify_10k_signatures_ms', 'Verify 10,000 signatures (ms)'],
  ['relay_deliveries_per_cpu_s', 'Relay deliveries / CPU-s'],
  ['reference_deliveries_per_cpu_s', 'Reference deliveries / CPU-s'],
  ['relay_vs_reference_deliveries_ratio', 'Relay / reference deliveries'],
  ['relay_p99_ms', 'Relay p99 (ms)'],
  ['reference_p99_ms', 'Reference p99 (ms)'],
  ['relay_rss_per_conn_kb', 'Relay RSS per connection (KB)'],
  ['reference_rss_per_conn_kb', 'Reference RSS per connection (KB)'],
  ['relay_sqlite_writes_per_s', 'Mailbox writes / s, SQLite (1 KB)'],
  ['relay_pg_writes_per_s', 'Mailbox writes / s, PostgreSQL (1 KB)'],
  ['relay_two_process_deliveries_per_cpu_s', 'Two processes on PostgreSQL: deliveries / CPU-s'],
  ['search_index_10k_items_ms', 'Search: index 10,000 items, gathered in slices, in a worker (ms)'],
  ['search_index_main_thread_ms', 'Search: of which on the main thread, in slices (ms)'],
  ['search_index_longest_task_ms', 'Search: longest main-thread slice while indexing (ms)'],
  ['search_query_p50_ms', 'Search: query p50 (ms)'],
  ['open_search_10k_items_ms', 'Search in the app: 10,000 threads ready to search (ms)'],
  ['open_search_longest_task_ms', 'Search in the app: longest main-thread task meanwhile (ms)'],
  ['search_query_p95_ms', 'Search: query p95 (ms)'],
  ['lighthouse_performance', 'Lighthouse performance (mobile)'],
  ['lighthouse_accessibility', 'Lighthouse accessibility (mobile)'],
  ['lighthouse_best_practices', 'Lighthouse best practices (mobile)'],
];

/** For each goal: its wording, the limit it was held to, and whether it is met (null: not measured). */
export function judgeResults(results) {
  const goals = {};
  for (const [key, g] of Object.entries(GOALS)) {
    const value = results[key];
    const limit = g.than ? results[g.than] : g.limit;
    const met =
      typeof value === 'number' && typeof limit === 'number'
        ? g.op === '<='
          ? value <= limit
          : value >= limit
        : null;
    goals[key] = { goal: g.text, op: g.op, limit: typeof limit === 'number' ? limit : null, met };
  }
  return goals;
}

/** A plain-text table: metric, value, goal and PASS / MISS / n/a. */
export function formatTable(results, goals) {
  const rows = [['metric', 'value', 'goal', '']];
  for (const [key, label] of ROWS) {
    const g = goals[key];
    const v = results[key];
    rows.push([
      label,
      typeof v === 'number' ? String(v) : '-',
      g?.goal ?? '',
      g ? (g.met === null ? 'n/a' : g.met ? 'PASS' : 'MISS') : '',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Nearest-rank percentile (p in 0..100). */
export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
