// The page's side of search: feeds the worker each open group's documents once, then only
// what each change touched (the ids of a GroupChange, batched per task), and asks it queries.
// One client per page, made when search is first opened and kept, so coming back is instant.
import type { SearchFilter, SearchHit } from '../../core/search/SearchIndex.ts';
import type { GroupHandle } from '../state/GroupHandle.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export class SearchClient {
  readonly #worker: Worker;
  readonly #attached = new Map<string, Promise<void>>();
  readonly #waiting = new Map<number, (hits: readonly SearchHit[]) => void>();
  readonly #loaded = new Map<string, () => void>();
  /** Groups with changes not sent yet: a query sends them first, so it sees them. */
  readonly #dirty = new Set<() => void>();
  #next = 0;

  constructor() {
    this.#worker = new Worker(new URL('./search.worker.ts', import.meta.url), {
      type: 'module',
      name: 'search',
    });
    this.#worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'result') {
        this.#waiting.get(m.id)?.(m.hits);
        this.#waiting.delete(m.id);
      } else {
        this.#loaded.get(m.groupId)?.();
        this.#loaded.delete(m.groupId);
      }
    };
  }

  #send(m: ToWorker): void {
    this.#worker.postMessage(m);
  }

  /** Indexes a group (once) and follows its changes; resolves when it is searchable. */
  attach(h: GroupHandle): Promise<void> {
    const known = this.#attached.get(h.id);
    if (known) return known;
    const ready = new Promise<void>((resolve) => this.#loaded.set(h.id, resolve));
    let changed = new Set<string>();
    let reload = false;
    let scheduled = false;
    const flush = (): void => {
      this.#dirty.delete(flush);
      if (!scheduled) return;
      scheduled = false;
      if (reload) {
        reload = false;
        changed = new Set();
        this.#send({ type: 'load', groupId: h.id, docs: h.searchDocs() });
        return;
      }
      const ids = changed;
      changed = new Set();
      this.#send({ type: 'update', groupId: h.id, ids: [...ids], docs: h.searchDocs(ids) });
    };
    h.onChange((c) => {
      // A rename changes the author shown on every result of that member: send everything.
      if (c.members) reload = true;
      for (const id of c.items) changed.add(id);
      if (!scheduled && (reload || changed.size > 0)) {
        scheduled = true;
        this.#dirty.add(flush);
        setTimeout(flush, 0);
      }
    });
    this.#send({ type: 'load', groupId: h.id, docs: h.searchDocs() });
    this.#attached.set(h.id, ready);
    return ready;
  }

  search(query: string, filter: SearchFilter, limit = 50): Promise<readonly SearchHit[]> {
    for (const flush of [...this.#dirty]) flush();
    const id = ++this.#next;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#send({ type: 'query', id, query, filter, limit });
    });
  }
}

let client: SearchClient | undefined;

/** The page's one search client. */
export const searchClient = (): SearchClient => {
  client ??= new SearchClient();
  return client;
};
