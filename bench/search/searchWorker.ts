// The search index in a worker thread, as the app runs it in a Web Worker: load, then answer
// queries, one message at a time.
import { parentPort } from 'node:worker_threads';
import type { SearchDoc } from '../../app/core/features/Feature.ts';
import { SearchIndex } from '../../app/core/search/SearchIndex.ts';

const index = new SearchIndex();
parentPort?.on(
  'message',
  (m: { type: string; docs?: SearchDoc[]; query?: string; id?: number }) => {
    if (m.type === 'load') {
      index.load('g', m.docs ?? []);
      parentPort?.postMessage({ type: 'loaded', size: index.size });
    } else {
      const hits = index.search(m.query ?? '', {}, 50);
      parentPort?.postMessage({ type: 'result', id: m.id, count: hits.length });
    }
  },
);
