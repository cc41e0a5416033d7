// One search over what every feature offers (Feature.searchable), for one group or all of
// them. MiniSearch does the full-text part; this module keeps one document per item, updates
// it incrementally from the ids a GroupChange names, filters by group, kind and author, and
// orders results the same way whether the index was built at once or change by change. It
// runs in a Web Worker in the app (app/ui/search/search.worker.ts) and under Node in tests.
import MiniSearch from 'minisearch';
import type { SearchDoc } from '../features/Feature.ts';

/** What a query may narrow to. */
export interface SearchFilter {
  readonly groupId?: string;
  readonly kinds?: readonly string[];
  readonly author?: string;
}

/** A part of a snippet: plain text, marked when it matched the query. */
export interface Segment {
  readonly text: string;
  readonly hit: boolean;
}

export interface SearchHit {
  readonly groupId: string;
  readonly doc: SearchDoc;
  readonly score: number;
  /** The title and a piece of the text around the first match, split into segments. */
  readonly title: readonly Segment[];
  readonly snippet: readonly Segment[];
}

interface Entry {
  readonly key: string;
  readonly groupId: string;
  readonly kind: string;
  readonly author: string;
  readonly title: string;
  readonly text: string;
}

const SNIPPET_CHARS = 160;
/** Scores are sums of floats whose order depends on history; compare them at this precision. */
const SCORE_DIGITS = 1e6;

const keyOf = (groupId: string, id: string): string => `${groupId}\u0000${id}`;

export class SearchIndex {
  readonly #ms = new MiniSearch<Entry>({
    idField: 'key',
    fields: ['title', 'text'],
    storeFields: [],
    searchOptions: {
      boost: { title: 2 },
      // The word being typed (the last) matches as a prefix; the others as whole words.
      prefix: (_term, i, terms) => i === terms.length - 1,
      // Typos are forgiven in words of four letters or more; shorter ones match as typed.
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
  readonly #docs = new Map<string, { groupId: string; doc: SearchDoc; entry: Entry }>();
  readonly #byGroup = new Map<string, Set<string>>();

  get size(): number {
    return this.#docs.size;
  }

  /** Replaces everything known of `groupId` with `docs` (a group's first load). */
  load(groupId: string, docs: readonly SearchDoc[]): void {
    this.dropGroup(groupId);
    this.update(groupId, new Set(), docs);
  }

  /**
   * Applies one change: `docs` are the current documents among the changed `ids`; an id of
   * `ids` without a document leaves the index (deleted, or no longer searchable).
   */
  update(groupId: string, ids: ReadonlySet<string>, docs: readonly SearchDoc[]): void {
    const given = new Set<string>();
    for (const doc of docs) {
      given.add(doc.id);
      this.#put(groupId, doc);
    }
    for (const id of ids) if (!given.has(id)) this.#remove(keyOf(groupId, id));
  }

  dropGroup(groupId: string): void {
    for (const key of [...(this.#byGroup.get(groupId) ?? [])]) this.#remove(key);
    this.#byGroup.delete(groupId);
  }

  /** Matches of `query`, best first (ties: newest first), at most `limit`. */
  search(query: string, filter: SearchFilter = {}, limit = 50): SearchHit[] {
    if (query.trim() === '') return [];
    const kinds = filter.kinds && filter.kinds.length > 0 ? new Set(filter.kinds) : null;
    const narrowed = filter.groupId !== undefined || kinds !== null || filter.author !== undefined;
    const found = this.#ms.search(
      query,
      narrowed
        ? {
            filter: (r) => {
              const e = this.#docs.get(r.id as string)?.entry;
              return (
                e !== undefined &&
                (filter.groupId === undefined || e.groupId === filter.groupId) &&
                (kinds === null || kinds.has(e.kind)) &&
                (filter.author === undefined || e.author === filter.author)
              );
            },
          }
        : {},
    );
    // MiniSearch sorts by score already; rounding keeps that order, so only the first
    // `limit` results and those tied with the last of them need the full ordering.
    const rounded = (x: number): number => Math.round(x * SCORE_DIGITS) / SCORE_DIGITS;
    let end = Math.min(limit, found.length);
    const last = end > 0 ? rounded(found[end - 1]!.score) : 0;
    while (end < found.length && rounded(found[end]!.score) === last) end++;
    const ranked = found
      .slice(0, end)
      .map((r) => ({
        hit: this.#docs.get(r.id as string)!,
        terms: r.terms,
        score: rounded(r.score),
      }))
      .sort(
        (a, b) =>
          b.score - a.score ||
          b.hit.doc.createdAt - a.hit.doc.createdAt ||
          (a.hit.entry.key < b.hit.entry.key ? -1 : a.hit.entry.key > b.hit.entry.key ? 1 : 0),
      )
      .slice(0, limit);
    return ranked.map(({ hit, terms, score }) => ({
      groupId: hit.groupId,
      doc: hit.doc,
      score,
      title: highlight(hit.doc.title ?? '', terms, Number.POSITIVE_INFINITY),
      snippet: highlight(hit.doc.text, terms, SNIPPET_CHARS),
    }));
  }

  #put(groupId: string, doc: SearchDoc): void {
    const key = keyOf(groupId, doc.id);
    const old = this.#docs.get(key);
    if (old && sameDoc(old.doc, doc)) {
      this.#docs.set(key, { ...old, doc }); // a rename or a new place: no re-indexing
      return;
    }
    if (old) this.#ms.remove(old.entry);
    const entry: Entry = {
      key,
      groupId,
      kind: doc.kind,
      author: doc.author,
      title: doc.title ?? '',
      text: doc.text,
    };
    this.#ms.add(entry);
    this.#docs.set(key, { groupId, doc, entry });
    const keys = this.#byGroup.get(groupId) ?? new Set<string>();
    this.#byGroup.set(groupId, keys.add(key));
  }

  #remove(key: string): void {
    const old = this.#docs.get(key);
    if (!old) return;
    this.#ms.remove(old.entry);
    this.#docs.delete(key);
    this.#byGroup.get(old.groupId)?.delete(key);
  }
}

const sameDoc = (a: SearchDoc, b: SearchDoc): boolean =>
  a.kind === b.kind && a.author === b.author && a.title === b.title && a.text === b.text;

/**
 * `text` cut to about `max` characters around the first word that starts with one of
 * `terms` (MiniSearch's matched terms, lower case), with every such word marked.
 */
export function highlight(text: string, terms: readonly string[], max: number): Segment[] {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const words = [...flat.matchAll(/[\p{L}\p{N}]+/gu)];
  const isHit = (w: string): boolean => {
    const lw = w.toLowerCase();
    return terms.some((t) => lw === t || lw.startsWith(t));
  };
  const hits = words.filter((m) => isHit(m[0]));
  let start = 0;
  let end = flat.length;
  if (flat.length > max) {
    const first = hits[0]?.index ?? 0;
    start = Math.max(0, first - Math.floor(max / 4));
    const space = flat.lastIndexOf(' ', start);
    if (start > 0 && space >= 0 && first - space < max / 2) start = space + 1;
    end = Math.min(flat.length, start + max);
    const cut = flat.lastIndexOf(' ', end);
    if (end < flat.length && cut > start) end = cut;
  }
  const out: Segment[] = [];
  const push = (s: string, hit: boolean): void => {
    if (s === '') return;
    const last = out[out.length - 1];
    if (last && last.hit === hit) out[out.length - 1] = { text: last.text + s, hit };
    else out.push({ text: s, hit });
  };
  if (start > 0) push('…', false);
  let at = start;
  for (const m of hits) {
    const i = m.index ?? 0;
    if (i < start || i + m[0].length > end) continue;
    push(flat.slice(at, i), false);
    push(m[0], true);
    at = i + m[0].length;
  }
  push(flat.slice(at, end), false);
  if (end < flat.length) push('…', false);
  return out;
}
