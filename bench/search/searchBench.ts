// search_index_10k_items_ms: a real group of 10,000 items (1,000 threads, 9,000 replies of 10
// to 80 words, signed by 12 members and verified) is fed to a worker thread the way the app
// feeds its search worker: a SearchFeed reads the documents from the group's fold in idle-time
// slices on the main thread and posts them; timed from the feed's start until the worker
// answers that the group is indexed. The main thread's share is reported too: its total time
// in those slices (search_index_main_thread_ms) and its longest slice
// (search_index_longest_task_ms), which is how long a keystroke could wait behind indexing.
// search_query_p50_ms: the median round trip of 200 queries of one or two words, typed as
// prefixes, from the main thread. Writes the numbers as JSON to the file named by the first
// argument (else prints them).
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { FEATURE_KINDS, featureList, featuresOf } from '../../app/core/features/registry.ts';
import { Group } from '../../app/core/group/Group.ts';
import { RECORDS_MAP } from '../../app/core/group/records.ts';
import { createIdentity } from '../../app/core/identity/Identity.ts';
import { SearchFeed } from '../../app/core/search/SearchFeed.ts';
import { searchSlots } from '../../app/core/search/searchSlots.ts';
import type { FromWorker, ToWorker } from '../../app/ui/search/protocol.ts';
import { Author } from '../browser/buildFixtures.ts';

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

/** The page's slice limit (searchClient's MAX_SLICE_MS): an idle page gives that much. */
const SLICE_MS = 12;

/** A group of 1,000 threads of 9 replies each, as a device holds it after syncing. */
async function bigGroup(): Promise<Group> {
  const me = createIdentity('Robin');
  const group = Group.create({ name: 'Allotment', me, kinds: FEATURE_KINDS });
  const authors = Array.from({ length: 12 }, (_, i) => {
    const id = i === 0 ? me : createIdentity(`Member ${i}`);
    if (i > 0) group.join(id);
    return new Author(id);
  });
  const records = group.doc.getMap(RECORDS_MAP);
  const start = Date.now() - 10_000 * 60_000;
  group.doc.transact(() => {
    for (let t = 0; t < 1_000; t++) {
      const thread = authors[t % 12]!.record(
        group.id,
        { kind: 'thread', title: words(4), body: words(30), mentions: [] },
        start + t * 600_000,
      );
      records.set(thread.sig, thread);
      for (let r = 0; r < 9; r++) {
        const reply = authors[(t + r) % 12]!.record(
          group.id,
          {
            kind: 'reply',
            threadId: thread.id,
            body: words(10 + Math.floor(rand() * 70)),
            mentions: [],
          },
          start + t * 600_000 + (r + 1) * 60_000,
        );
        records.set(reply.sig, reply);
      }
    }
  });
  // The app's group has been open and checked long before search starts.
  const slots = searchSlots(group);
  const checked = await group.verify(slots);
  const valid = [...checked.values()].filter((s) => s === 'valid').length;
  if (valid < 10_000) throw new Error(`only ${valid} of the bench records verified`);
  return group;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};
const round = (x: number): number => Math.round(x * 10) / 10;

const group = await bigGroup();
const features = featureList(featuresOf(group));
const docsOf = (ids?: ReadonlySet<string>) => features.flatMap((f) => f.searchable?.(ids) ?? []);
const indexRuns: number[] = [];
const mainRuns: number[] = [];
const longestRuns: number[] = [];
const queryTimes: number[] = [];
for (let run = 0; run < 3; run++) {
  const worker = new Worker(new URL('./searchWorker.mjs', import.meta.url));
  const next = (): Promise<FromWorker> => new Promise((resolve) => worker.once('message', resolve));
  const send = (m: ToWorker): void => worker.postMessage(m);
  // Warm the worker up (module load) with an empty group first.
  send({ type: 'done', groupId: 'warm-up' });
  await next();
  let main = 0;
  let longest = 0;
  const feed = new SearchFeed(
    { slots: () => searchSlots(group), docs: docsOf },
    {
      update: (ids, docs) => send({ type: 'update', groupId: group.id, ids, docs }),
      done: () => send({ type: 'done', groupId: group.id }),
    },
    {
      // Like an idle page: the next slice runs as soon as the thread is free.
      idle: (step) =>
        setImmediate(() => {
          const t = performance.now();
          step(SLICE_MS);
          const took = performance.now() - t;
          main += took;
          longest = Math.max(longest, took);
        }),
      now: () => performance.now(),
    },
  );
  const t0 = performance.now();
  feed.start();
  const loaded = await next();
  indexRuns.push(performance.now() - t0);
  mainRuns.push(main);
  longestRuns.push(longest);
  if (loaded.type !== 'loaded' || loaded.size !== 10_000) {
    throw new Error(`indexed ${JSON.stringify(loaded).slice(0, 80)}, not 10,000 items`);
  }
  if (run === 2) {
    for (let q = 0; q < 200; q++) {
      const w = word();
      const query = q % 2 ? `${w} ${word().slice(0, 3)}` : w.slice(0, Math.max(2, w.length - 1));
      const t1 = performance.now();
      send({ type: 'query', query, id: q, filter: {}, limit: 50 });
      await next();
      queryTimes.push(performance.now() - t1);
    }
  }
  await worker.terminate();
}
const sorted = [...queryTimes].sort((a, b) => a - b);
const out = JSON.stringify({
  search_index_10k_items_ms: round(median(indexRuns)),
  search_index_main_thread_ms: round(median(mainRuns)),
  search_index_longest_task_ms: round(median(longestRuns)),
  search_query_p50_ms: round(median(queryTimes)),
  search_query_p95_ms: round(sorted[Math.ceil(0.95 * sorted.length) - 1]!),
});
if (process.argv[2]) writeFileSync(process.argv[2], out);
else process.stdout.write(`${out}\n`);
