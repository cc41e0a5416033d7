// The group's library: sources with members' annotations, duplicates found by normalised
// link, and citations from any item. A facade over the kernel, bound to one group; every
// write is a signed record, every read a view of the newest valid version. It knows no other
// feature's records: a citation names the citing item by id, and the UI asks the features'
// `searchable` what that item is.
import type { MemberId } from '../../crypto/keys.ts';
import type { Group, Me } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import {
  BODY_MAX_CHARS,
  checkBody,
  checkTitle,
  childrenOf,
  createItem,
  editItem,
  type ItemRecord,
  type ItemViewBase,
  isTombstone,
  itemViewBase,
  mentionsIn,
  removeItem,
  requireLive,
  requireOwn,
  TITLE_MAX_CHARS,
} from '../../group/items.ts';
import { readName } from '../../group/members.ts';
import {
  type ActivityItem,
  activityOf,
  type Feature,
  type SearchDoc,
  searchDocsOf,
} from '../Feature.ts';
import { doiIn, urlKey } from './links.ts';
import {
  type AnnotationRecord,
  AUTHOR_MAX_CHARS,
  AUTHORS_MAX,
  type CiteRecord,
  DATE_MAX_CHARS,
  EXCERPT_MAX_CHARS,
  type SourceFields,
  type SourceRecord,
  TAG_MAX_CHARS,
  TAGS_MAX,
  URL_MAX_CHARS,
} from './records.ts';

declare module '../../group/GroupError.ts' {
  interface FeatureErrorCodes {
    duplicate: true;
    'bad-url': true;
    'already-cited': true;
  }
}

/** What a member fills in to add or edit a source. */
export interface SourceInput {
  readonly title: string;
  readonly url?: string;
  readonly authors?: readonly string[];
  readonly date?: string;
  readonly excerpt?: string;
  readonly tags?: readonly string[];
  readonly doi?: string;
}

export interface SourceView extends ItemViewBase {
  readonly kind: 'source';
  readonly title: string;
  readonly url?: string;
  /** The normalised link (or `doi:…`) duplicates share; undefined without a link or DOI. */
  readonly key?: string;
  readonly authors: readonly string[];
  readonly date?: string;
  readonly excerpt: string;
  readonly tags: readonly string[];
  readonly doi?: string;
  readonly annotationCount: number;
  readonly citationCount: number;
}

export interface AnnotationView extends ItemViewBase {
  readonly kind: 'annotation';
  readonly sourceId: string;
}

export interface CitationView {
  readonly id: string;
  readonly sourceId: string;
  /** The citing item. */
  readonly from: string;
  /** Who cited. */
  readonly author: MemberId;
  readonly authorName: string | null;
  readonly createdAt: number;
}

const cleanList = (xs: readonly string[] | undefined, max: number, each: number, what: string) => {
  const out = [
    ...new Set((xs ?? []).map((x) => x.replace(/\s+/gu, ' ').trim()).filter((x) => x !== '')),
  ];
  if (out.length > max || out.some((x) => x.length > each)) {
    throw new GroupError(
      'too-long',
      `Too many or too long ${what}: at most ${max} of ${each} characters.`,
    );
  }
  return out;
};

const optionalText = (v: string | undefined, max: number, what: string): string | undefined => {
  const t = v?.trim();
  if (!t) return undefined;
  if (t.length > max) throw new GroupError('too-long', `The ${what} is too long.`);
  return t;
};

/** Checks and cleans what a member typed; a link must be http(s) or a DOI. */
export function checkSource(input: SourceInput): SourceFields {
  const url = optionalText(input.url, URL_MAX_CHARS, 'link');
  if (url !== undefined && urlKey(url) === undefined) {
    throw new GroupError('bad-url', 'That link does not look like a web address or DOI.');
  }
  const doiText = optionalText(input.doi, 200, 'DOI');
  const doi = doiText === undefined ? undefined : doiIn(doiText);
  if (doiText !== undefined && doi === undefined) {
    throw new GroupError('bad-url', 'That DOI does not look like 10.xxxx/….');
  }
  const excerpt = checkBody(input.excerpt ?? '', EXCERPT_MAX_CHARS, true);
  const date = optionalText(input.date, DATE_MAX_CHARS, 'date');
  return {
    title: checkTitle(input.title),
    ...(url !== undefined ? { url } : {}),
    authors: cleanList(input.authors, AUTHORS_MAX, AUTHOR_MAX_CHARS, 'authors'),
    ...(date !== undefined ? { date } : {}),
    excerpt,
    tags: cleanList(
      input.tags?.map((t) => t.toLowerCase().replace(/^#/u, '')),
      TAGS_MAX,
      TAG_MAX_CHARS,
      'tags',
    ),
    ...(doi !== undefined ? { doi } : {}),
  };
}

/** The keys a source is found by as a duplicate: its link's and its DOI's. */
function keysOf(s: { readonly url?: string; readonly doi?: string }): string[] {
  const out: string[] = [];
  const u = s.url ? urlKey(s.url) : undefined;
  if (u) out.push(u);
  if (s.doi && !out.includes(`doi:${s.doi}`)) out.push(`doi:${s.doi}`);
  return out;
}

const byNewest = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) =>
  b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class Sources implements Feature {
  constructor(readonly group: Group) {}

  /** Live sources, newest first. */
  sources(): SourceView[] {
    return this.#live().map((r) => this.#view(r));
  }

  source(id: string): SourceView | undefined {
    const r = this.group.head<SourceRecord>(id);
    return r?.kind === 'source' ? this.#view(r) : undefined;
  }

  /** Live sources with the same normalised link or DOI as `s` (other than `except`). */
  duplicatesOf(s: { url?: string; doi?: string }, except?: string): SourceView[] {
    const doi = s.doi ? doiIn(s.doi) : undefined;
    const keys = new Set(keysOf({ ...(s.url ? { url: s.url } : {}), ...(doi ? { doi } : {}) }));
    if (keys.size === 0) return [];
    return this.#live()
      .filter((r) => r.id !== except && keysOf(r).some((k) => keys.has(k)))
      .map((r) => this.#view(r));
  }

  /** Every tag in use, most used first. */
  tags(): { tag: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const r of this.#live())
      for (const t of r.tags ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1));
  }

  /**
   * Adds a source; returns its id. Refuses one whose link or DOI the library already has
   * (see duplicatesOf) unless `allowDuplicate`.
   */
  addSource(me: Me, input: SourceInput, allowDuplicate = false): string {
    this.group.requireMember(me);
    const fields = checkSource(input);
    const dup = allowDuplicate ? undefined : this.duplicatesOf(fields)[0];
    if (dup) {
      throw new GroupError('duplicate', `The library already has this source: “${dup.title}”.`);
    }
    return createItem(this.group, me, 'source', { ...fields });
  }

  /** A new version of the caller's own source (fields left empty are dropped). */
  editSource(me: Me, id: string, input: SourceInput): void {
    this.group.requireMember(me);
    requireLive(this.group, id, 'source');
    const fields = checkSource(input);
    const r = requireOwn<SourceRecord>(this.group, me, id);
    this.group.write(me, 'source', { id, nonce: r.nonce, createdAt: r.createdAt, ...fields });
  }

  /** Annotations of a source, oldest first; deleted ones stay as tombstones. */
  annotations(sourceId: string): AnnotationView[] {
    return childrenOf<AnnotationRecord>(this.group, sourceId, 'annotation').map((r) =>
      this.#annotationView(r),
    );
  }

  /** An annotation by id, deleted ones included (as tombstones). */
  item(id: string): AnnotationView | undefined {
    const r = this.group.head<AnnotationRecord>(id);
    return r?.kind === 'annotation' ? this.#annotationView(r) : undefined;
  }

  /** The caller's own annotation on a source; returns its id. */
  annotate(me: Me, sourceId: string, body: string): string {
    this.group.requireMember(me);
    requireLive(this.group, sourceId, 'source');
    const text = checkBody(body, BODY_MAX_CHARS, false);
    return createItem(this.group, me, 'annotation', {
      sourceId,
      body: text,
      mentions: mentionsIn(this.group, text),
    });
  }

  /** A new version of the caller's own annotation. */
  editAnnotation(me: Me, id: string, body: string): void {
    requireLive(this.group, id, 'annotation');
    const text = checkBody(body, BODY_MAX_CHARS, false);
    editItem(this.group, me, id, { body: text, mentions: mentionsIn(this.group, text) });
  }

  /**
   * Cites source `sourceId` from item `from` (any live item of the group that is not a
   * source, annotation or citation); returns the citation's id.
   */
  cite(me: Me, from: string, sourceId: string): string {
    this.group.requireMember(me);
    requireLive(this.group, sourceId, 'source');
    const item = requireLive(this.group, from);
    if (['source', 'annotation', 'cite'].includes(item.kind)) {
      throw new GroupError('wrong-kind', 'Sources are cited from threads, posts and notes.');
    }
    if (this.citationsOf(sourceId).some((c) => c.from === from)) {
      throw new GroupError('already-cited', 'This already cites that source.');
    }
    return createItem(this.group, me, 'cite', { sourceId, from });
  }

  /** Where a source is cited, oldest first. */
  citationsOf(sourceId: string): CitationView[] {
    return childrenOf<CiteRecord>(this.group, sourceId, 'cite')
      .filter((r) => !isTombstone(r) && r.from !== undefined)
      .map((r) => this.#citationView(r));
  }

  /** The sources item `from` cites, oldest citation first (of live sources only). */
  citationsFrom(from: string): CitationView[] {
    const all = this.group.memo(
      'cites-by-from',
      ['kind:cite', 'kind:source', 'kind:member'],
      () => {
        const out = new Map<string, CitationView[]>();
        for (const slot of this.group.slotsOf('cite')) {
          const r = this.group.head<CiteRecord>(slot);
          if (r?.kind !== 'cite' || isTombstone(r) || r.from === undefined) continue;
          const s = this.group.head<SourceRecord>(r.sourceId);
          if (s?.kind !== 'source' || isTombstone(s)) continue;
          const list = out.get(r.from) ?? [];
          list.push(this.#citationView(r));
          out.set(r.from, list);
        }
        for (const list of out.values()) list.sort((a, b) => -byNewest(a, b));
        return out;
      },
    );
    return all.get(from) ?? [];
  }

  /** Deletes the caller's own source, annotation or citation. */
  remove(me: Me, id: string): void {
    const r = this.group.head<ItemRecord>(id);
    if (r && !['source', 'annotation', 'cite'].includes(r.kind)) {
      throw new GroupError('not-found', 'That item is not in the library.');
    }
    removeItem(this.group, me, id, r?.kind === 'source' ? undefined : 'sourceId');
  }

  searchable(ids?: ReadonlySet<string>): SearchDoc[] {
    return searchDocsOf<SourceRecord | AnnotationRecord>(
      this.group,
      ['source', 'annotation'],
      ids,
      (r) => {
        const sourceId = r.kind === 'source' ? r.id : r.sourceId;
        const place = { route: 'source', params: { groupId: this.group.id, sourceId } };
        if (r.kind === 'annotation') {
          const v = this.#annotationView(r);
          return { ...searchBase(v), kind: 'annotation', text: v.body, place };
        }
        const v = this.#view(r);
        const text = [
          v.authors.join(', '),
          v.date,
          v.excerpt,
          v.tags.map((t) => `#${t}`).join(' '),
          v.url,
        ]
          .filter((x) => x)
          .join('\n');
        return { ...searchBase(v), kind: 'source', title: v.title, text, place };
      },
    );
  }

  recent(limit: number): ActivityItem[] {
    const out: ActivityItem[] = [];
    for (const r of this.#live()) {
      const v = this.#view(r);
      const place = { route: 'source', params: { groupId: this.group.id, sourceId: v.id } };
      out.push({ ...activityOf(v), action: `added the source “${v.title}”`, place });
      for (const a of this.annotations(v.id)) {
        if (!a.deleted) out.push({ ...activityOf(a), action: `annotated “${v.title}”`, place });
      }
    }
    return out.sort(byNewest).slice(0, Math.max(0, limit));
  }

  #live(): readonly SourceRecord[] {
    return this.group.memo('sources', ['kind:source'], () => {
      const out: SourceRecord[] = [];
      for (const slot of this.group.slotsOf('source')) {
        const r = this.group.head<SourceRecord>(slot);
        if (r?.kind === 'source' && !isTombstone(r)) out.push(r);
      }
      return out.sort((a, b) =>
        byNewest(
          { createdAt: this.group.time(a, a.createdAt), id: a.id },
          { createdAt: this.group.time(b, b.createdAt), id: b.id },
        ),
      );
    });
  }

  #view(r: SourceRecord): SourceView {
    const base = itemViewBase(this.group, r);
    const live = !isTombstone(r);
    const key = live ? keysOf(r)[0] : undefined;
    return {
      ...base,
      kind: 'source',
      title: live ? readName(r.title ?? '', 'Untitled', TITLE_MAX_CHARS) : '',
      ...(live && r.url !== undefined ? { url: r.url } : {}),
      ...(key !== undefined ? { key } : {}),
      authors: live ? (r.authors ?? []) : [],
      ...(live && r.date !== undefined ? { date: r.date } : {}),
      excerpt: live ? (r.excerpt ?? '') : '',
      body: live ? (r.excerpt ?? '') : '',
      tags: live ? (r.tags ?? []) : [],
      ...(live && r.doi !== undefined ? { doi: r.doi } : {}),
      annotationCount: childrenOf<AnnotationRecord>(this.group, r.id, 'annotation').filter(
        (a) => !isTombstone(a),
      ).length,
      citationCount: this.citationsOf(r.id).length,
    };
  }

  #annotationView(r: AnnotationRecord): AnnotationView {
    return { ...itemViewBase(this.group, r), kind: 'annotation', sourceId: r.sourceId };
  }

  #citationView(r: CiteRecord): CitationView {
    return {
      id: r.id,
      sourceId: r.sourceId,
      from: r.from ?? '',
      author: r.author,
      authorName: this.group.memberName(r.author),
      createdAt: this.group.time(r, r.createdAt),
    };
  }
}

const searchBase = (v: ItemViewBase) => ({
  id: v.id,
  author: v.author,
  authorName: v.authorName,
  createdAt: v.createdAt,
});
