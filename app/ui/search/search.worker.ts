// The search index, off the main thread: building it for a big group and answering each
// keystroke's query never hold up what the page draws. Messages are handled in order, so a
// query sees every update sent before it.
import { SearchIndex } from '../../core/search/SearchIndex.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const index = new SearchIndex();
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(m: FromWorker): void;
};

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'update') index.update(m.groupId, new Set(m.ids), m.docs);
  else if (m.type === 'done')
    scope.postMessage({ type: 'loaded', groupId: m.groupId, size: index.size });
  else {
    scope.postMessage({
      type: 'result',
      id: m.id,
      hits: index.search(m.query, m.filter, m.limit),
    });
  }
};
