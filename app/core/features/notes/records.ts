// Notes' records in the group document: the index, never the text. A note names its first
// title; anyone may rename it with a note-title record; each editor signs note-rev records
// saying what text they saw (a hash), how long it was and which titles it links to. The text
// itself lives in the note's own document (NoteDocs.ts).
import { type ItemRecord, isTitle, itemKind } from '../../group/items.ts';
import { isB64, isText, type Obj } from '../../group/records.ts';
import { LINK_TITLE_MAX, LINKS_MAX } from './links.ts';

/** Longest note text a revision may describe (characters). */
export const NOTE_MAX_CHARS = 1_000_000;

export interface NoteRecord extends ItemRecord {
  readonly kind: 'note';
  readonly title?: string;
}

export interface NoteTitleRecord extends ItemRecord {
  readonly kind: 'note-title';
  readonly note: string;
  readonly title?: string;
}

export interface NoteRevRecord extends ItemRecord {
  readonly kind: 'note-rev';
  readonly note: string;
  /** base64url of the first 32 bytes of SHA-512 over the text's UTF-8 (textHash). */
  readonly hash?: string;
  readonly chars?: number;
  /** The titles the text links to with `[[…]]`, as written. */
  readonly links?: readonly string[];
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= NOTE_MAX_CHARS;

const isLinks = (v: unknown): boolean =>
  Array.isArray(v) &&
  v.length <= LINKS_MAX &&
  v.every((t) => isText(t, LINK_TITLE_MAX) && (t as string).trim() !== '');

export const noteKind = itemKind<NoteRecord>({
  kind: 'note',
  parseLive: (o: Obj) => isTitle(o.title),
});

export const noteTitleKind = itemKind<NoteTitleRecord>({
  kind: 'note-title',
  parentField: 'note',
  parseLive: (o: Obj) => isTitle(o.title),
});

export const noteRevKind = itemKind<NoteRevRecord>({
  kind: 'note-rev',
  parentField: 'note',
  parseLive: (o: Obj) => isB64(o.hash, 43) && isCount(o.chars) && isLinks(o.links),
});
