// The library's records. A source is an item (only its author edits it) with a link, title,
// authors, date, excerpt and tags; an annotation is a member's own note on a source; a
// cite record says "item X cites source Y", signed by whoever cited it, so any feature's
// items (threads, posts, and later notes and proposals) can cite without a field of their own.
import {
  BODY_MAX_CHARS,
  type ContentFields,
  type ItemRecord,
  isContent,
  isTitle,
  itemKind,
} from '../../group/items.ts';
import { isItemId, isText, type Obj, optional } from '../../group/records.ts';

export const URL_MAX_CHARS = 2_000;
export const AUTHORS_MAX = 50;
export const AUTHOR_MAX_CHARS = 200;
export const DATE_MAX_CHARS = 40;
export const EXCERPT_MAX_CHARS = 10_000;
export const TAGS_MAX = 20;
export const TAG_MAX_CHARS = 40;
export const DOI_MAX_CHARS = 200;

export interface SourceFields {
  readonly title: string;
  readonly url?: string;
  readonly authors: readonly string[];
  readonly date?: string;
  readonly excerpt: string;
  readonly tags: readonly string[];
  readonly doi?: string;
}

export interface SourceRecord extends ItemRecord, Partial<SourceFields> {
  readonly kind: 'source';
}

export interface AnnotationRecord extends ItemRecord, Partial<ContentFields> {
  readonly kind: 'annotation';
  readonly sourceId: string;
}

export interface CiteRecord extends ItemRecord {
  readonly kind: 'cite';
  readonly sourceId: string;
  /** The citing item (a thread, post, reply, note, …). */
  readonly from?: string;
}

const isList = (v: unknown, max: number, each: number): boolean =>
  Array.isArray(v) && v.length <= max && v.every((x) => isText(x, each) && x.length > 0);

const isSourceFields = (o: Obj): boolean =>
  isTitle(o.title) &&
  optional(o.url, (v): v is string => isText(v, URL_MAX_CHARS)) &&
  isList(o.authors, AUTHORS_MAX, AUTHOR_MAX_CHARS) &&
  optional(o.date, (v): v is string => isText(v, DATE_MAX_CHARS)) &&
  isText(o.excerpt, EXCERPT_MAX_CHARS) &&
  isList(o.tags, TAGS_MAX, TAG_MAX_CHARS) &&
  optional(o.doi, (v): v is string => isText(v, DOI_MAX_CHARS));

export const sourceKind = itemKind<SourceRecord>({ kind: 'source', parseLive: isSourceFields });

export const annotationKind = itemKind<AnnotationRecord>({
  kind: 'annotation',
  parentField: 'sourceId',
  parseLive: (o) => isContent(o, BODY_MAX_CHARS),
});

export const citeKind = itemKind<CiteRecord>({
  kind: 'cite',
  parentField: 'sourceId',
  parseLive: (o) => isItemId(o.from),
});
