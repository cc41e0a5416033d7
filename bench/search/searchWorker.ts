// The search index in a worker thread, as the app runs it in its Web Worker
// (app/ui/search/search.worker.ts), with the same messages: updates, done, queries, one at a
// time.
import { parentPort } from 'node:worker_threads';
import { SearchIndex } from '../../app/core/search/SearchIndex.ts';
import type { FromWorker, ToWorker } from '../../app/ui/search/protocol.ts';

const index = new SearchIndex();
const post = (m: FromWorker): void => parentPort?.postMessage(m);
parentPort?.on('message', (m: ToWorker) => {
  if (m.type === 'update') index.update(m.groupId, new Set(m.ids), m.docs);
  else if (m.type === 'done') post({ type: 'loaded', groupId: m.groupId, size: index.size });
  else post({ type: 'result', id: m.id, hits: index.search(m.query, m.filter, m.limit) });
});
