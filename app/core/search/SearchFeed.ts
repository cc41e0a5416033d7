// Feeds a search index from an open group without holding up the thread that holds it.
// The group's fold (signed records, the heads every screen shows) lives on the page's thread,
// so the documents are read there, but never all at once. Every id to (re)send waits in one
// queue: all the group's item slots when search first attaches, then the ids each GroupChange
// names. Each time the thread is idle the feed reads and sends the documents of a few ids at
// a time, as many as fit in the time it is given (an id sent without a document leaves the
// index). The first pass ends with `done`, so the other side can say when the group is
// searchable. An id queued twice is sent once, after its newest change, so the index always
// ends equal to one built from the group at once.
import type { SearchDoc } from '../features/Feature.ts';

/** What the feed reads: a group's slots and the documents of some of them. */
export interface FeedSource {
  slots(): readonly string[];
  docs(ids: ReadonlySet<string>): readonly SearchDoc[];
}

/** Where the feed sends to (the search worker's messages). */
export interface FeedTarget {
  update(ids: readonly string[], docs: readonly SearchDoc[]): void;
  /** Everything of the first pass was sent. */
  done(): void;
}

/** How the feed gets thread time. */
export interface FeedClock {
  /** Calls `run` once when the thread is free, with the milliseconds it may use. */
  idle(run: (budgetMs: number) => void): void;
  now(): number;
}

/** Ids read per check of the clock: small enough that one step stays well under a frame. */
const STEP = 64;

export class SearchFeed {
  readonly #source: FeedSource;
  readonly #target: FeedTarget;
  readonly #clock: FeedClock;
  /** Ids to (re)send, oldest first. */
  readonly #queue = new Set<string>();
  #loading = false;
  #scheduled = false;

  constructor(source: FeedSource, target: FeedTarget, clock: FeedClock) {
    this.#source = source;
    this.#target = target;
    this.#clock = clock;
  }

  /** Queued ids not sent yet. */
  get pending(): number {
    return this.#queue.size;
  }

  /** Queues every slot of the group; the pass ends with `done`. */
  start(): void {
    this.#loading = true;
    this.queueAll();
  }

  /** Queues every slot again (a member was renamed: every result shows names). */
  queueAll(): void {
    this.changed(this.#source.slots());
  }

  /** Queues the ids of a change. */
  changed(ids: Iterable<string>): void {
    for (const id of ids) {
      // Re-adding moves an id to the end: it is sent after everything queued before it.
      this.#queue.delete(id);
      this.#queue.add(id);
    }
    this.#schedule();
  }

  /**
   * Sends every queued change now (before a query, which must see the latest changes). Not
   * during the first pass: the group is not searchable yet, and that pass stays in slices.
   */
  flush(): void {
    if (!this.#loading && this.#queue.size > 0) this.#step(Number.POSITIVE_INFINITY);
  }

  #schedule(): void {
    if (this.#scheduled || (this.#queue.size === 0 && !this.#loading)) return;
    this.#scheduled = true;
    this.#clock.idle((budget) => {
      this.#scheduled = false;
      this.#step(budget);
      this.#schedule();
    });
  }

  #step(budgetMs: number): void {
    const start = this.#clock.now();
    // Each chunk is posted as soon as it is read, so the time check counts the posting (a
    // structured clone on this thread, about as costly as the reading) too.
    while (this.#queue.size > 0) {
      const chunk = new Set<string>();
      for (const id of this.#queue) {
        chunk.add(id);
        if (chunk.size === STEP) break;
      }
      for (const id of chunk) this.#queue.delete(id);
      this.#target.update([...chunk], this.#source.docs(chunk));
      if (this.#clock.now() - start >= budgetMs) break;
    }
    if (this.#loading && this.#queue.size === 0) {
      this.#loading = false;
      this.#target.done();
    }
  }
}
