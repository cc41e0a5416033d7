// The page's side of search. Each attached group gets a SearchFeed (core/search/SearchFeed.ts)
// that reads its documents in small slices while the page is idle and posts them to the
// worker, first all of them, then only what each change touched; the worker builds and keeps
// the index and answers queries. One client per page, made when search is first opened and
// kept, so coming back is instant.
import { SearchFeed } from '../../core/search/SearchFeed.ts';
import type { SearchFilter, SearchHit } from '../../core/search/SearchIndex.ts';
import type { GroupHandle } from '../state/GroupHandle.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

/** Most of a frame at 60 Hz, so a keystroke waits at most this long behind a slice. */
const MAX_SLICE_MS = 12;
/** Even when the page is busy, gathering moves on at least this much per slice. */
const MIN_SLICE_MS = 4;

type IdleCallback = (deadline: { timeRemaining(): number }) => void;
const idleScope = globalThis as unknown as {
  requestIdleCallback?: (cb: IdleCallback, options: { timeout: number }) => number;
};

/** Runs `run` when the page is idle (or after a task where idle callbacks are missing). */
function whenIdle(run: (budgetMs: number) => void): void {
  const clamp = (ms: number): number => Math.min(MAX_SLICE_MS, Math.max(MIN_SLICE_MS, ms));
  if (idleScope.requestIdleCallback) {
    idleScope.requestIdleCallback((d) => run(clamp(d.timeRemaining())), { timeout: 100 });
  } else setTimeout(() => run(MIN_SLICE_MS * 2), 0);
}

export class SearchClient {
  readonly #worker: Worker;
  readonly #attached = new Map<string, Promise<void>>();
  readonly #feeds = new Set<SearchFeed>();
  readonly #waiting = new Map<number, (hits: readonly SearchHit[]) => void>();
  readonly #loaded = new Map<string, () => void>();
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
    const groupId = h.id;
    const feed = new SearchFeed(
      { slots: () => h.searchSlots(), docs: (ids) => h.searchDocs(ids) },
      {
        update: (ids, docs) => this.#send({ type: 'update', groupId, ids, docs }),
        done: () => this.#send({ type: 'done', groupId }),
      },
      { idle: whenIdle, now: () => performance.now() },
    );
    h.onChange((c) => {
      if (c.members) feed.queueAll();
      else feed.changed(c.items);
    });
    feed.start();
    this.#feeds.add(feed);
    this.#attached.set(h.id, ready);
    return ready;
  }

  search(query: string, filter: SearchFilter, limit = 50): Promise<readonly SearchHit[]> {
    for (const feed of this.#feeds) feed.flush();
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
