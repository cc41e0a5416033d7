// search_index_10k_items_ms: from handing 10,000 documents (1,000 threads, 9,000 replies of
// 10 to 80 words) to the worker until it answers that the index is built, structured clone
// included, so the main thread only posts a message. search_query_p50_ms: the median round
// trip of 200 queries of one or two words, typed as prefixes, from the main thread.
// Writes the numbers as JSON to the file named by the first argument (else prints them).
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { SearchDoc } from '../../app/core/features/Feature.ts';

const WORDS = `seed bean pea kale leek soil rain frost compost mulch water rota shed tool spade fork
  hoe rake barrow greenhouse tomato squash pumpkin marrow onion garlic potato carrot beet
  lettuce spinach chard radish turnip parsnip celery fennel basil mint thyme sage rosemary
  parsley dill chive apple pear plum cherry berry currant gooseberry rhubarb strawberry fence
  gate path bed border hedge lawn pond bird slug snail aphid netting cane string label pot tray
  meeting saturday sunday morning evening week month spring summer autumn winter plan list
  money budget grant council neighbour visitor market sale swap share borrow lend fix paint`
  .split(/\s+/)
  .filter(Boolean);

// A fixed pseudo-random sequence, so every run indexes the same text.
let state = 42;
const rand = (): number => {
  state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
  return state / 2 ** 31;
};
// Zipf-like: common words often, rare words seldom, as in real text.
const word = (): string => WORDS[Math.floor(WORDS.length * rand() ** 2)]!;
const words = (n: number): string => Array.from({ length: n }, word).join(' ');

function docs(): SearchDoc[] {
  const out: SearchDoc[] = [];
  for (let t = 0; t < 1_000; t++) {
    const place = { route: 'thread', params: { groupId: 'g', threadId: `t${t}` } };
    const author = `member${t % 12}` as SearchDoc['author'];
    out.push({
      id: `t${t}`,
      kind: 'thread',
      title: words(4),
      text: words(30),
      author,
      authorName: author,
      createdAt: t * 1000,
      place,
    });
    for (let r = 0; r < 9; r++) {
      out.push({
        id: `t${t}r${r}`,
        kind: 'reply',
        text: words(10 + Math.floor(rand() * 70)),
        author: `member${(t + r) % 12}` as SearchDoc['author'],
        authorName: 'x',
        createdAt: t * 1000 + r,
        place,
      });
    }
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};
const round = (x: number): number => Math.round(x * 10) / 10;

const all = docs();
const indexRuns: number[] = [];
const queryTimes: number[] = [];
for (let run = 0; run < 3; run++) {
  const worker = new Worker(new URL('./searchWorker.mjs', import.meta.url));
  const next = (): Promise<{ type: string; size?: number; count?: number }> =>
    new Promise((resolve) => worker.once('message', resolve));
  // Warm the worker up (module load) with an empty index first.
  worker.postMessage({ type: 'load', docs: [] });
  await next();
  const t0 = performance.now();
  worker.postMessage({ type: 'load', docs: all });
  const loaded = await next();
  indexRuns.push(performance.now() - t0);
  if (loaded.size !== all.length) throw new Error(`indexed ${loaded.size} of ${all.length}`);
  if (run === 2) {
    for (let q = 0; q < 200; q++) {
      const w = word();
      const query = q % 2 ? `${w} ${word().slice(0, 3)}` : w.slice(0, Math.max(2, w.length - 1));
      const t1 = performance.now();
      worker.postMessage({ type: 'query', query, id: q });
      await next();
      queryTimes.push(performance.now() - t1);
    }
  }
  await worker.terminate();
}
const sorted = [...queryTimes].sort((a, b) => a - b);
const out = JSON.stringify({
  search_index_10k_items_ms: round(median(indexRuns)),
  search_query_p50_ms: round(median(queryTimes)),
  search_query_p95_ms: round(sorted[Math.ceil(0.95 * sorted.length) - 1]!),
});
if (process.argv[2]) writeFileSync(process.argv[2], out);
else process.stdout.write(`${out}\n`);
